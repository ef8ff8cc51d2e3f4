"""``paperkg_encoder``: a fine-tuned MiniLM token classifier (int8 ONNX) as a spaCy component.

The model tags every WordPiece with BIO tags of METHOD / DATASET / TASK
(``labels.json``: ``O, B-METHOD, I-METHOD, B-DATASET, I-DATASET, B-TASK, I-TASK``). The component

1. tokenizes ``doc.text`` with the model's own ``tokenizers`` WordPiece tokenizer, keeping each
   wordpiece's character offsets (:func:`encode`);
2. cuts a text longer than the model's ``max_length`` into overlapping windows
   (:func:`windows`; each wordpiece is read from the window where it has the most context on
   both sides);
3. runs ``onnxruntime`` on the windows of a ``pipe`` batch, sorted by length (each window alone
   by default: ``batch_size`` 1 keeps a text's scores independent of its neighbours, see
   :class:`EncoderTagger`), as many at once as the component has ``threads``, each on one
   onnxruntime thread (one window alone keeps two threads of one run poorly busy);
4. turns the logits into probabilities (softmax); each spaCy token reads the tags of its first
   wordpiece (as the model was trained: ``B-X`` on a mention's first wordpiece, ``I-X`` on the
   others) and the token tags are decoded into spans (:func:`token_spans`, :func:`decode`):
   an ``I-X`` continues a span of any type, and the span takes the type most of its
   probability says. **A span's score is the mean, over its tokens, of the probability of
   its type's tag on each**: a number in (0, 1];
5. snaps each span to spaCy tokens (``doc.char_span(..., alignment_mode="expand")``), keeps
   the longest of overlapping spans (``filter_spans``), stores every scored span in
   ``doc.spans["paperkg_encoder"]`` (the scores, in span order, in the group's
   ``attrs["scores"]``) and sets ``doc.ents`` to those scoring at least ``min_score``.

:func:`span_score` reads a final entity's score back from that group, also after the mention
filter trimmed it ("the SQuAD dataset" -> "SQuAD" keeps the score of the span it came from).
An entity the encoder did not produce (in the shipped pipeline: the CNN NER filling the
encoder's gaps, ``fill_missing``, and the rule layer ``paperkg_rules``) scores the group's
``attrs["fill_score"]`` (the component's ``fill_score``: their precision on the seed-gold dev
set; see docs/model_card.md).

The model files (``model.onnx``, ``tokenizer.json``, ``labels.json``, ``encoder.json``) arrive
through :meth:`EncoderTagger.from_disk` / :meth:`EncoderTagger.load` and leave through
:meth:`EncoderTagger.to_disk`; ``__init__`` does no I/O. Nothing is downloaded, torch is never
imported.

Examples
--------
>>> decode([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.9, 0.05, 0.05]],
...        [(0, 2), (3, 7), (7, 9), (10, 12)], ["O", "B-METHOD", "I-METHOD"])
[(3, 9, 'METHOD', 0.8)]
>>> windows(10, 6, 2)
[(0, 6), (4, 10)]
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import ensure_path, filter_spans, minibatch

__all__ = [
    "FILES",
    "SCORES_KEY",
    "THREADS_ENV",
    "EncoderTagger",
    "decode",
    "encode",
    "session_threads",
    "softmax",
    "span_score",
    "token_spans",
    "windows",
]

#: The files a checkpoint folder (and the component's folder in a pipeline) holds.
FILES: tuple[str, ...] = ("model.onnx", "tokenizer.json", "labels.json", "encoder.json")

#: The ``doc.spans`` key of the scored encoder spans.
SCORES_KEY = "paperkg_encoder"

#: The environment variable that sets the threads of every encoder session a process starts,
#: over the component's own ``threads`` (a whole number >= 0; 0: one per core this process
#: may use). The extraction engines (:mod:`paperkg.extract.ner.engines`) set it to 1 in their
#: worker processes, so N workers keep N cores busy instead of N x cores threads.
THREADS_ENV = "PAPERKG_ONNX_THREADS"


def session_threads(threads: int) -> int:
    """Return the threads of a new session: :data:`THREADS_ENV` when set, else ``threads``.

    Raises
    ------
    InputError
        If the environment variable is set to something other than a whole number >= 0.
    """
    value = os.environ.get(THREADS_ENV, "").strip()
    if not value:
        return threads
    if not value.isdigit():
        from paperkg.errors import InputError

        raise InputError(f"{THREADS_ENV} must be a whole number of threads (0: onnxruntime chooses), not {value!r}")
    return int(value)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Return the softmax of ``logits`` over the last axis (float32, numerically stable).

    Examples
    --------
    >>> softmax(np.array([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted, dtype=np.float32)
    return exp / exp.sum(axis=-1, keepdims=True)


def windows(n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Return ``[start, end)`` windows of at most ``size`` items covering ``n`` items.

    Consecutive windows overlap by ``stride`` items (at least one new item per window).

    Parameters
    ----------
    n:
        The number of wordpieces of the text (no special tokens).
    size:
        Wordpieces per window (the model's ``max_length`` less ``[CLS]`` and ``[SEP]``).
    stride:
        The overlap between consecutive windows.

    Examples
    --------
    >>> windows(0, 4, 1), windows(3, 4, 1), windows(9, 4, 1)
    ([(0, 0)], [(0, 3)], [(0, 4), (3, 7), (6, 9)])
    """
    if n <= size:
        return [(0, n)]
    step = max(1, size - stride)
    spans, start = [], 0
    while True:
        end = min(start + size, n)
        spans.append((start, end))
        if end == n:
            return spans
        start += step


def _best_window(spans: Sequence[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """For each of ``n`` wordpieces: (window index, position in it) where it has most context."""
    best: list[tuple[int, int]] = [(0, i) for i in range(n)]
    margin = [-1] * n
    for w, (start, end) in enumerate(spans):
        for i in range(start, end):
            m = min(i - start, end - 1 - i)
            if m > margin[i]:
                margin[i], best[i] = m, (w, i - start)
    return best


def decode(
    probs: Sequence[Sequence[float]] | np.ndarray,
    offsets: Sequence[tuple[int, int]],
    labels: Sequence[str],
) -> list[tuple[int, int, str, float]]:
    """Decode per-wordpiece tag probabilities into scored character spans.

    Each wordpiece takes its most probable tag. ``B-X`` opens a span; ``I-X`` continues the
    open span whatever its type, and opens one where none is open (a lenient reading of
    BIO); ``O`` closes the open span. A span runs from its first wordpiece's start to its
    last's end. Its type is the one with the most probability over its wordpieces (``B-X``
    and ``I-X`` together, ties to the first in ``labels``): a model unsure between two types
    along one name (METHOD on "ARC-", DATASET on "C" of "ARC-C") gives one span, typed by
    the whole of it, not two halves.

    Parameters
    ----------
    probs:
        ``[n, len(labels)]`` probabilities (softmax of the logits).
    offsets:
        ``n`` character offsets ``(start, end)`` of the wordpieces.
    labels:
        The tag names, ``"O"`` and ``"B-X"`` / ``"I-X"``.

    Returns
    -------
    list[tuple[int, int, str, float]]
        ``(start_char, end_char, type, score)`` in text order; the score is the mean
        probability of the span's tags of its type, ``B-X`` on its first wordpiece and ``I-X``
        on the others, rounded to 4 places: a span opened by an ``I-X`` (one the model never
        began) scores low.

    Examples
    --------
    >>> labels = ["O", "B-METHOD", "I-METHOD", "B-DATASET", "I-DATASET"]
    >>> probs = [[0.1, 0.7, 0.0, 0.2, 0.0], [0.1, 0.0, 0.4, 0.0, 0.5], [0.9, 0, 0, 0, 0.1]]
    >>> decode(probs, [(0, 3), (3, 5), (6, 9)], labels)  # B-METHOD, then I-DATASET: one span
    [(0, 5, 'METHOD', 0.55)]
    """
    probs = np.asarray(probs, dtype=np.float64)
    if len(probs) == 0:
        return []
    kinds = list(dict.fromkeys(tag.split("-", 1)[1] for tag in labels if "-" in tag))
    begin = [labels.index(f"B-{kind}") for kind in kinds]
    inside = [labels.index(f"I-{kind}") for kind in kinds]
    prefix = [tag.split("-", 1)[0] if "-" in tag else "O" for tag in labels]
    spans: list[tuple[int, int, str, float]] = []

    tags = probs.argmax(axis=-1).tolist()

    def close(first: int, last: int) -> None:  # wordpieces first..last
        block = probs[first:last + 1]
        k = int((block[:, begin] + block[:, inside]).sum(axis=0).argmax())
        chosen = np.concatenate(([block[0, begin[k]]], block[1:, inside[k]]))
        spans.append((offsets[first][0], offsets[last][1], kinds[k], round(float(chosen.mean()), 4)))

    first = None
    for i, tag_id in enumerate(tags):
        if prefix[tag_id] == "O":
            if first is not None:
                close(first, i - 1)
            first = None
        elif prefix[tag_id] == "B" or first is None:
            if first is not None:
                close(first, i - 1)
            first = i
    if first is not None:
        close(first, len(probs) - 1)
    return spans


def encode(tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Return the wordpiece ids of ``text`` (no special tokens) and their character offsets.

    Parameters
    ----------
    tokenizer:
        A ``tokenizers.Tokenizer``.
    text:
        The text.
    """
    enc = tokenizer.encode(text, add_special_tokens=False)
    ids, offsets = enc.ids, enc.offsets  # each read builds a new list: read them once
    keep = [i for i, (s, e) in enumerate(offsets) if e > s]
    return [ids[i] for i in keep], [offsets[i] for i in keep]


def token_spans(
    doc: Doc, probs: np.ndarray, offsets: Sequence[tuple[int, int]], labels: Sequence[str]
) -> list[tuple[int, int, str, float]]:
    """Decode at the level of words: each word reads the tags of its first wordpiece.

    A word is a spaCy token together with the tokens glued onto it (no space between, a
    letter or digit on both sides of the join): "GSM8K", which spaCy splits into "GSM8" and
    "K", is one word to the model's tokenizer too, and is decided where it starts. A word's
    first wordpiece is the first one ending after its start and starting before its end; a
    token without one (white space) is left out and does not break a span. Returns
    :func:`decode` over the words' character offsets.
    """
    rows: list[int] = []
    spans: list[tuple[int, int]] = []
    k = 0
    for token in doc:
        start, end = token.idx, token.idx + len(token.text)
        if (spans and spans[-1][1] == start and token.text[:1].isalnum()
                and doc[token.i - 1].text[-1:].isalnum()):
            spans[-1] = (spans[-1][0], end)
            continue
        while k < len(offsets) and offsets[k][1] <= start:
            k += 1
        if k < len(offsets) and offsets[k][0] < end:
            rows.append(k)
            spans.append((start, end))
    if not rows:
        return []
    return decode(probs[rows], spans, labels)


def span_score(span: Span, default: float = 1.0) -> float:
    """Return the encoder's score of an entity (see the module docstring).

    Parameters
    ----------
    span:
        An entity of a doc the encoder pipeline made.
    default:
        The score when the doc has no encoder scores (another pipeline).

    Returns
    -------
    float
        The score of the encoder entity (a span of the group scoring at least the threshold it
        ran with, ``attrs["min_score"]``) with the same label covering ``span``, else the
        group's ``fill_score``; ``default`` for a doc without the group.
    """
    group = span.doc.spans.get(SCORES_KEY)
    if group is None:
        return default
    scores = group.attrs.get("scores", [])
    threshold = group.attrs.get("min_score", 0.0)
    for scored, score in zip(group, scores):
        if (score >= threshold and scored.label == span.label
                and scored.start_char <= span.start_char and span.end_char <= scored.end_char):
            return float(score)
    return float(group.attrs.get("fill_score", default))


class EncoderTagger:
    """Pipeline component: ONNX token classification into scored ``doc.ents`` (module docstring).

    Parameters
    ----------
    nlp, name:
        As for every spaCy component.
    threads:
        Windows run at once, each on one onnxruntime thread; 0 (the default): one per core
        this process may use, the right choice for one process. With
        ``nlp.pipe(n_process=k)`` give ``cores // k``. The environment variable
        :data:`THREADS_ENV` overrides it (:func:`session_threads`). Each window runs alone
        (``batch_size`` 1), so the scores do not depend on it. On 2 cores, two windows at
        once tagged the seeds ~1.4x faster than one window on two onnxruntime threads
        (``bench/bench_extract.py``).
    batch_size:
        Windows per ONNX run. 1 (the default) keeps every text's scores independent of the
        other texts: the int8 model quantizes its activations dynamically with one range per
        tensor, so padding and batch neighbours shift the logits slightly (scores moved by up
        to ~0.03 between batchings). It is also faster here (60 seed papers: 3.1-3.9 s with 1,
        5.8-6.1 s with 32, 2-core machine under load).
    stride:
        Overlap, in wordpieces, between the windows of a long text.
    min_score:
        Spans scoring below this are kept in ``doc.spans`` but not set as entities; a call can
        override it (``nlp.pipe(..., component_cfg={name: {"min_score": x}})``).
    fill_score:
        The score :func:`span_score` gives an entity the encoder did not produce (one a later
        NER or the rule layer added).
    fill_missing:
        Leave the tokens outside the encoder's entities *missing* instead of *outside*, so that
        a later spaCy NER (the CNN of ``fast``, in the shipped pipeline) fills the gaps while
        keeping the encoder's entities (spaCy's NER respects preset entities).
    """

    def __init__(self, nlp: Language, name: str = "paperkg_encoder", *, threads: int = 0,
                 batch_size: int = 1, stride: int = 32, min_score: float = 0.0,
                 fill_score: float = 1.0, fill_missing: bool = False) -> None:
        self.name = name
        self.threads = threads
        self.batch_size = batch_size
        self.stride = stride
        self.min_score = min_score
        self.fill_score = fill_score
        self.fill_missing = fill_missing
        self.labels: list[str] = []
        self.settings: dict = {}
        self._model: bytes | None = None
        self._tokenizer_json: str | None = None
        self._session = None
        self._tokenizer = None
        self._inputs: list[str] = []
        self._concurrency = 1

    # -- loading -------------------------------------------------------------------------
    @property
    def max_length(self) -> int:
        """Wordpieces per model input, ``[CLS]`` and ``[SEP]`` included (``encoder.json``)."""
        return int(self.settings.get("max_length", 256))

    def _setup(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from paperkg.extract.ner.engines import available_cores

        options = ort.SessionOptions()
        # One thread per run; self._concurrency runs go at once (InferenceSession.run is
        # thread-safe and releases the GIL).
        self._concurrency = session_threads(self.threads) or available_cores()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(self._model, options, providers=["CPUExecutionProvider"])
        self._inputs = [i.name for i in self._session.get_inputs()]
        self._tokenizer = Tokenizer.from_str(self._tokenizer_json)
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        vocab = self._tokenizer.get_vocab()
        self._cls = vocab.get("[CLS]", self.settings.get("cls_token_id", 101))
        self._sep = vocab.get("[SEP]", self.settings.get("sep_token_id", 102))
        self._pad = vocab.get("[PAD]", self.settings.get("pad_token_id", 0))

    def load(self, folder: str | Path) -> "EncoderTagger":
        """Read a checkpoint folder (:data:`FILES`) and start the ONNX session."""
        folder = ensure_path(folder)
        missing = [f for f in FILES[:3] if not (folder / f).is_file()]
        if missing:
            from paperkg.errors import InputError

            raise InputError(f"{folder}: not an encoder checkpoint (missing {', '.join(missing)})")
        self._model = (folder / "model.onnx").read_bytes()
        self._tokenizer_json = (folder / "tokenizer.json").read_text(encoding="utf8")
        self.labels = json.loads((folder / "labels.json").read_text(encoding="utf8"))
        settings = folder / "encoder.json"
        self.settings = json.loads(settings.read_text(encoding="utf8")) if settings.is_file() else {}
        self._setup()
        return self

    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   encoder: str | Path | None = None) -> None:
        """Load the checkpoint folder ``encoder`` (used when a pipeline is assembled)."""
        if encoder is not None:
            self.load(encoder)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "EncoderTagger":
        return self.load(path)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        self._require()
        (path / "model.onnx").write_bytes(self._model)
        (path / "tokenizer.json").write_text(self._tokenizer_json, encoding="utf8")
        (path / "labels.json").write_text(json.dumps(self.labels), encoding="utf8")
        (path / "encoder.json").write_text(json.dumps(self.settings, indent=2, sort_keys=True),
                                           encoding="utf8")

    def __getstate__(self) -> dict:  # for nlp.pipe(n_process=k): the session does not pickle
        state = dict(self.__dict__)
        state["_session"] = state["_tokenizer"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if self._model is not None:
            self._setup()

    def _require(self) -> None:
        if self._session is None:
            raise ValueError(f"{self.name}: no model loaded (from_disk or initialize(encoder=DIR))")

    # -- running -------------------------------------------------------------------------
    def __call__(self, doc: Doc, *, min_score: float | None = None) -> Doc:
        return next(self.pipe([doc], min_score=min_score))

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128,
             min_score: float | None = None) -> Iterator[Doc]:
        """Tag docs in batches of ``batch_size`` docs (their windows run together)."""
        self._require()
        threshold = self.min_score if min_score is None else min_score
        for batch in minibatch(docs, size=batch_size):
            for doc, (probs, offsets) in zip(batch, self.predict([d.text for d in batch])):
                self.set_annotations(doc, token_spans(doc, probs, offsets, self.labels), threshold)
                yield doc

    def predict(self, texts: Sequence[str]) -> list[tuple[np.ndarray, list[tuple[int, int]]]]:
        """Return each text's wordpiece tag probabilities ``[n, labels]`` and character offsets."""
        self._require()
        size = max(1, self.max_length - 2)
        stride = min(self.stride, size // 2)
        encoded = [encode(self._tokenizer, t) for t in texts]
        items = []  # (doc index, window index, ids)
        plans = []
        for d, (ids, _) in enumerate(encoded):
            spans = windows(len(ids), size, stride)
            plans.append(spans)
            items.extend((d, w, ids[s:e]) for w, (s, e) in enumerate(spans) if e > s)
        probs: dict[tuple[int, int], np.ndarray] = {}
        order = sorted(range(len(items)), key=lambda k: (len(items[k][2]), k))
        chunks = list(minibatch(order, size=self.batch_size))
        ran = self._map(self._run, [[items[k][2] for k in chunk] for chunk in chunks])
        for chunk, found in zip(chunks, ran):
            for k, p in zip(chunk, found):
                probs[items[k][0], items[k][1]] = p
        results = []
        for d, (ids, offsets) in enumerate(encoded):
            if not ids:
                results.append((np.zeros((0, len(self.labels)), dtype=np.float32), []))
                continue
            if len(plans[d]) == 1:
                merged = probs[d, 0]
            else:
                merged = np.stack([probs[d, w][i] for w, i in _best_window(plans[d], len(ids))])
            results.append((merged, offsets))
        return results

    def _map(self, run: Callable[[list[list[int]]], list[np.ndarray]],
             batches: list[list[list[int]]]) -> list[list[np.ndarray]]:
        """``run`` on each batch, in order, up to ``self._concurrency`` at once. The threads
        live for this call only, so no idle thread outlives it (a build forks later)."""
        workers = min(self._concurrency, len(batches))
        if workers <= 1:
            return [run(batch) for batch in batches]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=self.name) as pool:
            return list(pool.map(run, batches))

    def _run(self, batch: list[list[int]]) -> list[np.ndarray]:
        """Run the model on wordpiece id lists; return each one's tag probabilities."""
        width = max(len(ids) for ids in batch) + 2
        input_ids = np.full((len(batch), width), self._pad, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids) + 2] = [self._cls, *ids, self._sep]
            mask[row, : len(ids) + 2] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        logits = self._session.run(["logits"], {k: v for k, v in feed.items() if k in self._inputs})[0]
        probs = softmax(logits)
        return [probs[row, 1 : len(ids) + 1] for row, ids in enumerate(batch)]

    def set_annotations(self, doc: Doc, spans: list[tuple[int, int, str, float]],
                        threshold: float) -> None:
        """Snap scored character spans to tokens; store them all, set those >= ``threshold``."""
        snapped: dict[tuple[int, int], tuple[Span, float]] = {}
        for start, end, label, score in spans:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or not span.text.strip():
                continue
            key = (span.start, span.end)
            if key not in snapped or score > snapped[key][1]:
                snapped[key] = (span, score)
        kept = filter_spans([s for s, _ in snapped.values()])
        scores = [snapped[s.start, s.end][1] for s in kept]
        doc.spans[SCORES_KEY] = SpanGroup(doc, name=SCORES_KEY, spans=kept,
                                          attrs={"scores": scores, "fill_score": self.fill_score,
                                                 "min_score": threshold})
        ents = [s for s, score in zip(kept, scores) if score >= threshold]
        doc.set_ents(ents, default="missing" if self.fill_missing else "outside")


@Language.factory(
    "paperkg_encoder",
    default_config={"threads": 0, "batch_size": 1, "stride": 32, "min_score": 0.0,
                    "fill_score": 1.0, "fill_missing": False},
)
def make_encoder(nlp: Language, name: str, threads: int, batch_size: int, stride: int,
                 min_score: float, fill_score: float, fill_missing: bool) -> EncoderTagger:
    """Create the encoder tagger (the model arrives through ``from_disk`` / ``initialize``)."""
    return EncoderTagger(nlp, name, threads=threads, batch_size=batch_size, stride=stride,
                         min_score=min_score, fill_score=fill_score, fill_missing=fill_missing)

