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

__all__ = ["COLORS", "HIGHLIGHT", "OTHER", "TYPE_LABELS", "color_of", "node_size", "rgb_of"]

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
