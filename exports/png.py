"""A static PNG overview: the core of the concept co-occurrence graph, coloured by type.

The picture shows the largest connected component of the co-occurrence graph, cut to
the :data:`TOP` concepts mentioned by the most papers (then to the largest component of
what is left), placed by the seeded layout of :mod:`paperkg.exports.layout`, coloured by
:mod:`paperkg.exports.palette`, with the :data:`LABELS` biggest concepts named and a legend.

matplotlib is imported inside the writer and used through its object API with the Agg
canvas (no pyplot, no global backend switch) under matplotlib's default style, and the
PNG carries no ``Software`` or date metadata, so the same graph gives the same bytes.
"""

from __future__ import annotations

import math
import os
from typing import BinaryIO

import networkx as nx

from paperkg.exports.layout import community_positions, positions
from paperkg.errors import InputError
from paperkg.exports.palette import COLORS, COMMUNITY_COLORS, COMMUNITY_OTHER, TYPE_LABELS, node_colors
from paperkg.graph.cooccurrence import cooccurrence_graph
from paperkg.graph.structure import ensure_structure

__all__ = ["LABELS", "TOP", "overview_graph", "write_png"]

#: Concepts kept in the picture, by paper count.
TOP = 150
#: Concepts named in the picture, by paper count.
LABELS = 30


def _largest_component(C: nx.Graph) -> nx.Graph:
    if len(C) == 0:
        return C
    parts = sorted(nx.connected_components(C), key=lambda c: (-len(c), min(c)))
    return C.subgraph(sorted(parts[0])).copy()


def _rank(C: nx.Graph) -> list[str]:
    """Concepts by paper count, most first; ties by id."""
    return sorted(C, key=lambda n: (-int(C.nodes[n].get("paper_count", 0) or 0), n))


def overview_graph(G: nx.DiGraph, *, top: int = TOP) -> nx.Graph:
    """Return the co-occurrence subgraph the overview draws (see the module docstring).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> for c, n in (("a", 2), ("b", 2), ("c", 1), ("d", 1)):
    ...     G.add_node("concept:" + c, kind="concept", type="TASK", label=c, paper_count=n)
    >>> G.add_edges_from([("paper:1", "concept:a"), ("paper:1", "concept:b"),
    ...                   ("paper:2", "concept:a"), ("paper:2", "concept:b"),
    ...                   ("paper:3", "concept:c"), ("paper:3", "concept:d")])
    >>> sorted(overview_graph(G))
    ['concept:a', 'concept:b']
    """
    C = _largest_component(cooccurrence_graph(G))
    keep = _rank(C)[:top]
    return _largest_component(C.subgraph(keep).copy())


def _labelled(C: nx.Graph, pos: dict, *, limit: int = LABELS) -> list[str]:
    """The biggest concepts whose labels do not collide with a bigger one's (greedy)."""
    chosen: list[str] = []
    for n in _rank(C):
        x, y = pos[n]
        width = 14 * len(str(C.nodes[n].get("label", n)))  # layout units, for 9 pt text
        if all(
            not (-width < x - pos[m][0] < 14 * len(str(C.nodes[m].get("label", m))) and abs(y - pos[m][1]) < 40)
            for m in chosen
        ):
            chosen.append(n)
        if len(chosen) == limit:
            break
    return chosen


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _legend(G: nx.DiGraph, C: nx.Graph, color: str, Line2D) -> list:
    """Legend entries: the three types, or the coloured communities drawn (then "other")."""
    def dot(fill: str, label: str):
        return Line2D([], [], marker="o", linestyle="", markersize=9, color=fill, label=label)

    if color == "type":
        return [dot(COLORS[t], TYPE_LABELS[t]) for t in ("method", "dataset", "task")]
    drawn = {int(d.get("community") or 0) for _, d in C.nodes(data=True)}
    handles = [
        dot(COMMUNITY_COLORS[c["id"] - 1], _short(f"{c['id']}: {c['label']}", 58) + f" ({c['size']})")
        for c in G.graph.get("communities", ())
        if c["id"] in drawn and c["id"] <= len(COMMUNITY_COLORS)
    ]
    if any(c == 0 or c > len(COMMUNITY_COLORS) for c in drawn):
        handles.append(dot(COMMUNITY_OTHER, "smaller communities"))
    return handles


def write_png(G: nx.DiGraph, path: str | os.PathLike | BinaryIO, *, color: str = "type") -> None:
    """Draw the overview of ``G`` (1600 × 1200 pixels) as a PNG file.

    Nodes are coloured by ``color``: ``"type"`` (a legend of the three types) or
    ``"community"`` (a legend naming each coloured community by its label).
    """
    node_colors([], by=color)  # an unknown colouring fails before any work
    if color == "community":
        G = ensure_structure(G)
    try:
        import matplotlib.style
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
    except ImportError as err:
        raise InputError(
            "the png export needs matplotlib: pip install matplotlib (or paperkg[png])"
        ) from err

    C = overview_graph(G)
    by_community = color == "community"
    # By community, each community gets its own region (a disc per community).
    pos = community_positions(C) if by_community else positions(C, weight="weight")
    nodes = _rank(C)  # biggest drawn last, on top
    nodes.reverse()
    with matplotlib.style.context("default"):
        fig = Figure(figsize=(16, 12), dpi=100)
        FigureCanvasAgg(fig)
        # By community, the legend (one line per community) takes a column on the right.
        ax = fig.add_axes((0.01, 0.01, 0.58, 0.93) if by_community else (0.01, 0.01, 0.98, 0.93))
        ax.set_axis_off()
        if len(C):
            edges = sorted((min(u, v), max(u, v), d.get("weight", 1)) for u, v, d in C.edges(data=True))
            top_w = max((w for *_, w in edges), default=1)
            ax.add_collection(
                LineCollection(
                    [(pos[u], pos[v]) for u, v, _ in edges],
                    colors="#888888",
                    linewidths=[0.3 + 1.7 * w / top_w for *_, w in edges],
                    alpha=0.35,
                    zorder=1,
                )
            )
            counts = [int(C.nodes[n].get("paper_count", 0) or 0) for n in nodes]
            fills = node_colors(C.nodes(data=True), by=color)
            ax.scatter(
                [pos[n][0] for n in nodes],
                [pos[n][1] for n in nodes],
                s=[16 + 40 * math.sqrt(c) for c in counts],
                c=[fills[n] for n in nodes],
                edgecolors="white",
                linewidths=0.6,
                zorder=2,
            )
            for n in _labelled(C, pos):
                ax.annotate(
                    str(C.nodes[n].get("label", n)),
                    pos[n],
                    xytext=(4, 4),
                    textcoords="offset points",
                    fontsize=9,
                    zorder=3,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
                )
            ax.set_xlim(-1060, 1060)
            ax.set_ylim(-1060, 1060)
            ax.set_aspect("equal", adjustable="box")
        else:
            ax.text(0.5, 0.5, "no co-occurring concepts", ha="center", transform=ax.transAxes)
        if by_community:
            fig.legend(handles=_legend(G, C, color, Line2D), loc="center left",
                       bbox_to_anchor=(0.62, 0.5), frameon=False, fontsize=9,
                       title="communities: most central concepts (concepts)", title_fontsize=10)
        else:
            ax.legend(handles=_legend(G, C, color, Line2D), loc="lower left", frameon=False,
                      fontsize=11)
        total = sum(1 for _, k in G.nodes(data="kind") if k == "concept")
        fig.suptitle(
            f"paperkg — concept co-occurrence: the {len(C)} most-mentioned concepts of the "
            f"largest component ({total} concepts in all); edges join concepts sharing a paper"
            + ("; colours: communities" if color == "community" else ""),
            fontsize=13,
        )
        fig.savefig(path, format="png", metadata={"Software": None})
