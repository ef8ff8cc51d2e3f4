"""Small hand-made graphs for the store tests: every schema attribute filled in."""

from __future__ import annotations

import networkx as nx

from paperkg.graph.schema import CONCEPT, PAPER, SCHEMA_VERSION, concept_node_id, paper_node_id


def tiny_graph(text: str = "") -> nx.DiGraph:
    """Return 2 papers, 2 concepts, 3 edges; ``text`` goes into every string slot.

    ``text`` lands in ids, keys, titles, abstracts, attribute names and values, dict keys,
    evidence, the merge log and the graph attributes, so one call exercises each place a
    string can sit in ``graph.json``.
    """
    G = nx.DiGraph(
        schema=SCHEMA_VERSION,
        generator="paperkg test" + text,
        model="hand-made" + text,
        merges=(("bert" + text, "BERT", "p1", "key", ""), ("squad", "SQuAD" + text, "p2", "spelling", "x")),
        ambiguous_acronyms={"QA" + text: ("question answering", "quality assurance" + text)},
    )
    G.graph["extra" + text] = (1, 2.5, None, True, ("nested", (text,)), {"k" + text: (text,)})
    for pid, title in [("p1", "BERT for QA"), ("p2" + text, "SQuAD" + text)]:
        n = paper_node_id(pid)
        G.add_node(n)
        G.nodes[n].update(
            kind=PAPER, label=title, title=title, abstract=f"We use BERT on SQuAD.{text}",
            date="Mar 14" if pid == "p1" else "", url=text, sources=(f"x.txt:{len(pid)}", text),
            code_urls=() if pid == "p1" else ("https://github.com/a/b" + text,),
        )
    for key, type_, label in [("bert" + text, "METHOD", "BERT"), ("squad", "DATASET", "SQuAD" + text)]:
        n = concept_node_id(key)
        G.add_node(n)
        G.nodes[n].update(
            kind=CONCEPT, type=type_, label=label, key=key, aliases=(label, "alias" + text),
            paper_count=2 if type_ == "METHOD" else 1, type_counts={type_: 2, "TASK": 0},
        )
    G.nodes[paper_node_id("p1")]["note" + text] = {"a" + text: (1, (2, text)), "b": {}}
    for pid, key, score in [("p1", "bert" + text, 0.75), ("p1", "squad", 1.0),
                            ("p2" + text, "bert" + text, -0.0)]:
        G.add_edge(paper_node_id(pid), concept_node_id(key))
        G.edges[paper_node_id(pid), concept_node_id(key)].update(
            mentions=1 + len(key) % 2, evidence="We use BERT." + text, field="abstract",
            start=7, end=11, surface="BERT", score=score,
        )
    return G


def assert_same_graph(G: nx.DiGraph, H: nx.DiGraph) -> None:
    """Assert ``G`` and ``H`` hold the same nodes, edges and attributes (graph ones too)."""
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert {(u, v): d for u, v, d in G.edges(data=True)} == {
        (u, v): d for u, v, d in H.edges(data=True)}
    assert G.graph == H.graph
    assert nx.utils.graphs_equal(G, H)
