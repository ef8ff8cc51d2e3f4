"""Throughput of the extraction engines: in-process, local worker processes, Dask workers.

Usage (from the repository root)::

    python bench/bench_engines.py [--n 200] [--models fast,default] [--jobs 2] [--batch-size 64]

Every run extracts the same ``--n`` synthetic abstracts (``bench/synth.py``, deterministic) in the
same process, and checks that each engine yields exactly the in-process mentions:

* ``in-process``: ``extract(load_pipeline(model), papers)``, the model already loaded;
* ``local jobs=J``: ``extract_papers(papers, model, jobs=J)``, end to end: starting the worker
  processes and loading the model in each is part of the time (what ``paperkg build --jobs J``
  pays), also shown apart as the time to the first paper;
* ``dask 1 worker`` / ``dask K workers``: a ``LocalCluster`` of K single-threaded worker
  processes, started and warmed up (each worker loads the model on a first small run) before
  the clock starts, as a long-lived cluster would be.

Prints papers/s per engine and model and the ratios to in-process (and dask K workers to 1),
and the CPU time each spent per paper (this process's threads plus the workers' processes,
the local workers' start included): on a machine shared with other work the wall-clock
figures measure the neighbours as much as paperkg, while CPU per paper says what N idle
cores would give (a parallel engine that spends the in-process CPU per paper runs ~N times as
fast on N free cores). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))


def synthetic_papers(n: int) -> list:
    """Return ``n`` synthetic papers (bench/synth.py) as paperkg records."""
    from synth import synthetic_records

    from paperkg.extract.records import Paper

    return [Paper(id=r["id"], title=r["title"], abstract=r["abstract"]) for r in synthetic_records(n)]


def cpu_seconds(pids: list[int] = ()) -> float:
    """Return the CPU seconds (user + system) of this process, its reaped children and ``pids``."""
    import psutil

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    for pid in pids:
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system
    return total


def timed(results, expected, pids: list[int] = ()) -> tuple[float, float, float]:
    """Consume ``results``; check them against ``expected``; return wall, first-paper and CPU seconds."""
    start, cpu = time.perf_counter(), cpu_seconds(pids)
    got, first = [], None
    for item in results:
        if first is None:
            first = time.perf_counter() - start
        got.append(item)
    total = time.perf_counter() - start
    cpu = cpu_seconds(pids) - cpu  # the local workers are reaped by now: RUSAGE_CHILDREN has them
    if got != expected:
        raise SystemExit("an engine's mentions differ from the in-process mentions")
    return total, first or total, cpu


def bench_model(model: str, papers: list, jobs: int, batch_size: int,
                workers: int) -> dict[str, tuple[float, float, float]]:
    """Return {engine: (seconds, seconds to the first paper, CPU seconds)} for one model."""
    import os

    from distributed import Client, LocalCluster

    from paperkg.extract.ner.engines import extract_papers
    from paperkg.extract.ner.pipeline import extract, load_pipeline

    nlp = load_pipeline(model)
    start, cpu = time.perf_counter(), cpu_seconds()
    expected = list(extract(nlp, papers))
    times = {"in-process": (time.perf_counter() - start, 0.0, cpu_seconds() - cpu)}
    del nlp
    times[f"local jobs={jobs}"] = timed(extract_papers(papers, model, jobs=jobs, batch_size=batch_size), expected)
    for k in sorted({1, workers}):
        with LocalCluster(n_workers=k, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
            address = cluster.scheduler_address
            list(extract_papers(papers[: 2 * k], model, engine="dask", scheduler=address, batch_size=1))
            name = f"dask {k} worker" + ("s" if k > 1 else "")
            with Client(address) as client:
                pids = list(client.run(os.getpid).values())
            times[name] = timed(extract_papers(papers, model, engine="dask", scheduler=address,
                                               batch_size=batch_size), expected, pids)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="synthetic papers per model")
    parser.add_argument("--models", default="fast,default", help="comma-separated paperkg models")
    parser.add_argument("--jobs", type=int, default=2, help="local worker processes")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers of the bigger cluster")
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args(argv)

    import os

    from paperkg.extract.ner.engines import available_cores

    papers = synthetic_papers(args.n)
    print(f"{args.n} synthetic papers, {available_cores()} cores available, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}, batch size {args.batch_size}")
    for model in [m for m in args.models.split(",") if m]:
        times = bench_model(model, papers, args.jobs, args.batch_size, args.workers)
        base = args.n / times["in-process"][0]
        dask1 = next((args.n / t for name, (t, *_) in times.items() if name == "dask 1 worker"), None)
        print(f"\nmodel {model}")
        print(f"  {'engine':<16} {'papers/s':>9} {'seconds':>8} {'first':>7} {'vs in-process':>14} "
              f"{'vs dask 1':>10} {'CPU ms/paper':>13}")
        for name, (total, first, cpu) in times.items():
            rate = args.n / total
            vs_dask = f"{rate / dask1:.2f}x" if dask1 and name.startswith("dask") else ""
            print(f"  {name:<16} {rate:>9.1f} {total:>8.1f} {first:>7.1f} {rate / base:>13.2f}x "
                  f"{vs_dask:>10} {1000 * cpu / args.n:>13.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
