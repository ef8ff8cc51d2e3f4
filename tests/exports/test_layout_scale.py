"""The layout at scale (paperkg.exports.layout): bounded work, no drifting components,
discs that never overlap, the same coordinates every time."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from paperkg.exports import layout
from paperkg.exports.layout import _pack, community_positions, positions


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


def test_layout_above_layout_max_places_every_node_near_its_neighbours(monkeypatch):
    G = _grouped(2000, 400)
    monkeypatch.setattr(layout, "LAYOUT_MAX", 200)  # most of the core is anchored
    layout._CACHE.clear()
    pos = positions(G)
    assert set(pos) == set(G)
    layout._CACHE.clear()
    assert positions(G) == pos  # seeded: the same coordinates again
    # Each group keeps its own region: a paper is nearer its group's centre than others'.
    centre = {}
    for g in range(4):
        members = [f"concept:{c:05d}" for c in range(g * 100, (g + 1) * 100)]
        centre[g] = (sum(pos[c][0] for c in members) / 100, sum(pos[c][1] for c in members) / 100)
    papers = [f"paper:{p:05d}" for p in range(2000) if p % 10]
    nearest = [min(range(4), key=lambda g: math.dist(pos[p], centre[g])) for p in papers]
    hits = sum(g == int(p[6:]) % 4 for p, g in zip(papers, nearest))
    assert hits > 0.9 * len(papers)


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
    centres = _pack(radii)
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
