"""A seeded, deterministic force-directed layout shared by every visual export.

GEXF, the HTML map and the PNG overview place nodes with :func:`positions`, so the same
graph looks the same in Gephi, in the browser and in the picture. The layout is
Fruchterman & Reingold's force-directed placement (Software: Practice and Experience,
1991) as igraph implements it in C (:meth:`igraph.Graph.layout_fruchterman_reingold`):
exact repulsion up to :data:`GRID_ABOVE` nodes, above that repulsion from the nodes in
neighbouring grid cells only, so memory stays linear (no n × n matrix); and above
:data:`LAYOUT_MAX` core nodes only that many best-connected nodes are simulated, every
other one set, breadth first, at the centre of its neighbours already placed, so the time
stays bounded as the graph grows (a multilevel scheme of two levels). It starts from
seeded random positions over the nodes in sorted order, igraph's random numbers come from
a generator seeded with the same seed, and the result is centred, scaled to
``[-scale, scale]`` and rounded, so the coordinates are byte-stable across runs.

The graph is never copied: :func:`positions` reads its nodes (in sorted order; a node's
index is its rank) and its edges into integer arrays and hands them to
:func:`positions_from_edges`, which works on those arrays alone. Edges are undirected
pairs ``a < b``, sorted, a repeated pair (both directions of a directed graph, parallel
edges) merged into one whose weight is their sum, self-loops dropped; neighbours are read
from a compressed sparse row adjacency (``indptr``, ``indices``); these arrays and the
questions asked of them (components, leaves, twins) come from
:mod:`paperkg.exports.graph_arrays`. Memory beyond the graph is a few numpy arrays of
nodes + edges.

Leaves (degree-1 nodes: most concepts appear in one paper) are left out of the simulation
and set around the node they hang from, and so are twins (nodes with the same neighbours
and joined to each other: the concepts of a single paper in the co-occurrence graph):
a few in a ring, many in a sunflower disc (Vogel's spiral), so a hub with thousands of
leaves gets a filled disc rather than a huge circle. This keeps the simulation to the
graph's core, whose connected components are each laid out alone, in discs of their own.

:func:`community_positions` gives each community its own disc and lays each out alone,
so its cost is the sum of its communities' costs.

Examples
--------
>>> import networkx as nx
>>> G = nx.path_graph(["a", "b", "c"])
>>> pos = positions(G)
>>> pos == positions(G)
True
>>> sorted(pos), max(abs(v) for xy in pos.values() for v in xy)
(['a', 'b', 'c'], 1000.0)
>>> pos == positions_from_edges(["a", "b", "c"], [0, 1], [1, 2])
True
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike

from paperkg.exports.graph_arrays import (
    NONE, canonical, csr, edge_arrays, labels, leaves, ranges, shared_pairs, twins,
)
from paperkg.exports.pack import pack

__all__ = [
    "GRID_ABOVE", "LAYOUT_MAX", "SEED", "LayoutPlan", "community_positions", "plan_positions",
    "positions", "positions_from_edges",
]

#: The layout's random seed; change it and every export moves.
SEED = 42
#: Above this many core nodes, repulsion acts between nodes of neighbouring grid cells
#: only (igraph's grid variant): linear time per iteration instead of quadratic.
GRID_ABOVE = 1000
#: Most core nodes the force layout moves: a larger core lays out its this many
#: best-connected nodes (the backbone) and places every other node at the centre of its
#: already placed neighbours (:func:`_anchored`), so the cost stays bounded above it.
LAYOUT_MAX = 10_000
#: Most backbone neighbours through which one node outside the backbone joins them
#: (:func:`_anchored`): a paper's concepts, all of them in a paper–concept graph.
SHARED_MAX = 16
#: Hangers (leaves, twins) of one node set in a ring up to this many; more fill a disc.
RING_MAX = 12
#: The pull of an edge of weight 0 (igraph's force layout takes positive weights only).
_LEAST_PULL = 1e-9
_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))


def _turns(nodes: Sequence) -> np.ndarray:
    """An angle per node that depends on its id only, so that rings and offsets of
    neighbouring nodes do not all line up."""
    degrees = [sum(map(ord, str(node))) % 360 for node in nodes]
    return np.array(degrees, np.float64) * (math.pi / 180)


def _force(
    n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, seed: int, max_iter: int
) -> tuple[np.ndarray, np.ndarray]:
    """Fruchterman–Reingold (igraph) on nodes ``0..n-1`` and edges ``(a, b, w)``, from
    seeded random positions.

    igraph draws its random numbers from a generator seeded with ``seed`` for this call
    only (then igraph's default, Python's :mod:`random`, is restored).
    """
    import igraph

    # Shared papers pull harder, but by their logarithm: a pair of hubs sharing hundreds
    # of papers would otherwise collapse onto each other and drag the map with them.
    # A weight of 0 (allowed: "no pull") is the smallest pull igraph accepts, as it
    # refuses weights that are not positive.
    weights = np.where(w >= 1, 1.0 + np.log(np.maximum(w, 1.0)), np.maximum(w, _LEAST_PULL))
    rng = random.Random(seed)
    side = math.sqrt(n)
    start = [[rng.uniform(-side, side), rng.uniform(-side, side)] for _ in range(n)]
    # One constructor call with an (m, 2) array: igraph reads it row by row, with no list
    # of Python pairs; repeated add_edges calls would re-index the graph each time.
    g = igraph.Graph(n=n, edges=np.column_stack((a, b)))
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = g.layout_fruchterman_reingold(
            weights=weights, niter=max_iter, seed=start, grid=n > GRID_ABOVE
        )
    finally:
        igraph.set_random_number_generator(random)
    xy = np.array(found.coords, np.float64).reshape(n, 2)
    return xy[:, 0].copy(), xy[:, 1].copy()


def _anchored(
    n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, turn: np.ndarray, seed: int,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The force layout of the :data:`LAYOUT_MAX` best-connected nodes of a connected
    graph (degree, then index; joined by their links and by the nodes outside they
    share), then every other node, breadth first from them, ring by ring, at the mean of
    its neighbours in the rings before it, turned off it by a small offset in the
    direction ``turn`` (an angle per node); nodes out of the backbone's reach fill a
    sunflower disc beside it. O(nodes + edges) beyond the backbone."""
    indptr, indices = csr(n, a, b)
    deg = np.diff(indptr)
    top = np.sort(np.lexsort((np.arange(n), -deg))[:LAYOUT_MAX])
    rank = np.full(n, NONE, np.int64)
    rank[top] = np.arange(len(top))
    # Two backbone nodes are also joined through each node outside it that they share
    # (in a paper–concept graph: concepts through their papers), so the backbone keeps
    # the graph's shape even when its own nodes are never adjacent.
    rows = np.repeat(np.arange(n), deg)
    out = (rank[rows] < 0) & (rank[indices] >= 0)
    rows, cols = rows[out], indices[out]
    del out
    # A node outside joins at most SHARED_MAX of its backbone neighbours (the best
    # connected), else a dense graph (co-occurrence) would add k(k-1)/2 pairs per node.
    order = np.lexsort((cols, -deg[cols], rows))
    rows, cols = rows[order], cols[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else rows
    within = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = within < SHARED_MAX
    rows, cols = rows[keep], cols[keep]
    order = np.lexsort((cols, rows))  # ascending within each row, as shared_pairs wants
    shared = shared_pairs(rows[order], rank[cols[order]], len(top))
    del rows, cols, order, within, keep
    shared.sort()  # in place: the largest array here, never copied
    first = np.flatnonzero(np.r_[True, shared[1:] != shared[:-1]]) if len(shared) else shared
    count = np.diff(np.r_[first, len(shared)]).astype(np.float64)
    shared = shared[first]
    inside = (rank[a] >= 0) & (rank[b] >= 0)
    links = rank[a[inside]] * len(top) + rank[b[inside]]  # ascending, as (a, b) are
    pairs = np.union1d(shared, links)
    pull = np.zeros(len(pairs))
    pull[np.searchsorted(pairs, shared)] = count
    pull[np.searchsorted(pairs, links)] += w[inside]
    x, y = np.full(n, np.nan), np.full(n, np.nan)
    x[top], y[top] = _force(len(top), pairs // len(top), pairs % len(top), pull, seed, max_iter)
    span = max(np.ptp(x[top]), np.ptp(y[top])) or 1.0
    offset = span / math.sqrt(len(top)) / 2  # about half the space between nodes
    placed = np.zeros(n, bool)
    placed[top] = True
    ring = top
    while len(ring):
        spots = ranges(indptr[ring], deg[ring])
        near = indices[spots]
        ring = np.unique(near[~placed[near]])
        spots = ranges(indptr[ring], deg[ring])
        near, row = indices[spots], np.repeat(np.arange(len(ring)), deg[ring])
        seen = placed[near]
        row, near = row[seen], near[seen]
        count = np.bincount(row, minlength=len(ring))
        x[ring] = np.bincount(row, x[near], len(ring)) / count + offset * np.cos(turn[ring])
        y[ring] = np.bincount(row, y[near], len(ring)) / count + offset * np.sin(turn[ring])
        placed[ring] = True
    rest = np.flatnonzero(~placed)
    k = np.arange(len(rest))
    r = offset * np.sqrt(k + 0.5)
    x[rest] = np.nanmax(x) + offset * math.sqrt(len(rest)) + r * np.cos(k * _GOLDEN)
    y[rest] = (np.nanmax(y) + np.nanmin(y)) / 2 + r * np.sin(k * _GOLDEN)
    return x, y


def _components(
    turn: np.ndarray, core: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray,
    seed: int, max_iter: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each connected component of the ``core`` nodes (edges ``(a, b, w)`` among them)
    laid out alone, in a disc whose area grows with its nodes; the discs packed as
    communities are (:func:`~paperkg.exports.pack.pack`). Returns ``(x, y)`` over all
    nodes (set on the core).

    A component is laid out by :func:`_force` (by :func:`_anchored` above
    :data:`LAYOUT_MAX` nodes), centred, and scaled so that 90% of its nodes fall in its
    disc; the farthest few are drawn in to just outside it. Small components thus never
    drift away and shrink the rest of the picture to a dot. ``turn``: each node's angle
    (:func:`_turns`).
    """
    n = len(turn)
    label = labels(n, a, b)
    by_part = np.lexsort((core, label[core]))  # by component, then index
    members = core[by_part]
    names, starts, sizes = np.unique(label[members], return_index=True, return_counts=True)
    parts = np.lexsort((names, -sizes))  # largest first, then by smallest index
    by_edge = np.argsort(label[a], kind="stable")
    a, b, w = a[by_edge], b[by_edge], w[by_edge]
    edge_label = label[a]
    radii = np.sqrt(sizes[parts])
    x, y = np.zeros(n), np.zeros(n)
    local = np.zeros(n, np.int64)
    for p, (cx, cy), r in zip(parts.tolist(), pack(radii.tolist()), radii.tolist()):
        part = members[starts[p]:starts[p] + sizes[p]]
        if len(part) == 1:
            x[part], y[part] = cx, cy
            continue
        local[part] = np.arange(len(part))
        lo, hi = np.searchsorted(edge_label, [names[p], names[p] + 1])
        la, lb, lw = local[a[lo:hi]], local[b[lo:hi]], w[lo:hi]
        if len(part) > LAYOUT_MAX:
            fx, fy = _anchored(len(part), la, lb, lw, turn[part], seed, max_iter)
        else:
            fx, fy = _force(len(part), la, lb, lw, seed, max_iter)
        fx, fy = fx - fx.mean(), fy - fy.mean()
        dist = np.hypot(fx, fy)
        ranked = np.sort(dist)
        reach = ranked[int(0.9 * (len(ranked) - 1))] or ranked[-1] or 1.0
        d = dist / reach  # 1 at the disc's edge
        f = np.ones_like(d)
        far = d > 1
        f[far] = (1.0 + 0.1 * (1.0 - 1.0 / d[far])) / d[far]  # outliers: within 1.1
        x[part], y[part] = cx + r * f * fx / reach, cy + r * f * fy / reach
    return x, y


def _hang(
    turns: np.ndarray, x: np.ndarray, y: np.ndarray, anchor_of: np.ndarray, size: float,
    span: float,
) -> None:
    """Set each hanger (``anchor_of[k] != NONE``) around its anchor in ``x``, ``y``: a
    ring of up to :data:`RING_MAX`, else a sunflower disc whose area grows with their
    number; each anchor's hangers in index order."""
    hanger = np.flatnonzero(anchor_of != NONE)
    anchor = anchor_of[hanger]
    order = np.lexsort((hanger, anchor))
    hanger, anchor = hanger[order], anchor[order]
    anchors, starts, counts = np.unique(anchor, return_index=True, return_counts=True)
    group = np.repeat(counts, counts).astype(np.float64)
    k = np.arange(len(hanger)) - np.repeat(starts, counts)
    radius = size * span * (0.015 + 0.004 * np.sqrt(group))
    turn = np.repeat(turns[anchors], counts)  # rings do not all line up
    ring = group <= RING_MAX
    angle = np.where(ring, turn + 2 * np.pi * k / group, turn + k * _GOLDEN)
    r = np.where(ring, radius, radius * np.sqrt((k + 1) / group))
    x[hanger] = x[anchor] + r * np.cos(angle)
    y[hanger] = y[anchor] + r * np.sin(angle)


def _layout(
    turn: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray, seed: int, max_iter: int
) -> tuple[np.ndarray, np.ndarray]:
    """The force layout of the core of the graph (a node per angle of ``turn``); leaves
    and twins are then set around the node they hang from or repeat (:func:`_hang`)."""
    indptr, indices = csr(len(turn), a, b)
    leaf_of = leaves(indptr, indices)
    twin_of = twins(indptr, indices, leaf_of != NONE)
    del indptr, indices
    in_core = (leaf_of == NONE) & (twin_of == NONE)
    keep = in_core[a] & in_core[b]
    x, y = _components(turn, np.flatnonzero(in_core), a[keep], b[keep], w[keep], seed, max_iter)
    span = max(np.ptp(x[in_core]), np.ptp(y[in_core])) or 1.0
    # Twins first (tightly), then leaves (wider): a leaf may hang from a twin.
    _hang(turn, x, y, twin_of, 0.6, span)
    _hang(turn, x, y, leaf_of, 1.0, span)
    return x, y


#: Layouts already computed in this process: one build lays out the same graph for
#: several exports (GEXF, HTML, VOSviewer). Keyed by a digest of the nodes, edges and
#: parameters.
_CACHE: dict[str, dict] = {}
_CACHE_SIZE = 4


def _digest(nodes: list, arrays: Sequence[np.ndarray], params: tuple) -> str:
    """SHA-256 of the node ids, the arrays' bytes and the layout's parameters."""
    h = hashlib.sha256()
    h.update("\0".join(map(repr, nodes)).encode("utf-8", "surrogatepass"))
    for array in arrays:
        h.update(b"\0")
        h.update(np.ascontiguousarray(array).tobytes())
    h.update(repr((*params, LAYOUT_MAX, GRID_ABOVE, RING_MAX)).encode())
    return h.hexdigest()


def _remembered(key: str, compute: Callable[[], dict]) -> dict:
    """A copy of the layout cached under ``key``, computed (and cached) if it is not."""
    if key not in _CACHE:
        _store(key, compute())
    return dict(_CACHE[key])


def _store(key: str, layout: dict) -> None:
    if key not in _CACHE and len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = layout


def _key(nodes: Sequence, a: ArrayLike, b: ArrayLike, w: ArrayLike | None, seed: int,
         scale: float, max_iter: int) -> tuple[list, np.ndarray, np.ndarray, np.ndarray, str]:
    """The canonical arrays of a graph (:func:`canonical`) and its layout's cache key."""
    nodes, a, b, w = canonical(nodes, a, b, w)
    return nodes, a, b, w, _digest(nodes, (a, b, w), ("positions", seed, scale, max_iter))


def _placed(
    nodes: list, a: np.ndarray, b: np.ndarray, w: np.ndarray, seed: int, scale: float,
    max_iter: int,
) -> dict[Hashable, tuple[float, float]]:
    """The layout of a canonical graph (:func:`canonical`), centred, scaled and rounded."""
    return _finished(nodes, _centred(_turns(nodes), a, b, w, seed, max_iter), scale)


def _centred(
    turn: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray, seed: int, max_iter: int
) -> tuple[np.ndarray, np.ndarray]:
    """The force layout of a canonical graph of ``len(turn)`` nodes, centred: numbers in,
    numbers out (:class:`LayoutPlan` runs it in another process)."""
    if len(turn) <= 1:
        return np.zeros(len(turn)), np.zeros(len(turn))
    x, y = _layout(turn, a, b, w, seed, max_iter)
    return x - x.mean(), y - y.mean()


def _finished(
    nodes: list, xy: tuple[np.ndarray, np.ndarray], scale: float
) -> dict[Hashable, tuple[float, float]]:
    """``{node: (x, y)}`` of a centred layout, scaled and rounded (:func:`_rounded`)."""
    if len(nodes) <= 1:
        return {n: (0.0, 0.0) for n in nodes}
    return _rounded(nodes, *xy, scale)


def _rounded(nodes: list, x: np.ndarray, y: np.ndarray, scale: float) -> dict:
    """``{node: (x, y)}`` scaled so that the largest absolute coordinate is ``scale``,
    rounded to 2 decimals."""
    span = max(np.abs(x).max(), np.abs(y).max()) or 1.0
    # "+ 0.0" turns -0.0 into 0.0, so the text form never flips sign between runs.
    xs = (np.round(x * (scale / span), 2) + 0.0).tolist()
    ys = (np.round(y * (scale / span), 2) + 0.0).tolist()
    return dict(zip(nodes, zip(xs, ys)))


def positions_from_edges(
    nodes: Sequence[Hashable],
    a: ArrayLike,
    b: ArrayLike,
    w: ArrayLike | None = None,
    *,
    seed: int = SEED,
    scale: float = 1000.0,
    max_iter: int = 500,
) -> dict[Hashable, tuple[float, float]]:
    """Return ``{node: (x, y)}`` for the graph of ``nodes`` and the edges ``(a[k], b[k])``.

    The array form of :func:`positions`, for callers that hold edges as arrays (the
    co-occurrence counts): the same graph gives the same coordinates either way.

    Parameters
    ----------
    nodes
        Distinct, sortable node ids, in any order.
    a, b
        Integer arrays (or sequences): edge ``k`` joins ``nodes[a[k]]`` and
        ``nodes[b[k]]``. Direction is ignored; a repeated pair is one edge with the sum
        of the weights; self-loops are dropped.
    w
        Edge weights (finite, not negative; default 1): an edge pulls by ``1 + log(w)``.
    seed, scale, max_iter
        As for :func:`positions`.

    Returns
    -------
    dict
        Coordinates rounded to 2 decimals, centred on the origin, keyed in sorted order.

    Raises
    ------
    InputError
        Arrays of unequal lengths, an index out of range, a node id given twice, or a
        negative or non-finite weight.
    """
    nodes, a, b, w, key = _key(nodes, a, b, w, seed, scale, max_iter)
    return _remembered(key, lambda: _placed(nodes, a, b, w, seed, scale, max_iter))


@dataclass(frozen=True)
class LayoutPlan:
    """:func:`positions` of a graph in three steps, so that the long middle one can run in
    another process (a build lays its map out beside its other work).

    :func:`plan_positions` has read the graph into arrays. :attr:`work` lays them out: a
    picklable function of those arrays alone, which touches no object of the graph (a
    spawned process runs it with a copy of the arrays, not of the graph), returning the
    centred coordinates. :meth:`keep` takes them back and makes them this process's
    positions of the graph: the next :func:`positions` call with the same graph and
    parameters returns them without laying out, the same coordinates it would compute.
    """

    key: str
    nodes: list
    scale: float
    work: Callable[[], tuple[np.ndarray, np.ndarray]]

    def keep(self, xy: tuple[np.ndarray, np.ndarray]) -> None:
        """Remember ``xy``, what :attr:`work` returned, as the positions of the graph."""
        x, y = xy
        if len(x) != len(self.nodes) or len(y) != len(self.nodes):
            raise ValueError("the layout does not cover exactly the nodes of the graph")
        _store(self.key, _finished(self.nodes, (x, y), self.scale))


def plan_positions(
    G: nx.Graph,
    *,
    seed: int = SEED,
    weight: str | None = None,
    scale: float = 1000.0,
    max_iter: int = 500,
) -> LayoutPlan:
    """Read ``G`` for :func:`positions` with these parameters; lay out later, anywhere
    (:class:`LayoutPlan`)."""
    nodes, a, b, w = edge_arrays(G, weight)
    nodes, a, b, w, key = _key(nodes, a, b, w, seed, scale, max_iter)
    return LayoutPlan(key, nodes, scale, partial(_centred, _turns(nodes), a, b, w, seed, max_iter))


def positions(
    G: nx.Graph,
    *,
    seed: int = SEED,
    weight: str | None = None,
    scale: float = 1000.0,
    max_iter: int = 500,
) -> dict[Hashable, tuple[float, float]]:
    """Return ``{node: (x, y)}`` for every node of ``G``, deterministic for a given seed.

    Above :data:`LAYOUT_MAX` core nodes, only the best-connected ones are simulated and
    the others placed beside their neighbours (:func:`_anchored`), so time and memory
    grow linearly with nodes + edges. ``G`` is read into arrays, never copied
    (:func:`positions_from_edges`).

    Parameters
    ----------
    G
        Any networkx graph with sortable node ids; edge direction is ignored, and both
        directions of a pair (or parallel edges) are one edge with the sum of weights.
    seed
        Seed of the initial random positions and of igraph's random numbers.
    weight
        Edge attribute that pulls harder (e.g. ``"weight"`` in the co-occurrence graph),
        by ``1 + log(weight)``.
    scale
        The largest absolute coordinate after centring.
    max_iter
        Fruchterman–Reingold iterations.

    Returns
    -------
    dict
        Coordinates rounded to 2 decimals, centred on the origin.
    """
    nodes, a, b, w = edge_arrays(G, weight)
    return positions_from_edges(nodes, a, b, w, seed=seed, scale=scale, max_iter=max_iter)


def community_positions(
    C: nx.Graph,
    *,
    community: str = "community",
    weight: str | None = "weight",
    seed: int = SEED,
    scale: float = 1000.0,
) -> dict[Hashable, tuple[float, float]]:
    """Positions that keep communities apart: one disc per community, a layout inside each.

    Each community (the node attribute ``community``) gets a disc whose area grows with
    its number of nodes; discs are packed largest first around the origin
    (:func:`~paperkg.exports.pack.pack`), so the biggest communities sit in the middle and no two discs overlap. Inside its disc,
    a community is laid out by :func:`positions_from_edges` on its own nodes and the edges
    among them (the force layout of the community alone, so the cost is the sum of the
    communities' costs). Coordinates are centred, scaled to ``[-scale, scale]`` and rounded.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from("abc", community=1)
    >>> G.add_nodes_from("xyz", community=2)
    >>> G.add_edges_from([("a", "b"), ("b", "c"), ("x", "y"), ("y", "z"), ("c", "x")])
    >>> pos = community_positions(G)
    >>> pos == community_positions(G), len(pos)
    (True, 6)
    >>> def box(ns):
    ...     xs, ys = [pos[n][0] for n in ns], [pos[n][1] for n in ns]
    ...     return min(xs), max(xs), min(ys), max(ys)
    >>> (ax0, ax1, ay0, ay1), (bx0, bx1, by0, by1) = box("abc"), box("xyz")
    >>> ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0  # the two groups do not overlap
    True
    """
    nodes, a, b, w = edge_arrays(C, weight)
    groups: dict[object, list[int]] = {}
    for k, n in enumerate(nodes):
        groups.setdefault(C.nodes[n].get(community, 0), []).append(k)
    order = sorted(groups, key=lambda g: (-len(groups[g]), str(g)))
    of = np.empty(len(nodes), np.int64)  # each node's community, by rank
    for rank, g in enumerate(order):
        of[groups[g]] = rank
    key = _digest(nodes, (a, b, w, of), ("communities", seed, scale))
    return _remembered(key, lambda: _community_layout(nodes, a, b, w, of, seed, scale))


def _community_layout(
    nodes: list, a: np.ndarray, b: np.ndarray, w: np.ndarray, of: np.ndarray, seed: int,
    scale: float,
) -> dict[Hashable, tuple[float, float]]:
    """:func:`community_positions` of sorted ``nodes``, edges ``(a, b, w)`` and the
    community rank of each node ``of`` (0 the largest)."""
    if not nodes:
        return {}
    sizes = np.bincount(of)
    members = np.argsort(of, kind="stable")  # by community, then index
    starts = np.r_[0, np.cumsum(sizes)]
    within = of[a] == of[b]
    by_group = np.argsort(of[a[within]], kind="stable")
    a, b, w = a[within][by_group], b[within][by_group], w[within][by_group]
    bounds = np.searchsorted(of[a], np.arange(len(sizes) + 1))
    radii = np.sqrt(sizes).tolist()
    x, y = np.zeros(len(nodes)), np.zeros(len(nodes))
    local = np.zeros(len(nodes), np.int64)
    for rank, ((cx, cy), r) in enumerate(zip(pack(radii), radii)):
        part = members[starts[rank]:starts[rank + 1]]
        local[part] = np.arange(len(part))
        lo, hi = bounds[rank], bounds[rank + 1]
        inner = _placed(*canonical([nodes[k] for k in part.tolist()], local[a[lo:hi]],
                                   local[b[lo:hi]], w[lo:hi]), seed, 0.8 * r, 500)
        xy = np.array(list(inner.values()), np.float64).reshape(-1, 2)  # in part's order
        x[part], y[part] = cx + xy[:, 0], cy + xy[:, 1]
    x, y = x - (x.max() + x.min()) / 2, y - (y.max() + y.min()) / 2
    return _rounded(nodes, x, y, scale)
