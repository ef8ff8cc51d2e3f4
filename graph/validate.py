"""Check graph records against the convention of :mod:`paperkg.graph.schema`.

Each check takes one record as it is stored in ``graph.json`` (JSON values: lists and
tuples are both accepted as sequences) and returns ``None`` when it conforms, or a short
one-line phrase saying what is wrong. :mod:`paperkg.graph.store` runs the same checks
when it saves (so it never writes a file it would refuse) and when it loads (adding the
file name and line number).

Attributes the convention names must be present with the stated type; other attributes
may hold any JSON value and are kept as they are.

Examples
--------
>>> check_node("paper:p1", {"kind": "paper", "label": "T", "title": "T", "abstract": "",
...                         "date": "", "url": "", "sources": ["a.txt:1"], "code_urls": []})
>>> check_node("paper:p1", {"kind": "paper", "title": 3})
"paper 'paper:p1': attribute 'label' is missing"
>>> check_node("concept:x", {"kind": "topic"})
"node 'concept:x': unknown kind 'topic' (expected 'paper' or 'concept')"
>>> check_edge({"mentions": 1, "evidence": "", "field": "body", "start": 0, "end": 1,
...             "surface": "x", "score": 1.0})
"attribute 'field' must be 'title' or 'abstract', not 'body'"
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from paperkg.graph.schema import (
    CONCEPT,
    CONCEPT_PREFIX,
    PAPER,
    PAPER_PREFIX,
    SCHEMA_VERSION,
    TYPES,
)

__all__ = ["check_edge", "check_graph_attrs", "check_node", "show"]

#: Paper fields an edge's first mention may lie in.
_FIELDS = ("title", "abstract")


def show(value: Any, limit: int = 40) -> str:
    """Return a short one-line ``repr`` of ``value`` for an error message.

    >>> show("a\\u2028b")
    "'a\\\\u2028b'"
    >>> show("x" * 100, limit=8)
    "'xxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", tuple: "a list", str: "a string",
            bool: "a boolean", int: "an integer", float: "a number",
            type(None): "null"}.get(type(value), type(value).__name__)


# Each checker returns None if the value conforms, else what was expected.
def _str(v: Any) -> str | None:
    return None if isinstance(v, str) else "a string"


def _str_seq(v: Any) -> str | None:
    ok = isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v)
    return None if ok else "a list of strings"


def _int(v: Any, minimum: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= minimum


def _count(v: Any) -> str | None:
    return None if _int(v, 0) else "a non-negative integer"


def _positive(v: Any) -> str | None:
    return None if _int(v, 1) else "a positive integer"


def _number(v: Any) -> str | None:
    ok = isinstance(v, (int, float)) and not isinstance(v, bool)
    return None if ok else "a number"


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    expected = " or ".join(repr(c) for c in choices)
    if len(choices) > 2:
        expected = ", ".join(repr(c) for c in choices[:-1]) + " or " + repr(choices[-1])

    def check(v: Any) -> str | None:
        return None if isinstance(v, str) and v in choices else expected

    return check


def _type_counts(v: Any) -> str | None:
    ok = isinstance(v, dict) and all(_int(n, 0) for n in v.values())
    return None if ok else "an object of non-negative integers"


def _merges(v: Any) -> str | None:
    ok = isinstance(v, (list, tuple)) and all(_str_seq(m) is None for m in v)
    return None if ok else "a list of lists of strings"


def _acronyms(v: Any) -> str | None:
    ok = isinstance(v, dict) and all(_str_seq(x) is None for x in v.values())
    return None if ok else "an object of lists of strings"


#: Required attributes and their checks, per node kind (see :mod:`paperkg.graph.schema`).
_NODE_ATTRS: dict[str, dict[str, Callable[[Any], str | None]]] = {
    PAPER: {"kind": _str, "label": _str, "title": _str, "abstract": _str, "date": _str,
            "url": _str, "sources": _str_seq, "code_urls": _str_seq},
    CONCEPT: {"kind": _str, "type": _one_of(TYPES), "label": _str, "key": _str,
              "aliases": _str_seq, "paper_count": _count, "type_counts": _type_counts},
}
_EDGE_ATTRS: dict[str, Callable[[Any], str | None]] = {
    "mentions": _positive, "evidence": _str, "field": _one_of(_FIELDS), "start": _count,
    "end": _count, "surface": _str, "score": _number,
}
_GRAPH_ATTRS: dict[str, Callable[[Any], str | None]] = {
    "generator": _str, "model": _str, "merges": _merges, "ambiguous_acronyms": _acronyms,
}


def _check_attrs(attrs: Mapping[str, Any], spec: Mapping[str, Callable[[Any], str | None]]
                 ) -> str | None:
    for name, check in spec.items():
        if name not in attrs:
            return f"attribute {name!r} is missing"
        value = attrs[name]
        expected = check(value)
        if expected is not None:
            if expected.startswith("'") or isinstance(value, (list, tuple, dict)):
                # a choice, or a container with a wrong item: show the value found
                return f"attribute {name!r} must be {expected}, not {show(value)}"
            return f"attribute {name!r} must be {expected}, not {_type_name(value)}"
    return None


# Fast paths: exact types, no messages. Each accepts only what the full check accepts;
# anything else goes to the full check, which says what is wrong (or accepts it).
def _strs_ok(v: Any) -> bool:
    if type(v) is not list and type(v) is not tuple:
        return False
    for x in v:
        if type(x) is not str:
            return False
    return True


def _paper_ok(node: str, a: dict) -> bool:
    g = a.get
    return (type(g("label")) is str and type(g("title")) is str and type(g("abstract")) is str
            and type(g("date")) is str and type(g("url")) is str and _strs_ok(g("sources"))
            and _strs_ok(g("code_urls")) and node.startswith(PAPER_PREFIX))


def _concept_ok(node: str, a: dict) -> bool:
    g = a.get
    key, count, counts = g("key"), g("paper_count"), g("type_counts")
    if not (type(key) is str and type(count) is int and count >= 0 and type(counts) is dict
            and g("type") in TYPES and type(g("label")) is str and _strs_ok(g("aliases"))
            and node == CONCEPT_PREFIX + key):
        return False
    for n in counts.values():
        if type(n) is not int or n < 0:
            return False
    return True


_FAST = {PAPER: _paper_ok, CONCEPT: _concept_ok}


def check_node(node: Any, attrs: Any) -> str | None:
    """Return what is wrong with a node record (id and attributes), or ``None``.

    The id must be a string with the prefix of the node's ``kind``; a concept's id must be
    ``"concept:" + key``; every attribute the schema names for that kind must be present
    with its type.
    """
    if not isinstance(node, str):
        return f"node id must be a string, not {_type_name(node)}"
    if not isinstance(attrs, dict):
        return f"node {show(node)}: attributes must be an object, not {_type_name(attrs)}"
    kind = attrs.get("kind")
    if type(kind) is str and kind in _FAST and type(node) is str and _FAST[kind](node, attrs):
        return None
    if not isinstance(kind, str) or kind not in _NODE_ATTRS:
        if "kind" not in attrs:
            return f"node {show(node)}: attribute 'kind' is missing"
        return (f"node {show(node)}: unknown kind {show(kind)} "
                f"(expected {PAPER!r} or {CONCEPT!r})")
    problem = _check_attrs(attrs, _NODE_ATTRS[kind])
    if problem is not None:
        return f"{kind} {show(node)}: {problem}"
    if kind == PAPER and not node.startswith(PAPER_PREFIX):
        return f"paper {show(node)}: id must start with {PAPER_PREFIX!r}"
    if kind == CONCEPT and node != CONCEPT_PREFIX + attrs["key"]:
        return f"concept {show(node)}: id must be {CONCEPT_PREFIX!r} + key {show(attrs['key'])}"
    return None


def check_edge(attrs: Any) -> str | None:
    """Return what is wrong with an edge's attributes, or ``None``.

    Which nodes the edge joins is checked by the store, which knows the nodes.
    """
    if type(attrs) is dict:  # fast path, as for nodes
        g = attrs.get
        m, start, end, score = g("mentions"), g("start"), g("end"), g("score")
        if (type(m) is int and m >= 1 and type(start) is int and start >= 0
                and type(end) is int and end >= start and type(g("evidence")) is str
                and type(g("surface")) is str and g("field") in _FIELDS
                and (type(score) is float or type(score) is int)):
            return None
    if not isinstance(attrs, dict):
        return f"attributes must be an object, not {_type_name(attrs)}"
    problem = _check_attrs(attrs, _EDGE_ATTRS)
    if problem is None and attrs["end"] < attrs["start"]:
        return f"end {attrs['end']} is before start {attrs['start']}"
    return problem


def check_graph_attrs(attrs: Any) -> str | None:
    """Return what is wrong with the graph attributes, or ``None``.

    A ``schema`` other than :data:`~paperkg.graph.schema.SCHEMA_VERSION` asks for a rebuild.

    >>> check_graph_attrs({"schema": 0})
    'graph schema 0, but this paperkg reads schema 1: rebuild it with `paperkg build`'
    """
    if not isinstance(attrs, dict):
        return f"graph attributes must be an object, not {_type_name(attrs)}"
    schema = attrs.get("schema")
    if isinstance(schema, bool) or schema != SCHEMA_VERSION:
        if "schema" not in attrs:
            return "graph attribute 'schema' is missing"
        return (f"graph schema {show(schema)}, but this paperkg reads schema "
                f"{SCHEMA_VERSION}: rebuild it with `paperkg build`")
    problem = _check_attrs(attrs, _GRAPH_ATTRS)
    return None if problem is None else f"graph {problem}"
