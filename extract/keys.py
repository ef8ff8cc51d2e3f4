"""The one function that mints a concept's canonical key, and its display label."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["concept_key", "display_label"]

_SPACE = re.compile(r"\s+")


def display_label(text: str) -> str:
    """Return ``text`` as a display label: Unicode-normalised, single-spaced."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def concept_key(text: str) -> str:
    """Return the canonical key of a surface form ("" for nothing usable).

    >>> concept_key("Graph  Neural Networks") == concept_key("graph neural networks")
    True
    """
    label = display_label(text)
    return label if label.isupper() else label.casefold()
