"""The layout at scale (paperkg.exports.layout): bounded work, no drifting components,
discs that never overlap, the same coordinates every time."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pytest

from paperkg.errors import InputError
from paperkg.exports import graph_arrays, layout
from paperkg.exports.layout import community_positions, positions, positions_from_edges
from paperkg.exports.pack import pack


def _grouped(papers: int, concepts: int, groups: int = 4, seed: int = 3) -> nx.Graph:
    """A paper–concept-like graph of planted groups: each paper mentions three concepts of
    its group and, one time in ten, one of another group."""
    rng = random.Random(seed)
    G = nx.Graph()
    size = concepts // groups
    for p in range(papers):
        g = p % groups
        picks = rng.sample(range(g * size, (g + 1) * size), 3)
        if p % 10 == 0:
            picks.append(rng.randrange(concepts))
        G.add_edges_from((f"paper:{p:05d}", f"concept:{c:05d}") for c in picks)
    return G


def _share_near_own_group(pos) -> float:
    """The share of the grouped graph's single-group papers nearer their group's centre
    than any other group's (1.0: each group keeps its own region)."""
    centre = {}
    for g in range(4):
        members = [f"concept:{c:05d}" for c in range(g * 100, (g + 1) * 100)]
        centre[g] = (sum(pos[c][0] for c in members) / 100, sum(pos[c][1] for c in members) / 100)
    papers = [f"paper:{p:05d}" for p in range(2000) if p % 10]
    nearest = [min(range(4), key=lambda g: math.dist(pos[p], centre[g])) for p in papers]
    return sum(g == int(p[6:]) % 4 for p, g in zip(papers, nearest)) / len(papers)


def test_layout_above_layout_max_places_every_node_near_its_neighbours(monkeypatch):
    G = _grouped(2000, 400)
    monkeypatch.setattr(layout, "LAYOUT_MAX", 200)  # most of the core is anchored
    layout._CACHE.clear()
    pos = positions(G)
    assert set(pos) == set(G)
    layout._CACHE.clear()
    assert positions(G) == pos  # seeded: the same coordinates again
    # Each group keeps its own region: a paper is nearer its group's centre than others'.
    assert _share_near_own_group(pos) > 0.9


def test_layout_small_components_do_not_shrink_the_map():
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=1)
    G = nx.relabel_nodes(G, {n: f"n{n:04d}" for n in G})
    G.add_edges_from([("x1", "x2"), ("y1", "y2"), ("y2", "y3"), ("y3", "y1")])
    G.add_node("lonely")
    pos = positions(G)
    big = [n for n in G if n.startswith("n")]
    xs = [pos[n][0] for n in big]
    ys = [pos[n][1] for n in big]
    # The main component fills most of the picture, the small ones sit beside it.
    assert max(max(xs) - min(xs), max(ys) - min(ys)) > 1000
    assert all(abs(v) <= 1000.0 for xy in pos.values() for v in xy)


@pytest.mark.parametrize("count", [3, 70, 500])
def test_pack_discs_never_overlap(count):
    rng = random.Random(count)
    radii = sorted((math.sqrt(rng.randint(1, 400)) for _ in range(count)), reverse=True)
    centres = pack(radii)
    assert len(centres) == count
    for a in range(count):
        for b in range(a + 1, count):
            gap = math.dist(centres[a], centres[b]) - (radii[a] + radii[b])
            assert gap > 0, (a, b)


def test_community_positions_with_many_small_communities():
    """Hundreds of communities (the tail of a large graph) are packed in linear time,
    each in its own region."""
    G = nx.Graph()
    for k in range(300):
        size = 30 if k < 5 else 1 + k % 4
        members = [f"c{k:03d}-{i:02d}" for i in range(size)]
        G.add_nodes_from(members, community=k + 1)
        G.add_edges_from(zip(members, members[1:]))
    pos = community_positions(G)
    assert set(pos) == set(G) and pos == community_positions(G)
    centre = {}
    for n, (x, y) in pos.items():
        centre.setdefault(G.nodes[n]["community"], []).append((x, y))
    # Two small communities never share a spot.
    spots = {tuple(map(lambda v: round(v, 0), ps[0])) for ps in centre.values()}
    assert len(spots) == len(centre)


_FRESH = """
import sys
sys.path.insert(0, sys.argv[1])
from paperkg.exports import layout
from test_layout_scale import _grouped
layout.LAYOUT_MAX = 150
G = _grouped(600, 200)
G.add_edges_from([("x1", "x2"), ("y1", "y2")])
print(sorted(layout.positions(G).items()))
cliques = [[f"c{k:02d}-{i}" for i in range(2 + k % 5)] for k in range(40)]  # twins
nodes = sorted(n for c in cliques for n in c) + ["hub"]
at = {n: i for i, n in enumerate(nodes)}
pairs = [(at[u], at[v]) for c in cliques for u in c for v in c if u < v]
pairs += [(at["hub"], at[c[0]]) for c in cliques]
pairs += [(at[cliques[k][0]], at[cliques[k + 1][0]]) for k in range(39)]
a, b = zip(*pairs)
print(sorted(layout.positions_from_edges(nodes, a, b, [1 + i % 3 for i in range(len(a))]).items()))
"""


def test_anchored_layout_identical_across_hash_seeds():
    import os
    import subprocess
    import sys
    from pathlib import Path

    outs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", _FRESH, str(Path(__file__).parent)],
            capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
        outs.append(done.stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 1000


def _weighted(seed: int = 5) -> nx.Graph:
    """A small weighted graph with leaves, twins, a second component and isolated nodes."""
    rng = random.Random(seed)
    G = nx.connected_watts_strogatz_graph(120, 4, 0.2, seed=seed)
    G = nx.relabel_nodes(G, {n: f"n{n:03d}" for n in G})
    for u, v in G.edges:
        G.edges[u, v]["weight"] = rng.randint(1, 9)
    G.add_edges_from([("n000", f"leaf{i}") for i in range(20)], weight=1)  # a disc of leaves
    G.add_edges_from(nx.complete_graph(["t1", "t2", "t3", "n005"]).edges, weight=2)  # twins
    G.add_edges_from([("z1", "z2"), ("z2", "z3")], weight=1)  # a second component
    G.add_nodes_from(["lone1", "lone2"])
    return G


def test_positions_equals_positions_from_edges():
    G = _weighted()
    layout._CACHE.clear()
    pos = positions(G, weight="weight")
    nodes = list(G)  # insertion order: positions_from_edges sorts them itself
    at = {n: i for i, n in enumerate(nodes)}
    a = [at[u] for u, v in G.edges]
    b = [at[v] for u, v in G.edges]
    w = [G.edges[e]["weight"] for e in G.edges]
    layout._CACHE.clear()
    assert positions_from_edges(nodes, a, b, w) == pos
    layout._CACHE.clear()
    assert positions_from_edges(nodes, b, a, np.array(w, float)) == pos  # direction ignored
    assert list(pos) == sorted(G)
    assert positions(G) != pos  # the weights matter


def test_cooccurrence_gexf_places_concepts_where_the_map_does(small_graph, tmp_path):
    from paperkg.exports.gexf import read_gexf, write_cooccurrence_gexf, write_gexf

    layout._CACHE.clear()
    write_cooccurrence_gexf(small_graph, tmp_path / "c.gexf")
    layout._CACHE.clear()
    write_gexf(small_graph, tmp_path / "m.gexf")
    cooc = {n: d["viz"]["position"] for n, d in read_gexf(tmp_path / "c.gexf").nodes(data=True)}
    whole = {n: d["viz"]["position"] for n, d in read_gexf(tmp_path / "m.gexf").nodes(data=True)}
    layout._CACHE.clear()
    expected = positions(small_graph)
    assert cooc and cooc == {n: expected[n] for n in cooc}  # the same place in both files
    assert whole == expected


def test_a_planned_layout_run_elsewhere_is_what_positions_returns(small_graph):
    import pickle

    layout._CACHE.clear()
    computed = positions(small_graph)
    layout._CACHE.clear()
    plan = layout.plan_positions(small_graph)
    x, y = pickle.loads(pickle.dumps(plan.work))()  # as a spawned process gets and runs it
    plan.keep((x, y))
    assert positions(small_graph) == computed
    plan.keep((x + 1.0, y))  # no layout runs now: the kept one comes back
    shifted = positions(small_graph)
    assert shifted != computed and shifted == layout._finished(plan.nodes, (x + 1.0, y), plan.scale)
    with pytest.raises(ValueError, match="nodes"):
        plan.keep((x[1:], y[1:]))
    layout._CACHE.clear()


def test_digraph_both_directions_merge_their_weights():
    G = _weighted()
    D = nx.DiGraph()
    D.add_nodes_from(G)
    for k, (u, v, w) in enumerate(sorted(G.edges(data="weight"))):
        if k % 3 == 0 and w > 1:  # split into u -> v and v -> u, summing to w
            D.add_edge(u, v, weight=1)
            D.add_edge(v, u, weight=w - 1)
        else:
            D.add_edge(v, u, weight=w)
    layout._CACHE.clear()
    assert positions(D, weight="weight") == positions(G, weight="weight")
    layout._CACHE.clear()
    once = nx.DiGraph((u, v, {"weight": 1}) for u, v in D.edges if (v, u) not in D.edges or u < v)
    once.add_nodes_from(G)
    assert positions(once, weight="weight") != positions(D, weight="weight")


def test_self_loops_are_ignored():
    G = _weighted()
    layout._CACHE.clear()
    plain = positions(G, weight="weight")
    G.add_edge("n001", "n001", weight=50)
    G.add_edge("lone1", "lone1")
    layout._CACHE.clear()
    assert positions(G, weight="weight") == plain


def test_positions_of_tiny_and_isolated_graphs():
    assert positions(nx.Graph()) == {} == positions_from_edges([], [], [])
    assert positions(nx.path_graph(["only"])) == {"only": (0.0, 0.0)}
    G = nx.Graph()
    G.add_nodes_from(["b", "a", "c", "d"])  # no edges: four one-node components
    pos = positions(G)
    assert list(pos) == ["a", "b", "c", "d"]
    assert len(set(pos.values())) == 4
    assert max(abs(v) for xy in pos.values() for v in xy) == 1000.0
    G = _weighted()
    pos = positions(G)
    assert set(pos) == set(G) and len(set(pos.values())) == len(G)
    assert all(np.isfinite(v) and abs(v) <= 1000.0 for xy in pos.values() for v in xy)


def test_an_edge_of_weight_zero_is_laid_out():
    nodes = [f"n{i}" for i in range(6)]
    a, b = [0, 1, 2, 3, 4, 0], [1, 2, 3, 4, 5, 5]
    pos = positions_from_edges(nodes, a, b, [1.0, 0.0, 2.0, 0.0, 1.0, 3.0])
    assert set(pos) == set(nodes) and len(set(pos.values())) == len(nodes)
    assert all(np.isfinite(v) for xy in pos.values() for v in xy)


@pytest.mark.parametrize(
    ("nodes", "a", "b", "w", "message"),
    [
        (["a", "b"], [0], [2], None, "outside"),
        (["a", "b"], [0, 1], [1], None, "unequal"),
        (["a", "b", "a"], [0], [1], None, "twice"),
        (["a", "b"], [0], [1], [-1.0], "negative"),
        (["a", "b"], [0], [1], [float("nan")], "finite"),
    ],
)
def test_positions_from_edges_rejects_bad_arrays(nodes, a, b, w, message):
    with pytest.raises(InputError, match=message):
        positions_from_edges(nodes, a, b, w)


def test_layout_memory_is_arrays_not_graph_copies(monkeypatch):
    """Python-side memory of a layout grows by a few hundred bytes per node + edge (its
    arrays), not by a networkx copy of the graph (over a kilobyte per edge)."""
    import tracemalloc

    G = _grouped(20000, 2000)
    monkeypatch.setattr(layout, "LAYOUT_MAX", 100)  # the force layout itself stays tiny
    layout._CACHE.clear()
    positions(G)  # igraph imported, nothing else measured
    layout._CACHE.clear()
    tracemalloc.start()
    try:
        positions(G)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elements = len(G) + G.number_of_edges()
    assert peak < 300 * elements, peak / elements


def test_component_labels_match_networkx():
    G = nx.gnm_random_graph(3000, 2600, seed=7)  # hundreds of components, some long paths
    G.add_edges_from((k, k + 1) for k in range(2000, 2999))
    a, b = (np.array(e, np.int64) for e in zip(*G.edges))
    label = graph_arrays.labels(len(G), a, b)
    expected = {min(c): c for c in nx.connected_components(G)}
    assert {k: {n for n in G if label[n] == k} for k in set(label.tolist())} == expected


def test_community_positions_cached_as_a_whole():
    G = nx.Graph()
    for k in range(30):
        members = [f"c{k:02d}-{i}" for i in range(2 + k % 4)]
        G.add_nodes_from(members, community=k)
        G.add_edges_from(zip(members, members[1:]), weight=1 + k % 3)
    layout._CACHE.clear()
    pos = community_positions(G)
    assert len(layout._CACHE) == 1  # one entry, not one per community
    pos[next(iter(pos))] = (0.0, 0.0)  # the caller's copy, not the cache
    again = community_positions(G)
    layout._CACHE.clear()
    assert again == community_positions(G) != pos


def test_layout_of_a_dense_graph_joins_each_outside_node_through_its_best_neighbours(monkeypatch):
    # A co-occurrence-like graph: every node outside the backbone touches many backbone
    # nodes. With SHARED_MAX 2 each joins only its two best-connected ones, and the
    # planted groups still keep their own regions.
    G = _grouped(2000, 400)
    monkeypatch.setattr(layout, "LAYOUT_MAX", 200)
    monkeypatch.setattr(layout, "SHARED_MAX", 2)
    layout._CACHE.clear()
    pos = positions(G)
    assert set(pos) == set(G)
    layout._CACHE.clear()
    assert positions(G) == pos
    assert _share_near_own_group(pos) > 0.9
