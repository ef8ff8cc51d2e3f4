"""paperkg's Python API: the whole job, read → extract → resolve → build → export.

Examples
--------
>>> from paperkg.api import build, seeds_dir
>>> report = build([seeds_dir()], "paperkg-out")          # doctest: +SKIP
>>> report.papers, sorted(report.files)                    # doctest: +SKIP
(291, [...])
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from paperkg.exports import DEFAULT_FORMATS, export
from paperkg.errors import InputError
from paperkg.extract.records import Paper
from paperkg.graph.build import build_graph
from paperkg.graph.structure import annotate_structure
from paperkg.graph.store import GRAPH_FILE, save_graph
from paperkg.outputs import staged_folder

__all__ = ["BuildReport", "build", "graph_from_papers", "seeds_dir"]

#: Called after each paper is extracted, with (papers done, papers in all).
Progress = Callable[[int, int], None]


def seeds_dir() -> Path:
    """Return the folder of the seed pages shipped with paperkg (the default input)."""
    spec = importlib.util.find_spec("paperkg.seeds")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("the seed pages are not installed; name an input file")
    return Path(list(spec.submodule_search_locations)[0])


def graph_from_papers(
    papers: Sequence[Paper],
    nlp,
    *,
    thesaurus: str | os.PathLike | None = None,
    model_name: str = "",
    min_score: float | None = None,
    progress: Progress | None = None,
    resolution: float = 1.0,
) -> nx.DiGraph:
    """Extract mentions from ``papers`` with ``nlp``, resolve concepts, build the graph.

    ``min_score`` drops mentions the model is less sure of (``None``: the model's own
    default threshold). The graph carries its communities and centralities
    (:func:`paperkg.graph.structure.annotate_structure`, Louvain at ``resolution``).
    """
    from paperkg.extract.ner.pipeline import extract
    from paperkg.extract.concepts.resolve import resolve
    from paperkg.extract.concepts.thesaurus import load_thesaurus
    from paperkg import __version__

    table = load_thesaurus(thesaurus) if thesaurus else None
    mentions = []
    for done, (_, found) in enumerate(extract(nlp, papers, min_score=min_score), start=1):
        mentions.extend(found)
        if progress:
            progress(done, len(papers))
    concepts = resolve(papers, mentions, thesaurus=table)
    G = build_graph(
        papers, concepts, generator=f"paperkg {__version__}", model=model_name
    )
    return annotate_structure(G, resolution=resolution)


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts, and the files it wrote (name → bytes).

    ``without_abstract`` counts the papers kept with a title only; ``skipped`` names
    (``file:line`` or ``file:line (entry KEY)``) the records skipped for want of a title.
    """

    out: Path
    papers: int
    concepts: dict[str, int]
    edges: int
    files: dict[str, int] = field(default_factory=dict)
    without_abstract: int = 0
    skipped: tuple[str, ...] = ()


def build(
    inputs: Iterable[str | os.PathLike] | None,
    out: str | os.PathLike,
    *,
    model: str = "default",
    thesaurus: str | os.PathLike | None = None,
    formats: Sequence[tuple[str, str]] = DEFAULT_FORMATS,
    min_score: float | None = None,
    progress: Progress | None = None,
    resolution: float = 1.0,
    format: str | None = None,
) -> BuildReport:
    """Read ``inputs`` (default: the seed pages), build the graph, save it and export it.

    Writes ``graph.json`` (the saved graph every query reads) and each of ``formats``
    into the folder ``out``, as one transaction (:func:`paperkg.outputs.staged_folder`):
    ``out`` is checked and locked before anything is read, everything is written into a
    staging folder beside it, and the finished folder replaces the previous build in one
    rename. A failure or an interrupt leaves the previous build as it was; a folder of the
    user's is never replaced. ``resolution`` is the Louvain resolution of the concept
    communities (:mod:`paperkg.graph.structure`): higher gives more, smaller communities.
    ``format`` forces one input format for every input (a name of
    :data:`paperkg.extract.read.readers.READERS`; default: by suffix and content).

    Raises
    ------
    InputError
        For a bad input, a missing model, an unknown format, or an ``out`` that paperkg
        may not write (a file, a folder of the user's, one another build is writing).
    """
    from paperkg.exports import resolve_format
    from paperkg.extract.ner.pipeline import load_pipeline
    from paperkg.extract.read.readers import READERS, read_inputs

    for fmt, filename in formats:
        resolve_format(filename, fmt)
    if format is not None and format not in READERS:
        raise InputError(f"unknown input format {format!r}; known: {', '.join(READERS)}")
    out = Path(out)
    with staged_folder(out, kind="build") as stage:
        reading = read_inputs(list(inputs) if inputs else [seeds_dir()], format=format)
        papers = reading.papers
        nlp = load_pipeline(model)
        name = f"{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"
        G = graph_from_papers(
            papers, nlp, thesaurus=thesaurus, model_name=name, min_score=min_score,
            progress=progress, resolution=resolution,
        )
        written = [save_graph(G, stage / GRAPH_FILE)]
        for fmt, filename in formats:
            written.append(export(G, stage / filename, format=fmt))
        files = {p.name: _size(p) for p in written}
    types: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        if d.get("kind") == "concept":
            types[d["type"]] = types.get(d["type"], 0) + 1
    return BuildReport(
        out=out,
        papers=sum(1 for _, k in G.nodes(data="kind") if k == "paper"),
        concepts=dict(sorted(types.items())),
        edges=G.number_of_edges(),
        files=files,
        without_abstract=reading.without_abstract,
        skipped=reading.skipped,
    )


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size
