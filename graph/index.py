"""The query index: the built graph in one SQLite file, read without loading the graph.

A build writes ``graph.sqlite`` (:data:`INDEX_FILE`) beside ``graph.json``
(:func:`write_index`); the query commands open it read-only (:meth:`GraphIndex.open`) and
answer from B-tree lookups, so a query on 100,000 papers reads a few pages instead of the
whole graph. :class:`GraphIndex` is a :class:`paperkg.graph.source.GraphSource`: every
function of :mod:`paperkg.graph.queries` takes it in place of the networkx graph and gives
the same records in the same order. :meth:`GraphIndex.to_networkx` gives the graph back,
whole or around some nodes, equal in nodes and attributes to the graph that was indexed.

SQLite (the standard library's :mod:`sqlite3`) suits the job: point lookups by id, title or
concept name through indexes, one transactional file, no dependency. The same file may hold
other tables of the build (the extraction cache); the index owns only the ``kg_*`` tables
(:data:`INDEX_TABLES`), replaces them when it is written again, and never deletes the file.

Tables (``attrs`` columns hold the node or edge attributes as JSON, lists read back as
tuples, with ``null`` standing for a value kept in its own column)

==================  ===============================================================
``kg_info``         ``key`` → ``value``: ``format``, ``version`` (:data:`INDEX_VERSION`),
                    ``merges``, ``surrogates`` and ``titles`` (``"1"``: the graph has a
                    merge log; some text holds lone surrogates, stored as
                    ``surrogatepass`` UTF-8; ``kg_titles`` was written)
``kg_graph``        ``key`` → ``value``: each graph attribute (JSON), except ``merges``
``kg_papers``       ``id`` (node id), ``title``, ``title_key`` (``casefold().strip()``,
                    indexed), ``title_fold`` (``casefold()``, scanned for fragments)
``kg_paper_attrs``  ``id`` (unique), ``attrs`` (apart: lookups by title read narrow rows)
``kg_concepts``     ``id``, ``key``, ``label``, ``label_lower``, ``label_fold``, ``type``,
                    ``papers`` (papers mentioning it: the in-degree), ``community``,
                    ``attrs``; indexed by (type, papers, label_lower, id) and community
``kg_aliases``      ``form`` (a label or alias folded as :func:`~paperkg.graph.source.fold`
                    folds names) → ``concept``
``kg_edges``        ``paper``, ``concept`` (unique, and indexed the other way round),
                    ``mentions``, ``evidence``, ``attrs``
``kg_titles``       full-text index (FTS5, trigrams) of ``title_fold``, by the rowid of
                    ``kg_paper_attrs``: finds title fragments without reading every title
``kg_merges``       ``seq`` (position in the merge log), ``key`` (indexed), ``surface``,
                    ``paper``, ``rule``, ``detail``; ``entry`` (JSON) for an entry of
                    another shape
==================  ===============================================================

Examples
--------
>>> import tempfile
>>> import networkx as nx
>>> G = nx.DiGraph(schema=1, merges=(("bert", "BERT", "p1", "exact", ""),))
>>> G.add_node("paper:p1", kind="paper", label="BERT for QA", title="BERT for QA")
>>> G.add_node("concept:bert", kind="concept", type="METHOD", label="BERT", key="bert",
...            aliases=("BERT",), paper_count=1)
>>> G.add_edge("paper:p1", "concept:bert", mentions=1, evidence="We use BERT.")
>>> path = write_index(G, tempfile.mkdtemp() + "/" + INDEX_FILE)
>>> with GraphIndex.open(path) as index:
...     index.concepts_named("bert"), index.concepts_of("paper:p1")
...     nx.utils.graphs_equal(index.to_networkx(), G)
(['concept:bert'], ['concept:bert'])
True
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperkg.errors import InputError
from paperkg.outputs import store_errors
from paperkg.graph.source import ConceptInfo, Evidence, GraphSource, fold
from paperkg.graph.schema import CONCEPT, CONCEPT_PREFIX, PAPER, PAPER_PREFIX

if TYPE_CHECKING:  # networkx is imported by the methods that make a graph
    import networkx as nx

__all__ = [
    "INDEX_FILE",
    "INDEX_TABLES",
    "INDEX_VERSION",
    "GraphIndex",
    "concepts_of_paper",
    "find_index",
    "open_index",
    "paper_ids",
    "write_index",
]

#: File name of the index inside a build's output folder.
INDEX_FILE = "graph.sqlite"
#: Version of the table layout above; an index of another version is not read.
INDEX_VERSION = 1
_FORMAT = "paperkg-index"
#: The tables the index owns in the file, in the order they are created.
INDEX_TABLES = (
    "kg_info", "kg_graph", "kg_papers", "kg_paper_attrs", "kg_concepts", "kg_aliases",
    "kg_edges", "kg_merges", "kg_titles",
)
_SCHEMA = """
CREATE TABLE kg_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE kg_graph (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE kg_papers (
    id TEXT PRIMARY KEY, title TEXT, title_key TEXT, title_fold TEXT
) WITHOUT ROWID;
CREATE TABLE kg_paper_attrs (id TEXT NOT NULL, attrs TEXT NOT NULL);
CREATE TABLE kg_concepts (
    id TEXT PRIMARY KEY, key TEXT, label TEXT, label_lower TEXT, label_fold TEXT, type TEXT,
    papers INTEGER NOT NULL, community INTEGER, attrs TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE kg_aliases (form TEXT, concept TEXT, PRIMARY KEY (form, concept)) WITHOUT ROWID;
CREATE TABLE kg_edges (
    paper TEXT NOT NULL, concept TEXT NOT NULL, mentions INTEGER, evidence TEXT, attrs TEXT NOT NULL
);
CREATE TABLE kg_merges (
    seq INTEGER PRIMARY KEY, key TEXT, surface TEXT, paper TEXT, rule TEXT, detail TEXT, entry TEXT
);
"""
#: Created after the rows are in: one sort each instead of a B-tree kept up row by row.
_INDEXES = """
CREATE UNIQUE INDEX kg_paper_attrs_id ON kg_paper_attrs (id);
CREATE UNIQUE INDEX kg_edges_paper ON kg_edges (paper, concept);
CREATE INDEX kg_papers_title ON kg_papers (title_key);
CREATE INDEX kg_papers_fold ON kg_papers (title_fold, id);
CREATE INDEX kg_concepts_rank ON kg_concepts (type, papers DESC, label_lower, id);
CREATE INDEX kg_concepts_community ON kg_concepts (community);
CREATE INDEX kg_edges_concept ON kg_edges (concept, paper);
CREATE INDEX kg_merges_key ON kg_merges (key);
"""
#: Lone surrogates: not UTF-8, so such a string is bound as bytes and cast to TEXT.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: SQLite's host-parameter limit is 32766; lookups of many ids go in chunks of this size.
_CHUNK = 500
_MERGES = "merges"


#: SQLite's integers are 64-bit: a larger number asked for (a limit, a community id) is
#: bound as the largest, which asks for the same rows (all of them; none).
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def _text(value: Any) -> Any:
    """Bind a string as SQLite TEXT even when it holds lone surrogates (as surrogatepass
    bytes, which every statement casts back to TEXT), an integer beyond SQLite's range as
    the nearest one it holds; other values unchanged."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return value.encode("utf-8", "surrogatepass")
    if isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX:
        return _INT_MAX if value > 0 else _INT_MIN
    return value


#: JSON text of a value, keys sorted (the same graph always gives the same text).
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def _insert(conn: sqlite3.Connection, table: str, columns: str, rows: list[tuple]) -> bool:
    """Insert ``rows`` into ``table``; ``columns`` has ``t`` for each TEXT column, ``?`` else.

    Strings are bound as they are; if one holds a lone surrogate (not UTF-8), the table is
    emptied and filled again with such strings bound as bytes that SQL casts to TEXT, and
    the answer is ``True`` (the reader must then decode text with ``surrogatepass``).
    """
    marks = ", ".join("CAST(? AS TEXT)" if c == "t" else "?" for c in columns)
    sql = f"INSERT INTO {table} VALUES ({marks})"
    try:
        conn.executemany(sql, rows)
        return False
    except UnicodeEncodeError:
        conn.execute(f"DELETE FROM {table}")
        conn.executemany(sql, [tuple(map(_text, row)) for row in rows])
        return True


def _tuples(value: Any) -> Any:
    """``value`` read from JSON with every list turned into a tuple, as the graph holds them."""
    if type(value) is list:
        return tuple(_tuples(v) for v in value)
    if type(value) is dict:
        return {k: _tuples(v) if type(v) in (list, dict) else v for k, v in value.items()}
    return value


def _attrs(text: str, **columns: Any) -> dict:
    """Attributes from their JSON, with the values kept in their own columns put back."""
    attrs = _tuples(json.loads(text))
    for name, value in columns.items():
        if value is not None:
            attrs[name] = value
    return attrs


def _split(attrs: dict, name: str, kind: type) -> tuple[Any, dict]:
    """Take out attribute ``name`` when it is of ``kind`` (its key stays, holding null)."""
    value = attrs.get(name)
    if type(value) is not kind:
        return None, attrs
    return value, {**attrs, name: None}


def write_index(G: nx.DiGraph, path: str | os.PathLike) -> Path:
    """Write the query index of ``G`` into the SQLite file ``path``; return the path.

    Creates the file if it is missing; otherwise replaces only the index's own tables
    (:data:`INDEX_TABLES`), leaving every other table of the file as it was. One
    transaction, rows inserted in sorted order and indexes created afterwards, so the
    same graph always gives the same rows.

    Raises
    ------
    ValueError
        If a node is neither a paper nor a concept, or an edge does not go from a paper
        to a concept (:mod:`paperkg.graph.schema`).
    """
    papers, concepts, aliases = [], [], []
    for n, d in sorted(G.nodes(data=True), key=lambda item: item[0]):
        kind = d.get("kind")
        if kind == PAPER:
            title, rest = _split(d, "title", str)
            papers.append((n, title, None if title is None else title.casefold().strip(),
                           None if title is None else title.casefold(), _json(rest)))
        elif kind == CONCEPT:
            label = d.get("label")
            label = label if isinstance(label, str) else None
            community = d.get("community")
            concepts.append((
                n, d.get("key", n[len(CONCEPT_PREFIX):]), label,
                None if label is None else label.lower(), None if label is None else fold(label),
                d.get("type"), G.in_degree(n), community if type(community) is int else None,
                _json(d),
            ))
            forms = {fold(name) for name in (d.get("label"), *d.get("aliases", ())) if isinstance(name, str)}
            aliases.extend((form, n) for form in sorted(forms))
        else:
            raise ValueError(f"cannot index graph: node {n!r} is neither a paper nor a concept")
    edges = []
    # By concept, then paper: the rows of one concept's papers (with their evidence) lie
    # together in the file, so listing a common concept's papers reads pages in order.
    for u, v, d in sorted(G.edges(data=True), key=lambda item: (item[1], item[0])):
        if G.nodes[u].get("kind") != PAPER or G.nodes[v].get("kind") != CONCEPT:
            raise ValueError(f"cannot index graph: edge {u!r} → {v!r} is not paper → concept")
        evidence, rest = _split(d, "evidence", str)
        mentions = d.get("mentions")
        edges.append((u, v, mentions if type(mentions) is int else None, evidence, _json(rest)))
    merges = []
    for seq, entry in enumerate(G.graph.get(_MERGES, ())):
        key = entry[0] if isinstance(entry, (tuple, list)) and entry and isinstance(entry[0], str) else None
        if type(entry) is tuple and len(entry) == 5 and all(type(x) is str for x in entry):
            merges.append((seq, *entry, None))  # (key, surface, paper, rule, detail)
        else:
            merges.append((seq, key, None, None, None, None, _json(entry)))
    graph = [(k, _json(v)) for k, v in G.graph.items() if k != _MERGES]
    info = [("format", _FORMAT), ("version", str(INDEX_VERSION)),
            ("merges", "1" if _MERGES in G.graph else "0")]

    path = Path(path)
    with store_errors(path):
        _write_tables(path, graph, papers, concepts, aliases, edges, merges, info)
    return path


def _write_tables(path: Path, graph: list, papers: list, concepts: list, aliases: list,
                  edges: list, merges: list, info: list) -> None:
    """Write the index's rows into ``path`` in one transaction (:func:`write_index`)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode=OFF")  # written into a staging folder
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN")
        for table in reversed(INDEX_TABLES):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        surrogates = any([
            _insert(conn, "kg_graph", "tt", graph),
            _insert(conn, "kg_papers", "tttt", [row[:4] for row in papers]),
            _insert(conn, "kg_paper_attrs", "tt", [(row[0], row[4]) for row in papers]),
            _insert(conn, "kg_concepts", "tttttt??t", concepts),
            _insert(conn, "kg_aliases", "tt", aliases),
            _insert(conn, "kg_edges", "tt?tt", edges),
            _insert(conn, "kg_merges", "?tttttt", merges),
        ])
        titles = not surrogates and _index_titles(conn)
        _insert(conn, "kg_info", "tt", [*info, ("surrogates", str(int(surrogates))),
                                        ("titles", str(int(titles)))])
        for statement in _INDEXES.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:  # without a journal: the staging folder goes anyway
                pass
        raise
    finally:
        conn.close()


def _index_titles(conn: sqlite3.Connection) -> bool:
    """Fill ``kg_titles``, the trigram index of the folded titles; ``False`` where this
    SQLite has no FTS5 (fragments are then found by reading every title)."""
    try:
        conn.execute("CREATE VIRTUAL TABLE kg_titles USING fts5("
                     "title_fold, content='', tokenize='trigram case_sensitive 1')")
    except sqlite3.OperationalError:
        return False
    conn.execute("INSERT INTO kg_titles (rowid, title_fold) SELECT a.rowid, p.title_fold "
                 "FROM kg_paper_attrs a JOIN kg_papers p ON p.id = a.id WHERE p.title_fold IS NOT NULL")
    return True


def find_index(graph: str | os.PathLike) -> Path | None:
    """The index to query for ``--graph graph``: a build folder's ``graph.sqlite``, or the
    ``.sqlite`` file named; ``None`` for a ``graph.json`` path or a folder without one."""
    p = Path(graph)
    if p.is_dir():
        p = p / INDEX_FILE
        return p if p.is_file() else None
    return p if p.suffix == ".sqlite" else None


class GraphIndex(GraphSource):
    """A read-only connection to a query index (:func:`write_index`).

    Answers the :class:`~paperkg.graph.source.GraphSource` questions with indexed SQL;
    any SQLite error (a damaged or truncated file) becomes one
    :class:`~paperkg.errors.InputError` that asks for a rebuild.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self._conn = conn
        self.path = path
        self._merges = True
        self._titles = False

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike) -> "GraphIndex":
        """Open the index at ``path`` (the file, or the build folder holding it) read-only.

        Raises
        ------
        InputError
            If the file is missing, is not a paperkg index of this version, or is damaged.
        """
        p = Path(path)
        if p.is_dir():
            p = p / INDEX_FILE
        if not p.is_file():
            raise InputError(f"no index at {p}: run `paperkg build` first")
        try:
            conn = sqlite3.connect(f"file:{_uri_path(p)}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error as err:
            raise _damaged(p, err) from None
        index = cls(conn, p)
        try:
            page_size, pages = (conn.execute(f"PRAGMA {name}").fetchone()[0]
                                for name in ("page_size", "page_count"))
            if p.stat().st_size < page_size * pages:
                raise InputError(f"{p}: the index is truncated; rebuild it with `paperkg build`")
            info = dict(conn.execute("SELECT key, value FROM kg_info"))
            if info.get("surrogates") == "1":  # text that is not UTF-8: decode it as written
                conn.text_factory = partial(str, encoding="utf-8", errors="surrogatepass")
        except sqlite3.Error as err:
            conn.close()
            raise _damaged(p, err) from None
        except InputError:
            conn.close()
            raise
        if info.get("format") != _FORMAT or info.get("version") != str(INDEX_VERSION):
            conn.close()
            raise InputError(f"{p}: an index of another paperkg version "
                             f"({info.get('format')} {info.get('version')}); rebuild it with `paperkg build`")
        index._merges = info.get("merges") == "1"
        index._titles = info.get("titles") == "1"
        return index

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> "GraphIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        try:
            return self._conn.execute(sql, [_text(p) for p in params]).fetchall()
        except sqlite3.Error as err:
            raise _damaged(self.path, err) from None

    def _chunked(self, sql: str, ids: Iterable[str], before: list[Any] | None = None) -> list[tuple]:
        """Rows of ``sql`` (``{ids}`` in it stands for the id list), asked for
        :data:`_CHUNK` ids at a time; ``before`` are the parameters ahead of the ids."""
        ids = list(dict.fromkeys(ids))
        rows: list[tuple] = []
        for start in range(0, len(ids), _CHUNK):
            part = ids[start:start + _CHUNK]
            marks = ",".join(["CAST(? AS TEXT)"] * len(part))
            rows.extend(self._rows(sql.format(ids=marks), [*(before or ()), *part]))
        return rows

    # -- GraphSource ---------------------------------------------------------------------

    def is_paper(self, node: str) -> bool:
        return bool(self._rows("SELECT 1 FROM kg_papers WHERE id = CAST(? AS TEXT)", [node]))

    def is_concept(self, node: str) -> bool:
        return bool(self._rows("SELECT 1 FROM kg_concepts WHERE id = CAST(? AS TEXT)", [node]))

    def titles(self, papers: Iterable[str]) -> dict[str, str]:
        return dict(self._chunked("SELECT id, title FROM kg_papers WHERE id IN ({ids})", papers))

    def papers_titled(self, key: str) -> list[str]:
        rows = self._rows("SELECT id FROM kg_papers WHERE title_key = CAST(? AS TEXT)", [key])
        return sorted(r[0] for r in rows)

    def papers_containing(self, part: str) -> list[str]:
        if self._titles and len(part) >= 3:
            # The trigram index finds every title holding the fragment's trigrams in a
            # row; Python's ``in`` then keeps exactly the titles that contain it.
            rows = self._rows(
                "SELECT p.id, p.title_fold FROM kg_titles t JOIN kg_paper_attrs a ON a.rowid = t.rowid "
                "JOIN kg_papers p ON p.id = a.id WHERE kg_titles MATCH ?",
                ['"' + part.replace('"', '""') + '"'])
            return sorted(paper for paper, title in rows if part in title)
        # Else the narrow covering index (title_fold, id) is read through, not the table.
        rows = self._rows(
            "SELECT id FROM kg_papers INDEXED BY kg_papers_fold "
            "WHERE instr(title_fold, CAST(? AS TEXT)) > 0", [part])
        return sorted(r[0] for r in rows)

    def paper_titles(self) -> Iterator[tuple[str, str]]:
        return iter(self._rows("SELECT id, title FROM kg_papers"))

    def concepts_named(self, form: str) -> list[str]:
        rows = self._rows("SELECT concept FROM kg_aliases WHERE form = CAST(? AS TEXT)", [form])
        return sorted(r[0] for r in rows)

    def labels_containing(self, part: str) -> list[str]:
        rows = self._rows("SELECT label FROM kg_concepts WHERE instr(label_fold, CAST(? AS TEXT)) > 0", [part])
        return [r[0] for r in rows]

    def concepts(self, nodes: Iterable[str]) -> dict[str, ConceptInfo]:
        rows = self._chunked("SELECT id, label, type, key FROM kg_concepts WHERE id IN ({ids})", nodes)
        return {r[0]: ConceptInfo(*r[1:]) for r in rows}

    def concepts_of(self, paper: str) -> list[str]:
        rows = self._rows("SELECT concept FROM kg_edges WHERE paper = CAST(? AS TEXT)", [paper])
        return sorted(r[0] for r in rows)

    def mentions(self, concept: str, papers: list[str] | None = None) -> list[Evidence]:
        sql = ("SELECT e.paper, p.title, e.evidence, e.mentions FROM kg_edges e INDEXED BY kg_edges_concept "
               "JOIN kg_papers p ON p.id = e.paper WHERE e.concept = CAST(? AS TEXT)")
        if papers is None:
            rows = self._rows(sql, [concept])
        else:
            rows = self._chunked(sql + " AND e.paper IN ({ids})", papers, [concept])
        rows.sort()  # by paper (the index gives them so already: cheap)
        if any(row[2] is None or row[3] is None for row in rows):
            rows = [self._edge_values(concept, row) for row in rows]
        if papers is None:
            return [Evidence(*row) for row in rows]
        found = {row[0]: Evidence(*row) for row in rows}
        return [found[p] for p in sorted(papers)]

    def _edge_values(self, concept: str, row: tuple) -> tuple:
        """``row`` (paper, title, evidence, mentions) with values kept only in the edge's JSON."""
        if row[2] is not None and row[3] is not None:
            return row
        [(attrs,)] = self._rows("SELECT attrs FROM kg_edges WHERE paper = CAST(? AS TEXT) "
                                "AND concept = CAST(? AS TEXT)", [row[0], concept])
        d = self._value(attrs)
        return (row[0], row[1], d["evidence"] if row[2] is None else row[2],
                d["mentions"] if row[3] is None else row[3])

    def paper_counts(self, concepts: Iterable[str]) -> dict[str, int]:
        return dict(self._chunked("SELECT id, papers FROM kg_concepts WHERE id IN ({ids})", concepts))

    def papers_of(self, concept: str, *, first: int | None = None) -> list[str]:
        sql = "SELECT paper FROM kg_edges INDEXED BY kg_edges_concept WHERE concept = CAST(? AS TEXT)"
        if first is None:
            return [r[0] for r in self._rows(sql, [concept])]
        return sorted(r[0] for r in self._rows(sql + " ORDER BY paper LIMIT ?", [concept, first]))

    def concepts_among(self, papers: Iterable[str], concepts: list[str]) -> dict[str, list[str]]:
        if not concepts:
            return {}
        marks = ",".join(["CAST(? AS TEXT)"] * len(concepts))
        rows = self._chunked(
            "SELECT paper, concept FROM kg_edges INDEXED BY kg_edges_paper "
            f"WHERE concept IN ({marks}) AND paper IN ({{ids}})", papers, list(concepts))
        result: dict[str, list[str]] = {}
        for paper, concept in rows:
            result.setdefault(paper, []).append(concept)
        return result

    def cooccurrences(self, concept: str) -> dict[str, int]:
        rows = self._rows(
            "SELECT b.concept, count(*) FROM kg_edges a INDEXED BY kg_edges_concept "
            "JOIN kg_edges b ON b.paper = a.paper WHERE a.concept = CAST(? AS TEXT) "
            "GROUP BY b.concept", [concept])
        return dict(rows)

    def ranked(self, type: str, *, min_papers: int = 0, limit: int | None = None) -> list[tuple[str, int]]:
        rows = self._rows(
            "SELECT id, papers FROM kg_concepts INDEXED BY kg_concepts_rank "
            "WHERE type = CAST(? AS TEXT) AND papers >= ? ORDER BY papers DESC, label_lower, id LIMIT ?",
            [type, min_papers, -1 if limit is None else limit])
        return [(r[0], r[1]) for r in rows]

    def merges(self, keys: Iterable[str]) -> Iterator[tuple]:
        rows = self._chunked("SELECT * FROM kg_merges WHERE key IN ({ids})", keys)
        return iter([self._merge(row) for row in sorted(rows)])

    # -- beyond the queries --------------------------------------------------------------

    def graph_attrs(self, *, merges: bool = False) -> dict:
        """The graph attributes (``merges`` only when asked: the merge log is long)."""
        attrs = {k: self._value(v) for k, v in self._rows("SELECT key, value FROM kg_graph")}
        if merges and self._merges:
            attrs[_MERGES] = tuple(map(self._merge, self._rows("SELECT * FROM kg_merges ORDER BY seq")))
        return attrs

    def _merge(self, row: tuple) -> tuple:
        """A merge-log entry from its row."""
        return row[1:6] if row[6] is None else self._value(row[6])

    def _value(self, text: str) -> Any:
        """A value read back from its JSON text (lists as tuples)."""
        try:
            return _tuples(json.loads(text))
        except (ValueError, TypeError, RecursionError) as err:
            raise _damaged(self.path, err) from None

    def paper_ids(self) -> list[str]:
        """Every paper node id, sorted."""
        return [r[0] for r in self._rows("SELECT id FROM kg_papers ORDER BY id")]

    def concept_ids(self, *, community: int | None = None) -> list[str]:
        """Every concept node id (or those of one community), sorted."""
        if community is None:
            return [r[0] for r in self._rows("SELECT id FROM kg_concepts ORDER BY id")]
        rows = self._rows("SELECT id FROM kg_concepts WHERE community = ?", [community])
        return sorted(r[0] for r in rows)

    def community_nodes(self, community: int | None) -> list[str]:
        """The nodes :func:`paperkg.graph.structure.community` reads for one community.

        Its concepts, the papers that mention them, and the most central concepts and
        papers of every community (which name the communities); ``None``: only those.
        """
        members = [] if community is None else self.concept_ids(community=community)
        papers = {r[0] for r in self._chunked(
            "SELECT DISTINCT paper FROM kg_edges WHERE concept IN ({ids})", members)}
        tops = set()
        for c in self.graph_attrs().get("communities", ()):
            if isinstance(c, dict):
                tops.update(c.get("top_concepts", ()))
                tops.update(c.get("top_papers", ()))
        return sorted({*members, *papers, *tops})

    def _structured(self) -> bool:
        attrs = self._rows("SELECT key FROM kg_graph WHERE key IN ('communities', 'structure')")
        return len(attrs) == 2

    def communities_graph(self) -> nx.DiGraph:
        """The part of the graph :func:`paperkg.graph.structure.communities` reads: the
        graph attributes and the nodes that name the communities (the whole graph when it
        carries no structure, which is then computed on all of it)."""
        if not self._structured():
            return self.to_networkx()
        return self.to_networkx(self.community_nodes(None))

    def community_graph(self, community: int | str) -> nx.DiGraph:
        """The part of the graph :func:`paperkg.graph.structure.community` reads for one
        community (:meth:`community_nodes`); the whole graph when it carries no structure."""
        if not self._structured():
            return self.to_networkx()
        try:
            cid = int(community)
        except (TypeError, ValueError):
            cid = None
        return self.to_networkx(self.community_nodes(cid))

    def concepts_graph(self) -> nx.DiGraph:
        """Every concept node with the graph attributes, no paper and no edge: what
        :func:`paperkg.graph.structure.central_concepts` reads of a graph with its structure
        (the whole graph when it carries none)."""
        if not self._structured():
            return self.to_networkx()
        return self.to_networkx(self.concept_ids())

    def to_networkx(
        self, nodes: Iterable[str] | None = None, *, neighbours: bool = False, merges: bool | None = None
    ) -> nx.DiGraph:
        """The indexed graph, or the part of it induced by ``nodes``.

        Parameters
        ----------
        nodes
            Node ids to keep (unknown ones are left out); ``None``: the whole graph.
        neighbours
            Also keep every neighbour of ``nodes`` (the papers of a concept, the concepts
            of a paper).
        merges
            Whether the graph attribute ``merges`` (the merge log) is read; default: for
            the whole graph only.

        Returns
        -------
        networkx.DiGraph
            Nodes, edges and attributes as in the graph that was indexed.
        """
        import networkx as nx

        whole = nodes is None
        H = nx.DiGraph()
        H.graph.update(self.graph_attrs(merges=whole if merges is None else merges))
        if whole:
            concept_rows = self._rows("SELECT id, label, attrs FROM kg_concepts ORDER BY id")
            paper_rows = self._rows(
                "SELECT p.id, p.title, a.attrs FROM kg_papers p JOIN kg_paper_attrs a ON a.id = p.id "
                "ORDER BY p.id")
            edge_rows = self._rows(
                "SELECT paper, concept, mentions, evidence, attrs FROM kg_edges ORDER BY paper, concept")
        else:
            wanted = set(nodes)
            if neighbours:
                for (n,) in [*self._chunked("SELECT paper FROM kg_edges WHERE concept IN ({ids})", wanted),
                             *self._chunked("SELECT concept FROM kg_edges WHERE paper IN ({ids})", wanted)]:
                    wanted.add(n)
            concept_rows = sorted(self._chunked(
                "SELECT id, label, attrs FROM kg_concepts WHERE id IN ({ids})", wanted))
            paper_rows = sorted(self._chunked(
                "SELECT p.id, p.title, a.attrs FROM kg_papers p JOIN kg_paper_attrs a ON a.id = p.id "
                "WHERE p.id IN ({ids})", wanted))
            papers = {r[0] for r in paper_rows}
            concepts = {r[0] for r in concept_rows}
            edge_rows = sorted(
                r for r in self._chunked(
                    "SELECT paper, concept, mentions, evidence, attrs FROM kg_edges WHERE paper IN ({ids})",
                    papers)
                if r[1] in concepts
            )
        try:
            H.add_nodes_from((n, _attrs(a)) for n, _, a in concept_rows)
            H.add_nodes_from((n, _attrs(a, title=t)) for n, t, a in paper_rows)
            H.add_edges_from((u, v, _attrs(a, evidence=e)) for u, v, _, e, a in edge_rows)
        except (ValueError, TypeError) as err:
            raise _damaged(self.path, err) from None
        return H


def _uri_path(p: Path) -> str:
    """``p`` absolute, with the characters a URI reserves escaped."""
    from urllib.parse import quote

    return quote(str(p.resolve()), safe="/")


def _damaged(path: Path, err: Exception) -> InputError:
    what = str(err).splitlines()[0][:80] if str(err) else type(err).__name__
    return InputError(f"{path}: the index is damaged ({what}); rebuild it with `paperkg build`")


def open_index(path: str | os.PathLike) -> GraphIndex:
    """Open the index at ``path`` read-only (:meth:`GraphIndex.open`)."""
    return GraphIndex.open(path)


def paper_ids(index: GraphIndex) -> list[str]:
    """Every paper node id of ``index``, sorted (names :func:`~paperkg.graph.queries.find_paper` takes)."""
    return index.paper_ids()


def concepts_of_paper(index: GraphIndex, paper: str) -> list[str]:
    """The canonical keys of the concepts ``paper`` (a node id) mentions, sorted by node id
    (names :func:`~paperkg.graph.queries.find_concepts` takes)."""
    nodes = index.concepts_of(paper if paper.startswith(PAPER_PREFIX) else PAPER_PREFIX + paper)
    return [n[len(CONCEPT_PREFIX):] for n in nodes]
