"""One colour per node type, from a colour-blind-safe palette, for every visual export.

The colours are Okabe & Ito's palette ("Color Universal Design", 2008), which stays
distinguishable under the common colour-vision deficiencies; papers are a neutral grey so
that the concepts stand out. GEXF, the HTML map and the PNG overview all read
:data:`COLORS`, so a dataset is the same blue everywhere.

Examples
--------
>>> color_of("dataset")
'#0072B2'
>>> rgb_of("method")
(230, 159, 0)
>>> node_size(4)
12.0
"""

from __future__ import annotations

import math

__all__ = [
    "COLORINGS",
    "COLORS",
    "COMMUNITY_COLORS",
    "COMMUNITY_OTHER",
    "HIGHLIGHT",
    "OTHER",
    "TYPE_LABELS",
    "color_of",
    "community_color",
    "hex_rgb",
    "node_colors",
    "node_size",
    "rgb_of",
]

#: Node type (as :func:`paperkg.exports.flatten.node_type` names it) → colour, in legend order.
COLORS: dict[str, str] = {
    "paper": "#999999",  # grey
    "method": "#E69F00",  # orange
    "dataset": "#0072B2",  # blue
    "task": "#009E73",  # bluish green
}
#: Colour of a node whose type is none of the above.
OTHER = "#000000"
#: Colour for a selected node or edge in the HTML map (Okabe–Ito vermilion).
HIGHLIGHT = "#D55E00"
#: Legend text of each type.
TYPE_LABELS: dict[str, str] = {
    "paper": "Paper",
    "method": "Method",
    "dataset": "Dataset",
    "task": "Task",
}


#: One colour per community, for the largest communities (1, 2, …): Paul Tol's "muted"
#: qualitative scheme (colour-blind safe, 9 colours) then three Okabe–Ito colours.
COMMUNITY_COLORS: tuple[str, ...] = (
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
    "#AA4499", "#E69F00", "#0072B2", "#D55E00",
)
#: Colour of the smaller communities (beyond :data:`COMMUNITY_COLORS`) and of papers
#: without a community.
COMMUNITY_OTHER = "#BBBBBB"
#: The ways a visual export colours its nodes (``paperkg export --color``).
COLORINGS: tuple[str, ...] = ("type", "community")


def community_color(community: int) -> str:
    """Return the colour of community number ``community`` (1 is the largest).

    >>> community_color(1), community_color(12), community_color(13), community_color(0)
    ('#CC6677', '#D55E00', '#BBBBBB', '#BBBBBB')
    """
    if 1 <= community <= len(COMMUNITY_COLORS):
        return COMMUNITY_COLORS[community - 1]
    return COMMUNITY_OTHER


def hex_rgb(color: str) -> tuple[int, int, int]:
    """Return ``#RRGGBB`` as an ``(r, g, b)`` tuple of 0–255 integers.

    >>> hex_rgb("#0072B2")
    (0, 114, 178)
    """
    h = color.lstrip("#")
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def node_colors(nodes, *, by: str = "type") -> dict[str, str]:
    """Return ``{node: "#RRGGBB"}`` for ``(node, attributes)`` pairs, by type or community.

    By type, attributes are flat (a ``type`` of paper / method / dataset / task) or raw
    (``kind`` and ``type``); by community, the ``community`` number picks the colour.

    >>> node_colors([("a", {"type": "method", "community": 2})], by="community")
    {'a': '#332288'}
    """
    if by not in COLORINGS:
        raise ValueError(f"unknown colouring {by!r}; known: {', '.join(COLORINGS)}")
    if by == "community":
        return {n: community_color(int(d.get("community") or 0)) for n, d in nodes}
    return {
        n: color_of("paper" if d.get("kind") == "paper" else str(d.get("type", "")).lower())
        for n, d in nodes
    }


def color_of(node_type: str) -> str:
    """Return the ``#RRGGBB`` colour of a node type (:data:`OTHER` when unknown)."""
    return COLORS.get(node_type, OTHER)


def rgb_of(node_type: str) -> tuple[int, int, int]:
    """Return the colour of a node type as an ``(r, g, b)`` tuple of 0–255 integers."""
    hex_ = color_of(node_type).lstrip("#")
    return (int(hex_[0:2], 16), int(hex_[2:4], 16), int(hex_[4:6], 16))


def node_size(count: int | float) -> float:
    """Return a display size that grows with the square root of a count (degree, papers).

    Area, not radius, then tracks the count; the result is rounded to 2 decimals.
    """
    return round(4.0 + 4.0 * math.sqrt(max(count, 0)), 2)
