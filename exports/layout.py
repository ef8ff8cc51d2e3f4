"""A seeded, deterministic force-directed layout shared by every visual export.

GEXF, the HTML map and the PNG overview place nodes with :func:`positions`, so the same
graph looks the same in Gephi, in the browser and in the picture. The layout is
Fruchterman & Reingold's force-directed placement (Software: Practice and Experience,
1991) as igraph implements it in C (:meth:`igraph.Graph.layout_fruchterman_reingold`):
exact repulsion up to :data:`GRID_ABOVE` nodes, above that repulsion from the nodes in
neighbouring grid cells only, so memory stays linear (no n × n matrix); and above
:data:`LAYOUT_MAX` core nodes only that many best-connected nodes are simulated, every
other one set at the centre of its neighbours, so the time stays bounded as the graph
grows (a multilevel scheme of two levels). It starts from
seeded random positions over the nodes in sorted order, igraph's random numbers come from
a generator seeded with the same seed, and the result is centred, scaled to
``[-scale, scale]`` and rounded, so the coordinates are byte-stable across runs.

Leaves (degree-1 nodes: most concepts appear in one paper) are left out of the simulation
and set around the node they hang from, and so are twins (nodes with the same neighbours
and joined to each other: the concepts of a single paper in the co-occurrence graph):
a few in a ring, many in a sunflower disc (Vogel's spiral), so a hub with thousands of
leaves gets a filled disc rather than a huge circle. This keeps the simulation to the
graph's core.

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
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import deque

import networkx as nx
import numpy as np

__all__ = ["GRID_ABOVE", "LAYOUT_MAX", "PACK_EXACT", "SEED", "community_positions", "positions"]

#: The layout's random seed; change it and every export moves.
SEED = 42
#: Above this many core nodes, repulsion acts between nodes of neighbouring grid cells
#: only (igraph's grid variant): linear time per iteration instead of quadratic.
GRID_ABOVE = 1000
#: Most core nodes the force layout moves: a larger core lays out its this many
#: best-connected nodes (the backbone) and places every other node at the centre of its
#: already placed neighbours (:func:`_anchored`), so the cost stays bounded above it.
LAYOUT_MAX = 10_000
#: Hangers (leaves, twins) of one node set in a ring up to this many; more fill a disc.
RING_MAX = 12
#: Communities packed on the spiral by :func:`community_positions` (largest first); the
#: smaller ones are set on rings around them, so packing stays linear in communities.
PACK_EXACT = 64
_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))


def _canonical(G: nx.Graph, weight: str | None) -> nx.Graph:
    """Return an undirected copy of ``G`` with nodes and edges inserted in sorted order."""
    U = nx.Graph()
    U.add_nodes_from(sorted(G))
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))):
        w = float(d.get(weight, 1)) if weight else 1.0
        if U.has_edge(u, v):
            U.edges[u, v]["w"] += w
        else:
            U.add_edge(u, v, w=w)
    return U


def _leaves(U: nx.Graph) -> dict[str, str]:
    """Map each leaf (a degree-1 node) to the node it hangs from.

    Of an isolated pair, the smaller id stays in the core and the other hangs from it.
    """
    out = {}
    for n in U:
        if U.degree(n) == 1:
            (anchor,) = U[n]
            if U.degree(anchor) > 1 or anchor < n:
                out[n] = anchor
    return out


def _twins(U: nx.Graph, skip: dict[str, str]) -> dict[str, str]:
    """Map each node whose closed neighbourhood equals an earlier node's to that node.

    In the co-occurrence graph every concept mentioned by one paper only is joined to
    exactly that paper's other concepts: all of them are such twins, and they would sit
    on top of each other anyway. Nodes in ``skip`` (leaves) are not considered.
    """
    first: dict[frozenset, str] = {}
    out = {}
    for n in U:
        if n in skip or U.degree(n) == 0:
            continue
        key = frozenset(U[n]) | {n}
        if key in first:
            out[n] = first[key]
        else:
            first[key] = n
    return out


def _force(core: nx.Graph, seed: int, max_iter: int) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold (igraph) on ``core``, from seeded random positions.

    igraph draws its random numbers from a generator seeded with ``seed`` for this call
    only (then igraph's default, Python's :mod:`random`, is restored).
    """
    import igraph

    nodes = list(core)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in core.edges()]
    # Shared papers pull harder, but by their logarithm: a pair of hubs sharing hundreds
    # of papers would otherwise collapse onto each other and drag the map with them.
    weights = [1.0 + math.log(w) if w >= 1 else w for _, _, w in core.edges(data="w")]
    rng = random.Random(seed)
    side = math.sqrt(len(nodes))
    start = [[rng.uniform(-side, side), rng.uniform(-side, side)] for _ in nodes]
    g = igraph.Graph(n=len(nodes), edges=edges)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = g.layout_fruchterman_reingold(
            weights=weights, niter=max_iter, seed=start, grid=len(nodes) > GRID_ABOVE
        )
    finally:
        igraph.set_random_number_generator(random)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, found.coords)}


def _anchored(core: nx.Graph, seed: int, max_iter: int) -> dict[str, tuple[float, float]]:
    """The force layout of the :data:`LAYOUT_MAX` best-connected nodes of ``core``
    (degree, then id; joined by their links and by the nodes outside they share), then
    every other node, breadth first from them, at the mean of its
    neighbours placed before it, turned off it by a small offset that depends on its id;
    nodes out of the backbone's reach fill a sunflower disc beside it. O(nodes + edges)
    beyond the backbone."""
    ranked = sorted(core, key=lambda n: (-core.degree(n), n))
    top = sorted(ranked[:LAYOUT_MAX])
    index = {n: i for i, n in enumerate(top)}
    # Two backbone nodes are also joined through each node outside it that they share
    # (in a paper–concept graph: concepts through their papers), so the backbone keeps
    # the graph's shape even when its own nodes are never adjacent.
    chunks = []
    for n in ranked[LAYOUT_MAX:]:
        near = np.array(sorted(index[m] for m in core[n] if m in index), np.int64)
        if len(near) > 1:
            a, b = np.triu_indices(len(near), 1)
            chunks.append(near[a] * len(top) + near[b])
    codes, counts = np.unique(np.concatenate(chunks) if chunks else np.empty(0, np.int64),
                              return_counts=True)
    weight = dict(zip(codes.tolist(), counts.astype(float).tolist()))
    for u, v, w in core.edges(data="w"):
        if u in index and v in index:
            i, j = sorted((index[u], index[v]))
            weight[i * len(top) + j] = weight.get(i * len(top) + j, 0.0) + w
    backbone = nx.Graph()
    backbone.add_nodes_from(top)
    backbone.add_weighted_edges_from(
        ((top[code // len(top)], top[code % len(top)], w) for code, w in sorted(weight.items())),
        weight="w",
    )
    raw = _force(backbone, seed, max_iter)
    xs = [x for x, _ in raw.values()]
    ys = [y for _, y in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    offset = span / math.sqrt(len(backbone)) / 2  # about half the space between nodes
    queue = deque(n for n in ranked[LAYOUT_MAX:] if any(m in raw for m in core[n]))
    queued = set(queue)
    while queue:
        n = queue.popleft()
        placed = [raw[m] for m in sorted(core[n]) if m in raw]
        turn = (sum(map(ord, n)) % 360) * math.pi / 180
        raw[n] = (sum(x for x, _ in placed) / len(placed) + offset * math.cos(turn),
                  sum(y for _, y in placed) / len(placed) + offset * math.sin(turn))
        for m in sorted(core[n]):
            if m not in raw and m not in queued:
                queue.append(m)
                queued.add(m)
    rest = [n for n in ranked if n not in raw]
    cx, cy = max(xs) + offset * math.sqrt(len(rest)), (max(ys) + min(ys)) / 2
    for k, n in enumerate(rest):
        r = offset * math.sqrt(k + 0.5)
        raw[n] = (cx + r * math.cos(k * _GOLDEN), cy + r * math.sin(k * _GOLDEN))
    return raw


def _components(core: nx.Graph, seed: int, max_iter: int) -> dict[str, tuple[float, float]]:
    """Each connected component of ``core`` laid out alone, in a disc whose area grows
    with its nodes; the discs packed as communities are (:func:`_pack`).

    A component is laid out by :func:`_force` (by :func:`_anchored` above
    :data:`LAYOUT_MAX` nodes), centred, and scaled so that 90% of its nodes fall in its
    disc; the farthest few are drawn in to just outside it. Small components thus never
    drift away and shrink the rest of the picture to a dot.
    """
    parts = sorted((sorted(c) for c in nx.connected_components(core)), key=lambda c: (-len(c), c[0]))
    radii = [math.sqrt(len(c)) for c in parts]
    raw: dict[str, tuple[float, float]] = {}
    for part, (cx, cy), r in zip(parts, _pack(radii), radii):
        if len(part) == 1:
            raw[part[0]] = (cx, cy)
            continue
        sub = nx.Graph()
        sub.add_nodes_from(part)
        sub.add_edges_from((u, v, d) for u in part for v, d in core[u].items() if u < v)
        found = _anchored(sub, seed, max_iter) if len(sub) > LAYOUT_MAX else _force(sub, seed, max_iter)
        mx = sum(x for x, _ in found.values()) / len(found)
        my = sum(y for _, y in found.values()) / len(found)
        dist = sorted(math.hypot(x - mx, y - my) for x, y in found.values())
        reach = dist[int(0.9 * (len(dist) - 1))] or dist[-1] or 1.0
        for n, (x, y) in found.items():
            d = math.hypot(x - mx, y - my) / reach  # 1 at the disc's edge
            f = 1.0 if d <= 1 else (1.0 + 0.1 * (1.0 - 1.0 / d)) / d  # outliers: within 1.1
            raw[n] = (cx + r * f * (x - mx) / reach, cy + r * f * (y - my) / reach)
    return raw


def _hang(
    raw: dict[str, tuple[float, float]], hangers: dict[str, str], size: float, span: float
) -> None:
    """Set each hanger around its anchor in ``raw``: a ring of up to :data:`RING_MAX`,
    else a sunflower disc whose area grows with their number."""
    groups: dict[str, list[str]] = {}
    for node, anchor in sorted(hangers.items()):
        groups.setdefault(anchor, []).append(node)
    for anchor, group in sorted(groups.items()):
        ax, ay = raw[anchor]
        radius = size * span * (0.015 + 0.004 * math.sqrt(len(group)))
        turn = (sum(map(ord, anchor)) % 360) * math.pi / 180  # rings do not all line up
        ring = len(group) <= RING_MAX
        for k, node in enumerate(group):
            if ring:
                angle, r = turn + 2 * math.pi * k / len(group), radius
            else:
                angle, r = turn + k * _GOLDEN, radius * math.sqrt((k + 1) / len(group))
            raw[node] = (ax + r * math.cos(angle), ay + r * math.sin(angle))


def _layout(U: nx.Graph, seed: int, max_iter: int) -> dict[str, tuple[float, float]]:
    """The force layout of the core of ``U``; leaves and twins are then set around the
    node they hang from or repeat (:func:`_hang`)."""
    leaves = _leaves(U)
    twins = _twins(U, leaves)
    # A new graph, not U.subgraph(): a small subgraph view iterates its nodes in set
    # order, which changes with PYTHONHASHSEED and would move every node between runs.
    core = nx.Graph()
    core.add_nodes_from(n for n in U if n not in leaves and n not in twins)
    core.add_edges_from((u, v, d) for u, v, d in U.edges(data=True) if u in core and v in core)
    raw = _components(core, seed, max_iter)
    xs = [x for x, _ in raw.values()]
    ys = [y for _, y in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    # Twins first (tightly), then leaves (wider): a leaf may hang from a twin.
    _hang(raw, twins, 0.6, span)
    _hang(raw, leaves, 1.0, span)
    return raw


#: Layouts already computed in this process: one build lays out the same graph for
#: several exports (GEXF, HTML). Keyed by a digest of the nodes, edges and parameters.
_CACHE: dict[str, dict[str, tuple[float, float]]] = {}
_CACHE_SIZE = 4


def positions(
    G: nx.Graph,
    *,
    seed: int = SEED,
    weight: str | None = None,
    scale: float = 1000.0,
    max_iter: int = 500,
) -> dict[str, tuple[float, float]]:
    """Return ``{node: (x, y)}`` for every node of ``G``, deterministic for a given seed.

    Above :data:`LAYOUT_MAX` core nodes, only the best-connected ones are simulated and
    the others placed beside their neighbours (:func:`_anchored`), so time and memory
    grow linearly with nodes + edges.

    Parameters
    ----------
    G
        Any networkx graph with sortable node ids; edge direction is ignored.
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
    U = _canonical(G, weight)
    if len(U) == 0:
        return {}
    if len(U) == 1:
        return {next(iter(U)): (0.0, 0.0)}
    key = hashlib.sha256(
        repr((list(U), list(U.edges(data="w")), seed, scale, max_iter)).encode()
    ).hexdigest()
    if key in _CACHE:
        return dict(_CACHE[key])
    raw = _layout(U, seed, max_iter)
    nodes = list(U)
    xs = [raw[n][0] for n in nodes]
    ys = [raw[n][1] for n in nodes]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    span = max(max(abs(x - cx) for x in xs), max(abs(y - cy) for y in ys)) or 1.0
    factor = scale / span
    # "+ 0.0" turns -0.0 into 0.0, so the text form never flips sign between runs.
    result = {
        n: (round((x - cx) * factor, 2) + 0.0, round((y - cy) * factor, 2) + 0.0)
        for n, x, y in zip(nodes, xs, ys)
    }
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = result
    return dict(result)


def _spiral(radii: list[float]) -> list[tuple[float, float, float]]:
    """Discs of ``radii`` (largest first), each on the first free spot of a spiral.

    Disc ``k`` walks outwards on a golden-angle spiral from the origin and stops where it
    overlaps no disc already placed (a 10% gap between discs). Quadratic in discs: used
    for the :data:`PACK_EXACT` largest only.
    """
    placed: list[tuple[float, float, float]] = []
    for r in radii:
        step = max(r * 0.25, 1e-9)
        t = 0
        if placed:  # every spot nearer the origin overlaps the first disc, placed there
            t = max(0, int((1.1 * (r + placed[0][2]) / (2.0 * step)) ** 2) - 1)
        while True:
            dist = step * math.sqrt(t) * 2.0
            x, y = dist * math.cos(t * _GOLDEN), dist * math.sin(t * _GOLDEN)
            if all((x - px) ** 2 + (y - py) ** 2 >= (1.1 * (r + pr)) ** 2 for px, py, pr in placed):
                break
            t += 1
        placed.append((x, y, r))
    return placed


def _rings(radii: list[float], inner: float) -> list[tuple[float, float]]:
    """Centres for discs of ``radii`` (largest first) on concentric rings outside ``inner``.

    Each ring is as wide as its first (largest) disc and takes the discs that fit side by
    side along it with a 10% gap; they are then spread evenly around it, and the next
    ring opens outside. Linear in discs, and no two overlap.
    """
    out: list[tuple[float, float]] = []
    k, edge = 0, inner
    while k < len(radii):
        width = radii[k]
        ring = edge + 1.1 * width  # the ring's centre line
        steps = [0.0]
        k += 1
        while k < len(radii):
            r = radii[k]
            step = 2 * math.asin(min(1.1 * (r + radii[k - 1]) / (2 * ring), 1.0))
            back = 2 * math.asin(min(1.1 * (r + width) / (2 * ring), 1.0))  # to the first
            if sum(steps) + step + back > 2 * math.pi:
                break
            steps.append(step)
            k += 1
        closing = 2 * math.asin(min(1.1 * (radii[k - 1] + width) / (2 * ring), 1.0))
        spread = 2 * math.pi / (sum(steps) + closing) if len(steps) > 1 else 1.0
        angle = 0.0
        for step in steps:
            angle += step * spread
            out.append((ring * math.cos(angle), ring * math.sin(angle)))
        edge = ring + 1.1 * width
    return out


def _pack(radii: list[float]) -> list[tuple[float, float]]:
    """Centres for discs of ``radii`` (largest first) around the origin, none overlapping:
    the :data:`PACK_EXACT` largest on a spiral (:func:`_spiral`), less those under a
    twentieth of the largest radius, the rest on rings around them (:func:`_rings`)."""
    exact = sum(1 for r in radii[:PACK_EXACT] if r >= radii[0] / 20)  # a tiny disc would
    placed = _spiral(radii[:exact])  # walk the spiral long around a huge one: it takes a ring
    inner = max((math.hypot(x, y) + r for x, y, r in placed), default=0.0)
    return [(x, y) for x, y, _ in placed] + _rings(radii[exact:], inner)
def community_positions(
    C: nx.Graph,
    *,
    community: str = "community",
    weight: str | None = "weight",
    seed: int = SEED,
    scale: float = 1000.0,
) -> dict[str, tuple[float, float]]:
    """Positions that keep communities apart: one disc per community, a layout inside each.

    Each community (the node attribute ``community``) gets a disc whose area grows with
    its number of nodes; discs are packed largest first around the origin (:func:`_pack`),
    so the biggest communities sit in the middle and no two discs overlap. Inside its disc,
    a community is laid out by :func:`positions` on its own subgraph (the force layout of
    the community alone, so the cost is the sum of the communities' costs).
    Coordinates are centred, scaled to ``[-scale, scale]`` and rounded.

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
    groups: dict[object, list] = {}
    for n in sorted(C):
        groups.setdefault(C.nodes[n].get(community, 0), []).append(n)
    order = sorted(groups, key=lambda k: (-len(groups[k]), str(k)))
    radii = [math.sqrt(len(groups[k])) for k in order]
    centres = _pack(radii)
    raw: dict = {}
    for k, (cx, cy), r in zip(order, centres, radii):
        members = groups[k]
        if len(members) == 1:
            raw[members[0]] = (cx, cy)
            continue
        sub = nx.Graph()
        sub.add_nodes_from(members)
        inside = set(members)
        sub.add_edges_from(
            (u, v, d) for u in members for v, d in C[u].items() if v in inside and u < v
        )
        inner = positions(sub, seed=seed, weight=weight, scale=0.8 * r)
        for n in members:
            x, y = inner[n]
            raw[n] = (cx + x, cy + y)
    if not raw:
        return {}
    xs = [x for x, _ in raw.values()]
    ys = [y for _, y in raw.values()]
    mx, my = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    factor = scale / span
    return {
        n: (round((x - mx) * factor, 2) + 0.0, round((y - my) * factor, 2) + 0.0)
        for n, (x, y) in sorted(raw.items())
    }
