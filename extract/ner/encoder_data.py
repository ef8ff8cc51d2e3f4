"""Training windows for the fine-tuned encoder extractor: text, character spans, BIO wordpieces.

Every training source becomes *examples*: a text, its sentence start offsets and gold character
spans ``(start, end, label)`` (``end`` exclusive) of paperkg's three types.

* The DyGIE corpora (:mod:`paperkg.extract.ner.corpora`: its readers, per-corpus :data:`MAPPINGS`,
  chunking and sparse-corpus filtering) are turned into text by joining each record's tokens with
  single spaces (:func:`record_example`).
* The seed-gold files hold document-level concepts; :func:`project_concepts` places every
  written form (name and aliases) on the title and abstract: every occurrence, case-insensitive,
  at word boundaries, longest form first, never overlapping an earlier match.

:func:`windows` cuts an example into windows of at most ``max_length`` wordpieces (with
``[CLS]`` and ``[SEP]``), whole sentences packed together, and labels *every* wordpiece with
BIO tags (:func:`bio_tags`): ``B-X`` on the first wordpiece of a span, ``I-X`` on the others
inside it, ``O`` elsewhere. A reader of the model's output can therefore read the tag of a
word's first wordpiece, or merge wordpieces into character spans.

The tokenizer is a ``tokenizers.Tokenizer`` (only its ``encode(...).offsets`` are used); this
module imports neither it nor torch.

Examples
--------
>>> text = "We train BERT on SQuAD. BERT-large wins."
>>> concepts = [{"name": "BERT", "aliases": ["BERT-large"], "type": "METHOD"},
...             {"name": "SQuAD", "aliases": [], "type": "DATASET"}]
>>> [(text[s:e], label) for s, e, label in project_concepts(text, concepts)]
[('BERT', 'METHOD'), ('SQuAD', 'DATASET'), ('BERT-large', 'METHOD')]
>>> bio_tags([(0, 2), (3, 8), (9, 13), (13, 15)], [(3, 15, "TASK")])
['O', 'B-TASK', 'I-TASK', 'I-TASK']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from paperkg.extract.ner.corpora import MAPPINGS, SPARSE_CORPORA, chunk_record, read_dygie

__all__ = [
    "LABELS",
    "Example",
    "Window",
    "bio_tags",
    "corpus_examples",
    "project_concepts",
    "record_example",
    "seed_example",
    "seed_examples",
    "sentence_starts",
    "windows",
]

#: The label list of the token-classification head, in output order.
LABELS: tuple[str, ...] = (
    "O", "B-METHOD", "I-METHOD", "B-DATASET", "I-DATASET", "B-TASK", "I-TASK",
)
_LABEL_ID = {label: i for i, label in enumerate(LABELS)}


@dataclass(frozen=True)
class Example:
    """A text with sentence starts and gold character spans ``(start, end, label)``."""

    key: str
    text: str
    sent_starts: tuple[int, ...]
    spans: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class Window:
    """Model input: wordpiece ids with ``[CLS]``/``[SEP]`` and one label id per wordpiece.

    ``labels`` is ``-100`` (ignored by the loss) on the special tokens.
    """

    key: str
    input_ids: tuple[int, ...]
    labels: tuple[int, ...]


def project_concepts(text: str, concepts: Iterable[dict]) -> list[tuple[int, int, str]]:
    """Place a paper's concepts on its text as character spans.

    Parameters
    ----------
    text:
        The title and abstract.
    concepts:
        Seed-gold concepts (``name``, ``aliases``, ``type``).

    Returns
    -------
    list[tuple[int, int, str]]
        ``(start, end, type)`` with ``end`` exclusive, sorted by start: every case-insensitive
        occurrence of a form at word boundaries, forms tried longest first (ties: alphabetical,
        then by type), an occurrence dropped when it overlaps one already placed.

    Examples
    --------
    >>> project_concepts("Graph neural networks (GNNs) and graph neural nets.",
    ...                  [{"name": "graph neural network", "aliases": ["GNNs", "GNN"],
    ...                    "type": "METHOD"}])
    [(23, 27, 'METHOD')]
    """
    forms = sorted(
        {(form, c["type"]) for c in concepts for form in [c["name"], *c.get("aliases", [])]
         if form.strip()},
        key=lambda ft: (-len(ft[0]), ft[0].lower(), ft[0], ft[1]),
    )
    taken = [False] * len(text)
    spans: list[tuple[int, int, str]] = []
    for form, label in forms:
        pattern = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                spans.append((start, end, label))
    return sorted(spans)


def sentence_starts(text: str) -> tuple[int, ...]:
    """Rough sentence starts of an abstract: after ``.``/``!``/``?`` and space, before a capital.

    >>> sentence_starts("One. Two is 2.5 e.g. long. Three")
    (0, 5, 27)
    """
    return (0, *(m.end() for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", text)))


def seed_example(record: dict, key: str) -> Example:
    """Turn a seed-gold record into an :class:`Example` (title, blank line, abstract)."""
    title = (record.get("title") or "").strip()
    abstract = (record.get("abstract") or "").strip()
    text = f"{title}\n\n{abstract}" if title else abstract
    starts = sentence_starts(text)
    if title:
        starts = tuple(sorted({*starts, len(title) + 2}))
    return Example(key, text, starts, tuple(project_concepts(text, record.get("concepts", []))))


def seed_examples(path: str | Path) -> list[Example]:
    """Read a seed-gold JSON-lines file into examples (one per paper)."""
    with open(path, encoding="utf8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    name = Path(path).stem
    return [seed_example(r, r.get("doc_key") or f"{name}:{n}") for n, r in enumerate(records)]


def record_example(record: dict, mapping: dict[str, str]) -> Example:
    """Turn a DyGIE record into an :class:`Example`: tokens joined by single spaces.

    Mapped spans only; nested spans are flattened like :func:`spacy.util.filter_spans` (longest
    first, then earliest).

    >>> rec = {"doc_key": "d", "sentences": [["We", "use", "BERT"], ["Fine", "."]],
    ...        "ner": [[[2, 2, "Method"], [1, 2, "Task"]], []]}
    >>> ex = record_example(rec, {"Method": "METHOD"})
    >>> ex.text, ex.sent_starts, ex.spans
    ('We use BERT Fine .', (0, 12), ((7, 11, 'METHOD'),))
    """
    starts: list[int] = []  # char start of each token
    sent_starts: list[int] = []
    pos = 0
    for sentence in record["sentences"]:
        sent_starts.append(pos)
        for token in sentence:
            starts.append(pos)
            pos += len(token) + 1
    tokens = [t for s in record["sentences"] for t in s]
    text = " ".join(tokens)
    candidates = sorted(
        {(s, e) + (mapping[lab],) for spans in record.get("ner", []) for s, e, lab in spans
         if lab in mapping and 0 <= s <= e < len(tokens)},
        key=lambda sp: (-(sp[1] - sp[0]), sp[0], sp[2]),
    )
    used: set[int] = set()
    kept = []
    for s, e, label in candidates:
        if not used.intersection(range(s, e + 1)):
            used.update(range(s, e + 1))
            kept.append((starts[s], starts[e] + len(tokens[e]), label))
    return Example(record.get("doc_key", ""), text, tuple(sent_starts), tuple(sorted(kept)))


def corpus_examples(path: str | Path, corpus: str, *, max_tokens: int = 200) -> Iterator[Example]:
    """Yield training examples of a DyGIE split: chunked, sparse corpora filtered (as spaCy's)."""
    keep_empty = corpus not in SPARSE_CORPORA
    for record in read_dygie(path):
        for chunk in chunk_record(record, max_tokens=max_tokens, keep_empty=keep_empty):
            yield record_example(chunk, MAPPINGS[corpus])


def bio_tags(offsets: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tag of every wordpiece from its character offsets and the gold character spans.

    A wordpiece is inside a span when it starts inside it; the first such wordpiece is ``B-``.

    >>> bio_tags([(0, 3), (4, 6), (6, 9), (10, 12)], [(4, 9, "METHOD"), (10, 12, "TASK")])
    ['O', 'B-METHOD', 'I-METHOD', 'B-TASK']
    """
    tags = ["O"] * len(offsets)
    for start, end, label in spans:
        first = True
        for i, (s, e) in enumerate(offsets):
            if start <= s < end and e > s:
                tags[i] = ("B-" if first else "I-") + label
                first = False
    return tags


def windows(example: Example, tokenizer, *, max_length: int = 256,
            cls_id: int = 101, sep_id: int = 102) -> list[Window]:
    """Cut an example into labelled windows of whole sentences, at most ``max_length`` long.

    Sentences are packed greedily; a sentence longer than a window is split at wordpieces. A
    window that starts inside a span starts it with ``B-``.

    Parameters
    ----------
    example:
        The text, sentence starts and spans.
    tokenizer:
        A ``tokenizers.Tokenizer`` (``encode(text, add_special_tokens=False)``).
    max_length:
        Wordpieces per window, ``[CLS]`` and ``[SEP]`` included.
    cls_id, sep_id:
        The ids of ``[CLS]`` and ``[SEP]``.

    Returns
    -------
    list[Window]
        The windows in text order.
    """
    enc = tokenizer.encode(example.text, add_special_tokens=False)
    ids, offsets = list(enc.ids), list(enc.offsets)
    tags = bio_tags(offsets, example.spans)
    room = max_length - 2
    sent_of = []
    bounds = list(example.sent_starts)
    k = 0
    for s, _ in offsets:
        while k + 1 < len(bounds) and s >= bounds[k + 1]:
            k += 1
        sent_of.append(k)
    pieces: list[tuple[int, int]] = []  # [start, end) wordpiece ranges of sentences
    i = 0
    while i < len(ids):
        j = i
        while j < len(ids) and sent_of[j] == sent_of[i]:
            j += 1
        pieces.extend((a, min(a + room, j)) for a in range(i, j, room))
        i = j
    out: list[Window] = []
    start = end = 0
    for a, b in pieces + [(len(ids), len(ids) + room + 1)]:
        if b - start > room:
            if end > start:
                window_tags = tags[start:end]
                if window_tags[0].startswith("I-"):
                    window_tags[0] = "B-" + window_tags[0][2:]
                out.append(Window(
                    f"{example.key}@{start}",
                    (cls_id, *ids[start:end], sep_id),
                    (-100, *(_LABEL_ID[t] for t in window_tags), -100),
                ))
            start = a
        end = b
    return out
