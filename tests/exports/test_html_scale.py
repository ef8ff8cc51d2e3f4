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


def _related_by_definition(G, papers, index):
    """Adamic–Adar over shared concepts, summed plainly: what the map's related lists mean."""
    import math

    shown = set(papers)
    out = {}
    for p in papers:
        shared = {}
        for c in sorted(G.successors(p)):
            if G.in_degree(c) > 1:
                for q in G.predecessors(c):
                    if q != p and q in shown:
                        shared.setdefault(q, []).append(c)
        scored = sorted((-round(sum(1.0 / math.log(G.in_degree(c)) for c in cs), 4), q)
                        for q, cs in shared.items())
        out[p] = [[index[q], -neg + 0.0,
                   sorted((G.nodes[c]["label"] for c in shared[q]), key=str.casefold)]
                  for neg, q in scored[:html.RELATED_LIMIT]]
    return out


def test_related_papers_on_a_partial_map_are_the_adamic_adar_top():
    import random

    import networkx as nx

    rng = random.Random(3)
    G = nx.DiGraph()
    concepts = [f"concept:c{k:03d}" for k in range(60)]
    for c in concepts:
        G.add_node(c, kind="concept", label=c[8:].upper())
    for k in range(300):
        p = f"paper:{k:04d}"
        G.add_node(p, kind="paper")
        # A few hubs in most papers (many ties after rounding), a long tail elsewhere.
        for c in rng.sample(concepts[:4], rng.randint(0, 3)) + rng.sample(concepts[4:], rng.randint(0, 4)):
            G.add_edge(p, c)
    papers = sorted(n for n in G if n.startswith("paper:"))[::2]  # the map shows half
    index = {p: i for i, p in enumerate(papers)}
    got = html._related_among(G, papers, index)
    assert got == _related_by_definition(G, papers, index)
    assert any(len(v) == html.RELATED_LIMIT for v in got.values())
