"""Discs packed without overlap: where each community or component of a map sits.

:func:`pack` gives centres for discs of given radii (largest first) around the origin: the
:data:`PACK_EXACT` largest on a golden-angle spiral, each at the first spot free of the
discs placed before it (quadratic in those few), and the rest on concentric rings around
them (linear). No two discs overlap; a 10% gap stays between neighbours. Used by
:mod:`paperkg.exports.layout` for connected components and communities.

Examples
--------
>>> centres = pack([3.0, 2.0, 1.0, 1.0])
>>> len(centres), centres[0]
(4, (0.0, 0.0))
"""

from __future__ import annotations

import math

__all__ = ["PACK_EXACT", "pack"]

#: Discs packed on the spiral (largest first); the smaller ones are set on rings around
#: them, so packing stays linear in discs.
PACK_EXACT = 64
_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))


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


def pack(radii: list[float]) -> list[tuple[float, float]]:
    """Centres for discs of ``radii`` (largest first) around the origin, none overlapping:
    the :data:`PACK_EXACT` largest on a spiral (:func:`_spiral`), less those under a
    twentieth of the largest radius, the rest on rings around them (:func:`_rings`)."""
    if not radii:
        return []
    exact = sum(1 for r in radii[:PACK_EXACT] if r >= radii[0] / 20)  # a tiny disc would
    placed = _spiral(radii[:exact])  # walk the spiral long around a huge one: it takes a ring
    inner = max((math.hypot(x, y) + r for x, y, r in placed), default=0.0)
    return [(x, y) for x, y, _ in placed] + _rings(radii[exact:], inner)
