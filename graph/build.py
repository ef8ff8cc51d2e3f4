"""Build the paper–concept graph from papers and their resolved mentions.

The convention (node ids, attribute names) is stated in :mod:`graph.schema`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from extract.records import Mention, Paper
from graph.schema import CONCEPT, PAPER, SCHEMA_VERSION, TYPES, concept_node_id, paper_node_id

__all__ = ["ConceptSummary", "build_graph", "summarise_concepts"]


@dataclass(frozen=True)
class ConceptSummary:
    """What the graph records of a concept: label, majority type, type counts, aliases."""

    key: str
    label: str
    type: str
    type_counts: dict[str, int] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()


def _first(counter: Counter) -> str:
    """The most frequent item; ties go to the first in sorted order."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def summarise_concepts(mentions: Iterable[Mention]) -> dict[str, ConceptSummary]:
    """Summarise each concept key from its mentions.

    The label is the most frequent mention label, the type the majority type (ties go
    to the first in METHOD, DATASET, TASK order), and every surface form is an alias.
    """
    labels: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    surfaces: dict[str, set] = defaultdict(set)
    for m in mentions:
        labels[m.concept][m.label] += 1
        types[m.concept][m.type] += 1
        surfaces[m.concept].add(m.text)
    summaries = {}
    for key in sorted(labels):
        counts = types[key]
        majority = sorted(counts, key=lambda t: (-counts[t], TYPES.index(t)))[0]
        summaries[key] = ConceptSummary(
            key=key,
            label=_first(labels[key]),
            type=majority,
            type_counts=dict(sorted(counts.items())),
            aliases=tuple(sorted(surfaces[key])),
        )
    return summaries


def _paper_attrs(paper: Paper) -> dict:
    return {
        "kind": PAPER,
        "label": paper.title,
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date,
        "url": paper.url,
        "sources": tuple(f"{s.file}:{s.line}" for s in paper.sources),
        "code_urls": paper.code_urls,
    }


def build_graph(
    papers: Sequence[Paper],
    mentions: Iterable[Mention],
    *,
    concepts: Mapping[str, ConceptSummary] | None = None,
    merges: Sequence[tuple[str, str, str, str]] = (),
    ambiguous_acronyms: Mapping[str, Sequence[str]] | None = None,
    generator: str = "paperkg",
    model: str = "",
) -> nx.DiGraph:
    """Return the paper–concept graph of ``papers`` and their resolved ``mentions``.

    Parameters
    ----------
    papers:
        Every paper, including those with no mention (they become isolated nodes).
    mentions:
        Mentions whose ``concept`` is the final concept key (after corpus resolution).
    concepts:
        Concept summaries by key; computed from ``mentions`` when not given.
    merges, ambiguous_acronyms:
        The resolution's merge log and acronym conflicts, kept as graph attributes.
    generator, model:
        Provenance recorded on the graph.

    Examples
    --------
    >>> p = Paper(id="p1", title="BERT for QA", abstract="We fine-tune BERT.")
    >>> m = Mention("p1", "abstract", 13, 17, "BERT", "METHOD", 0.9, "We fine-tune BERT.",
    ...             "BERT", "BERT")
    >>> G = build_graph([p], [m])
    >>> G.nodes["concept:BERT"]["paper_count"], G.edges["paper:p1", "concept:BERT"]["mentions"]
    (1, 1)
    """
    mentions = sorted(
        mentions, key=lambda m: (m.paper_id, m.concept, m.field != "title", m.start, m.end)
    )
    if concepts is None:
        concepts = summarise_concepts(mentions)
    known = {p.id for p in papers}
    G = nx.DiGraph(
        schema=SCHEMA_VERSION,
        generator=generator,
        model=model,
        merges=tuple(tuple(m) for m in merges),
        ambiguous_acronyms={k: tuple(v) for k, v in sorted((ambiguous_acronyms or {}).items())},
    )
    for paper in sorted(papers, key=lambda p: p.id):
        G.add_node(paper_node_id(paper.id), **_paper_attrs(paper))
    edges: dict[tuple[str, str], dict] = {}
    for m in mentions:
        if m.paper_id not in known:
            raise ValueError(f"mention of unknown paper {m.paper_id!r}")
        pair = (paper_node_id(m.paper_id), concept_node_id(m.concept))
        if pair in edges:
            edges[pair]["mentions"] += 1
            edges[pair]["score"] = max(edges[pair]["score"], m.score)
            continue
        edges[pair] = {
            "mentions": 1,
            "evidence": m.sentence,
            "field": m.field,
            "start": m.start,
            "end": m.end,
            "surface": m.text,
            "score": m.score,
        }
    papers_per_concept = Counter(concept for _, concept in edges)
    for key, summary in sorted(concepts.items()):
        node = concept_node_id(key)
        if node not in papers_per_concept:
            continue
        G.add_node(
            node,
            kind=CONCEPT,
            type=summary.type,
            label=summary.label,
            key=key,
            aliases=tuple(summary.aliases),
            paper_count=papers_per_concept[node],
            type_counts=dict(summary.type_counts),
        )
    for (u, v), attrs in sorted(edges.items()):
        if v not in G:
            raise ValueError(f"mention of concept {v!r} has no concept summary")
        G.add_edge(u, v, **attrs)
    return G
