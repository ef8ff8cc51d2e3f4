"""Score an extractor pipeline against gold files; every function returns a plain dict.

Two gold formats:

* **DyGIE corpora** (``shared/corpora/<corpus>/<split>.jsonl``): :func:`evaluate_dygie` runs the
  pipeline on the gold *tokens* (so spans compare by token offsets) and reports

  - ``spans``: exact-span, typed micro P/R/F1 and per type (a prediction counts only if its start,
    end and type equal a gold span's; gold labels mapped with :data:`paperkg.extract.ner.corpora.MAPPINGS`,
    nested gold flattened as in training);
  - ``concepts``: document-level concept sets, per document the set of
    ``(type, lowercased text)``, micro-summed over documents, and per type.

* **Seed gold** (``shared/seed_gold/dev.jsonl``): :func:`evaluate_seed_gold` runs the pipeline on
  each paper's title and abstract (as :func:`paperkg.extract.ner.pipeline.extract` does); a paper's predicted
  concepts are the set of ``(type, normalised text)``. A predicted concept is correct if its
  normalised text equals the normalised name or an alias of a gold concept of the same type;
  a gold concept is found if some prediction matches it. Precision = correct predicted concepts /
  predicted concepts, recall = found gold concepts / gold concepts (per type and micro), plus
  the recall of the ``core`` gold concepts and an untyped micro score (type ignored).
  Normalisation: Unicode NFKC, case-folded, single-spaced, each word without a plural ending.

:func:`evaluate_file` sniffs the format; :func:`format_report` prints a table.

Examples
--------
>>> prf(3, 1, 2)["f"]
0.6667
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from paperkg.extract.ner.corpora import CORPORA, MAPPINGS, corpus_docs, read_dygie
from paperkg.errors import InputError
from paperkg.extract.concepts.inflection import singular
from paperkg.extract.read.jsonl import json_lines
from paperkg.extract.records import TYPES, Paper

__all__ = [
    "evaluate_corpora",
    "evaluate_dygie",
    "evaluate_file",
    "evaluate_seed_gold",
    "format_report",
    "normalise",
    "prf",
]


def prf(tp: int, fp: int, fn: int) -> dict:
    """Return precision, recall and F1 (rounded to 4 places) with the counts.

    Parameters
    ----------
    tp, fp, fn:
        True positives, false positives, false negatives.

    Returns
    -------
    dict
        ``{"p", "r", "f", "tp", "fp", "fn"}``; a ratio with a zero denominator is 0.0.
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def normalise(text: str) -> str:
    """Return the case- and plural-insensitive form used to match seed-gold concepts.

    Parameters
    ----------
    text:
        A surface form.

    Returns
    -------
    str
        NFKC, case-folded, single-spaced, every word singular
        (:func:`paperkg.extract.concepts.inflection.singular`).

    Examples
    --------
    >>> normalise("Large  Language Models") == normalise("large language model")
    True
    >>> normalise("LLMs")
    'llm'
    """
    words = unicodedata.normalize("NFKC", text).casefold().split()
    return " ".join(singular(w) for w in words)


class _Counts:
    """tp/fp/fn per type, and their micro sums."""

    def __init__(self) -> None:
        self.by_type: dict[str, Counter] = {t: Counter() for t in TYPES}

    def add(self, label: str, key: str, n: int = 1) -> None:
        self.by_type.setdefault(label, Counter())[key] += n

    def add_sets(self, gold: set[tuple], pred: set[tuple]) -> None:
        for item in gold & pred:
            self.add(item[0], "tp")
        for item in pred - gold:
            self.add(item[0], "fp")
        for item in gold - pred:
            self.add(item[0], "fn")

    def result(self) -> dict:
        total = Counter()
        for c in self.by_type.values():
            total.update(c)
        return {
            "micro": prf(total["tp"], total["fp"], total["fn"]),
            "per_type": {t: prf(c["tp"], c["fp"], c["fn"]) for t, c in self.by_type.items()},
        }


def _predict(nlp: Language, gold: list[Doc]) -> Iterable[Doc]:
    """Run ``nlp`` on fresh docs with the gold tokens (no tokenizer, no gold entities)."""
    fresh = (Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d])
             for d in gold)
    return nlp.pipe(fresh, batch_size=32)


def _default_mapping(path: Path) -> Mapping[str, str]:
    """Labels already named like paperkg's types (any case) map to themselves."""
    labels = {lab for rec in read_dygie(path) for sent in rec.get("ner", []) for *_, lab in sent}
    return {lab: lab.upper() for lab in labels if lab.upper() in TYPES}


def evaluate_dygie(
    nlp: Language,
    path: str | Path,
    *,
    corpus: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> dict:
    """Score ``nlp`` on a DyGIE gold file: exact typed spans and document concept sets.

    Parameters
    ----------
    nlp:
        The pipeline (``doc.ents`` with METHOD / DATASET / TASK).
    path:
        A DyGIE ``.jsonl`` file.
    corpus:
        Its corpus name, picking the label mapping; by default the file's folder name, and if
        that is not a known corpus, labels already named METHOD / DATASET / TASK (any case).
    mapping:
        Original label -> type; overrides ``corpus``.

    Returns
    -------
    dict
        ``{"kind": "dygie", "path", "corpus", "docs", "spans": {"micro", "per_type"},
        "concepts": {"micro", "per_type"}}``; each score is a :func:`prf` dict.

    Raises
    ------
    InputError
        For an unknown ``corpus`` name or an unreadable file.
    """
    path = Path(path)
    if mapping is None:
        if corpus is None and path.parent.name in MAPPINGS:
            corpus = path.parent.name
        if corpus is not None and corpus not in MAPPINGS:
            raise InputError(f"unknown corpus {corpus!r}; known: {', '.join(CORPORA)}")
        mapping = MAPPINGS[corpus] if corpus is not None else _default_mapping(path)
    gold_docs = list(corpus_docs(path, nlp.vocab, corpus=corpus or "custom", mapping=mapping))
    spans, concepts = _Counts(), _Counts()
    for gold, pred in zip(gold_docs, _predict(nlp, gold_docs)):
        spans.add_sets({(e.label_, e.start, e.end) for e in gold.ents},
                       {(e.label_, e.start, e.end) for e in pred.ents})
        concepts.add_sets({(e.label_, e.text.lower()) for e in gold.ents},
                          {(e.label_, e.text.lower()) for e in pred.ents})
    return {
        "kind": "dygie",
        "path": str(path),
        "corpus": corpus,
        "docs": len(gold_docs),
        "spans": spans.result(),
        "concepts": concepts.result(),
    }


def _read_seed_gold(path: Path) -> list[dict]:
    records = []
    for number, record in json_lines(path):  # one-line InputError for an unreadable or bad file
        problem = seed_gold_problem(record)
        if problem:
            raise InputError(f"{path}:{number}: {problem}")
        records.append(record)
    return records


def seed_gold_problem(record: object) -> str | None:
    """What makes ``record`` no seed-gold record, or ``None``.

    A record is a JSON object with a ``title`` and an ``abstract`` (strings or null,
    optional) and ``concepts``: a list of objects, each with a ``name`` (a non-empty
    string), a ``type`` (METHOD, DATASET or TASK), ``aliases`` (a list of strings,
    optional) and ``core`` (true or false, optional).

    >>> seed_gold_problem({"title": "T", "concepts": [{"name": "BERT", "type": "METHOD"}]}) is None
    True
    >>> seed_gold_problem({"title": "T", "concepts": [{"name": "BERT", "type": "MODEL"}]})
    "concept 1: 'type' must be one of METHOD, DATASET, TASK"
    """
    if not isinstance(record, dict):
        return "expected a JSON object"
    for field in ("title", "abstract"):
        if record.get(field) is not None and not isinstance(record[field], str):
            return f"'{field}' must be a string"
    concepts = record.get("concepts")
    if not isinstance(concepts, list):
        return "'concepts' must be a list"
    for number, concept in enumerate(concepts, start=1):
        if not isinstance(concept, dict):
            return f"concept {number}: expected a JSON object"
        if not isinstance(concept.get("name"), str) or not concept["name"].strip():
            return f"concept {number}: 'name' must be a non-empty string"
        if concept.get("type") not in TYPES:
            return f"concept {number}: 'type' must be one of {', '.join(TYPES)}"
        aliases = concept.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            return f"concept {number}: 'aliases' must be a list of strings"
        if not isinstance(concept.get("core", False), bool):
            return f"concept {number}: 'core' must be true or false"
    return None


def _surface_predictions(nlp: Language, papers: list[dict]) -> list[list[tuple[str, set[str]]]]:
    """Each typed span the pipeline finds is one prediction: (type, {its normal form})."""
    texts = [(p.get(field) or "", n) for n, p in enumerate(papers) for field in ("title", "abstract")]
    predicted: list[set[tuple[str, str]]] = [set() for _ in papers]
    for doc, n in nlp.pipe(texts, as_tuples=True, batch_size=32):
        predicted[n].update((e.label_, normalise(e.text)) for e in doc.ents if e.label_ in TYPES)
    return [[(label, {text}) for label, text in sorted(preds)] for preds in predicted]


def _concept_predictions(nlp: Language, papers: list[dict]) -> list[list[tuple[str, set[str]]]]:
    """Each resolved concept of a paper is one prediction: (its type, {label, aliases}).

    This is what a user's graph holds: the extractor seam (:func:`paperkg.extract.ner.pipeline.extract`)
    followed by corpus-wide resolution (:func:`paperkg.extract.concepts.resolve.resolve`) over the gold papers.
    A paper's concept node carries the concept's label and every alias, so it matches a
    gold concept when any of them is the gold name or one of its aliases.
    """
    from paperkg.extract.ner.pipeline import extract
    from paperkg.extract.concepts.resolve import resolve

    records = [
        Paper(id=str(n), title=p.get("title") or "", abstract=p.get("abstract") or "")
        for n, p in enumerate(papers)
    ]
    mentions = [m for _, found in extract(nlp, records) for m in found]
    resolution = resolve(records, mentions)
    forms: list[dict[str, set[str]]] = [defaultdict(set) for _ in papers]
    for m in resolution.mentions:
        forms[int(m.paper_id)][m.concept].update(
            {normalise(m.label), *map(normalise, resolution.concepts[m.concept].aliases)}
        )
    return [
        [(resolution.concepts[c].type, found[c]) for c in sorted(found)] for found in forms
    ]


def evaluate_seed_gold(nlp: Language, path: str | Path, *, resolved: bool = True) -> dict:
    """Score ``nlp`` on a seed-gold file at the document level (see the module docstring).

    Parameters
    ----------
    nlp:
        The pipeline.
    path:
        JSON lines of ``{"title", "abstract", "concepts": [{"name", "aliases", "type", "core"}]}``.
    resolved:
        Score the concepts a build makes (spans resolved into concepts across the gold
        papers: "LLMs" and "large language models" are one prediction), or, when False,
        every distinct typed span.

    Returns
    -------
    dict
        ``{"kind": "seed_gold", "path", "docs", "resolved", "micro", "per_type", "untyped",
        "core_recall": {"found", "total", "r"}}``.
    """
    path = Path(path)
    papers = _read_seed_gold(path)
    predictions = (_concept_predictions if resolved else _surface_predictions)(nlp, papers)

    counts, untyped = _Counts(), Counter()
    core_found = core_total = 0
    for paper, preds in zip(papers, predictions):
        gold = [(c["type"], {normalise(c["name"]), *map(normalise, c.get("aliases", []))},
                 bool(c.get("core"))) for c in paper.get("concepts", [])]
        for label, texts in preds:
            ok = any(label == g_type and texts & forms for g_type, forms, _ in gold)
            counts.add(label, "tp_pred" if ok else "fp")
            untyped["tp_pred" if any(texts & forms for _, forms, _ in gold) else "fp"] += 1
        for g_type, forms, core in gold:
            found = any(label == g_type and texts & forms for label, texts in preds)
            counts.add(g_type, "found" if found else "fn")
            untyped["found" if any(texts & forms for _, texts in preds) else "fn"] += 1
            if core:
                core_total += 1
                core_found += found

    def score(c: Counter) -> dict:
        p = c["tp_pred"] / (c["tp_pred"] + c["fp"]) if c["tp_pred"] + c["fp"] else 0.0
        r = c["found"] / (c["found"] + c["fn"]) if c["found"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": c["found"],
                "fp": c["fp"], "fn": c["fn"], "pred": c["tp_pred"] + c["fp"],
                "gold": c["found"] + c["fn"]}

    total = Counter()
    for c in counts.by_type.values():
        total.update(c)
    return {
        "kind": "seed_gold",
        "path": str(path),
        "docs": len(papers),
        "resolved": resolved,
        "micro": score(total),
        "per_type": {t: score(c) for t, c in counts.by_type.items()},
        "untyped": score(untyped),
        "core_recall": {"found": core_found, "total": core_total,
                        "r": round(core_found / core_total, 4) if core_total else 0.0},
    }


def evaluate_corpora(nlp: Language, corpora: str | Path, *, names: tuple[str, ...] = CORPORA,
                     seed_gold: str | Path | None = None) -> dict:
    """Evaluate ``nlp`` on each corpus's dev split (and the seed-gold dev file if given).

    Parameters
    ----------
    nlp:
        The pipeline.
    corpora:
        The corpora folder.
    names:
        The corpora to evaluate.
    seed_gold:
        A seed-gold JSON-lines file, or ``None``.

    Returns
    -------
    dict
        ``{corpus: evaluate_dygie(...)}`` plus ``"seed_gold"`` when given.
    """
    result = {name: evaluate_dygie(nlp, Path(corpora) / name / "dev.jsonl", corpus=name)
              for name in names}
    if seed_gold is not None and Path(seed_gold).is_file():
        result["seed_gold"] = evaluate_seed_gold(nlp, seed_gold)
    return result


def evaluate_file(
    nlp: Language,
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    resolved: bool = True,
) -> dict:
    """Score ``nlp`` on a gold file, DyGIE (has ``sentences``) or seed gold (has ``concepts``).

    Parameters
    ----------
    nlp:
        The pipeline.
    path:
        The gold file.
    mapping:
        Label mapping for a DyGIE file (see :func:`evaluate_dygie`).
    resolved:
        For a seed-gold file, score resolved concepts or raw spans (see
        :func:`evaluate_seed_gold`).

    Returns
    -------
    dict
        The result of :func:`evaluate_dygie` or :func:`evaluate_seed_gold`.

    Raises
    ------
    InputError
        If the file is missing, empty or neither format.
    """
    path = Path(path)
    # Every line must parse (read_dygie reopens the file as UTF-8, hence utf8_only): a
    # missing, binary, non-UTF-8 or malformed file is a one-line InputError, not a traceback.
    lines = list(json_lines(path, utf8_only=True))
    record = lines[0][1] if lines else None
    if isinstance(record, dict) and "sentences" in record:
        return evaluate_dygie(nlp, path, mapping=mapping)
    if isinstance(record, dict) and "concepts" in record:
        return evaluate_seed_gold(nlp, path, resolved=resolved)
    raise InputError(
        f"{path}: not a gold file (expected JSON lines with 'sentences' (DyGIE) or 'concepts' (seed gold))"
    )


def _rows(title: str, block: dict) -> list[str]:
    lines = [f"{title:<22}{'P':>7}{'R':>7}{'F1':>7}{'TP':>7}{'FP':>7}{'FN':>7}"]
    items = [("micro", block["micro"]), *block["per_type"].items()]
    if "untyped" in block:
        items.append(("untyped", block["untyped"]))
    for name, s in items:
        lines.append(f"  {name:<20}{100 * s['p']:>7.1f}{100 * s['r']:>7.1f}{100 * s['f']:>7.1f}"
                     f"{s['tp']:>7}{s['fp']:>7}{s['fn']:>7}")
    return lines


def format_report(result: dict) -> str:
    """Return a readable table of an :func:`evaluate_dygie` / :func:`evaluate_seed_gold` result.

    Parameters
    ----------
    result:
        A dict returned by one of the ``evaluate_*`` functions.

    Returns
    -------
    str
        Lines of P / R / F1 (percent) and counts, per type and micro.
    """
    head = f"{result.get('path', '')} ({result.get('docs', 0)} docs)"
    if result.get("kind") == "dygie":
        lines = [head, *_rows("exact spans", result["spans"]),
                 *_rows("doc concept sets", result["concepts"])]
    elif result.get("kind") == "seed_gold":
        core = result["core_recall"]
        lines = [head, *_rows("doc concepts", result),
                 f"  core recall: {100 * core['r']:.1f} ({core['found']}/{core['total']})"]
    else:
        raise InputError("not an evaluation result (no 'kind' of 'dygie' or 'seed_gold')")
    return "\n".join(lines)
