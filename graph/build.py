"""Build the paper–concept graph from papers and their resolved mentions.

The convention (node ids, attribute names) is stated in :mod:`paperkg.graph.schema`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import networkx as nx

from paperkg.extract.records import Paper
from paperkg.extract.concepts.resolve import Resolution
from paperkg.graph.schema import CONCEPT, PAPER, SCHEMA_VERSION, concept_node_id, paper_node_id

__all__ = ["build_graph"]


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
        "authors": paper.authors,
        "venue": paper.venue,
        "categories": paper.categories,
        "ids": paper.ids,
    }


def build_graph(
    papers: Sequence[Paper],
    resolution: Resolution,
    *,
    generator: str = "paperkg",
    model: str = "",
) -> nx.DiGraph:
    """Return the paper–concept graph of ``papers`` and their resolved mentions.

    Parameters
    ----------
    papers:
        Every paper, including those with no mention (they become isolated nodes).
    resolution:
        The corpus-wide concept resolution (:func:`paperkg.extract.concepts.resolve.resolve`): mentions
        with their final concept keys, concept labels, types and aliases, the merge log
        and the acronyms with competing expansions (kept as graph attributes).
    generator, model:
        Provenance recorded on the graph.

    Examples
    --------
    >>> from paperkg.extract.records import Mention
    >>> from paperkg.extract.concepts.resolve import resolve
    >>> p = Paper(id="p1", title="BERT for QA", abstract="We fine-tune BERT.")
    >>> m = Mention("p1", "abstract", 13, 17, "BERT", "METHOD", 0.9, "We fine-tune BERT.",
    ...             "BERT", "BERT")
    >>> G = build_graph([p], resolve([p], [m]))
    >>> G.nodes["concept:BERT"]["paper_count"], G.edges["paper:p1", "concept:BERT"]["mentions"]
    (1, 1)
    """
    mentions = sorted(
        resolution.mentions,
        key=lambda m: (m.paper_id, m.concept, m.field != "title", m.start, m.end),
    )
    known = {p.id for p in papers}
    G = nx.DiGraph(
        schema=SCHEMA_VERSION,
        generator=generator,
        model=model,
        merges=tuple(sorted(
            (r.concept, r.surface, r.paper_id, r.rule, r.detail) for r in resolution.merges
        )),
        ambiguous_acronyms={
            k: tuple(v) for k, v in sorted(resolution.ambiguous_acronyms.items())
        },
    )
    for paper in sorted(papers, key=lambda p: p.id):
        G.add_node(paper_node_id(paper.id), **_paper_attrs(paper))
    edges: dict[tuple[str, str], dict] = {}
    sentences: dict[str, str] = {}  # one string per evidence sentence, however many edges
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
            "evidence": sentences.setdefault(m.sentence, m.sentence),
            "field": m.field,
            "start": m.start,
            "end": m.end,
            "surface": m.text,
            "score": m.score,
        }
    papers_per_concept = Counter(concept for _, concept in edges)
    for key, info in sorted(resolution.concepts.items()):
        node = concept_node_id(key)
        if node not in papers_per_concept:
            continue
        G.add_node(
            node,
            kind=CONCEPT,
            type=info.type,
            label=info.label,
            key=key,
            aliases=tuple(info.aliases),
            paper_count=papers_per_concept[node],
            type_counts=dict(sorted(info.type_counts.items())),
        )
    for (u, v), attrs in sorted(edges.items()):
        if v not in G:
            raise ValueError(f"mention of concept {v!r} has no concept in the resolution")
        G.add_edge(u, v, **attrs)
    return G
