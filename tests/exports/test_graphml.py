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
