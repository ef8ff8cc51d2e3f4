"""The ``paperkg`` command: thin typer commands over :mod:`paperkg.api` and :mod:`graph`.

Exit status: 0 on success, 1 for bad input (one line on stderr, no traceback, no
partial output file), 2 for a usage error. Heavy modules are imported inside the
commands so ``--help`` stays instant. The query commands read the build's index
(``graph.sqlite``, :mod:`paperkg.graph.index`) when ``--graph`` names a build folder that
has one, without loading the graph; a ``graph.json`` path, or a folder without an index,
is loaded whole.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from paperkg import __version__

__all__ = ["app", "main"]

app = typer.Typer(
    name="paperkg",
    help="Turn paper titles and abstracts into a paper–concept graph you can query and open in Gephi.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_OUT = Path("paperkg-out")
#: What `paperkg build` exports by default (paperkg.exports.DEFAULT_FORMATS, by name).
DEFAULT_EXPORTS = "graphml, cooccurrence-graphml, turtle, gexf, cooccurrence-gexf, html"
GraphOption = Annotated[
    Path, typer.Option("--graph", "-g", help="Build folder (or graph.json) to query.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ModelOption = Annotated[
    str,
    typer.Option("--model", "-m", help="'default' (accurate), 'fast', or a pipeline folder."),
]
TYPES = ("METHOD", "DATASET", "TASK")


def _type(value: Optional[str]) -> Optional[str]:
    """Validate a --type option (any case); a bad one is a usage error."""
    if value is None:
        return None
    if value.upper() not in TYPES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(TYPES)}")
    return value.upper()


def _nonempty_path(value: Optional[Path]) -> Optional[Path]:
    if value is not None and str(value).strip() in ("", "."):
        raise typer.BadParameter("name a new folder or file (not the current folder)")
    return value


def _nonempty_text(value: Optional[str]) -> Optional[str]:
    if value is not None and not value.strip():
        raise typer.BadParameter("must not be empty")
    return value


def _exports(value: Optional[str]) -> Optional[str]:
    """Validate --exports (format names, or none); a bad one is a usage error."""
    if value is not None:
        from paperkg.errors import InputError
        from paperkg.exports import build_exports

        try:
            build_exports(value)
        except InputError as err:
            raise typer.BadParameter(str(err)) from None
    return value


def _coloring(value: Optional[str]) -> Optional[str]:
    """Validate --color (any case); a bad one is a usage error."""
    from paperkg.exports.palette import COLORINGS

    if value is not None and value.lower() not in COLORINGS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(COLORINGS)}")
    return None if value is None else value.lower()


def _positive(value: Optional[float]) -> Optional[float]:
    """Validate a resolution: a positive finite number; anything else is a usage error."""
    if value is not None and not 0 < value < float("inf"):
        raise typer.BadParameter(f"{value!r} is not a positive finite number")
    return value


TypeOption = Annotated[
    Optional[str], typer.Option("--type", "-t", help="METHOD, DATASET or TASK.", callback=_type)
]



def _version(value: bool) -> None:
    if value:
        typer.echo(f"paperkg {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """paperkg: papers in, a paper–concept knowledge graph out."""


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def _load(graph: Path):
    from paperkg.graph.store import load_graph

    return load_graph(graph)


@contextmanager
def _source(graph: Path) -> Iterator:
    """What the query commands read: the build's index (:mod:`paperkg.graph.index`) when
    ``graph`` is a build folder holding one (or the index file), else the loaded graph."""
    from paperkg.graph.index import GraphIndex, find_index

    found = find_index(graph)
    if found is None:
        yield _load(graph)
        return
    index = GraphIndex.open(found)
    try:
        yield index
    finally:
        index.close()


def _part(source, part):
    """The networkx graph a structure command reads: ``part(index)`` of an index (the nodes
    it needs), or the loaded graph itself."""
    from paperkg.graph.index import GraphIndex

    return part(source) if isinstance(source, GraphIndex) else source


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console(soft_wrap=False).print(table)


def _short(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def build(
    inputs: Annotated[
        Optional[list[Path]],
        typer.Argument(help="Paper files or folders: daily-papers pages (.txt), .jsonl, .csv, arXiv "
                       "(.xml, snapshot .jsonl), OpenAlex / Semantic Scholar / CSL-JSON (.json, .jsonl), "
                       ".bib, .ris; any of them .gz. Default: the seed pages."),
    ] = None,
    input_format: Annotated[
        Optional[str],
        typer.Option("--format", help="Read every input as this format (page, jsonl, csv, arxiv, "
                     "arxiv-snapshot, openalex, s2, csl-json, bibtex, ris). Default: by suffix and content."),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Output folder (new, empty, or an earlier build).",
                     callback=_nonempty_path),
    ] = DEFAULT_OUT,
    model: ModelOption = "default",
    thesaurus: Annotated[
        Optional[Path], typer.Option(help="CSV/TSV thesaurus: variant → canonical, or → ignore.")
    ] = None,
    min_score: Annotated[
        Optional[float],
        typer.Option(min=0.0, max=1.0, help="Drop mentions scored below this (default: the model's)."),
    ] = None,
    resolution: Annotated[
        float,
        typer.Option(callback=_positive,
                     help="Louvain resolution of the concept communities (higher: more, smaller)."),
    ] = 1.0,
    jobs: Annotated[
        Optional[int], typer.Option("--jobs", min=1, help="Extraction processes (default: every core)")
    ] = None,
    engine: Annotated[
        str,
        typer.Option(help="Where extraction runs: local, or dask (a Dask distributed cluster; "
                     "needs paperkg[cluster])"),
    ] = "local",
    scheduler: Annotated[
        Optional[str],
        typer.Option(help="The Dask scheduler's address (tcp://host:8786) for --engine dask"),
    ] = None,
    exports: Annotated[
        Optional[str],
        typer.Option(callback=_exports, help="Export formats to write beside graph.json and graph.sqlite, "
                     "comma-separated (names as in `paperkg export -h`), or none. Default: "
                     f"{DEFAULT_EXPORTS}."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Build the paper–concept graph and write the saved graph, its index and the exports."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from paperkg.api import build as run_build
    from paperkg.exports import build_exports

    formats = build_exports(DEFAULT_EXPORTS if exports is None else exports)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=quiet,
        transient=False,
    ) as bar:
        task = bar.add_task("extracting", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = run_build(
            inputs, out, model=model, thesaurus=thesaurus, min_score=min_score, progress=progress,
            resolution=resolution, format=input_format, jobs=jobs, engine=engine, scheduler=scheduler,
            formats=formats,
        )
    if not quiet:
        concepts = ", ".join(f"{n} {t.lower()}" for t, n in report.concepts.items())
        typer.echo(
            f"{report.papers} papers, {sum(report.concepts.values())} concepts ({concepts}), "
            f"{report.edges} paper–concept edges"
        )
        if report.reused:
            typer.echo(
                f"  {report.extracted} papers extracted, {report.reused} unchanged papers' "
                "mentions taken from the previous build"
            )
        if report.without_abstract or report.skipped:
            typer.echo(
                f"  {report.without_abstract} papers with a title only (no abstract), "
                f"{len(report.skipped)} records without a title skipped"
            )
        for name, size in report.files.items():
            typer.echo(f"  {report.out / name}  ({size:,} bytes)")


@app.command()
def shared(
    papers: Annotated[
        Optional[list[str]], typer.Argument(help="Papers (id, title or title fragment). None: all.")
    ] = None,
    graph: GraphOption = DEFAULT_OUT,
    min_papers: Annotated[int, typer.Option(min=1, help="Without papers: least papers sharing.")] = 2,
    type: TypeOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Most concepts per type.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Concepts shared by the named papers (or by ≥ N papers), with evidence sentences."""
    from paperkg.graph.queries import shared_concepts

    if papers and len(set(papers)) < 2:
        raise typer.BadParameter("name two or more papers, or none (concepts shared by "
                                 "--min-papers papers)", param_hint="PAPERS")

    with _source(graph) as source:
        result = shared_concepts(source, papers or None, min_papers=min_papers, limit=limit)
    if type:
        result = {t: v for t, v in result.items() if t == type}
    if as_json:
        _print_json({t: [asdict(i) for i in items] for t, items in result.items()})
        return
    for t, items in result.items():
        rows = []
        for item in items:
            for i, ev in enumerate(item.papers):
                rows.append([item.label if i == 0 else "", _short(ev.title, 60), _short(ev.evidence)])
        _table(f"{t} ({len(items)})", ["concept", "paper", "evidence"], rows)


@app.command()
def papers(
    concept: Annotated[str, typer.Argument(help="Concept label or any alias.")],
    graph: GraphOption = DEFAULT_OUT,
    as_json: JsonOption = False,
) -> None:
    """Papers that mention a concept, found by label or any alias."""
    from paperkg.graph.queries import papers_for

    with _source(graph) as source:
        result = papers_for(source, concept)
    if as_json:
        _print_json([asdict(r) for r in result])
        return
    for item in result:
        rows = [[e.paper.removeprefix("paper:"), _short(e.title, 60), _short(e.evidence)] for e in item.papers]
        _table(f"{item.label} [{item.type}] — {len(rows)} papers", ["id", "title", "evidence"], rows)


@app.command()
def related(
    paper: Annotated[str, typer.Argument(help="Paper id, exact title or unambiguous fragment.")],
    graph: GraphOption = DEFAULT_OUT,
    limit: Annotated[int, typer.Option(min=1, help="Most papers to list.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Papers related to a paper, ranked by shared concepts weighted by rarity."""
    from paperkg.graph.queries import related as find_related

    with _source(graph) as source:
        result = find_related(source, paper, limit=limit)
    if as_json:
        _print_json([asdict(r) for r in result])
        return
    rows = [[f"{r.score:.3f}", r.paper.removeprefix("paper:"), _short(r.title, 60), ", ".join(r.shared)] for r in result]
    _table(f"related to {paper!r}", ["score", "id", "title", "shared concepts"], rows)


def _by(value: str) -> str:
    """Validate --by (any case); a bad one is a usage error."""
    from paperkg.graph.structure import CENTRALITY

    if value.lower() not in CENTRALITY:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(CENTRALITY)}")
    return value.lower()


@app.command()
def top(
    type: TypeOption = None,
    with_concept: Annotated[
        Optional[str], typer.Option("--with", callback=_nonempty_text,
                                    help="List concepts co-occurring with this one.")
    ] = None,
    by: Annotated[
        str,
        typer.Option("--by", callback=_by, help="papers (per type), degree (weighted), links, "
                     "pagerank or betweenness (all types, or --type)."),
    ] = "papers",
    limit: Annotated[int, typer.Option(min=1, help="Most concepts per type.")] = 10,
    graph: GraphOption = DEFAULT_OUT,
    as_json: JsonOption = False,
) -> None:
    """Top concepts per type by paper count, by a centrality (--by), or those co-occurring with one."""
    from paperkg.graph.queries import cooccurring, top_concepts

    if by != "papers" and not with_concept:
        from paperkg.graph.structure import central_concepts

        with _source(graph) as source:
            G = _part(source, lambda index: index.concepts_graph())
        ranked = central_concepts(G, by=by, type=type, limit=limit)
        if as_json:
            _print_json({f"by {by}": [asdict(c) for c in ranked]})
            return
        rows = [
            [c.label, c.type, str(c.community), str(c.papers), str(c.degree), f"{c.pagerank:.5f}",
             f"{c.betweenness:.4f}"]
            for c in ranked
        ]
        _table(f"concepts by {by}" + (f" ({type})" if type else ""),
               ["concept", "type", "community", "papers", "degree", "pagerank", "betweenness"], rows)
        return
    with _source(graph) as source:
        if with_concept:
            items = cooccurring(source, with_concept, limit=limit)
            if type:
                items = [i for i in items if i.type == type]
            result = {f"with {with_concept}": items}
        else:
            result = top_concepts(source, type=type, limit=limit)
    if as_json:
        _print_json({k: [asdict(i) for i in v] for k, v in result.items()})
        return
    for title, items in result.items():
        _table(title, ["papers", "concept", "type"], [[str(i.count), i.label, i.type] for i in items])


ResolutionOption = Annotated[
    Optional[float],
    typer.Option(callback=_positive,
                 help="Recompute at this Louvain resolution (higher: more, smaller communities)."),
]


@app.command(name="communities")
def list_communities(
    graph: GraphOption = DEFAULT_OUT,
    resolution: ResolutionOption = None,
    limit: Annotated[Optional[int], typer.Option(min=1, help="Most communities to list.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Communities of co-occurring concepts: id, label, size, top concepts and papers."""
    from paperkg.graph.structure import communities

    with _source(graph) as source:
        G = _part(source, lambda index: index.to_networkx() if resolution else index.communities_graph())
    found = communities(G, resolution=resolution)[:limit]
    if as_json:
        _print_json([asdict(c) for c in found])
        return
    rows = [
        [str(c.id), str(c.size), str(c.papers), c.label, ", ".join(c.concept_labels[:6]),
         _short(c.paper_titles[0], 60) if c.paper_titles else ""]
        for c in found
    ]
    _table(f"communities ({len(rows)})",
           ["id", "concepts", "papers", "label", "top concepts", "top paper"], rows)


@app.command(name="community")
def show_community(
    community_id: Annotated[str, typer.Argument(metavar="ID", help="Community id (see `paperkg communities`).")],
    graph: GraphOption = DEFAULT_OUT,
    resolution: ResolutionOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Most concepts and papers to list.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """One community: its concepts and papers, most central first."""
    from paperkg.graph.structure import annotate_structure, community

    with _source(graph) as source:
        G = _part(source, lambda index: index.to_networkx() if resolution else index.community_graph(community_id))
    if resolution:
        G = annotate_structure(G, resolution=resolution)
    detail = community(G, community_id, limit=limit)
    if as_json:
        _print_json(asdict(detail))
        return
    c = detail.community
    typer.echo(f"community {c.id}: {c.label} — {c.size} concepts, {c.papers} papers")
    _table("concepts", ["concept", "type", "papers", "degree", "pagerank", "betweenness"], [
        [x.label, x.type, str(x.papers), str(x.degree), f"{x.pagerank:.5f}", f"{x.betweenness:.4f}"]
        for x in detail.concepts
    ])
    _table("papers", ["id", "title", "concepts here"], [
        [p["paper"].removeprefix("paper:"), _short(p["title"], 80), str(p["concepts_here"])]
        for p in detail.papers
    ])


@app.command()
def concepts(
    explain: Annotated[
        Optional[str], typer.Option("--explain", "-e", callback=_nonempty_text,
                                    help="Show how this concept was merged.")
    ] = None,
    ambiguous: Annotated[
        bool, typer.Option("--ambiguous", help="List acronyms with competing expansions.")
    ] = False,
    graph: GraphOption = DEFAULT_OUT,
    as_json: JsonOption = False,
) -> None:
    """Explain concept merges: surface forms, papers and rules; or ambiguous acronyms."""
    if ambiguous and explain:
        raise typer.BadParameter("use --explain or --ambiguous, not both", param_hint="--ambiguous")
    if ambiguous or not explain:
        with _source(graph) as source:
            attrs = _part(source, lambda index: index.to_networkx(())).graph
        found = {k: list(v) for k, v in sorted(attrs.get("ambiguous_acronyms", {}).items())}
        if as_json:
            _print_json(found)
        else:
            rows = [[short, " | ".join(expansions)] for short, expansions in found.items()]
            _table(f"acronyms with competing expansions ({len(rows)})", ["acronym", "expansions"], rows)
        return
    from paperkg.graph.queries import explain_concept

    with _source(graph) as source:
        result = explain_concept(source, explain)
    if as_json:
        _print_json([asdict(e) for e in result])
        return
    rows = [
        [e.label, e.surface, e.rule + (f" ({e.detail})" if e.detail else ""), str(len(e.papers)),
         ", ".join(p.removeprefix("paper:") for p in e.papers[:4]) + (" …" if len(e.papers) > 4 else "")]
        for e in result
    ]
    labels = ", ".join(repr(label) for label in dict.fromkeys(e.label for e in result)) or repr(explain)
    _table(f"merges into {labels}", ["concept", "surface form", "rule", "papers", "paper ids"], rows)


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="DyGIE-style JSONL (corpora) or seed-gold JSONL.")],
    model: ModelOption = "default",
    mapping: Annotated[
        Optional[str],
        typer.Option(help="Label mapping for DyGIE files, e.g. 'Method=METHOD,Material=DATASET'."),
    ] = None,
    raw: Annotated[
        bool, typer.Option("--raw", help="Seed gold: score raw spans, not resolved concepts.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Score the extractor on gold: span and document-level P/R/F1 per type."""
    from paperkg.extract.ner.evaluate import evaluate_file, format_report
    from paperkg.extract.ner.pipeline import load_pipeline
    from paperkg.extract.records import TYPES

    table = None
    if mapping:
        pairs = [[part.strip() for part in item.split("=", 1)] for item in mapping.split(",") if item.strip()]
        if not pairs or any(len(p) != 2 or not all(p) for p in pairs):
            raise typer.BadParameter("use LABEL=TYPE pairs separated by commas", param_hint="--mapping")
        table = {label: kind.upper() for label, kind in pairs}
        wrong = sorted(kind for kind in table.values() if kind not in TYPES)
        if wrong:
            raise typer.BadParameter(f"{wrong[0]!r} is not a type: use {', '.join(TYPES)}",
                                     param_hint="--mapping")
    result = evaluate_file(load_pipeline(model), gold, mapping=table, resolved=not raw)
    if as_json:
        _print_json(result)
    else:
        typer.echo(format_report(result))


@app.command(name="export")
def export_graph(
    format: Annotated[
        Optional[str],
        typer.Option("--format", "-f", help="Format name (see --list). Default: from the output's suffix (turtle without -o)."),
    ] = None,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Output path.", callback=_nonempty_path)
    ] = None,
    graph: GraphOption = DEFAULT_OUT,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing file of yours (never a folder).")
    ] = False,
    list_formats: Annotated[bool, typer.Option("--list", help="List the formats.")] = False,
    color: Annotated[
        Optional[str],
        typer.Option("--color", callback=_coloring,
                     help="Colour nodes by 'type' (default) or 'community' (gexf, cooccurrence-gexf, png, html)."),
    ] = None,
) -> None:
    """Export the saved graph in one format (by name, or by the output's suffix)."""
    from paperkg.exports import FORMATS, export, resolve_format

    if list_formats:
        for f in FORMATS.values():
            typer.echo(f"{f.name:22} {' '.join(f.suffixes):28} {f.description}")
        return
    if output is None:
        fmt = resolve_format("paperkg.ttl" if format is None else "", format)
        folder = graph if graph.is_dir() else graph.parent
        output = folder / f"paperkg{fmt.suffixes[0]}"
    fmt = resolve_format(output, format)
    options = {}
    if color is not None:
        if "color" not in fmt.options:
            takes = ", ".join(f.name for f in FORMATS.values() if "color" in f.options)
            raise typer.BadParameter(f"the {fmt.name} export is not coloured (use {takes})",
                                     param_hint="--color")
        options["color"] = color
    G = _load(graph)
    path = export(G, output, format=fmt.name, force=force, **options)
    typer.echo(str(path))


@app.command(name="extract")
def extract_records(
    input: Annotated[Path, typer.Argument(help='JSON Lines records {"id", "title", "abstract"}.')],
    model: ModelOption = "default",
) -> None:
    """Print one JSON line of typed mentions per input record."""
    from paperkg.extract.ner.pipeline import extract, load_pipeline
    from paperkg.extract.read.readers import read_jsonl
    from paperkg.extract.records import Paper

    from paperkg.errors import InputError

    papers = []
    for r in read_jsonl(input):
        if r.skipped:  # one output line per input record: a record without a title is an error here
            raise InputError(f"{r.where}: record has no 'title'")
        papers.append(Paper(id=r.id or f"{input.name}:{r.source.line}", title=r.title, abstract=r.abstract))
    nlp = load_pipeline(model)
    for paper, mentions in extract(nlp, papers):
        line = {
            "id": paper.id,
            "mentions": [
                {
                    "field": m.field,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "type": m.type,
                    "concept": m.concept,
                    "label": m.label,
                    "score": m.score,
                }
                for m in mentions
            ],
        }
        typer.echo(json.dumps(line, ensure_ascii=False))


def _terminate(signum, frame) -> None:
    """SIGTERM unwinds like Ctrl-C, so staging files are removed on the way out."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: exit 0 on success, 1 with one line for bad input, 2 for a usage error,
    130 after Ctrl-C or SIGTERM (with nothing half-written left behind)."""
    import signal

    from paperkg.errors import InputError

    signal.signal(signal.SIGTERM, _terminate)
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="paperkg", standalone_mode=False)
    except InputError as err:
        typer.echo(f"error: {err}", err=True)
        for line in getattr(err, "candidates", []) or []:
            typer.echo(f"  {line}", err=True)
        sys.exit(1)
    except (KeyboardInterrupt, typer.Abort):
        code = 130
    except typer.TyperException as err:  # usage errors: message and usage, exit 2
        err.show()
        sys.exit(getattr(err, "exit_code", 2))
    except OSError as err:
        where = f": {err.filename}" if err.filename else ""
        typer.echo(f"error: {err.strerror or err}{where}", err=True)
        sys.exit(1)
    except MemoryError:  # an input far beyond the limits on bytes, as many tiny records
        typer.echo("error: out of memory: the input is too large for this machine; split it "
                   "(nothing was written)", err=True)
        sys.exit(1)
    if code == 130:  # typer turns Ctrl-C inside a command into exit status 130
        typer.echo("error: interrupted; no output was changed", err=True)
    sys.exit(code if isinstance(code, int) else 0)
