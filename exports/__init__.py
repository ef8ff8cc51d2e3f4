"""paperkg's export formats, chosen by name or file suffix from one registry.

Each format is a writer ``write(G, path)`` in a small module of this package, imported
lazily when the format is used. :func:`export` writes atomically and safely (:mod:`paperkg.outputs`): a failed export
leaves no partial file behind, and nothing of the user's is replaced.

Examples
--------
>>> get_format("turtle").suffixes
('.ttl',)
>>> get_format("out/graph.cooccurrence.graphml").name
'cooccurrence-graphml'
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from paperkg.errors import InputError
from paperkg.outputs import (
    atomic_output, check_file_target, read_manifest, record_output, staged_folder, writing_into,
)

__all__ = [
    "DEFAULT_FORMATS", "FORMATS", "Format", "build_exports", "export", "get_format", "resolve_format",
]


@dataclass(frozen=True)
class Format:
    """An export format: its name, file suffixes, and where its writer lives."""

    name: str
    suffixes: tuple[str, ...]
    writer: str  # "module:function", imported on first use
    description: str
    #: The writer fills a folder rather than one file (table exports).
    folder: bool = False
    #: Keyword options the writer takes (``color``: ``"type"`` or ``"community"``).
    options: tuple[str, ...] = ()
    #: The writer places nodes by the map layout of the whole graph
    #: (:func:`paperkg.exports.layout.positions`), which a build computes once, ahead of
    #: its writers.
    layout: bool = False

    def load_writer(self):
        """Import and return the writer function ``write(G, path)``."""
        module, _, function = self.writer.partition(":")
        return getattr(importlib.import_module(module), function)


#: Every export format, by name. Longer suffixes win (".cooccurrence.graphml" before ".graphml").
FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("graphml", (".graphml",), "paperkg.exports.gephi:write_graphml",
               "paper–concept graph as GraphML (Gephi, yEd, igraph)"),
        Format("cooccurrence-graphml", (".cooccurrence.graphml",),
               "paperkg.exports.gephi:write_cooccurrence_graphml",
               "concept co-occurrence graph as GraphML (weight = shared papers)"),
        Format("turtle", (".ttl",), "paperkg.exports.rdf:write_turtle", "RDF in Turtle"),
        Format("ntriples", (".nt",), "paperkg.exports.rdf:write_ntriples", "RDF in N-Triples"),
        Format("jsonld", (".jsonld",), "paperkg.exports.rdf:write_jsonld", "RDF in JSON-LD"),
        Format("rdfxml", (".rdf", ".owl"), "paperkg.exports.rdf:write_rdfxml", "RDF in RDF/XML"),
        Format("gexf", (".gexf",), "paperkg.exports.gexf:write_gexf",
               "paper–concept graph as GEXF 1.3, coloured and laid out (Gephi, Gephi Lite)",
               options=("color",), layout=True),
        Format("cooccurrence-gexf", (".cooccurrence.gexf",),
               "paperkg.exports.gexf:write_cooccurrence_gexf",
               "concept co-occurrence graph as GEXF 1.3, coloured and laid out",
               options=("color",), layout=True),
        Format("csv", ("-csv",), "paperkg.exports.tables:write_gephi_csv",
               "nodes.csv + edges.csv for Gephi's spreadsheet import (a folder)", folder=True),
        Format("neo4j", ("-neo4j",), "paperkg.exports.tables:write_neo4j",
               "papers.csv, concepts.csv, mentions.csv for neo4j-admin import (a folder)",
               folder=True),
        Format("html", (".html", ".htm"), "paperkg.exports.html:write_html",
               "self-contained interactive map (one HTML file, works offline)",
               options=("color",)),
        Format("png", (".png",), "paperkg.exports.png:write_png",
               "static overview picture of the concept co-occurrence graph", options=("color",)),
        Format("vosviewer", ("-vosviewer",), "paperkg.exports.vosviewer:write_vosviewer",
               "map.txt + network.txt of the concept map for VOSviewer (a folder)", folder=True),
        Format("vosviewer-json", (".vosviewer.json",), "paperkg.exports.vosviewer:write_vosviewer_json",
               "the concept map as VOSviewer Online JSON"),
    ]
}

#: What ``paperkg build`` writes beside the saved graph, as (format name, file name).
DEFAULT_FORMATS: tuple[tuple[str, str], ...] = (
    ("graphml", "paperkg.graphml"),
    ("cooccurrence-graphml", "paperkg.cooccurrence.graphml"),
    ("turtle", "paperkg.ttl"),
    ("gexf", "paperkg.gexf"),
    ("cooccurrence-gexf", "paperkg.cooccurrence.gexf"),
    ("html", "paperkg.html"),
)


def build_exports(names: str | Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The ``(format, file name)`` pairs a build writes for the named export formats.

    ``names`` are format names (of :data:`FORMATS`, any case), as a list or one
    comma-separated string; ``"none"`` alone asks for no exports (the build then writes
    only ``graph.json`` and ``graph.sqlite``, from which ``paperkg export`` writes any
    format later). Each file is called ``paperkg`` followed by its format's first suffix,
    as :data:`DEFAULT_FORMATS` are; a name given twice is written once.

    Raises
    ------
    InputError
        For an unknown name, or no name at all; the message lists the known formats.

    Examples
    --------
    >>> build_exports("turtle, GEXF")
    (('turtle', 'paperkg.ttl'), ('gexf', 'paperkg.gexf'))
    >>> build_exports("none")
    ()
    """
    if isinstance(names, str):
        names = names.split(",")
    wanted = [name.strip().lower() for name in names]
    known = ", ".join(sorted(FORMATS))
    if wanted == ["none"]:
        return ()
    if not wanted or "" in wanted or "none" in wanted:
        raise InputError(f"name the export formats, comma-separated, or none alone; known formats: {known}")
    for name in wanted:
        if name not in FORMATS:
            raise InputError(f"unknown export format {name!r}; known formats: {known}, or none")
    return tuple((name, "paperkg" + FORMATS[name].suffixes[0]) for name in dict.fromkeys(wanted))


def _by_suffix(path: str | os.PathLike) -> Format | None:
    """The format whose suffix ends ``path``'s file name (longest suffix first), if any."""
    name = Path(path).name.lower()
    by_suffix = sorted(
        ((s, f) for f in FORMATS.values() for s in f.suffixes), key=lambda sf: -len(sf[0])
    )
    return next((fmt for suffix, fmt in by_suffix if name.endswith(suffix)), None)


def get_format(name_or_path: str | os.PathLike) -> Format:
    """Return the format called ``name_or_path``, or the one its file suffix names.

    Raises
    ------
    InputError
        For an unknown name or suffix; the message lists the known formats.
    """
    text = str(name_or_path)
    fmt = FORMATS.get(text.lower()) or _by_suffix(text)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown export format {text!r}; known formats: {known}")
    return fmt


def resolve_format(path: str | os.PathLike, format: str | None = None) -> Format:
    """The format to write ``path`` in: ``format`` when given, else the one its suffix names.

    An explicit format wins over the suffix, but a suffix naming another format is an
    error (a GEXF file called ``kg.ttl`` helps no one); a path without a known suffix
    takes the named format as it is.

    Raises
    ------
    InputError
        For an unknown format, or a suffix that names a different one.
    """
    if format is None:
        found = _by_suffix(path)
        if found is None:
            suffixes = ", ".join(sorted({f.suffixes[0] for f in FORMATS.values()}))
            raise InputError(f"unknown export format for {Path(path).name!r}: its suffix names none; "
                             f"pass a format, or end the name in one of {suffixes}")
        return found
    fmt = FORMATS.get(format.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown export format {format!r}; known formats: {known}")
    named = _by_suffix(path)
    if named is not None and named is not fmt:
        raise InputError(
            f"{Path(path).name} ends in {named.suffixes[0]!r}, a {named.name} name, but the format "
            f"is {fmt.name}: use a name ending in {fmt.suffixes[0]!r} or no suffix"
        )
    return fmt


def export(
    G: nx.DiGraph,
    path: str | os.PathLike,
    *,
    format: str | None = None,
    force: bool = False,
    **options: object,
) -> Path:
    """Write ``G`` to ``path`` in ``format`` (default: chosen by the suffix of ``path``).

    ``options`` go to the writer: only those its format lists in :attr:`Format.options`
    (``color="community"`` for ``gexf``, ``cooccurrence-gexf``, ``png`` and ``html``).

    The file (or folder, for table formats) appears only once it is complete, and nothing
    of the user's is replaced (:mod:`paperkg.outputs`): an existing file only with
    ``force`` or when paperkg wrote it into one of its folders; a folder only when paperkg
    made it for the same format.

    Raises
    ------
    InputError
        For an unknown or mismatched format, an option the format does not take, or a
        target paperkg may not replace.
    """
    fmt = resolve_format(path, format)
    unknown = sorted(set(options) - set(fmt.options))
    if unknown:
        takes = ", ".join(f.name for f in FORMATS.values() if unknown[0] in f.options) or "none"
        raise InputError(f"the {fmt.name} export has no option {unknown[0]!r} (formats that do: {takes})")
    write = fmt.load_writer()
    if options:
        write = functools.partial(write, **options)
    target = Path(path)
    _check_not_a_build_file(target)
    with writing_into(target.parent):  # a build folder: not while it is rebuilt
        if fmt.folder:
            with staged_folder(target, kind=f"{fmt.name} export") as stage:
                write(G, stage)
        else:
            check_file_target(target, force=force)
            with atomic_output(target) as tmp:
                write(G, tmp)
        record_output(target.parent, target.name)
    return target


def _check_not_a_build_file(target: Path) -> None:
    """Refuse to export over a build's saved graph or index (``--force`` or not): every
    query and export of the build reads them."""
    from paperkg.graph.index import INDEX_FILE
    from paperkg.graph.store import GRAPH_FILE

    if target.name in (GRAPH_FILE, INDEX_FILE) and (read_manifest(target.parent) or {}).get("kind") == "build":
        raise InputError(f"{target} is the build's own {target.name}: export to another name")
