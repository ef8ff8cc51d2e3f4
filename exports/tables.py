"""Table exports: Gephi's spreadsheet import and Neo4j's bulk import.

Both are folder formats built from :func:`paperkg.exports.flatten.flat_graph`, written with the
:mod:`csv` module (UTF-8, ``\\n`` line ends, minimal quoting), rows sorted by id, so the
same graph always gives the same bytes.

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
from pathlib import Path

import networkx as nx

from paperkg.exports.flatten import RENAMED, flat_graph

__all__ = ["FORMULA_START", "neutralise", "unneutralise", "write_gephi_csv", "write_neo4j"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_NEO4J_TYPES = {bool: "boolean", int: "int", float: "double", str: ""}
#: Column order of the Neo4j files (the rest follow, sorted).
_PAPER_FIRST = ("title", "date", "url")
_CONCEPT_FIRST = ("label", "key", "paper_count", "type")


def _write_rows(path: Path, header: list[str], rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _columns(items, first=(), skip=()) -> list[str]:
    seen = {k for *_, d in items for k in d}
    rest = sorted(seen - set(first) - set(skip))
    return [k for k in first if k in seen] + rest


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
    """Write ``nodes.csv`` and ``edges.csv`` for Gephi's spreadsheet import into ``path``."""
    H = flat_graph(G)
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    nodes = sorted(H.nodes(data=True))
    extra = _columns(nodes, skip=("label", "type"))
    _write_rows(
        out / "nodes.csv",
        ["Id", "Label", "Type", *extra],
        ([_cell(n), _cell(d.get("label", n)), _cell(d.get("type", "")),
          *(_cell(d.get(k, "")) for k in extra)]
         for n, d in nodes),
    )
    edges = sorted(H.edges(data=True), key=lambda e: (e[0], e[1]))
    extra = _columns(edges)
    _write_rows(
        out / "edges.csv",
        ["Source", "Target", "Type", "Weight", *extra],
        ([_cell(u), _cell(v), "Directed", d.get("mentions", 1) or 1,
          *(_cell(d.get(k, "")) for k in extra)]
         for u, v, d in edges),
    )


def _typed(name: str, sample: object) -> str:
    suffix = _NEO4J_TYPES.get(type(sample), "")
    return f"{name}:{suffix}" if suffix else name


def _neo4j_labels(d: dict) -> str:
    """``Paper``, or ``Concept`` plus the concept's type (``Concept;Method``)."""
    if d.get("type") == "paper":
        return "Paper"
    return "Concept;" + str(d["type"]).capitalize() if d.get("type") else "Concept"


def write_neo4j(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``papers.csv``, ``concepts.csv`` and ``mentions.csv`` for ``neo4j-admin import``.

    Node ids (``paper:…``, ``concept:…``) are one global id space; empty strings become
    absent properties on import.
    """
    H = flat_graph(G)
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    kinds = {
        "paper": [(n, d) for n, d in sorted(H.nodes(data=True)) if d.get("type") == "paper"],
        "concept": [(n, d) for n, d in sorted(H.nodes(data=True)) if d.get("type") != "paper"],
    }
    # Each file keeps only the columns its own kind has (flat_graph fills in the others).
    own = {kind: set() for kind in kinds}
    for n, d in G.nodes(data=True):
        own["paper" if d.get("kind") == "paper" else "concept"].update(RENAMED.get(k, k) for k in d)
    for kind, file, first in (
        ("paper", "papers.csv", _PAPER_FIRST),
        ("concept", "concepts.csv", _CONCEPT_FIRST),
    ):
        rows = kinds[kind]
        columns = [c for c in _columns(rows, first, skip=("kind",)) if c in own[kind]]
        header = ["id:ID", ":LABEL"]
        header += [_typed(c, rows[0][1].get(c) if rows else "") for c in columns]
        _write_rows(
            out / file,
            header,
            ([_cell(n), _neo4j_labels(d), *(_cell(d.get(c, "")) for c in columns)]
             for n, d in rows),
        )
    edges = sorted(H.edges(data=True), key=lambda e: (e[0], e[1]))
    columns = _columns(edges)
    header = [":START_ID", ":END_ID", ":TYPE"]
    header += [_typed(c, edges[0][2].get(c) if edges else "") for c in columns]
    _write_rows(
        out / "mentions.csv",
        header,
        ([_cell(u), _cell(v), "MENTIONS", *(_cell(d.get(c, "")) for c in columns)]
         for u, v, d in edges),
    )
