"""Table exports: Gephi's spreadsheet import and Neo4j's bulk import.

Both are folder formats with the attributes of :func:`paperkg.exports.flatten.flat_graph`,
written with the :mod:`csv` module (UTF-8, ``\\n`` line ends, minimal quoting), rows sorted by
id, so the same graph always gives the same bytes. Rows are flattened one at a time as
they are written: no flat copy of the graph is made.

``csv`` — ``nodes.csv`` and ``edges.csv`` in the layout of Gephi's *Import spreadsheet*
(Data Laboratory): nodes ``Id, Label, Type, …``; edges ``Source, Target, Type, Weight, …``
with ``Type`` = ``Directed`` and ``Weight`` = the number of mentions.

``neo4j`` — ``papers.csv``, ``concepts.csv`` and ``mentions.csv`` with the typed headers
of ``neo4j-admin database import full``::

    neo4j-admin database import full --nodes=papers.csv --nodes=concepts.csv \\
        --relationships=mentions.csv --multiline-fields=true neo4j

Papers get the label ``Paper``; concepts ``Concept`` plus ``Method``, ``Dataset`` or
``Task``; relationships are ``MENTIONS``.

Formula injection: a spreadsheet may run a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula — a title such as
``=HYPERLINK("http://evil", "x")`` would. Following OWASP's rule, every text cell that
starts with one of these six characters is written with a leading ``'``, which
spreadsheets show as text; numbers are written as they are. Reading a file back, drop
one ``'`` from a text cell that starts with quotes followed by one of them
(:func:`unneutralise`; a text that itself starts that way got one more ``'``).

Examples
--------
>>> import networkx as nx, tempfile, pathlib
>>> G = nx.DiGraph()
>>> G.add_node("paper:p", kind="paper", label="T", title="T")
>>> G.add_node("concept:BERT", kind="concept", type="METHOD", label="BERT", paper_count=1)
>>> G.add_edge("paper:p", "concept:BERT", mentions=2)
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> write_neo4j(G, out)
>>> (out / "concepts.csv").read_text().splitlines()
['id:ID,:LABEL,label,paper_count:int,type', 'concept:BERT,Concept;Method,BERT,1,method']
>>> (out / "mentions.csv").read_text().splitlines()[1]
'paper:p,concept:BERT,MENTIONS,2'
>>> neutralise("=1+1"), neutralise("-1"), neutralise(-1), neutralise("'@x"), neutralise("'s")
("'=1+1", "'-1", -1, "''@x", "'s")
>>> all(unneutralise(neutralise(t)) == t for t in ("=1", "'=1", "''+1", "'s", "x"))
True
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx

from paperkg.exports.flatten import (
    RENAMED, attribute_kinds, fill_defaults, flat_attrs, flat_node, flat_node_types, flat_types,
    node_type,
)

__all__ = ["FORMULA_START", "neutralise", "unneutralise", "write_gephi_csv", "write_neo4j"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_NEO4J_TYPES = {bool: "boolean", int: "int", float: "double", str: ""}
#: Column order of the Neo4j files (the rest follow, sorted).
_PAPER_FIRST = ("title", "date", "url")
_CONCEPT_FIRST = ("label", "key", "paper_count", "type")


def _write_rows(path: Path, header: list[str], rows: Iterable[list]) -> None:
    """Write a CSV file row by row (``rows`` may be a generator: nothing is held)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _columns(kinds: dict[str, type], first=(), skip=()) -> list[str]:
    rest = sorted(set(kinds) - set(first) - set(skip))
    return [k for k in first if k in kinds] + rest


def _flat_nodes(G: nx.DiGraph, nodes: list[str], kinds: dict[str, type]) -> Iterator[tuple[str, dict]]:
    """Each node's flat attributes (:mod:`paperkg.exports.flatten`), one at a time."""
    for n in nodes:
        yield n, fill_defaults(flat_node(n, G.nodes[n]), kinds)


def _edges(G: nx.DiGraph, order: list[str]) -> Iterator[tuple[str, str, dict]]:
    """The edges sorted by (source, target), with their raw attributes."""
    for u in order:
        for v in sorted(G.succ[u]):
            yield u, v, G.succ[u][v]


def _flat_edges(G: nx.DiGraph, order: list[str]) -> tuple[dict[str, type], Iterator]:
    """Each edge's attribute types, and the flat edges (sorted, one at a time)."""
    kinds = attribute_kinds(flat_types(d) for *_, d in _edges(G, order))
    flat = ((u, v, fill_defaults(flat_attrs(d), kinds)) for u, v, d in _edges(G, order))
    return kinds, flat


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'`` (OWASP)."""
    # Cells that already start with quotes before such a character get one more, so
    # that unneutralise() gives back exactly what was written.
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_START):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise` on a cell read back from a table export."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_START):
        return text[1:]
    return text


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)


def write_gephi_csv(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``nodes.csv`` and ``edges.csv`` for Gephi's spreadsheet import into ``path``.

    Streamed: each row is flattened as it is written, never a copy of the graph.
    """
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    order = sorted(G)
    kinds = attribute_kinds(flat_node_types(G.nodes[n]) for n in order)
    extra = _columns(kinds, skip=("label", "type"))
    _write_rows(
        out / "nodes.csv",
        ["Id", "Label", "Type", *extra],
        ([_cell(n), _cell(d.get("label", n)), _cell(d.get("type", "")),
          *(_cell(d.get(k, "")) for k in extra)]
         for n, d in _flat_nodes(G, order, kinds)),
    )
    kinds, edges = _flat_edges(G, order)
    extra = _columns(kinds)
    _write_rows(
        out / "edges.csv",
        ["Source", "Target", "Type", "Weight", *extra],
        ([_cell(u), _cell(v), "Directed", d.get("mentions", 1) or 1,
          *(_cell(d.get(k, "")) for k in extra)]
         for u, v, d in edges),
    )


def _typed(name: str, kind: type) -> str:
    suffix = _NEO4J_TYPES.get(kind, "")
    return f"{name}:{suffix}" if suffix else name


def _neo4j_labels(d: dict) -> str:
    """``Paper``, or ``Concept`` plus the concept's type (``Concept;Method``)."""
    if d.get("type") == "paper":
        return "Paper"
    return "Concept;" + str(d["type"]).capitalize() if d.get("type") else "Concept"


def write_neo4j(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``papers.csv``, ``concepts.csv`` and ``mentions.csv`` for ``neo4j-admin import``.

    Node ids (``paper:…``, ``concept:…``) are one global id space; empty strings become
    absent properties on import. Streamed, as :func:`write_gephi_csv`.
    """
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    order = sorted(G)
    kinds = attribute_kinds(flat_node_types(G.nodes[n]) for n in order)
    nodes = {
        "paper": [n for n in order if node_type(G.nodes[n]) == "paper"],
        "concept": [n for n in order if node_type(G.nodes[n]) != "paper"],
    }
    # Each file keeps only the columns its own kind has (the others are filled in for all).
    own = {kind: set() for kind in nodes}
    for n in order:
        own["paper" if G.nodes[n].get("kind") == "paper" else "concept"].update(
            RENAMED.get(k, k) for k in G.nodes[n])
    for kind, file, first in (
        ("paper", "papers.csv", _PAPER_FIRST),
        ("concept", "concepts.csv", _CONCEPT_FIRST),
    ):
        columns = [c for c in _columns(kinds, first, skip=("kind",)) if c in own[kind]]
        _write_rows(
            out / file,
            ["id:ID", ":LABEL", *(_typed(c, kinds[c]) for c in columns)],
            ([_cell(n), _neo4j_labels(d), *(_cell(d.get(c, "")) for c in columns)]
             for n, d in _flat_nodes(G, nodes[kind], kinds)),
        )
    kinds, edges = _flat_edges(G, order)
    columns = _columns(kinds)
    _write_rows(
        out / "mentions.csv",
        [":START_ID", ":END_ID", ":TYPE", *(_typed(c, kinds[c]) for c in columns)],
        ([_cell(u), _cell(v), "MENTIONS", *(_cell(d.get(c, "")) for c in columns)]
         for u, v, d in edges),
    )
