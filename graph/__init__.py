"""paperkg's graph layer: the paper–concept graph, how it is built, saved and queried.

This package never imports spaCy; it takes plain records from :mod:`extract`. Its names are
imported on first use, so a query that reads the index never loads the graph builder.
"""

from __future__ import annotations

import importlib

__all__ = ["build_graph", "load_graph", "save_graph"]

_WHERE = {"build_graph": "paperkg.graph.build", "load_graph": "paperkg.graph.store",
          "save_graph": "paperkg.graph.store"}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
