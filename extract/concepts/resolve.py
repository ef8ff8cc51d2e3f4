"""Corpus-level concept resolution: one concept per idea, every merge explained.

:func:`resolve` takes the papers and the mentions extracted from them and decides, for each
mention, which concept it names. Each decision is a :class:`MergeRecord` whose ``rule`` says
why:

``key``
    The mention's own canonical key (:func:`paperkg.extract.concepts.keys.concept_key`: case, hyphens,
    spacing, plurals, determiners and evaluatives normalised).
``spelling``
    Keys that are spelling variants of each other: equal once case, spaces, hyphens and a
    final plural are folded (:func:`variant_form`: "pre training" / "pretraining",
    "AdaGrad" / "Adagrad", "GPT 4" / "GPT4"). The variant with more mentions wins, ties by
    sort order. The same holds, after resolution, for concepts whose display labels are
    variants of each other (an acronym expanded in one paper and not in another).
``abbreviation``
    A short form defined in the same paper ("Retrieval-Augmented Generation (RAG)", found
    by :func:`paperkg.extract.concepts.abbreviations.find_abbreviations` in the title and abstract), or the
    whole "long (SF)" span: both resolve to the long form's concept. The first definition of
    a short form in a paper wins there. A definition whose long form is a vague noun
    ("our method (OM)") is not used: the short form names the paper's own thing.
``corpus-acronym``
    A bare short form in a paper that does not define it, resolved through the corpus map
    of all definitions: to the only expansion, or to a *dominant* one (defined by at least
    :data:`paperkg.extract.concepts.acronyms.DOMINANT_MIN_PAPERS` papers and by at least
    :data:`paperkg.extract.concepts.acronyms.DOMINANT_RATIO` times as many papers as the runner-up). Only
    short forms with a capital in their key ("RAG", "fBM", not "Adam") enter the corpus map.
    Otherwise the short form stays a concept of its own; competing expansions are listed in
    :attr:`Resolution.ambiguous_acronyms`. A defined acronym inside a longer mention is
    expanded the same way ("adversarial MDPs"), unless a number follows it ("GPT-4").
``thesaurus``
    A user thesaurus replacement (:mod:`paperkg.extract.concepts.thesaurus`), applied to the mention's own
    key first, then to the resolved key. It overrides the generic filter.
``ignored-generic`` / ``thesaurus-ignore``
    The mention is dropped: generic (:mod:`paperkg.extract.concepts.generic`; ``detail`` says "vague",
    "umbrella", "object" or "metric"), or ignored by the thesaurus. ``concept`` holds the key it would have had.
``ignored-residue``
    The mention is dropped as residue (:mod:`paperkg.extract.concepts.surface`; ``detail`` says
    "markup" for LaTeX or math markup, "citation" for an author name before a citation,
    "empty" when nothing is left once cleaned).
``corpus-match``
    The mention was not extracted: a distinctive written form of a kept mention or a
    concept's label, found again in this paper (:func:`paperkg.extract.concepts.spread.spread_mentions`;
    ``detail`` names the concept whose form it is). Its ``score`` is 0.0.
``type``
    Not a merge: one record per concept and paper says why the concept has its type
    (``detail``: :attr:`ConceptInfo.type_evidence`), so ``paperkg concepts --explain`` shows it.

Before keys are made, each mention is cut to its clean part
(:func:`paperkg.extract.concepts.surface.clean_bounds`: bracket residue, tildes, dangling
function words), still a substring of its paper's text, so "Diffusion models~" and
"Vision Transformers(ViT" resolve as "Diffusion models" and "Vision Transformers".

A concept's ``type`` is decided on the evidence of all its mentions, weighted by their
``score``, and known dataset and task names
(:func:`paperkg.extract.concepts.evidence.decide_type`); mentions keep the type the extractor
gave them. Its
``label`` is its most frequent full written form (never a bare short form when a long one
exists; forms differing only in case count together), written as in running text: a form
from mid-sentence wins over a sentence-initial one and over a title, then the more
frequent, then the first in sort order; a thesaurus replacement names its concept (unless
it is an acronym that resolves to a long form). Every surface form is kept in ``aliases``.
All outputs are sorted, so equal inputs give equal outputs in any order of mentions.

Examples
--------
>>> from paperkg.extract.records import Mention, Paper
>>> p1 = Paper("p1", "RAG for QA", "Large Language Models (LLMs) use Retrieval-Augmented "
...            "Generation (RAG). LLMs hallucinate.")
>>> p2 = Paper("p2", "Better LLMs", "We study large language models and the method.")
>>> def m(p, text, field="abstract", type="METHOD"):
...     start = p.text_of(field).index(text)
...     return Mention(p.id, field, start, start + len(text), text, type, 1.0, "", "", "")
>>> r = resolve([p1, p2], [m(p1, "RAG", "title"), m(p1, "Large Language Models (LLMs)"),
...     m(p1, "Retrieval-Augmented Generation"), m(p1, "LLMs"), m(p2, "LLMs", "title"),
...     m(p2, "large language models"), m(p2, "the method")])
>>> sorted(r.concepts)
['large language model', 'retrieval augmented generation']
>>> r.concepts["large language model"].label, r.concepts["large language model"].aliases
('large language models', ('LLMs', 'Large Language Models (LLMs)', 'large language models'))
>>> [(x.surface, x.paper_id, x.rule) for x in r.merges if x.rule not in ("key", "type")]
[('LLMs', 'p1', 'abbreviation'), ('LLMs', 'p2', 'corpus-acronym'), \
('Large Language Models (LLMs)', 'p1', 'abbreviation'), ('the method', 'p2', 'ignored-generic'), \
('RAG', 'p1', 'abbreviation')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter

from paperkg.extract.concepts.abbreviations import whole_definition
from paperkg.extract.concepts.acronyms import acronym_map, expand_acronyms, paper_definitions
from paperkg.extract.concepts.groups import (
    ConceptInfo,
    corpus_prior,
    group_concepts,
    spelling_map,
    surface_form,
    variant_form,
)
from paperkg.errors import InputError
from paperkg.extract.concepts.generic import generic_kind
from paperkg.extract.concepts.keys import compact_key, concept_key
from paperkg.extract.concepts.spread import CORPUS_MATCH, spread_mentions
from paperkg.extract.concepts.surface import clean_bounds, has_markup, is_citation_name
from paperkg.extract.records import FIELDS, Mention, Paper
from paperkg.extract.concepts.thesaurus import Thesaurus

__all__ = [
    "RULES",
    "ConceptInfo",
    "MergeRecord",
    "Resolution",
    "resolve",
    "spelling_map",
]

#: Every value of :attr:`MergeRecord.rule`.
RULES: tuple[str, ...] = (
    "key", "spelling", "abbreviation", "corpus-acronym", "thesaurus",
    "ignored-generic", "thesaurus-ignore", "ignored-residue", "corpus-match", "type",
)
_DROPS = ("ignored-generic", "thesaurus-ignore", "ignored-residue")
#: A merge record's fields as a tuple, which sorts as the record does (and faster).
_MERGE_ORDER = attrgetter("concept", "surface", "paper_id", "rule", "detail")


@dataclass(frozen=True, order=True)
class MergeRecord:
    """Why ``surface`` in paper ``paper_id`` names ``concept`` (or was dropped).

    ``rule`` is one of :data:`RULES`; ``detail`` names the long form, thesaurus entry or
    generic kind behind it.
    """

    concept: str
    surface: str
    paper_id: str
    rule: str
    detail: str = ""


@dataclass(frozen=True)
class Resolution:
    """The result of :func:`resolve`.

    ``mentions``: kept mentions with ``concept`` and ``label`` set, ordered by paper (as
    given), field, offsets. ``concepts``: key -> :class:`ConceptInfo`, sorted by key.
    ``merges``: one record per distinct (concept, surface, paper, rule, detail), sorted.
    ``ambiguous_acronyms``: short-form key -> sorted competing expansion keys, for short
    forms left unresolved.
    """

    mentions: list[Mention]
    concepts: dict[str, ConceptInfo]
    merges: list[MergeRecord]
    ambiguous_acronyms: dict[str, list[str]]


def resolve(
    papers: Sequence[Paper],
    mentions: Sequence[Mention],
    *,
    thesaurus: Thesaurus | None = None,
    spread: bool = True,
) -> Resolution:
    """Resolve mentions to concepts across the corpus; drop generic ones; explain each step.

    Parameters
    ----------
    papers:
        Every paper of the corpus: their titles and abstracts hold the abbreviation
        definitions.
    mentions:
        The extracted mentions; their ``concept`` and ``label`` are recomputed.
    thesaurus:
        Optional user merges and ignores (:func:`paperkg.extract.concepts.thesaurus.load_thesaurus`).
    spread:
        Find the distinctive written forms of the kept mentions again in every paper and
        resolve once more with those corpus matches (rule ``corpus-match``).

    Returns
    -------
    Resolution

    Raises
    ------
    InputError
        If a mention points to a paper id that is not among ``papers``.
    """
    raw_definitions = {paper.id: paper_definitions(paper) for paper in papers}
    result, explain = _resolve(papers, mentions, thesaurus, raw_definitions)
    if spread:
        extra = spread_mentions(
            papers, result.mentions,
            {key: info.type for key, info in result.concepts.items()},
            {key: info.label for key, info in result.concepts.items()},
        )
        if extra:
            del result, explain  # superseded: free the first pass before the second
            result, explain = _resolve(papers, [*mentions, *extra], thesaurus, raw_definitions)
    return replace(result, merges=explain())


def _resolve(
    papers: Sequence[Paper],
    mentions: Sequence[Mention],
    thesaurus: Thesaurus | None,
    raw_definitions: dict[str, dict[str, tuple[str, str]]],
) -> tuple[Resolution, Callable[[], list[MergeRecord]]]:
    """One pass of :func:`resolve` over the given mentions (``raw_definitions``: paper id
    -> :func:`paper_definitions`): the resolution without its merge records, and a function
    that returns them (only the last pass is explained)."""
    by_id = {paper.id: paper for paper in papers}
    order = {paper_id: index for index, paper_id in enumerate(by_id)}
    for mention in mentions:
        if mention.paper_id not in by_id:
            raise InputError(
                f"mention {mention.text!r} points to unknown paper {mention.paper_id!r}"
            )
    mentions, residue = _clean_mentions(mentions, by_id)
    mentions = sorted(
        mentions,
        key=lambda m: (
            order[m.paper_id],
            FIELDS.index(m.field) if m.field in FIELDS else len(FIELDS),
            m.start, m.end, m.type, m.text,
        ),
    )

    # 1. The key of each mention; a whole "long (SF)" span with a vague long form keys as SF.
    own_keys = []
    for mention in mentions:
        key = concept_key(mention.text)
        definition = whole_definition(surface_form(mention.text))
        if definition is not None and generic_kind(definition.long) == "vague":
            key = concept_key(definition.short)
        own_keys.append(key)

    # 2. Spelling variants, then the definitions of each paper and of the corpus.
    counts = Counter(key for key in own_keys if key)
    counts.update(long for found in raw_definitions.values() for long, _ in found.values())
    canonical = spelling_map(counts)
    definitions = {
        paper_id: {short: (canonical[long], text) for short, (long, text) in found.items()}
        for paper_id, found in raw_definitions.items()
    }
    corpus, ambiguous = acronym_map(definitions)

    # 3. Each mention's concept and the rule that got it there.
    decisions: list[tuple[str, str, str]] = []  # (concept, rule, detail); rule may drop
    for mention, key in zip(mentions, own_keys):
        decisions.append(
            _decide(mention, key, canonical, definitions[mention.paper_id], corpus, thesaurus)
        )

    # 4. Concepts and labels. Concepts whose keys, or failing that whose labels, are
    # spelling variants of each other ("semantic enhanced DSI" expanded in one paper
    # and not in another, both labelled "Semantic-Enhanced DSI model") are one.
    used = Counter(concept for concept, rule, _ in decisions if rule not in _DROPS)
    decisions = _respell(decisions, spelling_map(used))
    kept = _kept(mentions, own_keys, decisions)
    prior = corpus_prior([m for m, _, _ in kept])  # merging below keeps the same mentions
    concepts = group_concepts(
        kept, by_id=by_id, canonical=canonical, definitions=definitions, prior=prior
    )
    same_label = spelling_map(
        Counter({c: info.n_mentions for c, info in concepts.items()}),
        form=lambda c: variant_form(concepts[c].label),
    )
    merged = {key: concept for key, concept in same_label.items() if key != concept}
    if merged:
        # Only the concepts that others merge into change: group their mentions again.
        decisions = _respell(decisions, same_label)
        kept = _kept(mentions, own_keys, decisions)
        targets = set(merged.values())
        regrouped = group_concepts(
            [item for item in kept if item[2][0] in targets],
            by_id=by_id, canonical=canonical, definitions=definitions, prior=prior,
        )
        concepts = dict(sorted(
            {**{c: info for c, info in concepts.items() if c not in merged}, **regrouped}.items()
        ))
    resolved_mentions = [
        _resolved(m, concept, concepts[concept].label) for m, _, (concept, _, _) in kept
    ]

    def explain() -> list[MergeRecord]:
        records = {
            (concept, surface_form(m.text), m.paper_id, rule, detail)
            if m.rule != CORPUS_MATCH or rule in _DROPS
            else (concept, surface_form(m.text), m.paper_id, CORPUS_MATCH, m.concept)
            for m, (concept, rule, detail) in zip(mentions, decisions)
        }
        records.update(_MERGE_ORDER(record) for record in residue)
        records.update(
            (concept, concepts[concept].label, m.paper_id, "type", concepts[concept].type_evidence)
            for m, _, (concept, _, _) in kept
        )
        return [MergeRecord(*record) for record in sorted(records)]

    return Resolution(
        mentions=resolved_mentions,
        concepts=concepts,
        merges=[],
        ambiguous_acronyms={short: ambiguous[short] for short in sorted(ambiguous)},
    ), explain


def _clean_mentions(
    mentions: Sequence[Mention], by_id: dict[str, Paper]
) -> tuple[list[Mention], set[MergeRecord]]:
    """Cut each mention to its clean part; drop markup, citation names and empty residue.

    Returns the kept mentions (offsets and text cut, :func:`clean_bounds`) and an
    ``ignored-residue`` record for each dropped one.
    """
    kept, dropped = [], set()
    for m in mentions:
        field_text = by_id[m.paper_id].text_of(m.field) if m.field in FIELDS else ""
        anchored = field_text[m.start:m.end] == m.text
        after = field_text[m.end:m.end + 40] if anchored else ""
        lo, hi = clean_bounds(m.text)
        why = ("markup" if has_markup(m.text) else "citation" if is_citation_name(m.text, after)
               else "empty" if lo >= hi else "")
        if why:
            dropped.add(MergeRecord(concept_key(m.text), surface_form(m.text), m.paper_id,
                                    "ignored-residue", why))
        elif (lo, hi) == (0, len(m.text)):
            kept.append(m)
        else:
            start = m.start + lo if anchored else m.start
            end = m.start + hi if anchored else m.end
            kept.append(replace(m, start=start, end=end, text=m.text[lo:hi]))
    return kept, dropped


def _respell(
    decisions: list[tuple[str, str, str]], variants: dict[str, str]
) -> list[tuple[str, str, str]]:
    """Move decisions onto the variant their concept merges into (rule ``spelling``)."""
    return [
        (concept, rule, detail)
        if rule in _DROPS or variants.get(concept, concept) == concept
        else (variants[concept], "spelling", concept)
        for concept, rule, detail in decisions
    ]


def _resolved(mention: Mention, concept: str, label: str) -> Mention:
    """``replace(mention, concept=concept, label=label)``, a few times faster: the record's
    fields copied as they are (its ``__init__`` checks nothing), two of them changed."""
    resolved = object.__new__(type(mention))
    fields = resolved.__dict__
    fields.update(mention.__dict__)
    fields["concept"], fields["label"] = concept, label
    return resolved


def _kept(
    mentions: list[Mention], own_keys: list[str], decisions: list[tuple[str, str, str]]
) -> list[tuple[Mention, str, tuple[str, str, str]]]:
    return [
        (m, key, decision)
        for m, key, decision in zip(mentions, own_keys, decisions)
        if decision[1] not in _DROPS
    ]


def _decide(
    mention: Mention,
    key: str,
    canonical: dict[str, str],
    own_definitions: dict[str, tuple[str, str]],
    corpus: dict[str, str],
    thesaurus: Thesaurus | None,
) -> tuple[str, str, str]:
    """Return (concept, rule, detail) for one mention."""
    if not key:
        return "", "ignored-generic", "vague"
    concept = canonical.get(key, key)
    rule, detail = ("key", "") if concept == key else ("spelling", key)
    if thesaurus is not None:
        hit = thesaurus.lookup(key)
        if hit is not None:
            if not hit[0]:
                return concept, "thesaurus-ignore", surface_form(mention.text)
            return _target(hit[0], canonical, own_definitions, corpus), "thesaurus", hit[1]
    kind = generic_kind(concept)
    if kind:
        return concept, "ignored-generic", kind
    definition = whole_definition(surface_form(mention.text))
    short = compact_key(concept)
    if short in own_definitions:
        concept, rule, detail = own_definitions[short][0], "abbreviation", own_definitions[short][1]
    elif definition is not None:
        rule, detail = "abbreviation", definition.short
    elif short in corpus:
        concept, rule, detail = corpus[short], "corpus-acronym", corpus[short]
    else:
        expanded, how = expand_acronyms(concept, own_definitions, corpus)
        if how:
            concept = canonical.get(expanded, expanded)
            rule = "abbreviation" if how[0][0] == "abbreviation" else "corpus-acronym"
            detail = "; ".join(f"{short_form} = {long}" for _, short_form, long in how)
    if thesaurus is not None:
        hit = thesaurus.lookup(concept)
        if hit is not None:
            if not hit[0]:
                return concept, "thesaurus-ignore", concept
            return _target(hit[0], canonical, own_definitions, corpus), "thesaurus", hit[1]
    kind = generic_kind(concept)
    if kind:
        return concept, "ignored-generic", kind
    return concept, rule, detail


def _target(
    key: str,
    canonical: dict[str, str],
    own_definitions: dict[str, tuple[str, str]],
    corpus: dict[str, str],
) -> str:
    """The concept a thesaurus replacement names: its key, spelling-merged, acronym resolved."""
    key = canonical.get(key, key)
    short = compact_key(key)
    if short in own_definitions:
        return own_definitions[short][0]
    return corpus.get(short, key)
