"""The scale bench: build N synthetic abstracts, rebuild after 1% more, time the queries.

Usage (from the repository root)::

    python bench/bench_scale.py --sizes 1000,10000,100000 --model fast --work /tmp/scale

For each N it writes N deterministic synthetic abstracts (:mod:`synth`: sentences of the
seed pages and the gold corpora, resampled; nothing is downloaded), builds them with the
default exports in a child process (``paperkg.api.build``), and prints each stage's wall
time, the per-paper cost, the share of the build that is not extraction, and the peak RSS
of the build process (and of its largest worker), and the peak of the whole process tree's
proportional set size (PSS, sampled every half second; needs psutil, which comes with
``distributed``): the memory the build takes on the machine. For ``--rebuild`` sizes it
then adds 1% new papers and rebuilds into the same folder (the extraction cache keeps the
old papers' mentions) and prints the rebuild's time as a share of the full build. For
``--query`` sizes it times ``related``, ``shared`` (a paper with its best related paper)
and ``papers`` (one of the paper's concepts) over ``--queries`` random papers in one
process (p50, p95 after one warm-up query) and as whole ``paperkg`` processes (p50, p95
over ``--cli-queries``), and Turtle written by paperkg (pyoxigraph) against rdflib's
serializer on the same triples. Figures go to stdout and, as JSON, to ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402


def _child_build(corpus: str, out: str, model: str, jobs: int | None) -> None:
    """Run one build in this process; print its report as JSON on the last line."""
    from paperkg.api import build

    started = time.perf_counter()
    report = build([corpus], out, model=model, jobs=jobs)
    wall = time.perf_counter() - started
    print(json.dumps({
        "papers": report.papers,
        "concepts": sum(report.concepts.values()),
        "edges": report.edges,
        "extracted": report.extracted,
        "reused": report.reused,
        "timings": report.timings,
        "file_seconds": report.file_seconds,
        "wall": wall,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "files": report.files,
    }))


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size of process ``pid`` and all its children, in MB (Linux, psutil).

    PSS splits each shared page between the processes sharing it, so forked workers are not
    counted twice for the graph they share with the build: the sum is the memory the build
    takes on the machine.
    """
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_full_info().pss
        except psutil.Error:
            pass
    return total / 2**20


def run_build(corpus: Path, out: Path, model: str, jobs: int | None) -> dict:
    """Build ``corpus`` into ``out`` in a child process; return its report, wall time and the
    peak memory of the whole process tree (sampled every half second)."""
    cmd = [sys.executable, __file__, "--child-build", str(corpus), str(out), model, str(jobs or 0)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    try:
        import psutil  # noqa: F401  (comes with distributed)
        sample = True
    except ImportError:
        sample = False
    while proc.poll() is None:
        if sample:
            peak = max(peak, _tree_pss_mb(proc.pid))
        time.sleep(0.5)
    stdout, stderr = proc.communicate()
    if proc.returncode:
        sys.exit(f"build of {corpus} failed:\n{stderr[-3000:]}")
    report = json.loads(stdout.strip().splitlines()[-1])
    report["process_wall"] = time.perf_counter() - started
    report["tree_pss_mb"] = peak if sample else None
    return report


def show_build(label: str, n: int, report: dict) -> None:
    t = report["timings"]
    total = report["wall"]
    other = total - t.get("extract", 0.0)
    print(f"\n{label}: {n:,} papers, {report['concepts']:,} concepts, {report['edges']:,} edges; "
          f"extracted {report['extracted']:,}, reused {report['reused']:,}")
    print(f"  build wall {total:8.1f} s   ({1000 * total / n:.2f} ms/paper); process {report['process_wall']:.1f} s")
    for stage, seconds in t.items():
        print(f"    {stage:32s} {seconds:8.2f} s  {1000 * seconds / n:7.3f} ms/paper  {100 * seconds / total:5.1f}%")
    for name, seconds in report.get("file_seconds", {}).items():
        print(f"      {name:30s} {seconds:8.2f} s  {1000 * seconds / n:7.3f} ms/paper")
    print(f"  not extraction: {other:.1f} s = {100 * other / total:.1f}% of the build")
    print(f"  peak RSS: build process {report['rss_mb']:,.0f} MB, largest worker {report['worker_rss_mb']:,.0f} MB"
          " (RSS counts the pages a forked writer shares with the build)")
    if report.get("tree_pss_mb"):
        print(f"  peak memory of the build and all its workers (sum of PSS, sampled): {report['tree_pss_mb']:,.0f} MB")


def _percentiles(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": 1000 * statistics.median(ordered), "p95_ms": 1000 * p95, "n": len(ordered)}


def _child_queries(out: str, count: int, seed: int) -> None:
    """Time in-process queries on the build in ``out``; print JSON on the last line."""
    from paperkg.graph import index as store
    from paperkg.graph import queries

    source = store.open_index(Path(out) / store.INDEX_FILE)
    rng = random.Random(seed)
    ids = store.paper_ids(source)
    picks = [ids[rng.randrange(len(ids))] for _ in range(count + 1)]
    times: dict[str, list[float]] = {"related": [], "shared": [], "papers": []}
    for i, paper in enumerate(picks):
        started = time.perf_counter()
        found = queries.related(source, paper, limit=10)
        t_related = time.perf_counter() - started
        other = found[0].paper if found else paper
        started = time.perf_counter()
        queries.shared_concepts(source, [paper, other])
        t_shared = time.perf_counter() - started
        concepts = store.concepts_of_paper(source, paper)
        t_papers = None
        if concepts:
            started = time.perf_counter()
            queries.papers_for(source, concepts[rng.randrange(len(concepts))])
            t_papers = time.perf_counter() - started
        if i == 0:
            continue  # warm-up: the first query opens the pages it reads
        times["related"].append(t_related)
        times["shared"].append(t_shared)
        if t_papers is not None:
            times["papers"].append(t_papers)
    print(json.dumps({name: _percentiles(ts) for name, ts in times.items()}))
    print(json.dumps({"picks": picks[1:]}))


def query_bench(out: Path, count: int, cli_count: int, seed: int = 0) -> dict:
    """In-process and whole-process query latencies on the build in ``out``."""
    done = subprocess.run(
        [sys.executable, __file__, "--child-queries", str(out), str(count), str(seed)],
        capture_output=True, text=True,
    )
    if done.returncode:
        sys.exit(f"queries failed:\n{done.stderr[-3000:]}")
    lines = done.stdout.strip().splitlines()
    result = {"in_process": json.loads(lines[-2])}
    picks = json.loads(lines[-1])["picks"][:cli_count]
    paperkg = [sys.executable, "-m", "paperkg"]
    cli: dict[str, list[float]] = {"related": [], "papers": [], "shared": []}
    for paper in picks:
        for name, args in (("related", ["related", paper]), ("shared", ["shared", paper])):
            started = time.perf_counter()
            run = subprocess.run([*paperkg, *args, "--graph", str(out), "--json"],
                                 capture_output=True, text=True)
            cli[name].append(time.perf_counter() - started)
            if run.returncode:
                sys.exit(f"paperkg {' '.join(args)} failed: {run.stderr[-2000:]}")
        related = json.loads(run.stdout) if name == "related" else None
        label = None
        first = subprocess.run([*paperkg, "related", paper, "--graph", str(out), "--json", "--limit", "1"],
                               capture_output=True, text=True)
        if first.returncode == 0 and json.loads(first.stdout):
            label = json.loads(first.stdout)[0]["shared"][0]
        if label:
            started = time.perf_counter()
            subprocess.run([*paperkg, "papers", label, "--graph", str(out), "--json"],
                           capture_output=True, text=True)
            cli["papers"].append(time.perf_counter() - started)
        del related
    result["cli"] = {name: _percentiles(ts) for name, ts in cli.items() if ts}
    return result


def rdf_bench(out: Path, with_rdflib: bool) -> dict:
    """Seconds to write the build's Turtle with paperkg's writer and (``with_rdflib``) with
    rdflib's serializer on the same triples."""
    code = (
        "import json,sys,time\n"
        "from pathlib import Path\n"
        "from paperkg.graph.store import load_graph\n"
        "from paperkg.exports import rdf\n"
        "G = load_graph(Path(sys.argv[1]) / 'graph.json')\n"
        "t = time.perf_counter(); rdf.write_turtle(G, Path(sys.argv[2]) / 'fast.ttl'); fast = time.perf_counter() - t\n"
        "if sys.argv[3] == '0':\n"
        "    print(json.dumps({'paperkg_s': fast})); sys.exit()\n"
        "t = time.perf_counter(); g = rdf.to_rdf(G); built = time.perf_counter() - t\n"
        "t = time.perf_counter(); g.serialize(destination=str(Path(sys.argv[2]) / 'rdflib.ttl'), format='turtle')\n"
        "ser = time.perf_counter() - t\n"
        "print(json.dumps({'paperkg_s': fast, 'rdflib_graph_s': built, 'rdflib_serialize_s': ser, 'triples': len(g)}))\n"
    )
    scratch = out.parent / (out.name + "-rdf")
    scratch.mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, "-c", code, str(out), str(scratch), "1" if with_rdflib else "0"], capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for f in scratch.iterdir():
        f.unlink()
    scratch.rmdir()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="Corpus sizes, comma-separated.")
    parser.add_argument("--rebuild", default="10000", help="Sizes to rebuild after adding 1%% new papers.")
    parser.add_argument("--query", default="", help="Sizes to time queries and the RDF writer on.")
    parser.add_argument("--model", default="fast")
    parser.add_argument("--jobs", type=int, default=0, help="Extraction processes (0: every core).")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cli-queries", type=int, default=20)
    parser.add_argument("--rdflib-max", type=int, default=20000,
                        help="Largest size to run rdflib's Turtle serializer on (it needs ~1 GB per 10k papers).")
    parser.add_argument("--work", default="bench-scale-work")
    parser.add_argument("--json", default="")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rebuild = {int(s) for s in args.rebuild.split(",") if s}
    query = {int(s) for s in args.query.split(",") if s}
    print(f"paperkg scale bench: model {args.model}, jobs {args.jobs or os.cpu_count()}, "
          f"{os.cpu_count()} cores, sentence pool {len(synth.sentence_pool()):,}")
    results: dict = {}
    for n in sizes:
        corpus = synth.write_corpus(work / f"corpus-{n}.jsonl", n)
        out = work / f"build-{n}"
        full = run_build(corpus, out, args.model, args.jobs)
        show_build("full build", n, full)
        results[n] = {"full": full}
        if n in rebuild:
            grown = work / f"corpus-{n}-plus1pct.jsonl"
            extra = max(1, n // 100)
            with grown.open("w", encoding="utf-8") as f:
                f.write(corpus.read_text(encoding="utf-8"))
                for record in synth.synthetic_records(extra, start=n):
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")
            again = run_build(grown, out, args.model, args.jobs)
            show_build(f"rebuild after {extra:,} new papers", n + extra, again)
            print(f"  rebuild / full build: {100 * again['wall'] / full['wall']:.1f}%")
            results[n]["rebuild"] = again
        if n in query:
            q = query_bench(out, args.queries, args.cli_queries)
            print(f"\nqueries on {n:,} papers:")
            for where, figures in q.items():
                for name, f in figures.items():
                    print(f"  {where:10s} {name:8s} p50 {f['p50_ms']:8.1f} ms  p95 {f['p95_ms']:8.1f} ms  (n={f['n']})")
            r = rdf_bench(out, with_rdflib=n <= args.rdflib_max)
            if "error" not in r and "rdflib_graph_s" not in r:
                print(f"  Turtle: paperkg {r['paperkg_s']:.1f} s (rdflib not run above {args.rdflib_max:,} papers)")
            elif "error" not in r:
                rdflib_total = r["rdflib_graph_s"] + r["rdflib_serialize_s"]
                print(f"  Turtle, {r['triples']:,} triples: paperkg {r['paperkg_s']:.1f} s; rdflib "
                      f"{rdflib_total:.1f} s (graph {r['rdflib_graph_s']:.1f} s + serializer "
                      f"{r['rdflib_serialize_s']:.1f} s): {rdflib_total / r['paperkg_s']:.1f}x, "
                      f"serializer alone {r['rdflib_serialize_s'] / r['paperkg_s']:.1f}x")
            else:
                print(f"  RDF bench failed: {r['error']}")
            results[n]["queries"] = q
            results[n]["rdf"] = r
        sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-build":
        corpus_arg, out_arg, model_arg, jobs_arg = sys.argv[2:6]
        _child_build(corpus_arg, out_arg, model_arg, int(jobs_arg) or None)
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-queries":
        _child_queries(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
