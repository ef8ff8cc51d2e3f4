"""Structure at scale (paperkg.graph.structure, paperkg.graph.cooccurrence): the estimate
agrees with the exact answer, pair counting stays linear around hub concepts."""

from __future__ import annotations

import networkx as nx
import pytest

from paperkg.graph.cooccurrence import cooccurrence_counts, cooccurrence_graph
from paperkg.graph.structure import annotate_structure


def _graph(papers: dict[str, str]) -> nx.DiGraph:
    G = nx.DiGraph(schema=1)
    for c in sorted({c for cs in papers.values() for c in cs}):
        G.add_node(f"concept:{c}", kind="concept", type="METHOD", label=c.upper(), key=c,
                   paper_count=sum(c in cs for cs in papers.values()))
    for p, cs in papers.items():
        G.add_node(f"paper:{p}", kind="paper", label=p, title=p)
        G.add_edges_from((f"paper:{p}", f"concept:{c}") for c in cs)
    return G


CHAIN = {"p1": "abcd", "p2": "abcd", "p3": "defg", "p4": "ghij", "p5": "jk", "p6": "xy"}


def test_betweenness_sampled_from_every_source_is_exact():
    exact = annotate_structure(_graph(CHAIN))
    sampled = annotate_structure(_graph(CHAIN), betweenness_exact=3, betweenness_sample=1000)
    n = sum(1 for _, k in exact.nodes(data="kind") if k == "concept")
    assert sampled.graph["structure"]["betweenness_sample"] == n  # every concept a source
    for c, d in exact.nodes(data=True):
        if d["kind"] == "concept":
            assert sampled.nodes[c]["betweenness"] == pytest.approx(d["betweenness"], abs=1e-9)
    assert exact.nodes["concept:d"]["betweenness"] > exact.nodes["concept:a"]["betweenness"]


def test_betweenness_matches_networkx_when_exact():
    G = annotate_structure(_graph(CHAIN))
    C = cooccurrence_graph(G)
    theirs = nx.betweenness_centrality(C, normalized=True)
    for c, value in theirs.items():
        assert G.nodes[c]["betweenness"] == pytest.approx(value, abs=1e-9)


def test_cooccurrence_pairs_around_a_hub_grow_with_the_papers():
    """A concept in every paper adds one pair per other concept of each paper: the pairs
    are the sum over papers of k (k - 1) / 2, never hub x hub-papers squared."""
    papers = {f"p{i:03d}": "h" + "abcdefgijz"[i % 10] + "klmnopqrst"[i % 7] for i in range(300)}
    G = _graph(papers)
    concepts, i, j, w = cooccurrence_counts(G)
    assert int(w.sum()) == 300 * 3  # three pairs per paper of three concepts
    hub = concepts.index("concept:h")  # the hub
    assert int(w[(i == hub) | (j == hub)].sum()) == 600
    assert list(i) == sorted(i) and all(a < b for a, b in zip(i, j))


def test_cooccurrence_graph_of_some_concepts_only():
    G = _graph(CHAIN)
    C = cooccurrence_graph(G, concepts=["concept:d", "concept:a", "concept:g"])
    assert sorted(C) == ["concept:a", "concept:d", "concept:g"]
    assert sorted(C.edges(data="weight")) == [("concept:a", "concept:d", 2), ("concept:d", "concept:g", 1)]
    assert C.nodes["concept:a"]["label"] == "A"
