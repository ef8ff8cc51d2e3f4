"""Time and peak memory of concept resolution, graph building, saving and loading at scale.

Usage (from the repository root)::

    python bench/bench_resolve.py PICKLE [PICKLE ...] [--copies K] [--digest DIR] [--profile DIR]

Each ``PICKLE`` holds ``(papers, mentions)`` as extracted from synthetic abstracts
(``bench/synth.py`` and the fast model). ``--copies K`` also runs the last one relabelled K
times (paper ids ``<id>~<k>``): K times the papers with the same vocabulary, the way a
larger corpus of one field looks. For each corpus the four steps run one after the other
in this process: ``resolve(papers, mentions)`` → ``build_graph`` → ``save_graph`` →
``load_graph``; each line prints the step's wall time, its CPU time and CPU time per
paper (on a shared machine CPU time is the steadier figure), the resident
memory before it and its peak during it (Linux: the peak is reset before each step through
``/proc/self/clear_refs``), so a flat ``ms/paper`` column means the step scales linearly.

``--digest DIR`` writes ``resolution-<name>.txt``, a canonical text dump of the resolution
(every mention, concept, merge and ambiguous acronym, one ``repr`` per line), and keeps
``graph.json`` there, so two versions of paperkg can be compared byte for byte.
``--profile DIR`` writes a cProfile file per step (``<name>-<step>.prof``). Not part of the
test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pickle
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from memory import reset_peak, status_kib  # noqa: E402

from paperkg.extract.concepts.resolve import Resolution, resolve  # noqa: E402
from paperkg.extract.records import Mention, Paper  # noqa: E402
from paperkg.graph.build import build_graph  # noqa: E402
from paperkg.graph.store import load_graph, save_graph  # noqa: E402






def relabel(papers: list[Paper], mentions: list[Mention], copies: int) -> tuple[list, list]:
    """Return ``copies`` copies of the corpus, paper ids suffixed ``~k``."""
    out_papers, out_mentions = [], []
    for k in range(copies):
        out_papers += [replace(p, id=f"{p.id}~{k}") for p in papers]
        out_mentions += [replace(m, paper_id=f"{m.paper_id}~{k}") for m in mentions]
    return out_papers, out_mentions


def write_digest(resolution: Resolution, path: Path) -> None:
    """Write every part of ``resolution`` as one ``repr`` per line (a canonical dump)."""
    with open(path, "w", encoding="utf-8") as out:
        for m in resolution.mentions:
            out.write(repr(("mention", *(getattr(m, f) for f in Mention.__dataclass_fields__))) + "\n")
        for key, info in resolution.concepts.items():
            out.write(repr(("concept", key, sorted(asdict(info).items()))) + "\n")
        for record in resolution.merges:
            out.write(repr(("merge", record)) + "\n")
        for short, longs in resolution.ambiguous_acronyms.items():
            out.write(repr(("ambiguous", short, longs)) + "\n")


def run(name: str, papers: list, mentions: list, args: argparse.Namespace, folder: Path) -> None:
    """Run and report the four steps on one corpus."""
    n = len(papers)
    print(f"{name}: {n} papers, {len(mentions)} mentions")
    state: dict = {}
    graph_file = folder / f"graph-{name}.json"
    steps = {
        "resolve": lambda: state.__setitem__("resolution", resolve(papers, mentions)),
        "build_graph": lambda: state.__setitem__("G", build_graph(papers, state["resolution"])),
        "save_graph": lambda: save_graph(state["G"], graph_file),
        "load_graph": lambda: state.__setitem__("H", load_graph(graph_file)),
    }
    for step, call in steps.items():
        if step == "load_graph":
            state.pop("G", None)  # the loaded graph replaces the built one
            state.pop("resolution", None)
        gc.collect()
        before = status_kib("VmRSS")
        reset_peak()
        profiler = cProfile.Profile() if args.profile else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        call()
        if profiler:
            profiler.disable()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        peak = max(status_kib("VmHWM"), status_kib("VmRSS"))
        if profiler:
            profiler.dump_stats(str(Path(args.profile) / f"{name}-{step}.prof"))
        print(f"  {step:<12} {seconds:8.2f} s (CPU {cpu:7.2f} s) {1000 * cpu / n:7.3f} CPU ms/paper   "
              f"RSS before {before / 1024:7.0f} MiB, peak {peak / 1024:7.0f} MiB "
              f"(+{(peak - before) / 1024:.0f})", flush=True)
        if step == "resolve" and args.digest:
            write_digest(state["resolution"], Path(args.digest) / f"resolution-{name}.txt")
    G = state["H"]
    print(f"  graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, "
          f"graph.json {graph_file.stat().st_size / 2**20:.1f} MiB")
    if not args.digest:
        graph_file.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pickles", nargs="+", help="(papers, mentions) pickles")
    parser.add_argument("--copies", type=int, default=0,
                        help="also run the last pickle relabelled this many times")
    parser.add_argument("--digest", help="folder for the resolution dumps and graph.json files")
    parser.add_argument("--profile", help="folder for one cProfile file per step")
    args = parser.parse_args(argv)
    for folder in (args.digest, args.profile):
        if folder:
            os.makedirs(folder, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.digest or tmp)
        papers = mentions = None
        for path in args.pickles:
            with open(path, "rb") as f:
                papers, mentions = pickle.load(f)
            run(Path(path).stem, papers, mentions, args, folder)
        if args.copies > 1 and papers is not None:
            big_papers, big_mentions = relabel(papers, mentions, args.copies)
            del papers, mentions
            name = f"{Path(args.pickles[-1]).stem}x{args.copies}"
            run(name, big_papers, big_mentions, args, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
