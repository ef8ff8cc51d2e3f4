"""Questions the paper–concept graph answers, as pure functions returning plain records.

Every function takes the graph (built or loaded) and returns dataclasses that
:func:`dataclasses.asdict` turns into JSON. Papers are named by id, exact title or an
unambiguous title fragment; concepts by label or any alias, ignoring case, hyphens and
plurals.

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

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import networkx as nx

from paperkg.errors import InputError
from paperkg.extract.concepts.inflection import singular
from paperkg.graph.schema import (
    CONCEPT_PREFIX,
    PAPER,
    PAPER_PREFIX,
    TYPES,
    concept_nodes,
    concepts_of,
    paper_node_id,
    paper_nodes,
    papers_of,
)

__all__ = [
    "AmbiguousName",
    "ConceptCount",
    "Evidence",
    "Related",
    "SharedConcept",
    "Explanation",
    "cooccurring",
    "explain_concept",
    "find_concepts",
    "find_paper",
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
class Evidence:
    """A paper's mention of a concept: the paper, its title and the evidence sentence."""

    paper: str
    title: str
    evidence: str
    mentions: int


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


def _fold(text: str) -> str:
    """Case-, hyphen-, space- and plural-insensitive form of a name."""
    text = unicodedata.normalize("NFKC", text).casefold()
    words = re.sub(r"[\s\-‐‑‒–—_/]+", " ", text).split()
    return " ".join(words[:-1] + [singular(words[-1])]) if words else ""


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
    folded = _fold(name)
    if not folded:
        return []
    *head, last = folded.split(" ")
    forms = {folded}
    for plural in _plurals(last):
        candidate = " ".join([*head, plural])
        if _fold(candidate) == folded:
            forms.add(candidate)
    return sorted(forms)


def _closest(G: nx.DiGraph, papers, wanted: str, n: int = 5) -> list[str]:
    """Up to ``n`` papers whose titles read like ``wanted`` (difflib ratio ≥ 0.5, then id)."""
    scored = []
    for p in papers:
        matcher = difflib.SequenceMatcher(None, wanted, G.nodes[p]["title"].casefold(), autojunk=False)
        if matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5 and matcher.ratio() >= 0.5:
            scored.append((-matcher.ratio(), p))
    return [p for _, p in sorted(scored)[:n]]


def find_paper(G: nx.DiGraph, name: str) -> str:
    """Return the paper node named by id, exact title, or unambiguous title fragment.

    Raises
    ------
    AmbiguousName
        If nothing or several papers match; ``candidates`` lists the near matches.
    """
    for node in (name, PAPER_PREFIX + name):
        # A node id is found without listing every paper (the map asks once per paper).
        if node in G and G.nodes[node].get("kind") == PAPER:
            return node
    papers = paper_nodes(G)
    wanted = name.casefold().strip()
    exact = [p for p in papers if G.nodes[p]["title"].casefold().strip() == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [p for p in papers if wanted and wanted in G.nodes[p]["title"].casefold()]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        closest = _closest(G, papers, wanted)
        raise AmbiguousName(
            f"no paper matches {name!r}" + ("; closest titles:" if closest else ""),
            [f"{p[len(PAPER_PREFIX):]}  {G.nodes[p]['title']}" for p in closest],
        )
    candidates = [f"{p[len(PAPER_PREFIX):]}  {G.nodes[p]['title']}" for p in partial[:10]]
    raise AmbiguousName(f"{len(partial)} papers match {name!r}; name one by id", candidates)


def find_concepts(G: nx.DiGraph, name: str) -> list[str]:
    """Return the concept nodes whose key, label or an alias matches ``name``.

    Raises
    ------
    AmbiguousName
        If no concept matches; ``candidates`` lists labels containing the name.
    """
    if CONCEPT_PREFIX + name in G:
        return [CONCEPT_PREFIX + name]
    wanted = _fold(name)
    found = [
        c
        for c in concept_nodes(G)
        if any(_fold(a) == wanted for a in (G.nodes[c]["label"], *G.nodes[c].get("aliases", ())))
    ]
    if found:
        return found
    near = [
        G.nodes[c]["label"]
        for c in concept_nodes(G)
        if wanted and wanted in _fold(G.nodes[c]["label"])
    ]
    raise AmbiguousName(f"no concept matches {name!r}", sorted(near)[:10])


def _evidence(G: nx.DiGraph, paper: str, concept: str) -> Evidence:
    edge = G.edges[paper, concept]
    return Evidence(paper, G.nodes[paper]["title"], edge["evidence"], edge["mentions"])


def _shared(G: nx.DiGraph, concept: str, papers: list[str]) -> SharedConcept:
    d = G.nodes[concept]
    return SharedConcept(
        concept, d["label"], d["type"], [_evidence(G, p, concept) for p in sorted(papers)]
    )


def _by_type(items: list) -> dict[str, list]:
    return {t: [i for i in items if i.type == t] for t in TYPES}


def shared_concepts(
    G: nx.DiGraph, papers: list[str] | None = None, *, min_papers: int = 2
) -> dict[str, list[SharedConcept]]:
    """Return the concepts shared by papers, grouped by type.

    With ``papers`` (names), the concepts every one of them mentions; without, every
    concept mentioned by at least ``min_papers`` papers. Most shared first.
    """
    if papers:
        nodes = [find_paper(G, p) for p in papers]
        common = set.intersection(*(set(concepts_of(G, p)) for p in nodes))
        items = [_shared(G, c, nodes) for c in sorted(common)]
    else:
        items = [
            _shared(G, c, papers_of(G, c))
            for c in concept_nodes(G)
            if G.in_degree(c) >= min_papers
        ]
    items.sort(key=lambda s: (-len(s.papers), s.label.lower(), s.concept))
    return _by_type(items)


def papers_for(G: nx.DiGraph, concept: str) -> list[SharedConcept]:
    """Return each concept matching the name ``concept`` with the papers that mention it."""
    return [_shared(G, c, papers_of(G, c)) for c in find_concepts(G, concept)]


def related(G: nx.DiGraph, paper: str, *, limit: int = 10) -> list[Related]:
    """Return the papers related to ``paper``, ranked by shared concepts weighted by rarity.

    The score is Adamic–Adar on the paper–concept graph: the sum, over shared concepts,
    of ``1 / log(number of papers mentioning the concept)``; a concept only two papers
    share counts most.
    """
    node = find_paper(G, paper)
    shared: dict[str, list[str]] = {}
    for concept in concepts_of(G, node):
        # Unsorted is enough: each other paper's concepts still come in sorted order.
        for other in G.predecessors(concept):
            if other != node:
                shared.setdefault(other, []).append(concept)
    weight = {c: 1.0 / math.log(G.in_degree(c)) for c in concepts_of(G, node) if G.in_degree(c) > 1}
    scored = sorted((-round(sum(weight[c] for c in cs), 4), other) for other, cs in shared.items())
    results = []
    for neg, other in scored[:limit]:
        labels = sorted(
            (G.nodes[c]["label"] for c in shared[other]),
            key=lambda label: label.casefold(),
        )
        results.append(Related(other, G.nodes[other]["title"], -neg + 0.0, labels))
    return results


def _count(G: nx.DiGraph, concept: str, count: int) -> ConceptCount:
    d = G.nodes[concept]
    return ConceptCount(concept, d["label"], d["type"], count)


def top_concepts(
    G: nx.DiGraph, *, type: str | None = None, limit: int = 10
) -> dict[str, list[ConceptCount]]:
    """Return the most-mentioned concepts of each type, by number of papers."""
    types = [type.upper()] if type else list(TYPES)
    unknown = [t for t in types if t not in TYPES]
    if unknown:
        raise InputError(f"unknown concept type {type!r}; known: {', '.join(TYPES)}")
    result = {}
    for t in types:
        counts = [_count(G, c, G.in_degree(c)) for c in concept_nodes(G, type=t)]
        # lower() is SPARQL's LCASE: the README's query orders ties the same way.
        counts.sort(key=lambda c: (-c.count, c.label.lower(), c.concept))
        result[t] = counts[:limit]
    return result


def cooccurring(G: nx.DiGraph, concept: str, *, limit: int = 10) -> list[ConceptCount]:
    """Return the concepts that share papers with ``concept``, most shared papers first."""
    counts: Counter = Counter()
    targets = find_concepts(G, concept)
    for target in targets:
        for paper in papers_of(G, target):
            counts.update(c for c in concepts_of(G, paper) if c not in targets)
    items = [_count(G, c, n) for c, n in counts.items()]
    items.sort(key=lambda c: (-c.count, c.label.casefold(), c.concept))
    return items[:limit]


def explain_concept(G: nx.DiGraph, concept: str) -> list[Explanation]:
    """Return, for each concept matching ``concept``, the surface forms merged into it.

    Read from the build's merge log (graph attribute ``merges``): one entry per surface
    form and rule, with the papers it came from, sorted by surface form.
    """
    targets = find_concepts(G, concept)
    keys = {G.nodes[t].get("key", t[len(CONCEPT_PREFIX):]): t for t in targets}
    grouped: dict[tuple[str, str, str, str], set[str]] = {}
    for key, surface, paper, rule, detail in G.graph.get("merges", ()):
        if key in keys:
            grouped.setdefault((key, surface, rule, detail), set()).add(paper_node_id(paper))
    result = [
        Explanation(keys[key], G.nodes[keys[key]]["label"], surface, rule, detail, sorted(papers))
        for (key, surface, rule, detail), papers in grouped.items()
    ]
    result.sort(key=lambda e: (e.concept, e.surface.casefold(), e.surface, e.rule))
    return result
