"""Concepts from resolved mentions: spelling variants, display labels, majority types.

Used by :func:`paperkg.extract.concepts.resolve.resolve`: :func:`spelling_map` merges keys (and labels)
that are spelling variants of each other, and :func:`group_concepts` turns the kept
mentions into :class:`ConceptInfo` records. A concept's ``label`` is its most frequent
full written form (never a bare short form when a long one exists), preferring forms
written mid-sentence over sentence-initial ones and over titles; its ``type`` is decided on
the evidence of all its mentions, weighted by their scores, and known names
(:func:`paperkg.extract.concepts.evidence.decide_type`; ties go to the corpus's most common
type, and say so in ``type_evidence``).
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from paperkg.extract.concepts.evidence import decide_type, known_names
from paperkg.extract.concepts.inflection import singular
from paperkg.extract.concepts.keys import compact_key, concept_key, display_label
from paperkg.extract.records import TYPES, Mention, Paper

__all__ = [
    "ConceptInfo", "corpus_prior", "group_concepts", "spelling_map", "surface_form", "variant_form",
]


@dataclass(frozen=True)
class ConceptInfo:
    """One resolved concept: its key, label, type and every written form.

    ``type_counts``: mentions per extracted type; ``type_scores``: their summed scores;
    ``type_evidence``: why ``type`` won (:func:`paperkg.extract.concepts.evidence.decide_type`).
    """

    key: str
    label: str
    type: str
    type_counts: dict[str, int]
    aliases: tuple[str, ...]
    n_mentions: int = 0
    n_papers: int = 0
    type_scores: dict[str, float] = field(default_factory=dict)
    type_evidence: str = ""


def variant_form(text: str) -> str:
    """Return ``text`` folded for spelling variants: case, spaces, hyphens, a final plural.

    >>> variant_form("Gradient-Differences") == variant_form("gradient difference")
    True
    """
    words = unicodedata.normalize("NFKC", text).casefold().replace("-", " ").split()
    return "".join(words[:-1] + [singular(words[-1])]) if words else ""


def spelling_map(
    counts: Counter[str], *, form: Callable[[str], str] = variant_form
) -> dict[str, str]:
    """Map every key to the most used key with the same variant ``form``.

    Keys that differ only by case, spaces, hyphens or a final plural ("AdaGrad" /
    "Adagrad", "CIFAR 10" / "cifar10", "pre training" / "pretraining") name one concept.

    Examples
    --------
    >>> spelling_map(Counter({"pre training": 2, "pretraining": 1, "BERT": 1}))
    {'BERT': 'BERT', 'pre training': 'pre training', 'pretraining': 'pre training'}
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for key in counts:
        groups[form(key)].append(key)
    mapping = {}
    for keys in groups.values():
        best = min(keys, key=lambda k: (-counts[k], k))
        mapping.update(dict.fromkeys(keys, best))
    return dict(sorted(mapping.items()))


@functools.lru_cache(maxsize=1 << 18)
def surface_form(text: str) -> str:
    """Return ``text`` NFKC-normalised and single-spaced: how surface forms are kept."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _label_rank(paper: Paper, mention: Mention) -> int:
    """0: written mid-sentence in the abstract, 1: sentence-initial, 2: in the title."""
    if mention.field != "abstract":
        return 2
    text, end = paper.abstract, mention.start
    if not 0 <= end <= len(text):
        before = text[:end].rstrip()
        return 1 if not before or before[-1] in ".!?:" else 0
    while end and text[end - 1].isspace():  # the text before, right-stripped, ends at end
        end -= 1
    return 1 if not end or text[end - 1] in ".!?:" else 0


def _best_label(
    counts: Counter[str], ranks: dict[str, int], known: frozenset[str] = frozenset()
) -> str:
    """The most frequent form, counting case variants together, written as in running text.

    Forms that differ only in case ("Question Answering" in titles, "question answering" in
    abstracts) count as one; of those, a form in ``known`` (a dataset name as Papers with
    Code writes it: "MNIST", not "MNist") wins, then the form written mid-sentence over a
    sentence-initial one and over a title, then the more frequent, then sort order.

    >>> _best_label(Counter({"Question Answering": 3, "question answering": 2, "QA task": 4}),
    ...             {"Question Answering": 2, "question answering": 0, "QA task": 0})
    'question answering'
    >>> _best_label(Counter({"MNist": 2, "MNIST": 1}), {"MNist": 0, "MNIST": 2},
    ...             frozenset({"MNIST"}))
    'MNIST'
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for form in counts:
        groups[form.casefold()].append(form)
    _, forms = min(
        groups.items(),
        key=lambda item: (
            -sum(counts[f] for f in item[1]), min(ranks[f] for f in item[1]), item[0]
        ),
    )
    return min(forms, key=lambda f: (f not in known, ranks[f], -counts[f], f))


def _type_order(key: str) -> tuple[int, str]:
    return (TYPES.index(key) if key in TYPES else len(TYPES), key)


def corpus_prior(mentions: list[Mention]) -> tuple[str, ...]:
    """Types from the most to the least scored over all ``mentions`` (then TYPES order).

    >>> from paperkg.extract.records import Mention
    >>> m = lambda t, s: Mention("p", "abstract", 0, 1, "x", t, s, "", "", "")
    >>> corpus_prior([m("TASK", 0.9), m("TASK", 0.8), m("METHOD", 1.0)])
    ('TASK', 'METHOD', 'DATASET')
    """
    totals: Counter[str] = Counter(dict.fromkeys(TYPES, 0))
    for mention in mentions:
        totals[mention.type] += max(mention.score, 0.0)
    return tuple(sorted(totals, key=lambda t: (-totals[t], _type_order(t))))


def group_concepts(
    kept: list[tuple[Mention, str, tuple[str, str, str]]],
    *,
    by_id: dict[str, Paper],
    canonical: dict[str, str],
    definitions: dict[str, dict[str, tuple[str, str]]],
    prior: tuple[str, ...] | None = None,
) -> dict[str, ConceptInfo]:
    """Group kept mentions into concepts with their label, type and aliases.

    Parameters
    ----------
    kept:
        (mention, the mention's own key, (concept, rule, detail)) for every kept mention.
    by_id:
        The papers by id (where a mention stands decides how good a label it makes).
    canonical:
        Own key → spelling-merged key: a mention whose key is canonical for its concept is
        a full written form, a candidate label; a short form is not.
    definitions:
        Paper id → short form → (long-form key, long form as written).
    prior:
        Types from the corpus's most common to its least, for ties
        (default: :func:`corpus_prior` of the ``kept`` mentions).
    """
    grouped: dict[str, list[Mention]] = defaultdict(list)
    full_forms: dict[str, Counter[str]] = defaultdict(Counter)
    best_rank: dict[tuple[str, str], int] = {}
    user_labels: dict[str, str] = {}
    for mention, own_key, (concept, rule, detail) in kept:
        grouped[concept].append(mention)
        if rule == "thesaurus" and compact_key(concept_key(detail)) == compact_key(concept):
            user_labels[concept] = detail  # not when the replacement was an acronym
        elif canonical.get(own_key) == concept:  # a full written form, not a short form
            rank = _label_rank(by_id[mention.paper_id], mention)
            label = display_label(mention.text, sentence_initial=rank == 1)
            if label:
                full_forms[concept][label] += 1
                best_rank[concept, label] = min(best_rank.get((concept, label), 3), rank)
    long_forms: dict[str, Counter[str]] = defaultdict(Counter)
    for found in definitions.values():
        for long, text in found.values():
            long_forms[long][display_label(text)] += 1
    if prior is None:
        prior = corpus_prior([m for m, _, _ in kept])
    known = known_names().written
    concepts = {}
    for concept in sorted(grouped):
        group = grouped[concept]
        if concept in user_labels:
            label = user_labels[concept]
        elif full_forms[concept]:
            label = _best_label(full_forms[concept], {
                form: best_rank[concept, form] for form in full_forms[concept]
            }, known)
        elif long_forms[concept]:
            label = min(long_forms[concept].items(), key=lambda item: (-item[1], item[0]))[0]
        else:
            label = min(Counter(display_label(m.text) or surface_form(m.text) for m in group).items(),
                        key=lambda item: (-item[1], item[0]))[0]
        type_counts: dict[str, int] = {}
        type_scores: dict[str, float] = {}
        for m in group:
            type_counts[m.type] = type_counts.get(m.type, 0) + 1
            type_scores[m.type] = type_scores.get(m.type, 0) + max(m.score, 0.0)
        types = sorted(type_counts, key=_type_order)
        decision = decide_type({t: type_scores[t] for t in types}, key=concept, prior=prior)
        concepts[concept] = ConceptInfo(
            key=concept,
            label=label,
            type=decision.type,
            type_counts={t: type_counts[t] for t in types},
            type_scores={t: round(type_scores[t], 6) for t in types},
            type_evidence=decision.evidence,
            aliases=tuple(sorted({surface_form(m.text) for m in group})),
            n_mentions=len(group),
            n_papers=len({m.paper_id for m in group}),
        )
    return concepts
