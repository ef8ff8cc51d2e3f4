"""A seeded, deterministic force-directed layout shared by every visual export.

GEXF, the HTML map and the PNG overview place nodes with :func:`positions`, so the same
graph looks the same in Gephi, in the browser and in the picture. The layout is networkx's
ForceAtlas2 (Jacomy et al., PLoS ONE 2014, the algorithm Gephi users know) started from
seeded random positions over the nodes in sorted order, then centred, scaled to
``[-scale, scale]`` and rounded, so the coordinates are byte-stable across runs.

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

import networkx as nx

__all__ = ["SEED", "positions"]

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


def positions(
    G: nx.Graph,
    *,
    seed: int = SEED,
    weight: str | None = None,
    scale: float = 1000.0,
    max_iter: int = 150,
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
    raw = nx.forceatlas2_layout(
        U, max_iter=max_iter, weight="w", seed=seed, strong_gravity=False, gravity=1.0
    )
    nodes = list(U)
    xs = [float(raw[n][0]) for n in nodes]
    ys = [float(raw[n][1]) for n in nodes]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    span = max(max(abs(x - cx) for x in xs), max(abs(y - cy) for y in ys)) or 1.0
    factor = scale / span
    # "+ 0.0" turns -0.0 into 0.0, so the text form never flips sign between runs.
    return {
        n: (round((x - cx) * factor, 2) + 0.0, round((y - cy) * factor, 2) + 0.0)
        for n, x, y in zip(nodes, xs, ys)
    }
