"""Questions the paper–concept graph answers, as pure functions returning plain records.

Every function takes the graph (built or loaded) and returns dataclasses that
:func:`dataclasses.asdict` turns into JSON. Papers are named by id, exact title or an
unambiguous title fragment; concepts by label or any alias, ignoring case, hyphens and
plurals.

The functions read the graph through a few questions (:class:`~paperkg.graph.source.GraphSource`):
a networkx graph answers them directly (:class:`~paperkg.graph.source.NxSource`), and the
query index of a build (:class:`paperkg.graph.index.GraphIndex`) from SQLite without
loading the graph. The query logic is written once, here, so both give the same records
in the same order.

Examples
--------
>>> from paperkg.graph.build import build_graph
>>> from paperkg.extract.records import Mention, Paper
>>> from paperkg.extract.concepts.resolve import resolve
>>> papers = [Paper("a", "Paper A", "BERT"), Paper("b", "Paper B", "BERT")]
>>> ms = [Mention(p, "abstract", 0, 4, "BERT", "METHOD", 1.0, "s", "BERT", "BERT")
...       for p in ("a", "b")]
>>> G = build_graph(papers, resolve(papers, ms))
>>> [c.label for c in shared_concepts(G)["METHOD"]]
['BERT']
>>> [r.paper for r in related(G, "Paper A")]
['paper:b']
"""

from __future__ import annotations

import difflib
import heapq
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paperkg.errors import InputError
from paperkg.graph.schema import CONCEPT_PREFIX, PAPER_PREFIX, TYPES, paper_node_id
from paperkg.graph.source import ConceptInfo, Evidence, GraphSource, NxSource, fold, source

if TYPE_CHECKING:  # the queries only call the graph's methods: no networkx import needed
    import networkx as nx

__all__ = [
    "AmbiguousName",
    "ConceptCount",
    "Evidence",
    "Explanation",
    "Related",
    "SharedConcept",
    "cooccurring",
    "explain_concept",
    "find_concepts",
    "find_paper",
    "fold",
    "name_forms",
    "papers_for",
    "related",
    "shared_concepts",
    "top_concepts",
]


class AmbiguousName(InputError):
    """A paper or concept name that matches nothing or several things."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class SharedConcept:
    """A concept and the papers (with evidence) that mention it."""

    concept: str
    label: str
    type: str
    papers: list[Evidence]


@dataclass(frozen=True)
class Related:
    """A related paper, its score and the concepts that make it related."""

    paper: str
    title: str
    score: float
    shared: list[str]


@dataclass(frozen=True)
class ConceptCount:
    """A concept and a count (papers mentioning it, or papers shared with another)."""

    concept: str
    label: str
    type: str
    count: int


@dataclass(frozen=True)
class Explanation:
    """How one surface form came to be part of a concept: by which rule, from which papers."""

    concept: str
    label: str
    surface: str
    rule: str
    detail: str
    papers: list[str]


def _plurals(word: str) -> list[str]:
    """Regular English plurals of a lower-case singular word (candidates, unchecked)."""
    forms = [word + "s", word + "es"]
    if word.endswith("y"):
        forms.append(word[:-1] + "ies")
    if word.endswith("f"):
        forms.append(word[:-1] + "ves")
    if word.endswith("fe"):
        forms.append(word[:-2] + "ves")
    return forms


def name_forms(name: str) -> list[str]:
    """Return the lower-case, single-spaced forms under which :func:`find_concepts` finds ``name``.

    The folded form (case, hyphens and spaces normalised, last word singular) and the
    regular plurals of its last word that fold back to it. Exports use these so that a
    query outside Python (SPARQL) matches the same names the CLI does.

    >>> name_forms("Large Language Models")
    ['large language model', 'large language models']
    >>> name_forms("LLMs"), name_forms("policy"), name_forms("analysis")
    (['llm', 'llms'], ['policies', 'policy', 'policys'], ['analysis'])
    """
    folded = fold(name)
    if not folded:
        return []
    *head, last = folded.split(" ")
    forms = {folded}
    for plural in _plurals(last):
        candidate = " ".join([*head, plural])
        if fold(candidate) == folded:
            forms.add(candidate)
    return sorted(forms)


def _closest(src: GraphSource, wanted: str, n: int = 5) -> list[tuple[str, str]]:
    """Up to ``n`` (paper, title) whose titles read like ``wanted`` (difflib ratio ≥ 0.5, then id)."""
    scored = []
    for p, title in src.paper_titles():
        matcher = difflib.SequenceMatcher(None, wanted, title.casefold(), autojunk=False)
        if matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5 and matcher.ratio() >= 0.5:
            scored.append((-matcher.ratio(), p, title))
    return [(p, title) for _, p, title in sorted(scored)[:n]]


def find_paper(G: nx.DiGraph | GraphSource, name: str) -> str:
    """Return the paper node named by id, exact title, or unambiguous title fragment.

    Raises
    ------
    AmbiguousName
        If nothing or several papers match; ``candidates`` lists the near matches.
    """
    src = source(G)
    for node in (name, PAPER_PREFIX + name):
        # A node id is found without listing every paper (the map asks once per paper).
        if src.is_paper(node):
            return node
    wanted = name.casefold().strip()
    exact = src.papers_titled(wanted)
    if len(exact) == 1:
        return exact[0]
    partial = exact or (src.papers_containing(wanted) if wanted else [])
    if len(partial) == 1:
        return partial[0]
    if not partial:
        closest = _closest(src, wanted)
        raise AmbiguousName(
            f"no paper matches {name!r}" + ("; closest titles:" if closest else ""),
            [f"{p[len(PAPER_PREFIX):]}  {title}" for p, title in closest],
        )
    titles = src.titles(partial[:10])
    candidates = [f"{p[len(PAPER_PREFIX):]}  {titles[p]}" for p in partial[:10]]
    raise AmbiguousName(f"{len(partial)} papers match {name!r}; name one by id", candidates)


def find_concepts(G: nx.DiGraph | GraphSource, name: str) -> list[str]:
    """Return the concept nodes whose key, label or an alias matches ``name``.

    Raises
    ------
    AmbiguousName
        If no concept matches; ``candidates`` lists labels containing the name.
    """
    src = source(G)
    if src.is_concept(CONCEPT_PREFIX + name):
        return [CONCEPT_PREFIX + name]
    wanted = fold(name)
    found = src.concepts_named(wanted)
    if found:
        return found
    near = src.labels_containing(wanted) if wanted else []
    raise AmbiguousName(f"no concept matches {name!r}", sorted(near)[:10])


def _shared(src: GraphSource, concept: str, info: ConceptInfo, papers: list[str] | None) -> SharedConcept:
    return SharedConcept(concept, info.label, info.type, src.mentions(concept, papers))


def _by_type(items: list) -> dict[str, list]:
    return {t: [i for i in items if i.type == t] for t in TYPES}


def shared_concepts(
    G: nx.DiGraph | GraphSource,
    papers: list[str] | None = None,
    *,
    min_papers: int = 2,
    limit: int | None = None,
) -> dict[str, list[SharedConcept]]:
    """Return the concepts shared by papers, grouped by type.

    With ``papers`` (names), the concepts every one of them mentions; without, every
    concept mentioned by at least ``min_papers`` papers. Most shared first; at most
    ``limit`` per type.
    """
    src = source(G)
    if papers:
        nodes = [find_paper(src, p) for p in papers]
        common = sorted(set.intersection(*(set(src.concepts_of(p)) for p in nodes)))
        info = src.concepts(common)
        items = [_shared(src, c, info[c], nodes) for c in common]
        items.sort(key=lambda s: (-len(s.papers), s.label.lower(), s.concept))
        return {t: group[:limit] for t, group in _by_type(items).items()}
    result = {}
    for t in TYPES:
        ranked = [c for c, _ in src.ranked(t, min_papers=min_papers, limit=limit)]
        info = src.concepts(ranked)
        result[t] = [_shared(src, c, info[c], None) for c in ranked]
    return result


def papers_for(G: nx.DiGraph | GraphSource, concept: str) -> list[SharedConcept]:
    """Return each concept matching the name ``concept`` with the papers that mention it."""
    src = source(G)
    found = find_concepts(src, concept)
    info = src.concepts(found)
    return [_shared(src, c, info[c], None) for c in found]


#: Papers :func:`related` lists before it first checks whether the commoner concepts can
#: still change its answer (see :func:`related`).
RELATED_BUDGET = 250


def related(G: nx.DiGraph | GraphSource, paper: str, *, limit: int = 10) -> list[Related]:
    """Return the papers related to ``paper``, ranked by shared concepts weighted by rarity.

    The score is Adamic–Adar on the paper–concept graph: the sum, over shared concepts,
    of ``1 / log(number of papers mentioning the concept)``; a concept only two papers
    share counts most. Ties: by paper id.

    A concept that most papers mention would make every query read most papers, so the
    paper's concepts are listed rarest first (about :data:`RELATED_BUDGET` papers at
    once), and each paper found is checked against the concepts not listed yet. A paper
    not found shares only unlisted concepts, so it scores at most their summed weight;
    listing stops as soon as ``limit`` papers found score more than that (rounded as
    scores are). The answer is exactly the ranking of every paper.
    """
    src = source(G)
    node = find_paper(src, paper)
    if limit < 1:
        return []
    concepts = src.concepts_of(node)  # sorted: each paper's shared concepts keep this order
    counts = src.paper_counts(concepts)
    weight = {c: 1.0 / math.log(counts[c]) for c in concepts if counts[c] > 1}
    unlisted = sorted(weight, key=lambda c: (counts[c], c))  # rarest first
    found: dict[str, set[str]] = {}  # paper → every concept it shares (listed or not)
    approx: dict[str, float] = {}  # paper → its score, summed in any order
    spent = 0
    while unlisted:
        concept = unlisted.pop(0)
        if unlisted:
            papers = src.papers_of(concept)
        else:
            # The last concept: a paper not found yet shares only it, so all such papers
            # tie (same score, then by id); the first ``limit`` of them by id are enough.
            papers = src.papers_of(concept, first=limit + len(found) + 1)
        new = [other for other in papers if other != node and other not in found]
        for other in new:
            found[other] = {concept}
            approx[other] = weight[concept]
        if unlisted and new:
            for other, cs in src.concepts_among(new, unlisted).items():
                found[other].update(cs)
                approx[other] += sum(weight[c] for c in cs)
        spent += counts[concept]
        if not unlisted or spent + counts[unlisted[0]] <= RELATED_BUDGET:
            continue
        spent = 0
        top = _ranked(concepts, found, approx, weight, limit)
        # Float addition is monotonic: a paper sharing only unlisted concepts sums (in the
        # same order) part of these weights, so it scores at most this.
        bound = round(sum(weight[c] for c in concepts if c in unlisted), 4)
        if len(top) == limit and top[-1][1] > bound:
            break
    top = _ranked(concepts, found, approx, weight, limit)
    titles = src.titles(other for other, _, _ in top)
    info = src.concepts({c for _, _, cs in top for c in cs})
    return [
        Related(other, titles[other], score + 0.0,
                sorted((info[c].label for c in cs), key=lambda label: label.casefold()))
        for other, score, cs in top
    ]


def _ranked(
    concepts: list[str], found: dict[str, set[str]], approx: dict[str, float],
    weight: dict[str, float], limit: int,
) -> list[tuple[str, float, list[str]]]:
    """The first ``limit`` (paper, score, shared concepts in ``concepts`` order), by score
    (summed in ``concepts`` order, rounded to 4 places, highest first), then paper id.

    The scores ``approx`` (summed in any order: a few ulps off) first set aside every paper
    more than 2e-4 below the ``limit``-th: rounded to 4 places, it cannot reach it.
    """
    if len(found) > limit:
        least = heapq.nlargest(limit, approx.values())[-1] - 2e-4
        found = {other: cs for other, cs in found.items() if approx[other] >= least}
    shared = {other: [c for c in concepts if c in cs] for other, cs in found.items()}
    scored = sorted((-round(sum(weight[c] for c in cs), 4), other) for other, cs in shared.items())
    return [(other, -neg, shared[other]) for neg, other in scored[:limit]]


def top_concepts(
    G: nx.DiGraph | GraphSource, *, type: str | None = None, limit: int = 10
) -> dict[str, list[ConceptCount]]:
    """Return the most-mentioned concepts of each type, by number of papers."""
    types = [type.upper()] if type else list(TYPES)
    unknown = [t for t in types if t not in TYPES]
    if unknown:
        raise InputError(f"unknown concept type {type!r}; known: {', '.join(TYPES)}")
    src = source(G)
    result = {}
    for t in types:
        ranked = src.ranked(t, limit=limit)
        info = src.concepts(c for c, _ in ranked)
        result[t] = [ConceptCount(c, info[c].label, info[c].type, n) for c, n in ranked]
    return result


def cooccurring(G: nx.DiGraph | GraphSource, concept: str, *, limit: int = 10) -> list[ConceptCount]:
    """Return the concepts that share papers with ``concept``, most shared papers first."""
    src = source(G)
    counts: Counter = Counter()
    targets = find_concepts(src, concept)
    for target in targets:
        counts.update(src.cooccurrences(target))
    for target in targets:
        counts.pop(target, None)
    info = src.concepts(counts)
    items = [ConceptCount(c, info[c].label, info[c].type, n) for c, n in counts.items()]
    items.sort(key=lambda c: (-c.count, c.label.casefold(), c.concept))
    return items[:limit]


def explain_concept(G: nx.DiGraph | GraphSource, concept: str) -> list[Explanation]:
    """Return, for each concept matching ``concept``, the surface forms merged into it.

    Read from the build's merge log (graph attribute ``merges``): one entry per surface
    form and rule, with the papers it came from, sorted by surface form.
    """
    src = source(G)
    targets = find_concepts(src, concept)
    info = src.concepts(targets)
    keys = {info[t].key: t for t in targets}
    grouped: dict[tuple[str, str, str, str], set[str]] = {}
    for key, surface, paper, rule, detail in src.merges(keys):
        grouped.setdefault((key, surface, rule, detail), set()).add(paper_node_id(paper))
    result = [
        Explanation(keys[key], info[keys[key]].label, surface, rule, detail, sorted(papers))
        for (key, surface, rule, detail), papers in grouped.items()
    ]
    result.sort(key=lambda e: (e.concept, e.surface.casefold(), e.surface, e.rule))
    return result
