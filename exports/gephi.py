"""GraphML exports that Gephi imports as is: the paper–concept and co-occurrence graphs.

Attributes are flattened and typed by :mod:`paperkg.exports.flatten`: every attribute is
declared with a type, no value is ``None`` or a list, every node has a ``label`` and a
``type`` (paper / method / dataset / task).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from paperkg.exports.flatten import flat_cooccurrence, flat_graph

__all__ = ["write_cooccurrence_graphml", "write_graphml"]


def _write(H: nx.Graph, path: Path) -> None:
    nx.write_graphml(H, path, encoding="utf-8", prettyprint=True, named_key_ids=True)


def write_graphml(G: nx.DiGraph, path: Path) -> None:
    """Write the paper–concept graph as GraphML (directed edges paper → concept)."""
    _write(flat_graph(G), path)


def write_cooccurrence_graphml(G: nx.DiGraph, path: Path) -> None:
    """Write the concept co-occurrence graph as GraphML (``weight`` = shared papers)."""
    _write(flat_cooccurrence(G), path)
