"""Span-ruler patterns from the Papers with Code task list (CC BY-SA 4.0).

``shared/gazetteers/pwc/all_tasks.txt`` holds 3,722 archived Papers with Code task names,
one per line in double quotes. :func:`task_patterns` keeps the multi-word names (2 to 5
tokens) without digits or punctuation — single words such as "segmentation" or
"classification" tagged everywhere cost precision, and names such as "16k" or
"1 Image, 2*2 Stitching" are noise — and turns each into a case-insensitive phrase
pattern (the ruler matches on ``LOWER``). The shipped rule layer adds a match to
``doc.ents`` only where the model found nothing. Measured on the dev sets before shipping
(docs/model_card.md, "What was tried").

The generated file, ``extract/ner/patterns/pwc_tasks.jsonl``, is derived from Papers with Code
data and is shared under the same licence, CC BY-SA 4.0, with attribution to Papers with
Code (archived copy: World-Snapshot/papers-with-code).

Regenerate it with::

    python -m paperkg.extract.ner.gazetteers ../shared/gazetteers/pwc/all_tasks.txt > extract/ner/patterns/pwc_tasks.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

__all__ = ["task_patterns"]

_NOISE = re.compile(r"[\d()\[\]:;,/'\"&+*]")


def task_patterns(path: str | Path, *, min_words: int = 2, max_words: int = 5) -> list[dict]:
    """Return phrase patterns ``{"label": "TASK", "pattern": name, "id": "pwc-task"}``.

    Parameters
    ----------
    path:
        The task list: one name per line, optionally in double quotes.
    min_words, max_words:
        How many tokens a name may have.

    Returns
    -------
    list[dict]
        One pattern per distinct lower-cased name, sorted.

    Examples
    --------
    >>> import tempfile, os
    >>> f = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    >>> _ = f.write('"Image Classification"\\n"16k"\\n"Segmentation"\\n"image classification"\\n')
    >>> f.close()
    >>> [p["pattern"] for p in task_patterns(f.name)]
    ['image classification']
    >>> os.unlink(f.name)
    """
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    names = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        name = line.strip().strip('"').strip()
        if not name or _NOISE.search(name):
            continue
        if min_words <= len(tokenizer(name)) <= max_words:
            names.add(name.lower())
    return [{"label": "TASK", "pattern": name, "id": "pwc-task"} for name in sorted(names)]


if __name__ == "__main__":
    for pattern in task_patterns(sys.argv[1]):
        print(json.dumps(pattern, ensure_ascii=False))
