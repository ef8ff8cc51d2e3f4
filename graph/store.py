"""Save and load the built graph losslessly, so queries and exports never re-run extraction.

The file is networkx node-link JSON (UTF-8, sorted keys, one node per line), with a
``paperkg`` marker. Tuples become JSON lists on disk and tuples again on load.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import networkx as nx

from paperkg.errors import InputError
from paperkg.graph.schema import SCHEMA_VERSION
from paperkg.outputs import atomic_output

__all__ = ["GRAPH_FILE", "load_graph", "save_graph"]

#: File name of the saved graph inside a build's output folder.
GRAPH_FILE = "graph.json"
_FORMAT = "paperkg-graph"


def _to_json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_from_json(v) for v in value)
    if isinstance(value, dict):
        return {k: _from_json(v) for k, v in value.items()}
    return value


def save_graph(G: nx.DiGraph, path: str | os.PathLike) -> Path:
    """Write ``G`` to ``path`` as node-link JSON, atomically; return the path.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> G = nx.DiGraph(schema=1)
    >>> G.add_node("paper:p1", kind="paper", sources=("a.txt:1",))
    >>> d = tempfile.mkdtemp()
    >>> H = load_graph(save_graph(G, d + "/graph.json"))
    >>> H.nodes["paper:p1"]["sources"]
    ('a.txt:1',)
    """
    nodes = [{"id": n, **_to_json(d)} for n, d in sorted(G.nodes(data=True))]
    edges = [
        {"source": u, "target": v, **_to_json(d)} for u, v, d in sorted(G.edges(data=True))
    ]
    header = {"format": _FORMAT, "graph": _to_json(G.graph)}
    lines = [json.dumps(header, sort_keys=True, ensure_ascii=False)]
    lines += [json.dumps({"node": n}, sort_keys=True, ensure_ascii=False) for n in nodes]
    lines += [json.dumps({"edge": e}, sort_keys=True, ensure_ascii=False) for e in edges]
    with atomic_output(path) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Path(path)


def load_graph(path: str | os.PathLike) -> nx.DiGraph:
    """Read a graph written by :func:`save_graph`.

    ``path`` may be the file or the build folder holding ``graph.json``.

    Raises
    ------
    InputError
        If the file is missing or is not a paperkg graph.
    """
    p = Path(path)
    if p.is_dir():
        p = p / GRAPH_FILE
    if not p.is_file():
        raise InputError(f"no saved graph at {p}: run `paperkg build` first")
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
        header = json.loads(lines[0]) if lines else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{p} is not a paperkg graph file ({err.__class__.__name__})") from None
    if header.get("format") != _FORMAT:
        raise InputError(f"{p} is not a paperkg graph file")
    G = nx.DiGraph(**_from_json(header.get("graph", {})))
    if G.graph.get("schema", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise InputError(f"{p} uses graph schema {G.graph.get('schema')}; rebuild it")
    for number, line in enumerate(lines[1:], start=2):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise InputError(f"{p}:{number}: not JSON") from None
        if "node" in record:
            data = _from_json(record["node"])
            G.add_node(data.pop("id"), **data)
        elif "edge" in record:
            data = _from_json(record["edge"])
            G.add_edge(data.pop("source"), data.pop("target"), **data)
    return G
