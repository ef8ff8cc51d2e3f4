"""GraphML exports read back with networkx, typed, flat and labelled for Gephi."""

from __future__ import annotations

import networkx as nx

from paperkg.exports import export


def node(H, label):
    [found] = [n for n, d in H.nodes(data=True) if d["label"] == label]
    return found


def test_graphml_paper_concept_graph_reads_back(corpus_graph, tmp_path):
    path = export(corpus_graph, tmp_path / "g.graphml")
    H = nx.read_graphml(path)
    assert H.is_directed()
    assert H.number_of_nodes() == corpus_graph.number_of_nodes()
    assert H.number_of_edges() == corpus_graph.number_of_edges()
    assert {d["type"] for _, d in H.nodes(data=True)} == {"paper", "method", "dataset", "task"}
    assert all(d.get("label") for _, d in H.nodes(data=True))
    assert H.nodes["concept:BERT"]["paper_count"] == 3
    assert H.nodes["paper:d"]["label"] == "Pruning ResNet-50 <b>fast</b>"
    edge = H.edges["paper:a", "concept:BERT"]
    assert edge["offset_start"] == 0 and edge["mentions"] == 2
    text = path.read_text()
    assert 'attr.type="long"' in text and "None" not in text


def test_graphml_cooccurrence_graph_weights(corpus_graph, tmp_path):
    H = nx.read_graphml(export(corpus_graph, tmp_path / "g.cooccurrence.graphml"))
    assert not H.is_directed()
    assert all(d["type"] != "paper" for _, d in H.nodes(data=True))
    assert H.edges[node(H, "ImageNet"), node(H, "ResNet-50")]["weight"] == 2


def test_graphml_control_characters_do_not_break_xml(tmp_path):
    import networkx as nx

    from paperkg.exports.rdf import to_rdf

    G = nx.DiGraph()
    G.add_node("paper:p\x01", kind="paper", label="A\x0bB", title="A\x0bB", abstract="x\x00y",
               date="", url="", sources=(), code_urls=())
    G.add_node("concept:c", kind="concept", type="TASK", label="c\x1f", key="c", aliases=("c\x1f",), paper_count=1)
    G.add_edge("paper:p\x01", "concept:c", mentions=1, evidence="e\x0c", field="title", start=0, end=1,
               surface="c", score=1.0)
    H = nx.read_graphml(export(G, tmp_path / "g.graphml"))
    assert H.nodes["paper:p_x0001_"]["label"] == "AB"
    assert H.nodes["paper:p_x0001_"]["paperkg_id"] == "paper:p"
    assert list(H.edges) == [("paper:p_x0001_", "concept:c")]
    from rdflib import Graph

    assert len(Graph().parse(export(G, tmp_path / "g.rdf"), format="xml")) == len(to_rdf(G))


def make_mixed_graph() -> nx.DiGraph:
    """Ids whose XML ids sort apart from them, attributes missing or of mixed types."""
    G = nx.DiGraph(model="mixed", merges=[("a", "b")])
    for pid, extra in (("a b", {"year": 2024}), ("a_c", {"year": "2025"}), ("a-b", {}),
                       ("a\x01", {"flag": True})):
        G.add_node(f"paper:{pid}", kind="paper", label=f"T {pid}", title=f"T {pid}",
                   sources=("x.txt:1", "y.txt:2"), **extra)
    for key in ("b c", "b_d", "b-c", "Zürich"):
        G.add_node(f"concept:{key}", kind="concept", type="METHOD", label=key, key=key,
                   aliases=(key,), paper_count=2)
    for i, pid in enumerate(("a b", "a_c", "a-b", "a\x01")):
        for key in ("b c", "b_d", "b-c", "Zürich")[i % 2 :]:
            G.add_edge(f"paper:{pid}", f"concept:{key}", mentions=1, start=i, end=i + 2,
                       score=0.5 if i else 1, evidence=None)
    return G


def test_graphml_streamed_files_equal_the_flat_graph_documents(tmp_path):
    """The streamed writers give the bytes of the flat-copy path (same types, order, ids)."""
    from paperkg.exports.flatten import flat_cooccurrence, flat_graph
    from paperkg.exports.gephi import graphml_bytes

    G = make_mixed_graph()
    assert export(G, tmp_path / "g.graphml").read_bytes() == graphml_bytes(flat_graph(G))
    cooccurrence = export(G, tmp_path / "g.cooccurrence.graphml").read_bytes()
    assert cooccurrence == graphml_bytes(flat_cooccurrence(G))
    H = nx.read_graphml(tmp_path / "g.graphml")
    # One type per column, the first seen in id order ("paper:a b" before "paper:a_c").
    assert H.nodes["paper:a_x0020_b"]["year"] == 2024 and H.nodes["paper:a_c"]["year"] == 2025
    assert H.nodes["paper:a-b"]["flag"] is False and H.nodes["paper:a-b"]["year"] == 0


def test_graphml_cooccurrence_builds_no_cooccurrence_graph(small_graph, tmp_path, monkeypatch):
    import paperkg.exports.flatten
    import paperkg.graph.cooccurrence

    def refuse(*args, **kwargs):
        raise AssertionError("the GraphML export built the co-occurrence graph")

    for module in (paperkg.graph.cooccurrence, paperkg.exports.flatten):
        monkeypatch.setattr(module, "cooccurrence_graph", refuse)
    H = nx.read_graphml(export(small_graph, tmp_path / "g.cooccurrence.graphml"))
    assert H.edges["concept:bert", "concept:squad"]["weight"] == 2
