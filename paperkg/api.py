"""paperkg's Python API: the whole job, read → extract → resolve → build → export.

Examples
--------
>>> from paperkg.api import build, seeds_dir
>>> report = build([seeds_dir()], "paperkg-out")          # doctest: +SKIP
>>> report.papers, sorted(report.files)                    # doctest: +SKIP
(291, [...])
"""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from paperkg.exports import DEFAULT_FORMATS, export, resolve_format
from paperkg.errors import InputError
from paperkg.extract.records import Mention, Paper
from paperkg.graph.build import build_graph
from paperkg.graph.structure import annotate_structure, check_resolution
from paperkg.graph.store import GRAPH_FILE, save_graph
from paperkg.outputs import staged_folder
from paperkg.writers import in_background, write_all

if TYPE_CHECKING:
    from paperkg.extract.concepts.thesaurus import Thesaurus

__all__ = [
    "BuildReport",
    "build",
    "graph_from_mentions",
    "graph_from_papers",
    "load_graph",
    "open_index",
    "seeds_dir",
]

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

    mentions = []
    for done, (_, found) in enumerate(extract(nlp, papers, min_score=min_score), start=1):
        mentions.extend(found)
        if progress:
            progress(done, len(papers))
    G = graph_from_mentions(papers, mentions, thesaurus=thesaurus, model_name=model_name)
    return annotate_structure(G, resolution=resolution)


def graph_from_mentions(
    papers: Sequence[Paper],
    mentions: Sequence[Mention],
    *,
    thesaurus: str | os.PathLike | Thesaurus | None = None,
    model_name: str = "",
) -> nx.DiGraph:
    """Resolve the corpus's concepts from extracted ``mentions`` and build the graph (no
    structure). ``thesaurus``: a file, or one already loaded."""
    from paperkg import __version__
    from paperkg.extract.concepts.resolve import resolve
    from paperkg.extract.concepts.thesaurus import Thesaurus, load_thesaurus

    table = thesaurus if isinstance(thesaurus, Thesaurus) or not thesaurus else load_thesaurus(thesaurus)
    concepts = resolve(papers, mentions, thesaurus=table)
    return build_graph(papers, concepts, generator=f"paperkg {__version__}", model=model_name)


def open_index(build: str | os.PathLike = "paperkg-out"):
    """Open a build's index (``graph.sqlite``) read-only, for queries without loading the graph.

    Every function of :mod:`paperkg.graph.queries` takes the returned
    :class:`~paperkg.graph.index.GraphIndex` in place of a networkx graph and gives the same
    answers; use it as a context manager (``with open_index("paperkg-out") as index: ...``).

    Raises
    ------
    InputError
        If ``build`` has no index (a folder from an older paperkg: rebuild it) or it is damaged.
    """
    from paperkg.graph.index import GraphIndex, find_index

    path = find_index(build)
    if path is None:
        raise InputError(f"{build}: no graph.sqlite here; build it with `paperkg build -o {build}`")
    return GraphIndex.open(path)


def load_graph(
    build: str | os.PathLike = "paperkg-out",
    nodes: Iterable[str] | None = None,
    *,
    neighbours: bool = False,
) -> nx.DiGraph:
    """Return a build's graph as a :class:`networkx.DiGraph`: whole, or the part around ``nodes``.

    ``nodes`` are node ids (``"paper:ID"``, ``"concept:KEY"``); ``neighbours`` adds their
    papers or concepts. A part is read from the index (``graph.sqlite``) alone, so it costs
    what it holds, not the whole graph; the whole graph comes from ``graph.json``.
    """
    from paperkg.graph.index import find_index
    from paperkg.graph.store import load_graph as load_saved

    if isinstance(nodes, str):  # one node id, not its characters
        nodes = [nodes]
    if nodes is None:
        return load_saved(build)
    if find_index(build) is None:
        G = load_saved(build)
        keep = {n for n in nodes if n in G}
        if neighbours:
            keep |= {m for n in list(keep) for m in nx.all_neighbors(G, n)}
        return G.subgraph(sorted(keep)).copy()
    with open_index(build) as index:
        return index.to_networkx(nodes, neighbours=neighbours)


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts, the files it wrote (name → bytes) and where the time went.

    ``without_abstract`` counts the papers kept with a title only; ``skipped`` names
    (``file:line`` or ``file:line (entry KEY)``) the records skipped for want of a title.
    ``extracted`` papers went through the extractor; ``reused`` took their mentions from the
    previous build's extraction cache (:mod:`paperkg.extract.cache`). ``timings`` gives the
    seconds of each stage in order: ``read``, ``extract`` (with the cache), ``resolve``
    (resolution and the graph), ``structure``, ``save`` (``graph.json`` and the store), then
    ``export <format>`` for each export.
    """

    out: Path
    papers: int
    concepts: dict[str, int]
    edges: int
    files: dict[str, int] = field(default_factory=dict)
    without_abstract: int = 0
    skipped: tuple[str, ...] = ()
    extracted: int = 0
    reused: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    file_seconds: dict[str, float] = field(default_factory=dict)


class _Clock:
    """Wall time per stage: ``with clock("stage"): ...`` adds to ``clock.seconds["stage"]``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started


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
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> BuildReport:
    """Read ``inputs`` (default: the seed pages), build the graph, save it and export it.

    Writes ``graph.json`` (the saved graph), ``graph.sqlite`` (the indexed store queries
    read, which also holds the extraction cache) and each of ``formats`` into the folder
    ``out``, as one transaction (:func:`paperkg.outputs.staged_folder`): ``out`` is checked
    and locked before anything is read, everything is written into a staging folder beside
    it, and the finished folder replaces the previous build in one rename. A failure or an
    interrupt leaves the previous build as it was; a folder of the user's is never replaced.

    A rebuild into the same ``out`` extracts only the papers whose title, abstract or
    model changed since the previous build there, and takes the other papers' mentions from
    its store; resolution always runs over the whole corpus, so the graph is the one a build
    from scratch gives.

    Parameters
    ----------
    resolution:
        The Louvain resolution of the concept communities (:mod:`paperkg.graph.structure`):
        higher gives more, smaller communities.
    format:
        Forces one input format for every input (a name of
        :data:`paperkg.extract.read.readers.READERS`; default: by suffix and content).
    jobs, engine, scheduler:
        Where extraction runs (:func:`paperkg.extract.ner.engines.extract_papers`): ``jobs``
        processes on this machine (default: every core), or ``engine="dask"`` on the Dask
        distributed cluster whose scheduler is at ``scheduler``.

    Raises
    ------
    InputError
        For a bad input, a missing model, an unknown format or engine, or an ``out`` that
        paperkg may not write (a file, a folder of the user's, one another build is writing).
    """
    from paperkg import __version__
    from paperkg.extract.cache import ExtractionCache, model_identity
    from paperkg.extract.ner.engines import ENGINES
    from paperkg.extract.ner.pipeline import resolve_model
    from paperkg.extract.read.readers import READERS, read_inputs
    from paperkg.graph.index import INDEX_FILE, write_index

    from paperkg.extract.concepts.thesaurus import load_thesaurus

    for name, value in (("out", out), ("model", model), ("thesaurus", thesaurus)):
        if not (isinstance(value, (str, os.PathLike)) or (value is None and name == "thesaurus")):
            raise InputError(f"{name} must be a path or a name, not {value!r}")
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    if inputs is not None and not list(inputs):
        raise InputError("no inputs given (leave them out to build the seed pages)")
    _check_formats(formats)
    try:
        check_resolution(resolution)
    except ValueError as err:
        raise InputError(str(err)) from None
    if format is not None and format not in READERS:
        raise InputError(f"unknown input format {format!r}; known: {', '.join(READERS)}")
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    out = Path(out)
    table = load_thesaurus(thesaurus) if thesaurus else None  # a bad one fails before any work
    clock = _Clock()
    with staged_folder(out, kind="build") as stage:
        model_dir = resolve_model(model)
        identity = model_identity(model_dir, min_score=min_score, version=__version__)
        model_name = _model_name(model_dir)
        with clock("read"):
            reading = read_inputs(list(inputs) if inputs else [seeds_dir()], format=format)
        papers = reading.papers
        with clock("extract"):
            cached = ExtractionCache.lookup(out / INDEX_FILE, identity, papers)
            with ExtractionCache.create(stage / INDEX_FILE, identity) as cache:
                mentions = _extract(
                    papers, cached, cache, model, min_score=min_score, jobs=jobs, engine=engine,
                    scheduler=scheduler, progress=progress,
                )
            reused = sum(1 for p in papers if p.id in cached)
            del cached
        with _extraction_frozen():
            with clock("resolve"), _collector_paused():
                G = graph_from_mentions(
                    papers, mentions, thesaurus=table, model_name=model_name
                )
            del mentions
            processes = _write_processes(G, jobs)
            with _map_layout_alongside(G, formats) as layout_ready:
                with clock("structure"):
                    G = annotate_structure(G, resolution=resolution)
                writers = {GRAPH_FILE: partial(save_graph, G, stage / GRAPH_FILE),
                           INDEX_FILE: partial(write_index, G, stage / INDEX_FILE)}
                for fmt, filename in formats:
                    writers[filename] = partial(export, G, stage / filename, format=fmt)
                before = {filename: layout_ready for fmt, filename in formats
                          if resolve_format(filename, fmt).layout}
                with clock("write"):
                    seconds = write_all(writers, processes=processes, before=before)
        written = [stage / name for name in writers]
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
        extracted=len(papers) - reused,
        reused=reused,
        timings=clock.seconds,
        file_seconds=seconds,
    )


def _extract(
    papers: Sequence[Paper],
    cached: dict[str, list[Mention]],
    cache,
    model: str,
    *,
    min_score: float | None,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    progress: Progress | None,
) -> list[Mention]:
    """Every paper's mentions in paper order: from ``cached``, or extracted and added to ``cache``."""
    from paperkg.extract.ner.engines import extract_papers

    todo = (p for p in papers if p.id not in cached)
    fresh = None
    if len(cached) < len(papers):
        fresh = extract_papers(
            todo, model, min_score=min_score, jobs=jobs, engine=engine, scheduler=scheduler
        )
    mentions: list[Mention] = []
    for done, paper in enumerate(papers, start=1):
        if paper.id in cached:
            found = cached[paper.id]
        else:
            extracted, found = next(fresh)
            if extracted.id != paper.id:  # the engines keep input order; never mix papers up
                raise RuntimeError(f"extraction returned {extracted.id!r} for {paper.id!r}")
        cache.add(paper, found)
        mentions.extend(found)
        if progress:
            progress(done, len(papers))
    return mentions


@contextmanager
def _extraction_frozen():
    """Keep the cyclic garbage collector off what exists now (the papers and their mentions),
    which lives to the end of the build: the collector need not scan it again and again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector: resolution makes many objects and no cycles
    (measured ~10-15% of its time at 20k papers); its state is restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_formats(formats: object) -> None:
    """Refuse export formats a build cannot write: each must be a (format name, file name)
    pair whose file name is a plain name inside the build folder, once, and none of the
    build's own files (its saved graph, index and manifest)."""
    from paperkg.graph.index import INDEX_FILE
    from paperkg.outputs import MANIFEST

    if isinstance(formats, (str, bytes)) or not isinstance(formats, Iterable):
        raise InputError(f"formats must be (format, file name) pairs, not {formats!r}")
    seen = {GRAPH_FILE, INDEX_FILE, MANIFEST}
    for pair in formats:
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise InputError(f"formats must be (format, file name) pairs, not {pair!r}")
        fmt, filename = pair
        if filename in ("", ".", "..") or any(sep and sep in filename for sep in ("/", os.sep, os.altsep)):
            raise InputError(f"export file name {filename!r} must be a plain name inside the build folder")
        if filename in seen:
            raise InputError(f"export file name {filename!r} is used twice, or is one of the build's own files")
        seen.add(filename)
        resolve_format(filename, fmt)


#: Graphs with fewer nodes lay their map out in the writer that first needs it: a spawned
#: process takes longer to start than such a layout takes.
BACKGROUND_LAYOUT_NODES = 5_000


@contextmanager
def _map_layout_alongside(
    G: nx.DiGraph, formats: Sequence[tuple[str | None, str]]
) -> Iterator[Callable[[], None]]:
    """Lay ``G``'s map out in a spawned process while the body runs (the communities and
    centralities, which change attributes only, then the files that need no positions),
    and give the body a function that waits for the layout and keeps it for the writers
    that place nodes by it (:attr:`paperkg.exports.Format.layout`), which
    :func:`~paperkg.writers.write_all` calls just before it starts them. The layout, one
    of a build's longest steps, runs once and beside the rest on any graph of
    :data:`BACKGROUND_LAYOUT_NODES` or more, whether the files are written side by side
    or one at a time: the process holds the graph's edges as arrays
    (:func:`paperkg.exports.layout.plan_positions`), not a copy of the graph. On a smaller
    graph the function does nothing: the first writer that needs the layout computes it
    and the others reuse it in this process."""
    from paperkg.exports.layout import plan_positions

    wanted = any(resolve_format(name, fmt).layout for fmt, name in formats)
    if not wanted or G.number_of_nodes() < BACKGROUND_LAYOUT_NODES:
        yield lambda: None
        return
    plan = plan_positions(G)
    with in_background(plan.work, "map layout", start="spawn") as layout:
        kept = False

        def ready() -> None:
            nonlocal kept
            if not kept:
                plan.keep(layout.result())
                kept = True

        yield ready


#: Graphs with fewer nodes write their files one after the other (a fork costs more).
PARALLEL_WRITE_NODES = 5_000
#: Graphs with more nodes write their files one after the other too: each forked writer
#: ends up with its own copy of most of the graph's pages (every object it reads has its
#: reference count written), so at 100,000 papers two writers took the build from 2.5 GB to
#: 7.6 GB (proportional set size of all its processes, bench/bench_scale.py).
PARALLEL_WRITE_MAX_NODES = 50_000


def _write_processes(G: nx.DiGraph, jobs: int | None) -> int:
    """How many files to write at once: one per core (or ``jobs``) on a mid-sized graph, else 1."""
    from paperkg.extract.ner.engines import available_cores

    if not PARALLEL_WRITE_NODES <= G.number_of_nodes() <= PARALLEL_WRITE_MAX_NODES:
        return 1
    return available_cores() if jobs is None else jobs


def _model_name(model_dir: Path) -> str:
    """``name-version`` of the pipeline in ``model_dir`` (its meta.json), as the graph records it."""
    try:
        meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the pipeline's {model_dir / 'meta.json'}: {err}") from None
    if not isinstance(meta, dict):
        raise InputError(f"{model_dir / 'meta.json'} is not a JSON object: a damaged pipeline?")
    return f"{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size
