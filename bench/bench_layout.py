"""Time and peak memory of structure, layouts and the visual exports at scale.

Usage (from the repository root)::

    python bench/bench_layout.py PICKLE [--sizes 1000,10000,20000,100000] [--cache DIR]
                                        [--stages structure,layout,...]

``PICKLE`` holds ``(papers, mentions)`` extracted from synthetic abstracts
(``bench/synth.py`` and the fast model, e.g. ``/work/scale/mentions-20k.pkl``). A size up
to the pickle's papers takes its first papers (``resolve`` → ``build_graph``); a larger
one relabels copies of the whole graph: copy ``k`` renames every paper
(``<id>~<k>``) and every concept that is in at most :data:`TAIL` papers (the long tail,
which grows with a corpus, while the common concepts are shared by all copies). Built
graphs are cached in ``--cache`` (default ``/tmp/paperkg-bench-layout``).

Each size runs in its own process, its stages one after the other:

``structure``
    :func:`paperkg.graph.structure.annotate_structure` (co-occurrence counts, Louvain,
    PageRank, betweenness, paper communities).
``cooccurrence``
    :func:`paperkg.graph.cooccurrence.cooccurrence_graph` (the networkx graph).
``layout-cooc``, ``layout-full``, ``layout-communities``
    :func:`paperkg.exports.layout.positions` of the co-occurrence graph (as the PNG
    overview lays it out) and of the paper–concept graph itself (as
    :func:`~paperkg.exports.gexf.write_gexf` does), and
    :func:`~paperkg.exports.layout.community_positions` of the co-occurrence graph.
``layout-counts``
    :func:`~paperkg.exports.layout.positions_from_edges` of the co-occurrence pair counts
    (as :func:`~paperkg.exports.gexf.write_cooccurrence_gexf` does; counting included).
``gexf``, ``gexf-cooc``, ``html``
    The exports themselves, with the layout cache emptied first (as in a fresh process).

Each line prints the stage's wall time, CPU time (the steadier figure on a shared
machine), CPU time per element (nodes + edges of the paper–concept graph) and per
``n log2 n`` of those, and the peak resident memory during the stage (Linux: the peak is
reset before each stage through ``/proc/self/clear_refs``). A flat per-element column
means the stage grows linearly. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import math
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

#: Concepts in at most this many papers are renamed in each copy of a relabelled graph.
TAIL = 2
STAGES = (
    "structure", "cooccurrence", "layout-cooc", "layout-full", "layout-communities",
    "layout-counts", "gexf", "gexf-cooc", "html",
)



def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _relabelled(G, copies: int):
    """``copies`` relabelled copies of ``G`` in one graph (see the module docstring)."""
    import networkx as nx

    H = nx.DiGraph(**G.graph)
    tail = {n for n, d in G.nodes(data=True) if d.get("kind") == "concept"
            and int(d.get("paper_count") or 0) <= TAIL}
    for k in range(copies):
        def name(n: str) -> str:
            if G.nodes[n].get("kind") == "concept" and n not in tail:
                return n
            return f"{n}~{k}"
        for n, d in G.nodes(data=True):
            if name(n) not in H:
                H.add_node(name(n), **d)
                if n in tail:  # a concept's id is "concept:" + its key
                    H.nodes[name(n)]["key"] = f"{d['key']}~{k}"
        H.add_edges_from((name(u), name(v), d) for u, v, d in G.edges(data=True))
    for n, d in H.nodes(data=True):
        if d.get("kind") == "concept":
            d["paper_count"] = H.in_degree(n)
    return H


def _graph(pickle_path: Path, size: int, cache: Path):
    """The raw (unannotated) paper–concept graph of ``size`` papers, built or cached."""
    from paperkg.graph.store import load_graph, save_graph

    folder = cache / f"{pickle_path.stem}-{size}"
    if (folder / "graph.json").exists():
        return load_graph(folder)
    from paperkg.extract.concepts.resolve import resolve
    from paperkg.graph.build import build_graph

    with open(pickle_path, "rb") as f:
        papers, mentions = pickle.load(f)
    if size <= len(papers):
        papers = papers[:size]
        keep = {p.id for p in papers}
        mentions = [m for m in mentions if m.paper_id in keep]
        G = build_graph(papers, resolve(papers, mentions))
    else:
        base = _graph(pickle_path, len(papers), cache)
        G = _relabelled(base, math.ceil(size / len(papers)))
    folder.mkdir(parents=True, exist_ok=True)
    save_graph(G, folder / "graph.json")
    return G


def run_one(pickle_path: Path, size: int, cache: Path, stages: list[str]) -> None:
    """Run the stages on the graph of ``size`` papers in this process, printing a line each."""
    from paperkg.exports import layout
    from paperkg.exports.gexf import write_cooccurrence_gexf, write_gexf
    from paperkg.exports.html import write_html
    from paperkg.graph.cooccurrence import cooccurrence_counts, cooccurrence_graph
    from paperkg.graph.structure import annotate_structure

    G = _graph(pickle_path, size, cache)
    papers = sum(1 for _, k in G.nodes(data="kind") if k == "paper")
    concepts = len(G) - papers
    n = len(G) + G.number_of_edges()
    print(f"# {papers} papers, {concepts} concepts, {G.number_of_edges()} paper-concept edges;"
          f" before the stages {status_mib('VmRSS'):.0f} MB resident", flush=True)
    out = Path(tempfile.mkdtemp(prefix="paperkg-bench-layout-"))
    C = None

    def stage(name: str, work) -> object:
        gc.collect()
        layout._CACHE.clear()
        reset_peak()
        wall, cpu = time.perf_counter(), _cpu()
        result = work()
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        extra = ""
        if name in ("gexf", "gexf-cooc", "html"):
            extra = f"  {(out / name).stat().st_size / 1e6:7.1f} MB file"
        print(f"{papers:>7} {name:<19} {wall:8.1f} s wall {cpu:8.1f} s cpu "
              f"{1e6 * cpu / n:7.2f} us/elem {1e6 * cpu / (n * math.log2(n)):6.3f} us/(n log n) "
              f"{status_mib('VmHWM'):7.0f} MB peak{extra}", flush=True)
        return result

    if "structure" in stages or any(s in stages for s in ("layout-communities", "html")):
        stage("structure", lambda: annotate_structure(G))
    if any(s.startswith("layout") or s == "cooccurrence" for s in stages):
        C = stage("cooccurrence", lambda: cooccurrence_graph(G))
    if "layout-cooc" in stages:
        stage("layout-cooc", lambda: layout.positions(C, weight="weight"))
    if "layout-full" in stages:
        stage("layout-full", lambda: layout.positions(G))
    if "layout-communities" in stages:
        stage("layout-communities", lambda: layout.community_positions(C))
    del C
    if "layout-counts" in stages:
        stage("layout-counts", lambda: layout.positions_from_edges(*cooccurrence_counts(G)))
    if "gexf" in stages:
        stage("gexf", lambda: write_gexf(G, out / "gexf"))
    if "gexf-cooc" in stages:
        stage("gexf-cooc", lambda: write_cooccurrence_gexf(G, out / "gexf-cooc"))
    if "html" in stages:
        stage("html", lambda: write_html(G, out / "html"))
    for f in out.iterdir():
        f.unlink()
    out.rmdir()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pickle", type=Path)
    parser.add_argument("--sizes", default="1000,10000,20000,100000")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "paperkg-bench-layout")
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    stages = args.stages.split(",")
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        parser.error(f"unknown stages {unknown}; known: {', '.join(STAGES)}")
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.one:
        run_one(args.pickle, sizes[0], args.cache, stages)
        return
    print(f"{'papers':>7} {'stage':<19} {'wall':>10} {'cpu':>13} {'per element':>15} "
          f"{'per n log n':>20} {'peak RSS':>12}", flush=True)
    for size in sizes:  # one process per size: its own peak memory, nothing cached
        subprocess.run(
            [sys.executable, __file__, str(args.pickle), "--sizes", str(size), "--cache",
             str(args.cache), "--stages", args.stages, "--one"],
            check=True,
        )


if __name__ == "__main__":
    main()
