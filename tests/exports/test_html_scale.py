"""The HTML map of a large graph (paperkg.exports.html): a bounded part, said so."""

from __future__ import annotations

from paperkg.exports import html
from paperkg.exports.html import html_bytes, map_data
from paperkg.graph.structure import ensure_structure


def test_map_of_a_large_graph_shows_the_top_concepts_and_central_papers(small_graph, monkeypatch):
    G = ensure_structure(small_graph)
    monkeypatch.setattr(html, "MAP_CONCEPTS", 3)
    monkeypatch.setattr(html, "MAP_PAPERS", 2)
    data = map_data(G)
    assert data["total"] == {"concepts": 7, "papers": 4}
    ids = [n["id"] for n in data["nodes"]]
    concepts = [n for n in ids if n.startswith("concept:")]
    papers = [n for n in ids if n.startswith("paper:")]
    # BERT (3 papers) and SQuAD (2) first, then the 1-paper concepts by id.
    assert concepts == sorted(["concept:bert", "concept:squad", "concept:cora"])
    linked = [p for p in sorted(G) if p.startswith("paper:") and G.out_degree(p)]
    central = sorted(linked, key=lambda p: (-G.nodes[p]["pagerank"], p))[:2]
    assert papers == sorted(central)
    assert all(ids[u] in ids and ids[v] in concepts for u, v in data["edges"])
    for n in data["nodes"]:
        for i, _, _ in n.get("related", ()):
            assert data["nodes"][i]["type"] == "paper" and data["nodes"][i]["id"] != n["id"]
    shown = {n["community"] for n in data["nodes"] if n["type"] != "paper"}
    assert {c[0] for c in data["communities"]} == shown
    assert html_bytes(G) == html_bytes(G)


def test_map_of_a_small_graph_shows_everything(small_graph):
    data = map_data(small_graph)
    assert data["total"] == {"concepts": 7, "papers": 4}
    assert len(data["nodes"]) == len(small_graph)


def test_page_says_when_it_shows_part_of_the_graph():
    page = html._read("html_template.html")
    assert "data.total" in page and "most-mentioned concepts" in page
