"""GraphML exports read back with networkx, typed, flat and labelled for Gephi."""

from __future__ import annotations

import networkx as nx

from exports import export


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
