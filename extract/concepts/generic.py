"""Generic mentions: surface forms that never become concepts.

paperkg keeps **one** list of generic terms, the data file ``extract/concepts/data/generic_terms.txt``,
and this module is the one reader of it: the pipeline's mention filter
(:mod:`paperkg.extract.ner.components`) and corpus-wide resolution
(:mod:`paperkg.extract.concepts.resolve`) both ask :func:`generic_kind`. The file is read on first
use (never at import) and cached.

Four kinds, following the seed-gold guidelines (``GUIDELINES.md``, "Excluded"):

* **vague** -- a vague noun, alone or after generic modifiers: "method", "the model",
  "this task", "existing approaches", "our approach", "the dataset", "baselines",
  "extensive experiments", "deep learning models", "training data";
* **umbrella** -- a field-wide umbrella term: machine learning, deep learning, AI, generative
  AI, bare neural network(s) (also ANN, DNN, deep neural networks), bare generative models,
  bare pretraining, fine-tuning or training; and, only when they stand alone, bare problem
  families and data kinds ("detection", "generalization", "prediction", "time series");
* **object** -- a generic math object or training setting standing alone (guidelines:
  "generic math objects"): "differential equations", "PDEs", "covariance matrix",
  "learning rate" ("neural differential equations", "diffusion ODE" and "SDE" stay);
* **metric** -- an evaluation metric: "FID", "BLEU-4", "ROUGE-L", "top-1 accuracy", "macro F1",
  "pass@1", "perplexity" (a qualifier from the ``[metric-qualifier]`` section may precede it,
  and a number or a single letter may follow it).

All are judged on the concept key (:func:`paperkg.extract.concepts.keys.concept_key`), so
determiners, evaluatives, case, hyphens and plurals do not matter. A mention that is more
specific than its generic head stays ("graph neural network", "language model", "diffusion
model", "object detection", "time series forecasting").
:mod:`paperkg.extract.concepts.resolve` treats the kinds differently in one place: a short form
defined by a vague long form ("our method (OM)") keeps its own name.

Examples
--------
>>> [is_generic(t) for t in ["the model", "existing approaches", "Deep Learning", "LLMs"]]
[True, True, True, False]
>>> generic_kind("neural networks"), generic_kind("our framework"), generic_kind("BERT")
('umbrella', 'vague', '')
>>> [generic_kind(t) for t in ["FID", "ROUGE-L", "top-1 accuracy", "FID-guided sampling"]]
['metric', 'metric', 'metric', '']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from paperkg.extract.concepts.keys import concept_key

__all__ = ["GENERIC_TERMS_FILE", "GenericTerms", "generic_kind", "generic_terms", "is_generic"]

#: The one list of generic terms (sections ``[vague]``, ``[modifier]``, ``[umbrella]``,
#: ``[bare-umbrella]``, ``[object]``, ``[metric]``, ``[metric-qualifier]``).
GENERIC_TERMS_FILE: Path = Path(__file__).parent / "data" / "generic_terms.txt"
_SECTIONS = (
    "vague", "modifier", "umbrella", "bare-umbrella", "object", "metric", "metric-qualifier",
)


@dataclass(frozen=True)
class GenericTerms:
    """The generic terms, as keys: each field holds one section of the data file."""

    vague: frozenset[str]
    modifier: frozenset[str]
    umbrella: frozenset[str]
    bare_umbrella: frozenset[str]
    object: frozenset[str]
    metric: frozenset[str]
    metric_qualifier: frozenset[str]


def parse_terms(text: str) -> dict[str, list[str]]:
    """Return the terms of each section of a generic-terms file, as written.

    Parameters
    ----------
    text:
        The file's text: ``[section]`` lines, one term per line, ``#`` comment lines.

    Returns
    -------
    dict[str, list[str]]
        Section name -> its terms in file order.

    Raises
    ------
    ValueError
        For a term before any section or an unknown section name.

    Examples
    --------
    >>> parse_terms("# c\\n[vague]\\nmethod\\n\\n[metric]\\nFID\\n")
    {'vague': ['method'], 'metric': ['FID']}
    """
    sections: dict[str, list[str]] = {}
    current = None
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            if current not in _SECTIONS:
                raise ValueError(
                    f"line {number}: unknown section {current!r}; known: {', '.join(_SECTIONS)}"
                )
            sections.setdefault(current, [])
        elif current is None:
            raise ValueError(f"line {number}: term {line!r} before any [section]")
        else:
            sections[current].append(line)
    return sections


def _metric_form(key: str) -> str:
    """A key without trailing numbers or single letters: "ROUGE L" -> "ROUGE", "pass k" -> "pass"."""
    words = key.split(" ")
    while len(words) > 1 and (len(words[-1]) == 1 or words[-1].replace(".", "").isdigit()):
        words.pop()
    return " ".join(words).casefold()


@functools.cache
def generic_terms(path: str | Path = GENERIC_TERMS_FILE) -> GenericTerms:
    """Return the generic terms of ``path`` (default: the shipped list), keyed and cached.

    Terms are stored as their concept keys; metrics case-folded and without trailing
    numbers or single letters (:func:`_metric_form`), so "BLEU-4" and "pass@1" find
    "BLEU" and "pass@k".
    """
    sections = parse_terms(Path(path).read_text(encoding="utf-8"))

    def keys(name: str) -> frozenset[str]:
        return frozenset(k for k in (concept_key(t) for t in sections.get(name, ())) if k)

    return GenericTerms(
        vague=keys("vague"),
        modifier=frozenset(concept_key(t) or t.casefold() for t in sections.get("modifier", ())),
        umbrella=keys("umbrella"),
        bare_umbrella=keys("bare-umbrella"),
        object=keys("object"),
        metric=frozenset(_metric_form(k) for k in keys("metric")),
        metric_qualifier=frozenset(k.casefold() for k in keys("metric-qualifier")),
    )


def _strip_leading(words: list[str], phrases: frozenset[str]) -> list[str]:
    """Drop leading phrases of up to three words while something is left."""
    while words:
        for n in (3, 2, 1):
            if len(words) > n and " ".join(words[:n]) in phrases:
                words = words[n:]
                break
        else:
            break
    return words


def _is_metric(key: str, terms: GenericTerms) -> bool:
    words = key.casefold().split(" ")
    for candidate in (words, _strip_leading(words, terms.metric_qualifier)):
        if _metric_form(" ".join(candidate)) in terms.metric:
            return True
    return False


def generic_kind(text: str) -> str:
    """Return "umbrella", "vague", "object", "metric" or "" (not generic) for a surface form.

    Parameters
    ----------
    text:
        A surface form or a concept key.

    Returns
    -------
    str
        "umbrella" for an umbrella term, "vague" for a vague noun (also for text with no key
        at all, such as "the" or "novel"), "object" for a generic math object or training
        setting standing alone, "metric" for an evaluation metric, "" otherwise.

    Examples
    --------
    >>> [generic_kind(t) for t in ["AI", "fine-tuning", "state-of-the-art methods", "novel"]]
    ['umbrella', 'umbrella', 'vague', 'vague']
    >>> [generic_kind(t) for t in ["graph neural networks", "diffusion model", "MATH"]]
    ['', '', '']
    >>> [generic_kind(t) for t in ["detection", "object detection", "BLEU-4", "macro F1"]]
    ['umbrella', '', 'metric', 'metric']
    """
    return _cached_kind(text)


@functools.lru_cache(maxsize=1 << 18)
def _cached_kind(text: str) -> str:
    """:func:`generic_kind`, remembered per text (resolution asks again for each mention)."""
    key = concept_key(text)
    if not key:
        return "vague"
    terms = generic_terms()
    if key in terms.umbrella or key in terms.bare_umbrella:
        return "umbrella"
    words = _strip_leading(key.split(" "), terms.modifier)
    if len(words) == 1 and words[0] in terms.vague:
        return "vague"
    if " ".join(words) in terms.umbrella:
        return "umbrella"
    if key in terms.object:
        return "object"
    if _is_metric(key, terms):
        return "metric"
    return ""


def is_generic(text: str) -> bool:
    """Return whether a surface form is generic and never becomes a concept.

    Examples
    --------
    >>> [is_generic(t) for t in ["method", "this task", "our approach", "the dataset",
    ...                          "baselines", "experiments", "machine learning", "FID"]]
    [True, True, True, True, True, True, True, True]
    >>> [is_generic(t) for t in ["ResNet-50", "retrieval-augmented generation", "language models"]]
    [False, False, False]
    """
    return bool(generic_kind(text))
