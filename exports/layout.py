"""A seeded, deterministic force-directed layout shared by every visual export.

GEXF, the HTML map and the PNG overview place nodes with :func:`positions`, so the same
graph looks the same in Gephi, in the browser and in the picture. The layout is networkx's
ForceAtlas2 (Jacomy et al., PLoS ONE 2014, the algorithm Gephi users know) started from
seeded random positions over the nodes in sorted order, then centred, scaled to
``[-scale, scale]`` and rounded, so the coordinates are byte-stable across runs. Leaves
(degree-1 nodes: most concepts appear in one paper) are left out of the simulation and
set in a ring around the node they hang from, and so are twins (nodes with the same
neighbours and joined to each other: the concepts of a single paper in the co-occurrence
graph), which keeps the layout fast.

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

import networkx as nx

__all__ = ["SEED", "community_positions", "positions"]

#: The layout's random seed; change it and every export moves.
SEED = 42


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


def _layout(
    U: nx.Graph, seed: int, max_iter: int, strong_gravity: bool
) -> dict[str, tuple[float, float]]:
    """ForceAtlas2 on the core of ``U``; leaves and twins are then set in rings around
    the node they hang from or repeat.

    Leaves and twins do not change the shape of the picture but cost O(n²) per iteration,
    so they are left out of the simulation; the nodes they ring keep the mass of the whole
    group (ForceAtlas2's degree + 1 each), so they still make room for the ring.
    """
    leaves = _leaves(U)
    twins = _twins(U, leaves)
    # A new graph, not U.subgraph(): a small subgraph view iterates its nodes in set
    # order, which changes with PYTHONHASHSEED and would move every node between runs.
    core = nx.Graph()
    core.add_nodes_from(n for n in U if n not in leaves and n not in twins)
    core.add_edges_from((u, v, d) for u, v, d in U.edges(data=True) if u in core and v in core)
    mass = {n: U.degree(n) + 1.0 for n in core}
    for twin, first in twins.items():
        mass[first] += U.degree(twin) + 1.0
    if len(core) == 1:
        raw = {n: (0.0, 0.0) for n in core}
    else:
        found = nx.forceatlas2_layout(
            core, max_iter=max_iter, weight="w", seed=seed, node_mass=mass,
            strong_gravity=strong_gravity,
        )
        raw = {n: (float(found[n][0]), float(found[n][1])) for n in core}
    xs = [x for x, _ in raw.values()]
    ys = [y for _, y in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    # Twins first (a tight ring), then leaves (a wider one): a leaf may hang from a twin.
    for hangers, size in ((twins, 0.6), (leaves, 1.0)):
        rings: dict[str, list[str]] = {}
        for node, anchor in sorted(hangers.items()):
            rings.setdefault(anchor, []).append(node)
        for anchor, ring in sorted(rings.items()):
            ax, ay = raw[anchor]
            radius = size * span * (0.015 + 0.004 * math.sqrt(len(ring)))
            turn = (sum(map(ord, anchor)) % 360) * math.pi / 180  # rings do not all line up
            for k, node in enumerate(ring):
                angle = turn + 2 * math.pi * k / len(ring)
                raw[node] = (ax + radius * math.cos(angle), ay + radius * math.sin(angle))
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
    max_iter: int = 150,
    strong_gravity: bool = True,
) -> dict[str, tuple[float, float]]:
    """Return ``{node: (x, y)}`` for every node of ``G``, deterministic for a given seed.

    Parameters
    ----------
    G
        Any networkx graph with sortable node ids; edge direction is ignored.
    seed
        Seed of the initial random positions.
    weight
        Edge attribute that pulls harder (e.g. ``"weight"`` in the co-occurrence graph).
    scale
        The largest absolute coordinate after centring.
    max_iter
        ForceAtlas2 iterations.
    strong_gravity
        ForceAtlas2's gravity that grows with distance (the default): one round picture
        that uses the screen, instead of a dense core ringed by far-flung small components.

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
        repr((list(U), list(U.edges(data="w")), seed, scale, max_iter, strong_gravity)).encode()
    ).hexdigest()
    if key in _CACHE:
        return dict(_CACHE[key])
    raw = _layout(U, seed, max_iter, strong_gravity)
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


def _pack(radii: list[float]) -> list[tuple[float, float]]:
    """Centres for discs of ``radii`` (largest first): each on the first free spot of a spiral.

    Greedy and deterministic: disc ``k`` walks outwards on a golden-angle spiral from the
    origin and stops where it overlaps no disc already placed (a 10% gap between discs).
    """
    placed: list[tuple[float, float, float]] = []
    golden = math.pi * (3.0 - math.sqrt(5.0))
    for r in radii:
        step = max(r * 0.25, 1e-9)
        t = 0
        while True:
            dist = step * math.sqrt(t) * 2.0
            x, y = dist * math.cos(t * golden), dist * math.sin(t * golden)
            if all((x - px) ** 2 + (y - py) ** 2 >= (1.1 * (r + pr)) ** 2 for px, py, pr in placed):
                break
            t += 1
        placed.append((x, y, r))
    return [(x, y) for x, y, _ in placed]


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
    a community is laid out by :func:`positions` on its own subgraph (ForceAtlas2 on the
    community alone, so it costs what its largest community costs, not the whole graph).
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
