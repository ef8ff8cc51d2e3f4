"""Time and peak memory of the file exports at scale: paperkg's streamed RDF against rdflib.

Usage (from the repository root)::

    python bench/bench_rdf.py --papers N [--mentions PICKLE] [--cache DIR]
                              [--formats turtle,ntriples,...] [--check]

The graph: the first ``N`` papers of ``--mentions`` (a ``(papers, mentions)`` pickle of
synthetic abstracts, as ``/work/scale/mentions-20k.pkl``), or else of ``bench/synth.py``'s
corpus extracted here with the fast model; resolved, built and annotated with its
structure as ``paperkg build`` does, and cached as ``graph-<N>.json`` in ``--cache``.

Each measurement runs in a fresh interpreter that first loads the cached graph, so its
peak resident memory is its own; the peak is reset after loading (Linux
``/proc/self/clear_refs``) and printed beside the resident size after loading. For each
RDF format, on the same graph in the same run:

* ``rdflib``: ``to_rdf(G)`` (build the :class:`rdflib.Graph`), then rdflib's own
  serializer (``g.serialize(format=...)``), timed apart — the way paperkg wrote RDF before;
* ``paperkg``: ``paperkg.exports.export(G, path)`` — Turtle and N-Triples streamed through
  pyoxigraph, RDF/XML and JSON-LD through :mod:`paperkg.exports.rdf_xml` and
  :mod:`paperkg.exports.rdf_jsonld`, no rdflib graph.

and the ratio of the two totals, in wall time and in CPU time (on a shared machine the
CPU time is the steadier figure). Other formats (``graphml``, ``cooccurrence-graphml``,
``csv``, ``neo4j``, ``vosviewer``, ...) are timed through ``export`` alone. ``--check``
parses both Turtle files with pyoxigraph and compares their triple sets (``xsd:double``
values to the 7 significant digits rdflib's Turtle writer keeps). Not part of the
test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from memory import reset_peak, status_mib  # noqa: E402

#: rdflib's serializer name for each RDF export format.
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}
SUFFIX = {"turtle": ".ttl", "ntriples": ".nt", "rdfxml": ".rdf", "jsonld": ".jsonld"}
DEFAULT_FORMATS = "turtle,ntriples,rdfxml,jsonld"






def worker(method: str, fmt: str, graph: str, out: str) -> dict:
    """One measurement in this process: load ``graph``, write ``fmt`` by ``method``."""
    import gc

    from paperkg.graph.store import load_graph

    G = load_graph(graph)
    gc.collect()
    loaded = status_mib("VmRSS")
    reset_peak()
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    start, start_cpu = time.perf_counter(), time.process_time()
    if method == "rdflib":
        from paperkg.exports.rdf import to_rdf

        g = to_rdf(G)
        times["build"], cpu["build"] = time.perf_counter() - start, time.process_time() - start_cpu
        mid, mid_cpu = time.perf_counter(), time.process_time()
        g.serialize(destination=out, format=RDFLIB_FORMATS[fmt], encoding="utf-8")
        times["serialize"] = time.perf_counter() - mid
        cpu["serialize"] = time.process_time() - mid_cpu
        triples = len(g)
    else:
        from paperkg.exports import export

        export(G, out, format=fmt)
        triples = None
    times["total"], cpu["total"] = time.perf_counter() - start, time.process_time() - start_cpu
    peak = max(status_mib("VmHWM"), status_mib("VmRSS"))
    size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file()) \
        if Path(out).is_dir() else Path(out).stat().st_size
    return {"times": times, "cpu": cpu, "loaded_mib": loaded, "peak_mib": peak, "bytes": size, "triples": triples}


def _measure(method: str, fmt: str, graph: Path, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", method, fmt, str(graph), str(out)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{method} {fmt} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().split("\n")[-1])


def _triple_set(path: Path) -> set:
    """The triples of a Turtle file, ``xsd:double`` values rounded to rdflib's 7 digits."""
    import pyoxigraph

    double = "http://www.w3.org/2001/XMLSchema#double"

    def term(t):
        if isinstance(t, pyoxigraph.Literal) and t.datatype.value == double:
            return ("double", f"{float(t.value):.6e}")
        return t

    return {(q.subject, q.predicate, term(q.object))
            for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)}


def build_cached_graph(n: int, mentions: str | None, cache: Path) -> Path:
    """The cached graph of the first ``n`` papers (built and saved on first use)."""
    path = cache / f"graph-{n}.json"
    if path.is_file():
        return path
    from paperkg.extract.concepts.resolve import resolve
    from paperkg.graph.build import build_graph
    from paperkg.graph.store import save_graph
    from paperkg.graph.structure import annotate_structure

    if mentions:
        with open(mentions, "rb") as f:
            papers, found = pickle.load(f)
        if len(papers) < n:
            raise SystemExit(f"{mentions} holds {len(papers)} papers, fewer than {n}")
        papers = papers[:n]
        ids = {p.id for p in papers}
        found = [m for m in found if m.paper_id in ids]
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        import synth
        from paperkg.extract.ner.pipeline import extract, load_pipeline
        from paperkg.extract.records import Paper

        papers = [Paper(id=r["id"], title=r["title"], abstract=r["abstract"])
                  for r in synth.synthetic_records(n)]
        found = [m for _, ms in extract(load_pipeline("fast"), papers) for m in ms]
    start = time.perf_counter()
    G = annotate_structure(build_graph(papers, resolve(papers, found)))
    print(f"built the {n}-paper graph in {time.perf_counter() - start:.0f} s", flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    save_graph(G, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, required=True, help="number of papers")
    parser.add_argument("--mentions", help="(papers, mentions) pickle to take them from")
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "paperkg-bench"),
                        help="folder of the cached graphs (default: %(default)s)")
    parser.add_argument("--formats", default=DEFAULT_FORMATS,
                        help="comma-separated export formats (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="compare the triple sets of the two Turtle files")
    parser.add_argument("--no-rdflib", action="store_true",
                        help="time paperkg's exports only (no rdflib baseline)")
    args = parser.parse_args(argv)
    graph = build_cached_graph(args.papers, args.mentions, Path(args.cache))
    from paperkg.exports import get_format
    from paperkg.graph.store import load_graph

    G = load_graph(graph)
    print(f"{args.papers} papers: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges "
          f"({graph})")
    del G
    header = (f"{'format':<22}{'method':<9}{'build s':>9}{'write s':>9}{'total s':>9}"
              f"{'cpu s':>8}{'loaded MiB':>12}{'peak MiB':>10}{'+MiB':>7}{'MB':>8}  ratio")
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            suffix = SUFFIX.get(fmt) or get_format(fmt).suffixes[0]
            baseline = fmt in RDFLIB_FORMATS and not args.no_rdflib
            methods = ("rdflib", "paperkg") if baseline else ("paperkg",)
            results = {}
            for method in methods:
                out = Path(tmp) / f"{method}{suffix}"
                r = results[method] = _measure(method, fmt, graph, out)
                t, c = r["times"], r["cpu"]
                build = t.get("build")
                write = t.get("serialize", t["total"] - (build or 0.0))
                ratio = ""
                if method == "paperkg" and "rdflib" in results:
                    old, old_cpu = results["rdflib"]["times"], results["rdflib"]["cpu"]
                    ratio = (f"{old['total'] / t['total']:.1f}x faster, cpu "
                             f"{old_cpu['total'] / c['total']:.1f}x (rdflib's serializer alone: "
                             f"{old['serialize'] / t['total']:.1f}x, cpu "
                             f"{old_cpu['serialize'] / c['total']:.1f}x)")
                print(f"{fmt:<22}{method:<9}{build if build is not None else float('nan'):>9.2f}"
                      f"{write:>9.2f}{t['total']:>9.2f}{c['total']:>8.2f}{r['loaded_mib']:>12.0f}"
                      f"{r['peak_mib']:>10.0f}{r['peak_mib'] - r['loaded_mib']:>7.0f}"
                      f"{r['bytes'] / 1e6:>8.1f}  {ratio}", flush=True)
                if r["triples"]:
                    print(f"{'':<22}({r['triples']} triples)")
            if args.check and fmt == "turtle" and baseline:
                import pyoxigraph

                sets = [_triple_set(Path(tmp) / f"{m}.ttl") for m in methods]
                print(f"{'':<22}same triple sets: {sets[0] == sets[1]} ({len(sets[1])} triples; "
                      f"xsd:double to 7 digits, as rdflib's Turtle writes them)")
                del sets
            for p in Path(tmp).iterdir():
                if p.is_dir():
                    import shutil

                    shutil.rmtree(p)
                else:
                    p.unlink()
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(*sys.argv[2:6])))
        sys.exit(0)
    sys.exit(main())
