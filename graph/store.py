"""Save and load the built graph losslessly, so queries and exports never re-run extraction.

``graph.json`` is UTF-8 JSON Lines, one record per line, keys sorted, lines ended by
``"\\n"`` only:

* line 1, the header: ``{"format": "paperkg-graph", "graph": {...}, "version": 2}``
  (``graph`` holds the graph attributes; ``version`` is this file layout's version);
* one line per node, sorted by id: ``{"attrs": {...}, "node": "paper:p1"}``;
* one line per edge, sorted: ``{"attrs": {...}, "edge": ["paper:p1", "concept:BERT"]}``;
* the last line, the footer: ``{"end": {"edges": M, "nodes": N, "sha256": "..."}}``, where
  ``sha256`` is the hex digest of every byte before the footer line.

Tuples become JSON lists on disk and tuples again on load. Strings may hold any character:
the writer escapes U+0085, U+2028, U+2029 and lone surrogates as ``\\uXXXX`` (JSON already
escapes U+0000–U+001F), so no line of the file holds anything a line splitter could break
on and the file is valid UTF-8. The one string JSON cannot round-trip — a high surrogate
directly followed by a low surrogate as two code points, which any JSON reader rejoins into
one astral character — is refused when saving, as are values JSON cannot hold (sets, bytes,
NaN, non-string dict keys) and records that break :mod:`paperkg.graph.schema`.

Loading checks everything before it returns: the header, the footer's counts and checksum
(a file truncated at a line boundary has no footer), every record against the schema
(:mod:`paperkg.graph.validate`), duplicated nodes and edges, and that each edge goes from a
known paper to a known concept. Any problem is one :class:`~paperkg.errors.InputError`
``"<path>:<line>: <what is wrong>"``; no partial graph is ever returned. A file from an
older paperkg (no ``version``) asks to be rebuilt. Hand edits break the checksum: rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from operator import itemgetter
from pathlib import Path
from typing import Any

import networkx as nx

from paperkg.errors import InputError
from paperkg.graph.validate import check_edge, check_graph_attrs, check_node, show
from paperkg.graph.schema import CONCEPT, PAPER
from paperkg.outputs import atomic_output

__all__ = ["FORMAT_VERSION", "GRAPH_FILE", "load_graph", "save_graph"]

#: File name of the saved graph inside a build's output folder.
GRAPH_FILE = "graph.json"
#: Version of the file layout described above (files without one are version 1).
FORMAT_VERSION = 2
_FORMAT = "paperkg-graph"
_HEADER_KEYS = {"format", "graph", "version"}
_NODE_KEYS = {"attrs", "node"}
_EDGE_KEYS = {"attrs", "edge"}
_END_KEYS = {"end"}
_FOOTER_KEYS = {"edges", "nodes", "sha256"}
#: Characters written as \uXXXX escapes: line separators and lone surrogates.
_UNSAFE = re.compile("[\u0085\u2028\u2029\ud800-\udfff]")
#: A high surrogate followed by a low one: JSON can only spell it as one astral character.
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _to_json(value: Any) -> Any:
    """Return ``value`` with tuples as lists; refuse what JSON cannot hold losslessly."""
    if isinstance(value, (str, int, float)) or value is None:  # bool is an int
        return value
    if isinstance(value, (tuple, list)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        for k in value:
            if not isinstance(k, str):
                raise TypeError(f"dict key {show(k)} is not a string")
        return {k: _to_json(v) for k, v in value.items()}
    raise TypeError(f"{type(value).__name__} value {show(value)} cannot be saved as JSON")


_CONTAINERS = {list, dict}


def _from_json(value: Any) -> Any:
    """Return ``value`` with JSON lists as tuples; dicts are converted in place (fast).

    >>> _from_json({"a": [1, [2, {"b": []}]], "c": "x"})
    {'a': (1, (2, {'b': ()})), 'c': 'x'}
    """
    if type(value) is list:
        return tuple([_from_json(v) if type(v) in _CONTAINERS else v for v in value])
    if type(value) is dict:
        for k, v in value.items():
            if type(v) in _CONTAINERS:
                value[k] = _from_json(v)
    return value


def _dumps(record: dict) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, allow_nan=False)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


#: Reads JSON as written by :func:`_dumps`: NaN and Infinity, never written, are refused.
_DECODER = json.JSONDecoder(parse_constant=_no_constant)


class _Refused(ValueError):
    """A record breaks the schema; the message names the record."""


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def save_graph(G: nx.DiGraph, path: str | os.PathLike) -> Path:
    """Write ``G`` to ``path`` (format above), atomically; return the path.

    Raises
    ------
    ValueError
        If ``G`` breaks the schema or holds a value the file cannot round-trip; the
        message names the node, edge or graph attribute, and nothing is written.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> G = nx.DiGraph(schema=1, generator="paperkg", model="m", merges=(),
    ...                ambiguous_acronyms={})
    >>> G.add_node("paper:p1", kind="paper", label="T\\u2028", title="T\\u2028", abstract="",
    ...            date="", url="", sources=("a.txt:1",), code_urls=())
    >>> d = tempfile.mkdtemp()
    >>> H = load_graph(save_graph(G, d + "/graph.json"))
    >>> H.nodes["paper:p1"]["sources"], H.nodes["paper:p1"]["title"] == "T\\u2028"
    (('a.txt:1',), True)
    """
    lines: list[str] = []
    where: list[str] = []  # what each line holds, for error messages

    def add(record_of: Any, what: str) -> None:
        try:
            lines.append(_dumps(record_of()))
        except _Refused as err:  # the schema check's message names the record itself
            raise ValueError(f"cannot save graph: {err}") from None
        except (TypeError, ValueError, RecursionError) as err:
            raise ValueError(f"cannot save graph: {what}: {err}") from None
        where.append(what)

    def header() -> dict:
        attrs = _to_json(G.graph)
        problem = check_graph_attrs(attrs)
        if problem:
            raise _Refused(problem)
        return {"format": _FORMAT, "graph": attrs, "version": FORMAT_VERSION}

    add(header, "graph attributes")
    for n in G:
        if not isinstance(n, str):
            raise ValueError(f"cannot save graph: node id {show(n)} is not a string")
    for n, d in sorted(G.nodes(data=True), key=itemgetter(0)):
        def node(n: Any = n, d: dict = d) -> dict:
            attrs = _to_json(d)
            problem = check_node(n, attrs)
            if problem:
                raise _Refused(problem)
            return {"attrs": attrs, "node": n}

        add(node, f"node {show(n)}")
    for u, v, d in sorted(G.edges(data=True), key=itemgetter(0, 1)):
        def edge(u: Any = u, v: Any = v, d: dict = d) -> dict:
            if G.nodes[u].get("kind") != PAPER or G.nodes[v].get("kind") != CONCEPT:
                raise ValueError("an edge must go from a paper to a concept")
            attrs = _to_json(d)
            problem = check_edge(attrs)
            if problem:
                raise ValueError(problem)
            return {"attrs": attrs, "edge": [u, v]}

        add(edge, f"edge {show(u)} → {show(v)}")
    body = "".join(line + "\n" for line in lines)
    pair = _PAIR.search(body)
    if pair:
        what = where[body.count("\n", 0, pair.start())]
        raise ValueError(
            f"cannot save graph: {what}: a string holds the lone surrogates "
            f"U+{ord(body[pair.start()]):04X} U+{ord(body[pair.start() + 1]):04X} in a row, "
            "which JSON reads back as one character; replace them"
        )
    data = _UNSAFE.sub(_escape, body).encode("utf-8")
    footer = {"end": {"edges": G.number_of_edges(), "nodes": G.number_of_nodes(),
                      "sha256": hashlib.sha256(data).hexdigest()}}
    with atomic_output(path) as tmp:
        tmp.write_bytes(data + (_dumps(footer) + "\n").encode("ascii"))
    return Path(path)


def load_graph(path: str | os.PathLike) -> nx.DiGraph:
    """Read a graph written by :func:`save_graph`, checking all of it first.

    ``path`` may be the file or the build folder holding ``graph.json``.

    Raises
    ------
    InputError
        If the file is missing, is not a paperkg graph, was written by an older paperkg,
        or is damaged in any way: ``"<path>:<line>: <what is wrong>"``, one line.
    """
    p = Path(path)
    if p.is_dir():
        p = p / GRAPH_FILE
    if not p.is_file():
        raise InputError(f"no saved graph at {p}: run `paperkg build` first")
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {p}: {err.strerror or err}") from None
    return _parse(raw, str(p))


def _parse(raw: bytes, name: str) -> nx.DiGraph:
    """Return the graph held in the bytes ``raw`` of the file ``name``, or raise InputError."""

    def fail(line: int, what: str) -> InputError:
        return InputError(f"{name}:{line}: {what}")

    truncated = "the file is truncated or damaged; rebuild it with `paperkg build`"
    if not raw:
        raise fail(1, "empty file, not a paperkg graph")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise fail(line, f"not UTF-8 text (byte {raw[err.start]:#04x}); "
                         "not a paperkg graph, or damaged") from None
    lines = text.split("\n")
    if lines[-1]:
        raise fail(len(lines), f"the last line has no end: {truncated}")
    lines.pop()

    def parse(number: int, line: str) -> Any:
        try:
            return _DECODER.decode(line)
        except json.JSONDecodeError as err:
            raise fail(number, f"not JSON ({err.msg} at column {err.colno})") from None
        except (ValueError, RecursionError) as err:
            raise fail(number, f"not JSON ({str(err).splitlines()[0][:60]})") from None

    try:
        header = _DECODER.decode(lines[0])
    except (ValueError, RecursionError):
        header = None
    if not isinstance(header, dict) or header.get("format") != _FORMAT:
        raise fail(1, "not a paperkg graph file (no paperkg-graph header)")
    if "version" not in header:
        raise fail(1, "written by an older paperkg (graph file version 1); "
                      "rebuild it with `paperkg build`")
    if header["version"] != FORMAT_VERSION or isinstance(header["version"], bool):
        raise fail(1, f"graph file version {show(header['version'])}, but this paperkg reads "
                      f"version {FORMAT_VERSION}; rebuild it with `paperkg build`")
    if header.keys() != _HEADER_KEYS:
        raise fail(1, f"header keys {sorted(header)} are not {sorted(_HEADER_KEYS)}")
    problem = check_graph_attrs(header["graph"])
    if problem:
        raise fail(1, problem)

    kinds: dict[str, str] = {}
    nodes: list[tuple[str, dict]] = []
    edges: list[tuple[str, str, dict]] = []
    seen_edges: set[tuple[str, str]] = set()
    footer = None
    for number, line in enumerate(lines[1:], start=2):
        record = parse(number, line)
        if not isinstance(record, dict):
            raise fail(number, f"expected a JSON object, not {type(record).__name__}")
        keys = record.keys()
        if keys == _NODE_KEYS:
            node, attrs = record["node"], record["attrs"]
            problem = check_node(node, attrs)
            if problem:
                raise fail(number, problem)
            if edges:
                raise fail(number, f"node {show(node)} comes after the edges")
            if node in kinds:
                raise fail(number, f"node {show(node)} appears twice")
            kinds[node] = attrs["kind"]
            nodes.append((node, _from_json(attrs)))
        elif keys == _EDGE_KEYS:
            pair, attrs = record["edge"], record["attrs"]
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(x, str) for x in pair)):
                raise fail(number, "an edge must be a list of two node ids")
            u, v = pair
            what = f"edge {show(u)} → {show(v)}"
            if kinds.get(u) != PAPER:
                missing = "is not a paper" if u in kinds else "is not a node"
                raise fail(number, f"{what}: source {missing}")
            if kinds.get(v) != CONCEPT:
                missing = "is not a concept" if v in kinds else "is not a node"
                raise fail(number, f"{what}: target {missing}")
            problem = check_edge(attrs)
            if problem:
                raise fail(number, f"{what}: {problem}")
            if (u, v) in seen_edges:
                raise fail(number, f"{what} appears twice")
            seen_edges.add((u, v))
            edges.append((u, v, _from_json(attrs)))
        elif keys == _END_KEYS:
            footer = record["end"]
            if number != len(lines):
                raise fail(number, "the end line is not the last line")
            if not isinstance(footer, dict) or footer.keys() != _FOOTER_KEYS:
                raise fail(number, f"the end line must hold {sorted(_FOOTER_KEYS)}")
            if footer["nodes"] != len(nodes) or footer["edges"] != len(edges):
                raise fail(number, f"the file says {show(footer['nodes'])} nodes and "
                                   f"{show(footer['edges'])} edges but holds {len(nodes)} and "
                                   f"{len(edges)}: {truncated}")
            start = raw.rfind(b"\n", 0, len(raw) - 1) + 1
            if hashlib.sha256(raw[:start]).hexdigest() != footer["sha256"]:
                raise fail(number, "checksum mismatch: the file was changed after paperkg "
                                   "wrote it; rebuild it with `paperkg build`")
        else:
            raise fail(number, f"unknown record with keys {show(sorted(keys), 60)}; "
                               "expected a node, an edge or the end line")
    if footer is None:
        raise fail(len(lines) + 1, f"no end line: {truncated}")

    G = nx.DiGraph()
    G.graph.update(_from_json(header["graph"]))
    G.add_nodes_from(nodes)
    G.add_edges_from(edges)
    return G
