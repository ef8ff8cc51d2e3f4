"""Communities and centrality (paperkg.graph.structure) on hand-made graphs with known answers."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import networkx as nx
import pytest

from paperkg.errors import InputError
from paperkg.graph.structure import (
    NO_COMMUNITY,
    annotate_structure,
    central_concepts,
    communities,
    community,
    ensure_structure,
    has_structure,
    pagerank,
)


def _graph(papers: dict[str, str]) -> nx.DiGraph:
    """A paper–concept graph: paper id → the one-letter concepts it mentions."""
    G = nx.DiGraph(schema=1)
    letters = sorted({c for cs in papers.values() for c in cs})
    for c in letters:
        count = sum(c in cs for cs in papers.values())
        G.add_node(f"concept:{c}", kind="concept", type="METHOD" if c < "e" else "TASK",
                   label=c.upper(), key=c, paper_count=count)
    for p, cs in papers.items():
        G.add_node(f"paper:{p}", kind="paper", label=f"Paper {p}", title=f"Paper {p}")
        G.add_edges_from((f"paper:{p}", f"concept:{c}") for c in cs)
    return G


#: Two 4-cliques (a–d, e–h), each held by two papers, joined by one paper on d and e;
#: paper "lone" mentions nothing.
BRIDGED = {"p1": "abcd", "p2": "abcd", "p3": "efgh", "p4": "efgh", "p5": "de", "lone": ""}


@pytest.fixture
def bridged() -> nx.DiGraph:
    return annotate_structure(_graph(BRIDGED))


def test_structure_two_cliques_make_two_communities(bridged):
    found = communities(bridged)
    assert [(c.id, c.size, c.papers) for c in found] == [(1, 4, 3), (2, 4, 2)]  # p5 joins 1
    members = {
        cid: sorted(n[-1] for n, d in bridged.nodes(data=True)
                    if d["kind"] == "concept" and d["community"] == cid)
        for cid in (1, 2)
    }
    assert members == {1: ["a", "b", "c", "d"], 2: ["e", "f", "g", "h"]}
    # Labelled by the most central concepts: d holds the bridge (3 papers), then a, b, c.
    assert found[0].label == "D · A · B"
    assert found[0].top_concepts[0] == "concept:d"
    assert found[1].top_concepts[0] == "concept:e"


def test_structure_bridge_concepts_have_the_highest_betweenness(bridged):
    ranked = central_concepts(bridged, by="betweenness", limit=None)
    assert [c.label for c in ranked[:2]] == ["D", "E"]
    # d–e lies on every shortest path between the cliques: 3 × 3 pairs through d, plus
    # the 3 pairs (x, e): 12 of the 21 pairs of others, normalised by (n-1)(n-2)/2 = 21.
    assert ranked[0].betweenness == pytest.approx(12 / 21)
    assert all(c.betweenness == 0.0 for c in ranked[2:])


def test_structure_degrees_and_pagerank(bridged):
    d = bridged.nodes["concept:d"]
    assert (d["links"], d["link_strength"]) == (4, 2 * 3 + 1)  # a, b, c twice; e once
    a = bridged.nodes["concept:a"]
    assert (a["links"], a["link_strength"]) == (3, 6)
    top = central_concepts(bridged, by="pagerank", limit=2)
    assert [c.label for c in top] == ["D", "E"]
    assert [c.label for c in central_concepts(bridged, by="papers", limit=2)] == ["D", "E"]
    assert [c.label for c in central_concepts(bridged, by="degree", type="TASK", limit=1)] == ["E"]
    total = sum(d["pagerank"] for _, d in bridged.nodes(data=True) if d["kind"] == "concept")
    assert total == pytest.approx(1.0)


def test_structure_pagerank_matches_networkx():
    G = nx.les_miserables_graph()
    order = sorted(G)
    index = {n: i for i, n in enumerate(order)}
    adjacency = [sorted((index[m], float(G[n][m]["weight"])) for m in G[n]) for n in order]
    ours = pagerank(adjacency, tol=1e-10, max_iter=500)
    # networkx's pure-Python PageRank (its default needs scipy, which paperkg does not).
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    theirs = _pagerank_python(G, weight="weight", tol=1e-10, max_iter=500)
    assert max(abs(ours[index[n]] - theirs[n]) for n in order) < 1e-8


def test_structure_papers_take_the_community_of_most_of_their_concepts(bridged):
    nodes = bridged.nodes
    assert [nodes[f"paper:{p}"]["community"] for p in ("p1", "p2", "p3", "p4")] == [1, 1, 2, 2]
    # p5 has one concept in each: tie on count; d (3 papers) and e (3 papers) tie too,
    # so the smaller id wins.
    assert nodes["paper:p5"]["community"] == 1
    assert nodes["paper:lone"]["community"] == NO_COMMUNITY
    assert nodes["paper:p5"]["pagerank"] > nodes["paper:lone"]["pagerank"] > 0


def test_structure_tie_broken_by_paper_count():
    # x is in 3 papers and belongs with the first clique; y (1 paper) with the second.
    G = annotate_structure(_graph({
        "p1": "abcx", "p2": "abcx", "p3": "abcx", "p4": "efgy", "p5": "efgy", "mix": "xy",
    }))
    cx, cy = G.nodes["concept:x"]["community"], G.nodes["concept:y"]["community"]
    assert cx != cy
    assert G.nodes["paper:mix"]["community"] == cx


def test_structure_graph_summary_and_params(bridged):
    assert bridged.graph["structure"]["algorithm"] == "louvain"
    assert bridged.graph["structure"]["betweenness_sample"] == 0
    assert 0.3 < bridged.graph["structure"]["modularity"] < 0.5
    first = bridged.graph["communities"][0]
    assert sorted(first) == ["id", "label", "papers", "size", "top_concepts", "top_papers"]
    assert first["top_papers"] == ("paper:p1", "paper:p2", "paper:p5")


def test_structure_resolution_splits_more():
    G = _graph(BRIDGED)
    coarse = annotate_structure(G.copy(), resolution=0.05)
    fine = annotate_structure(G.copy(), resolution=5.0)
    assert len(communities(coarse)) == 1
    assert len(communities(fine)) > 2
    with pytest.raises(ValueError):
        annotate_structure(G.copy(), resolution=0)


def test_structure_betweenness_is_sampled_above_the_limit():
    G = annotate_structure(_graph(BRIDGED), betweenness_exact=4, betweenness_sample=5)
    assert G.graph["structure"]["betweenness_sample"] == 5
    again = annotate_structure(_graph(BRIDGED), betweenness_exact=4, betweenness_sample=5)
    assert [d.get("betweenness") for _, d in sorted(G.nodes(data=True))] == [
        d.get("betweenness") for _, d in sorted(again.nodes(data=True))
    ]


def test_structure_community_detail_and_unknown_id(bridged):
    detail = community(bridged, "2")
    assert detail.community.id == 2
    assert [c.label for c in detail.concepts] == ["E", "F", "G", "H"]
    assert [p["paper"] for p in detail.papers] == ["paper:p3", "paper:p4"]
    for bad in (0, 3, "x"):
        with pytest.raises(InputError, match="communities are numbered 1–2"):
            community(bridged, bad)
    with pytest.raises(InputError, match="unknown centrality"):
        central_concepts(bridged, by="fame")


def test_structure_computed_on_demand_for_older_graphs():
    G = _graph(BRIDGED)
    assert not has_structure(G)
    assert len(communities(G)) == 2
    assert not has_structure(G)  # the caller's graph is left as it was
    assert has_structure(ensure_structure(G))


def test_structure_empty_and_conceptless_graphs():
    G = annotate_structure(_graph({"lone": ""}))
    assert communities(G) == []
    assert G.nodes["paper:lone"]["community"] == NO_COMMUNITY
    with pytest.raises(InputError, match="no concepts"):
        community(G, 1)


_SCRIPT = """
import json, random, sys
import networkx as nx
from paperkg.graph.structure import annotate_structure
rng = random.Random(7)
G = nx.DiGraph(schema=1)
concepts = [f"concept:c{i:02d} x" for i in range(60)]
for c in concepts:
    G.add_node(c, kind="concept", type="METHOD", label=c[8:], paper_count=0)
for p in range(120):
    group = p % 4
    picks = rng.sample(concepts[group * 15:(group + 1) * 15], 3) + rng.sample(concepts, 1)
    G.add_node(f"paper:{p}", kind="paper", label=str(p))
    G.add_edges_from((f"paper:{p}", c) for c in picks)
for c in concepts:
    G.nodes[c]["paper_count"] = G.in_degree(c)
annotate_structure(G, betweenness_exact=int(sys.argv[1]), betweenness_sample=20)
print(json.dumps([sorted(G.nodes(data=True)), G.graph["communities"], G.graph["structure"]],
                 sort_keys=True))
"""


@pytest.mark.parametrize("exact", [1000, 10])
def test_structure_identical_across_hash_seeds(exact):
    outs = []
    for hash_seed in ("0", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        run = subprocess.run([sys.executable, "-c", _SCRIPT, str(exact)], env=env,
                             capture_output=True, text=True, check=True)
        outs.append(run.stdout)
    assert outs[0] == outs[1]
    found = json.loads(outs[0])[1]
    assert 2 <= len(found) <= 8
