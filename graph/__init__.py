"""paperkg's graph layer: the paper–concept graph, how it is built, saved and queried.

This package never imports spaCy; it takes plain records from :mod:`extract`.
"""

from paperkg.graph.build import build_graph
from paperkg.graph.store import load_graph, save_graph

__all__ = ["build_graph", "load_graph", "save_graph"]
