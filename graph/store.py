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
from collections.abc import Callable, Iterable, Iterator
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
#: Bytes buffered between the file and the lines written or read.
_BUFFER = 1 << 20
#: Items of a long list in the header written per piece.
_BATCH = 4096
#: The values of an edge's ``field``, one string each however many edges hold them.
_FIELD_NAMES = {"title": "title", "abstract": "abstract"}
#: Characters written as \uXXXX escapes: line separators and lone surrogates.
_UNSAFE = re.compile("[\u0085\u2028\u2029\ud800-\udfff]")
#: A high surrogate followed by a low one: JSON can only spell it as one astral character.
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _check_json(value: Any) -> None:
    """Refuse what JSON cannot hold losslessly (tuples are written as lists)."""
    if isinstance(value, (str, int, float)) or value is None:  # bool is an int
        return
    if isinstance(value, (tuple, list)):
        for v in value:
            _check_json(v)
        return
    if isinstance(value, dict):
        for k in value:
            if not isinstance(k, str):
                raise TypeError(f"dict key {show(k)} is not a string")
        for v in value.values():
            _check_json(v)
        return
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


#: Writes every line: keys sorted, any character as itself, NaN and Infinity refused.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, allow_nan=False)
_dumps = _ENCODER.encode


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


#: Reads JSON as written by :func:`_dumps`: NaN and Infinity, never written, are refused.
_DECODER = json.JSONDecoder(parse_constant=_no_constant)


class _Refused(ValueError):
    """A record breaks the schema; the message names the record."""


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def _header(graph: dict) -> Iterator[str]:
    """Yield the header line in pieces: a list among the graph attributes (the merge log,
    one record per mention) a batch of items at a time, so no piece is large."""
    yield f'{{"format": {_dumps(_FORMAT)}, "graph": {{'
    for number, key in enumerate(sorted(graph)):
        value, comma = graph[key], ", " if number else ""
        if not isinstance(value, (list, tuple)) or not value:
            yield f"{comma}{_dumps(key)}: {_dumps(value)}"
            continue
        yield f"{comma}{_dumps(key)}: ["
        for start in range(0, len(value), _BATCH):
            items = ", ".join(map(_dumps, value[start:start + _BATCH]))
            yield f", {items}" if start else items
        yield "]"
    yield f'}}, "version": {_dumps(FORMAT_VERSION)}}}'


def _records(G: nx.DiGraph) -> Iterator[tuple[Iterable[str], str]]:
    """Yield each line of the file but the footer, in order: (its text in pieces, what it
    holds). Each record is checked before its line is made."""

    def line(record_of: Callable[[], dict], what: str) -> tuple[Iterable[str], str]:
        try:
            return (_dumps(record_of()),), what
        except _Refused as err:  # the schema check's message names the record itself
            raise ValueError(f"cannot save graph: {err}") from None
        except (TypeError, ValueError, RecursionError) as err:
            raise ValueError(f"cannot save graph: {what}: {err}") from None

    def header() -> Iterator[str]:
        try:
            _check_json(G.graph)
            problem = check_graph_attrs(G.graph)
            if problem:
                raise _Refused(problem)
            yield from _header(G.graph)
        except _Refused as err:
            raise ValueError(f"cannot save graph: {err}") from None
        except (TypeError, ValueError, RecursionError) as err:
            raise ValueError(f"cannot save graph: graph attributes: {err}") from None

    yield header(), "graph attributes"
    for n, d in sorted(G.nodes(data=True), key=itemgetter(0)):
        def node(n: Any = n, d: dict = d) -> dict:
            _check_json(d)
            problem = check_node(n, d)
            if problem:
                raise _Refused(problem)
            return {"attrs": d, "node": n}

        yield line(node, f"node {show(n)}")
    nodes = G.nodes
    for u, v, d in sorted(G.edges(data=True), key=itemgetter(0, 1)):
        def edge(u: Any = u, v: Any = v, d: dict = d) -> dict:
            if nodes[u].get("kind") != PAPER or nodes[v].get("kind") != CONCEPT:
                raise ValueError("an edge must go from a paper to a concept")
            _check_json(d)
            problem = check_edge(d)
            if problem:
                raise ValueError(problem)
            return {"attrs": d, "edge": [u, v]}

        yield line(edge, f"edge {show(u)} → {show(v)}")


def save_graph(G: nx.DiGraph, path: str | os.PathLike) -> Path:
    """Write ``G`` to ``path`` (format above), atomically; return the path.

    The file is written a line (or, for the long header, a piece of it) at a time: memory
    stays that of the graph, not of the file. It goes to a temporary file beside ``path``,
    renamed into place once complete.

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
    for n in G:
        if not isinstance(n, str):
            raise ValueError(f"cannot save graph: node id {show(n)} is not a string")
    digest = hashlib.sha256()
    with atomic_output(path) as tmp, open(tmp, "wb", buffering=_BUFFER) as out:
        for pieces, what in _records(G):
            for text in pieces:  # pieces of a line end at JSON values: no pair spans two
                pair = _PAIR.search(text)
                if pair:
                    raise ValueError(
                        f"cannot save graph: {what}: a string holds the lone surrogates "
                        f"U+{ord(pair.group()[0]):04X} U+{ord(pair.group()[1]):04X} in a "
                        "row, which JSON reads back as one character; replace them"
                    )
                data = _UNSAFE.sub(_escape, text).encode("utf-8")
                digest.update(data)
                out.write(data)
            digest.update(b"\n")
            out.write(b"\n")
        footer = {"end": {"edges": G.number_of_edges(), "nodes": G.number_of_nodes(),
                          "sha256": digest.hexdigest()}}
        out.write((_dumps(footer) + "\n").encode("ascii"))
    return Path(path)


def load_graph(path: str | os.PathLike) -> nx.DiGraph:
    """Read a graph written by :func:`save_graph`, checking all of it first.

    ``path`` may be the file or the build folder holding ``graph.json``. The file is read
    one line at a time; the graph is returned only once every line has passed.

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
        with open(p, "rb", buffering=_BUFFER) as f:
            return _parse(f, str(p))
    except OSError as err:
        raise InputError(f"cannot read {p}: {err.strerror or err}") from None


def _shared_merges(graph: dict) -> dict:
    """Return the graph attributes with the strings of the merge log shared: one string
    per concept, paper, rule ... however many records repeat it (a checked header)."""
    merges = graph.get("merges")
    if merges:
        strings: dict[str, str] = {}
        share = strings.setdefault
        graph["merges"] = [[share(x, x) for x in record] for record in merges]
    return graph


def _parse(lines: Iterable[bytes], name: str) -> nx.DiGraph:
    """Return the graph held in the lines ``lines`` (bytes, each ending in ``"\\n"``) of
    the file ``name``, or raise InputError."""

    def fail(line: int, what: str) -> InputError:
        return InputError(f"{name}:{line}: {what}")

    truncated = "the file is truncated or damaged; rebuild it with `paperkg build`"
    numbered = enumerate(lines, start=1)

    def read() -> tuple[int, bytes, str] | None:
        """The next line: its number, its bytes and its text without "\\n"; None at the end."""
        number, raw = next(numbered, (0, b""))
        if not raw:
            return None
        if not raw.endswith(b"\n"):
            raise fail(number, f"the last line has no end: {truncated}")
        try:
            return number, raw, raw[:-1].decode("utf-8")
        except UnicodeDecodeError as err:
            raise fail(number, f"not UTF-8 text (byte {raw[err.start]:#04x}); "
                               "not a paperkg graph, or damaged") from None

    def parse(number: int, line: str) -> Any:
        try:
            return _DECODER.decode(line)
        except json.JSONDecodeError as err:
            raise fail(number, f"not JSON ({err.msg} at column {err.colno})") from None
        except (ValueError, RecursionError) as err:
            raise fail(number, f"not JSON ({str(err).splitlines()[0][:60]})") from None

    first = read()
    if first is None:
        raise fail(1, "empty file, not a paperkg graph")
    digest = hashlib.sha256(first[1])
    try:
        header = _DECODER.decode(first[2])
    except (ValueError, RecursionError):
        header = None
    del first
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

    G = nx.DiGraph()
    G.graph.update(_from_json(_shared_merges(header.pop("graph"))))
    kinds: dict[str, str] = {}
    ids: dict[str, str] = {}  # each node id as one string, however many edges name it
    n_nodes = n_edges = 0
    number = 1
    sentences: dict[str, str] = {}  # one string per evidence sentence, however many edges
    footer = None
    while (line := read()) is not None:
        number, raw, text = line
        record = parse(number, text)
        if not isinstance(record, dict):
            raise fail(number, f"expected a JSON object, not {type(record).__name__}")
        keys = record.keys()
        if keys == _NODE_KEYS:
            node, attrs = record["node"], record["attrs"]
            problem = check_node(node, attrs)
            if problem:
                raise fail(number, problem)
            if n_edges:
                raise fail(number, f"node {show(node)} comes after the edges")
            if node in kinds:
                raise fail(number, f"node {show(node)} appears twice")
            kinds[node] = attrs["kind"]
            ids[node] = node
            G.add_nodes_from([(node, _from_json(attrs))])
            n_nodes += 1
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
            if G.has_edge(u, v):
                raise fail(number, f"{what} appears twice")
            attrs["evidence"] = sentences.setdefault(attrs["evidence"], attrs["evidence"])
            attrs["field"] = _FIELD_NAMES.get(attrs["field"], attrs["field"])
            G.add_edges_from([(ids[u], ids[v], _from_json(attrs))])
            n_edges += 1
        elif keys == _END_KEYS:
            footer = record["end"]
            if next(numbered, None) is not None:
                raise fail(number, "the end line is not the last line")
            if not isinstance(footer, dict) or footer.keys() != _FOOTER_KEYS:
                raise fail(number, f"the end line must hold {sorted(_FOOTER_KEYS)}")
            if footer["nodes"] != n_nodes or footer["edges"] != n_edges:
                raise fail(number, f"the file says {show(footer['nodes'])} nodes and "
                                   f"{show(footer['edges'])} edges but holds {n_nodes} and "
                                   f"{n_edges}: {truncated}")
            if digest.hexdigest() != footer["sha256"]:
                raise fail(number, "checksum mismatch: the file was changed after paperkg "
                                   "wrote it; rebuild it with `paperkg build`")
            break
        else:
            raise fail(number, f"unknown record with keys {show(sorted(keys), 60)}; "
                               "expected a node, an edge or the end line")
        digest.update(raw)
    if footer is None:
        raise fail(number + 1, f"no end line: {truncated}")
    return G
