"""Deterministic synthetic corpora for the scale bench: realistic abstracts, no download.

Sentences are drawn from the seed pages shipped in ``seeds/`` and, when the gold corpora
sit beside the repository (``../shared/corpora/*/train.jsonl``), from their training
abstracts. Each synthetic paper resamples 5–9 of those sentences with a seeded RNG and
takes a title from the opening words of another, so N papers always read the same, the
vocabulary of methods, datasets and tasks is that of real abstracts, and popular
concepts stay popular as N grows.

Usage::

    python bench/synth.py 10000 corpus.jsonl        # write N papers as JSON Lines
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPORA = ROOT.parent / "shared" / "corpora"
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_NO_SPACE_BEFORE = {".", ",", ";", ":", ")", "]", "%", "?", "!", "'s", "n't"}
_NO_SPACE_AFTER = {"(", "["}


def _detokenize(tokens: list[str]) -> str:
    out = ""
    for tok in tokens:
        if out and tok not in _NO_SPACE_BEFORE and out[-1] not in "([" and not out.endswith("-"):
            out += " "
        out += tok
    return out.replace(" - ", "-")


@lru_cache(maxsize=1)
def sentence_pool() -> tuple[str, ...]:
    """Every source sentence, in a fixed order (seed pages first, then each corpus)."""
    from paperkg.extract.read.readers import read_papers

    pool: list[str] = []
    for paper in read_papers(sorted((ROOT / "seeds").glob("*.txt"))):
        pool.extend(s.strip() for s in _SPLIT.split(paper.abstract) if len(s.split()) >= 5)
    for path in sorted(CORPORA.glob("*/train.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                for tokens in json.loads(line)["sentences"]:
                    if 8 <= len(tokens) <= 60:
                        pool.append(_detokenize(tokens))
    return tuple(pool)


def synthetic_records(n: int, seed: int = 0, *, start: int = 0) -> Iterator[dict]:
    """Yield ``n`` paper records (``id``, ``title``, ``abstract``), papers ``start``… of the stream.

    Paper ``i`` depends only on ``seed`` and ``i``, so the first N papers of a bigger corpus
    are the N-paper corpus, and ``start`` continues a corpus (the bench's 1% of new papers).
    """
    pool = sentence_pool()
    for i in range(start, start + n):
        rng = random.Random(f"{seed}:{i}")
        sentences = [pool[rng.randrange(len(pool))] for _ in range(rng.randint(5, 9))]
        words = pool[rng.randrange(len(pool))].rstrip(".").split()
        title = " ".join(words[: rng.randint(6, 12)])
        yield {"id": f"syn{i:07d}", "title": title, "abstract": " ".join(sentences)}


def write_corpus(path: str | Path, n: int, seed: int = 0, *, start: int = 0) -> Path:
    """Write ``n`` synthetic papers to ``path`` as JSON Lines; return the path."""
    path = Path(path)
    with path.open("w", encoding="utf-8") as out:
        for record in synthetic_records(n, seed, start=start):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/synth.py N OUT.jsonl")
    write_corpus(sys.argv[2], int(sys.argv[1]))
