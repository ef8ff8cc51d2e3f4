"""Read the DyGIE-style gold corpora into spaCy ``Doc`` objects with paperkg's three types.

The four corpora under ``shared/corpora`` (GSAP-NER, SciER, SciNLP, SciERC; see that folder's
README for sources and licences) share one JSON-lines format: per document, ``sentences`` (lists
of tokens) and ``ner`` (per sentence, ``[start, end, label]`` with *document-level* token offsets
and an *inclusive* end). Each corpus keeps its own label set; :data:`MAPPINGS` turns it into
METHOD / DATASET / TASK, one table per corpus, following the corpora README's recommendation:

=========  ===================================  ===================  ======  =====================
corpus     METHOD                               DATASET              TASK    dropped
=========  ===================================  ===================  ======  =====================
gsap_ner   Method, MLModel, ModelArchitecture   Dataset, Datasource  Task    MLModelGeneric,
                                                                             DatasetGeneric, URL,
                                                                             ReferenceLink
scier      Method                               Dataset              Task    --
scinlp     method                               dataset              task    metric, tool
scierc     Method                               Material (rough)     Task    Metric, OSTerm, Generic
=========  ===================================  ===================  ======  =====================

Choices (also stated in ``docs/model_card.md``):

* Labels missing from a mapping are dropped (their tokens become "outside"), so the generic GSAP
  mentions ("our model", "the training data") are *negative* evidence for the model.
* spaCy's ``ner`` needs flat spans: after mapping, nested/overlapping spans are flattened with
  :func:`spacy.util.filter_spans` (longest span wins, then the earliest).
* Sentence starts come from the corpus, so a ``Doc`` carries its gold sentence boundaries.
* For *training* only, long full-text documents (SciER, SciNLP papers of thousands of tokens)
  are cut into chunks of whole sentences of at most ``max_tokens`` tokens, which keeps batches
  small; evaluation reads whole documents.
* For *training* only, corpora listed in :data:`SPARSE_CORPORA` keep only sentences holding at
  least one gold span of the *original* label set: SciNLP annotates full papers sparsely (73% of
  its train sentences have no span at all), which would otherwise teach the model to miss
  entities. SciER's train split is already sentence-filtered by construction (99.8% have spans).

Examples
--------
>>> import spacy
>>> rec = {"doc_key": "d1", "sentences": [["We", "use", "BERT", "."], ["On", "SQuAD", "."]],
...        "ner": [[[2, 2, "Method"]], [[5, 5, "Dataset"]]]}
>>> doc = record_to_doc(spacy.blank("en").vocab, rec, MAPPINGS["scier"])
>>> [(e.text, e.label_) for e in doc.ents]
[('BERT', 'METHOD'), ('SQuAD', 'DATASET')]
>>> [s.text for s in doc.sents]
['We use BERT .', 'On SQuAD .']
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from paperkg.errors import InputError

__all__ = [
    "CORPORA",
    "MAPPINGS",
    "SPARSE_CORPORA",
    "chunk_record",
    "corpus_docs",
    "corpus_of",
    "gold_names",
    "read_dygie",
    "record_to_doc",
    "write_docbin",
]

#: The corpus folder names, in the order they are read.
CORPORA: tuple[str, ...] = ("gsap_ner", "scier", "scinlp", "scierc")

#: Original label -> paperkg type, per corpus (the corpora README's recommended mapping).
MAPPINGS: dict[str, dict[str, str]] = {
    "gsap_ner": {
        "Method": "METHOD",
        "MLModel": "METHOD",
        "ModelArchitecture": "METHOD",
        "Dataset": "DATASET",
        "Datasource": "DATASET",
        "Task": "TASK",
    },
    "scier": {"Method": "METHOD", "Dataset": "DATASET", "Task": "TASK"},
    "scinlp": {"method": "METHOD", "dataset": "DATASET", "task": "TASK"},
    "scierc": {"Method": "METHOD", "Material": "DATASET", "Task": "TASK"},
}

#: Corpora whose train split keeps only sentences with at least one gold span (see above).
SPARSE_CORPORA: frozenset[str] = frozenset({"scinlp"})


def corpus_of(path: str | Path) -> str:
    """Return the corpus name of a split file from its folder name (``.../scier/dev.jsonl``).

    Parameters
    ----------
    path:
        A split file inside one of the corpus folders.

    Returns
    -------
    str
        One of :data:`CORPORA`.

    Raises
    ------
    InputError
        If the folder name is not a known corpus.
    """
    name = Path(path).parent.name
    if name not in MAPPINGS:
        raise InputError(
            f"cannot tell the corpus of {path}: folder {name!r} is not one of {', '.join(CORPORA)}"
        )
    return name


def read_dygie(path: str | Path) -> Iterator[dict]:
    """Yield the records of a DyGIE JSON-lines file, one dict per non-empty line.

    Parameters
    ----------
    path:
        The ``.jsonl`` file.

    Returns
    -------
    Iterator[dict]
        Records with at least ``doc_key``, ``sentences`` and ``ner``.
    """
    with open(path, encoding="utf8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as err:
                    raise InputError(f"{path}:{n}: not JSON ({getattr(err, 'msg', 'nested too deep')})") from None
                problem = dygie_problem(record)
                if problem:
                    raise InputError(f"{path}:{n}: {problem}")
                yield record


def dygie_problem(record: object) -> str | None:
    """What makes ``record`` no DyGIE record paperkg can read, or ``None``.

    A record is a JSON object whose ``sentences`` is a list of sentences, each a list of
    non-empty token strings, and whose ``ner`` (optional) holds, per sentence, a list of
    ``[start, end, label]`` spans: whole-number token offsets into the document, ``start
    <= end`` (inclusive), and a string label.

    >>> dygie_problem({"sentences": [["We", "use", "BERT"]], "ner": [[[2, 2, "Method"]]]}) is None
    True
    >>> dygie_problem({"sentences": [["We", 5]]})
    "'sentences' must be lists of non-empty token strings"
    >>> dygie_problem({"sentences": [["BERT"]], "ner": [[[0, 3, "Method"]]]})
    "'ner' span [0, 3, 'Method'] is not within the 1 tokens"
    """
    if not isinstance(record, dict):
        return "expected a JSON object"
    sentences = record.get("sentences")
    if not isinstance(sentences, list) or not all(
        isinstance(sentence, list) and all(isinstance(t, str) and t for t in sentence)
        for sentence in sentences
    ):
        return "'sentences' must be lists of non-empty token strings"
    if "doc_key" in record and not isinstance(record["doc_key"], (str, int)):
        return "'doc_key' must be a string"
    ner = record.get("ner", [])
    if not isinstance(ner, list) or not all(isinstance(spans, list) for spans in ner):
        return "'ner' must hold a list of spans per sentence"
    n = sum(len(sentence) for sentence in sentences)
    for span in (span for spans in ner for span in spans):
        if not (isinstance(span, list) and len(span) == 3 and isinstance(span[2], str)
                and all(type(x) is int for x in span[:2])):
            return f"'ner' span {span!r} is not [start, end, label] (two whole numbers and a string)"
        if not 0 <= span[0] <= span[1] < n:
            return f"'ner' span {span!r} is not within the {n} tokens"
    return None


def record_to_doc(vocab: Vocab, record: dict, mapping: Mapping[str, str]) -> Doc:
    """Turn one DyGIE record into a ``Doc`` with gold sentences and mapped, flattened entities.

    Parameters
    ----------
    vocab:
        The vocabulary of the pipeline the docs are for.
    record:
        A DyGIE record (``sentences``, ``ner`` with inclusive, document-level token offsets).
    mapping:
        Original label -> paperkg type; spans with other labels are dropped.

    Returns
    -------
    Doc
        Tokens of all sentences, ``is_sent_start`` from the sentence lists, ``doc.ents`` the
        mapped spans flattened with :func:`spacy.util.filter_spans`; ``user_data["doc_key"]``.
    """
    words: list[str] = []
    sent_starts: list[bool] = []
    for sentence in record["sentences"]:
        for i, word in enumerate(sentence):
            words.append(word)
            sent_starts.append(i == 0)
    doc = Doc(vocab, words=words, sent_starts=sent_starts)
    spans = [
        Span(doc, start, end + 1, label=mapping[label])
        for sentence_spans in record.get("ner", [])
        for start, end, label in sentence_spans
        if label in mapping and 0 <= start <= end < len(words)
    ]
    doc.ents = filter_spans(spans)
    doc.user_data["doc_key"] = record.get("doc_key", "")
    return doc


def chunk_record(record: dict, *, max_tokens: int = 256, keep_empty: bool = True) -> list[dict]:
    """Cut a record into records of whole consecutive sentences of at most ``max_tokens`` tokens.

    Offsets are rebased to each chunk; a sentence longer than ``max_tokens`` forms its own
    chunk. Span offsets never cross sentences in these corpora, so no span is cut.

    Parameters
    ----------
    record:
        A DyGIE record.
    max_tokens:
        The largest chunk, in tokens.
    keep_empty:
        ``False`` drops sentences without any gold span (of any original label) first.

    Returns
    -------
    list[dict]
        The chunks, with ``doc_key`` suffixed ``#<n>``; ``relations`` are not kept.

    Examples
    --------
    >>> rec = {"doc_key": "d", "sentences": [["a", "b"], ["c"], ["d", "e"]],
    ...        "ner": [[[0, 0, "X"]], [], [[3, 4, "Y"]]]}
    >>> [(c["sentences"], c["ner"]) for c in chunk_record(rec, max_tokens=3)]
    [([['a', 'b'], ['c']], [[[0, 0, 'X']], []]), ([['d', 'e']], [[[0, 1, 'Y']]])]
    >>> [c["sentences"] for c in chunk_record(rec, keep_empty=False)]
    [[['a', 'b'], ['d', 'e']]]
    """
    ners = record.get("ner") or [[] for _ in record["sentences"]]
    chunks: list[dict] = []
    sents: list[list[str]] = []
    spans: list[list[list]] = []
    size = 0
    offset = 0  # document offset of the current sentence

    def flush() -> None:
        if sents:
            key = f"{record.get('doc_key', '')}#{len(chunks)}"
            chunks.append({"doc_key": key, "sentences": list(sents), "ner": list(spans)})
            sents.clear()
            spans.clear()

    for sentence, sentence_spans in zip(record["sentences"], ners):
        if keep_empty or sentence_spans:
            if sents and size + len(sentence) > max_tokens:
                flush()
                size = 0
            shift = offset - size  # document offset -> chunk offset
            sents.append(sentence)
            spans.append([[s - shift, e - shift, lab] for s, e, lab in sentence_spans])
            size += len(sentence)
        offset += len(sentence)
    flush()
    return chunks


def corpus_docs(
    path: str | Path,
    vocab: Vocab,
    *,
    corpus: str | None = None,
    mapping: Mapping[str, str] | None = None,
    training: bool = False,
    max_tokens: int = 256,
    limit: int | None = None,
) -> Iterator[Doc]:
    """Yield the docs of one split file, mapped to paperkg's types.

    Parameters
    ----------
    path:
        A DyGIE ``.jsonl`` split.
    vocab:
        The vocabulary of the target pipeline.
    corpus:
        The corpus name; by default the file's folder name (:func:`corpus_of`).
    mapping:
        Overrides :data:`MAPPINGS` for this corpus.
    training:
        ``True`` chunks long documents (:func:`chunk_record`) and applies
        :data:`SPARSE_CORPORA` filtering; ``False`` yields whole documents.
    max_tokens:
        Chunk size for ``training``.
    limit:
        Read at most this many records.

    Returns
    -------
    Iterator[Doc]
        One doc per record (per chunk when ``training``).
    """
    if mapping is None:
        mapping = MAPPINGS[corpus or corpus_of(path)]
    keep_empty = (corpus or corpus_of(path)) not in SPARSE_CORPORA if training else True
    for n, record in enumerate(read_dygie(path)):
        if limit is not None and n >= limit:
            break
        if training:
            for chunk in chunk_record(record, max_tokens=max_tokens, keep_empty=keep_empty):
                yield record_to_doc(vocab, chunk, mapping)
        else:
            yield record_to_doc(vocab, record, mapping)


def write_docbin(docs: Iterable[Doc], path: str | Path) -> int:
    """Write docs to a ``.spacy`` DocBin file (entities and sentence starts kept).

    Parameters
    ----------
    docs:
        The docs.
    path:
        Output file; its folder is created.

    Returns
    -------
    int
        The number of docs written.
    """
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=False)
    count = 0
    for doc in docs:
        docbin.add(doc)
        count += 1
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(path)
    return count


def gold_names(
    corpora: str | Path,
    *,
    split: str = "train",
    names: tuple[str, ...] = CORPORA,
) -> dict[str, Counter]:
    """Count the gold mention strings of each paperkg type over the corpora's ``split``.

    Parameters
    ----------
    corpora:
        The corpora folder.
    split:
        The split to read (``"train"``: never build gazetteers from dev or test).
    names:
        The corpora to read.

    Returns
    -------
    dict[str, Counter]
        ``{type: Counter(mention text)}``, text as the tokens joined by single spaces.
    """
    counts: dict[str, Counter] = {}
    for name in names:
        mapping = MAPPINGS[name]
        for record in read_dygie(Path(corpora) / name / f"{split}.jsonl"):
            tokens = [t for sentence in record["sentences"] for t in sentence]
            for sentence_spans in record.get("ner", []):
                for start, end, label in sentence_spans:
                    if label in mapping:
                        text = " ".join(tokens[start:end + 1])
                        counts.setdefault(mapping[label], Counter())[text] += 1
    return counts
