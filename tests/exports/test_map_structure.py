"""The HTML map's structure view in headless Chromium: concept map by community, labels
that never overlap, a community legend that filters, papers on demand.

Labels are measured as sigma draws them (its label font, at ``x + size + 3``), from the
set sigma reports as displayed (``renderer.getNodeDisplayedLabels()``), in
``tests/exports/js/structure.js``.
"""

from __future__ import annotations

import json
import os
import random
from itertools import combinations

import networkx as nx
import pytest

from paperkg.exports import export
from paperkg.exports.html import CO_LINKS, map_data
from paperkg.exports.palette import COLORS
from paperkg.graph.structure import annotate_structure

from test_consumers import CHROMIUM, _node, _run_js


def _overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for a, b in combinations(labels, 2)
        if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]
    ]


def _dense_graph(papers: int = 300, concepts: int = 240, groups: int = 6) -> nx.DiGraph:
    """Papers drawing most concepts from their own group: ``groups`` clear communities."""
    rng = random.Random(3)
    G = nx.DiGraph(schema=1)
    names = [f"concept:group {i % groups} term {i:03d}" for i in range(concepts)]
    for n in names:
        G.add_node(n, kind="concept", type=("METHOD", "DATASET", "TASK")[len(n) % 3],
                   label=n[8:], key=n[8:], aliases=(n[8:],), paper_count=0, type_counts={})
    per = concepts // groups
    for p in range(papers):
        g = p % groups
        own = [names[i] for i in range(concepts) if i % groups == g]
        picks = set(rng.sample(own, 4)) | set(rng.sample(names, 1))
        pid = f"paper:{p:04d}"
        G.add_node(pid, kind="paper", label=f"Paper {p} on group {g}", title=f"Paper {p}",
                   abstract="", date="", url="", sources=(), code_urls=())
        for c in sorted(picks):
            G.add_edge(pid, c, mentions=1, evidence="", field="title", start=0, end=0,
                       surface="", score=1.0)
    for n in names:
        G.nodes[n]["paper_count"] = G.in_degree(n)
    assert per * groups == concepts
    return annotate_structure(G)


def test_map_data_concepts_by_community(small_graph):
    data = map_data(small_graph)
    assert data["color"] == "community"
    assert [c[0] for c in data["communities"]] == [1, 2]
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["concept:bert"]["community"] == 1 and by_id["paper:p4"]["community"] == 0
    # Concepts are sized by papers; the strongest co-occurrences link them.
    assert by_id["concept:bert"]["size"] > by_id["concept:gpt-2"]["size"]
    assert all(i < j and w >= 1 for i, j, w in data["co"])
    assert data["co"] == sorted(data["co"])
    assert map_data(small_graph, color="type")["color"] == "type"


def test_map_links_grow_linearly():
    G = _dense_graph()
    data = map_data(G)
    concepts = sum(1 for n in data["nodes"] if n["type"] != "paper")
    assert len(data["co"]) <= CO_LINKS * concepts


def _browse(G, tmp_path, concept, community, shots=None):
    node = _node("playwright-core")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM)")
    page = export(G, tmp_path / "map.html")
    config = {"page": str(page), "concept": concept, "community": community}
    if shots:
        config["shots"] = str(shots)
    r = _run_js(node, "structure.js", json.dumps(config), timeout=180)
    assert r["errors"] == [] and r["console"] == [] and r["webgl"]
    return r


def _check(G, r, concept, community):
    concepts = {n for n, d in G.nodes(data=True) if d["kind"] == "concept"}
    members = {n for n in concepts if G.nodes[n]["community"] == community}
    # The map opens on the concepts only, labelled without any overlap.
    default = r["defaultView"]
    assert set(default["visible"]) == concepts
    assert len(default["labels"]) >= 10
    assert _overlaps(default["labels"]) == []
    assert default["legend"] == [str(c["id"]) for c in G.graph["communities"]]
    # A click on a community's legend entry keeps that community only.
    f = r["filtered"]
    assert f["community"] == community and f["pressed"] == [str(community)]
    assert set(f["visible"]) == members
    assert f["labels"] and _overlaps(f["labels"]) == []
    assert f["title"].startswith(f"Community {community}: ")
    assert r["cleared"] == {"community": None, "visible": len(concepts)}
    # A click on a concept lists its papers and shows them on the map.
    c = r["clicked"]
    papers = sorted(G.predecessors(concept))
    assert c["selected"] == concept
    assert sorted(c["papers"]) == papers
    assert set(papers) <= set(c["visible"])
    assert _overlaps(c["labels"]) == []
    # The papers switch shows every paper, labels still apart.
    assert r["papersOn"]["visible"] == G.number_of_nodes()
    assert _overlaps(r["papersOn"]["labels"]) == []
    # The type switch colours the concept by its type.
    assert r["byType"]["color"] == COLORS[G.nodes[concept]["type"].lower()]
    assert len(r["byType"]["legend"]) == 4


def test_map_structure_in_chromium(tmp_path):
    G = _dense_graph()
    concept = "concept:group 2 term 002"
    r = _browse(G, tmp_path, concept, community=2)
    _check(G, r, concept, 2)


@pytest.mark.slow
def test_map_structure_on_the_seeds_in_chromium(seeds_build, tmp_path):
    _, G = seeds_build
    concept = max(
        (n for n, d in G.nodes(data=True) if d["kind"] == "concept" and d["community"] == 2),
        key=lambda n: (G.nodes[n]["paper_count"], n),
    )
    r = _browse(G, tmp_path, concept, community=2)
    _check(G, r, concept, 2)
    assert len(r["defaultView"]["labels"]) >= 40
