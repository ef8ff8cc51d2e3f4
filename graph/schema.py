"""The paper–concept graph convention, stated once.

The graph is a :class:`networkx.DiGraph` with two kinds of node and one kind of edge.

**Paper nodes** — id ``"paper:<paper id>"``, attributes (type in brackets):

=============  =========================================================
``kind``       ``"paper"``
``label``      [str] the title (what Gephi and the map show)
``title``      [str] the title, exactly as read
``abstract``   [str] the abstract, exactly as read (mention offsets point into it)
``date``       [str] the publication date (ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``)
               when a source gives one, else the earliest page or record date, or ""
``url``        [str] the record's own link, or ""
``sources``    [tuple of str] ``"file:line"`` strings, every place the paper was read
``code_urls``  [tuple of str] code-repository URLs found in the abstract
``authors``    [tuple of str] author names in order, from bibliographic sources, or ()
``venue``      [str] journal, proceedings or journal reference, or ""
``categories`` [tuple of str] arXiv categories, keywords or topics, or ()
``ids``        [tuple of str] ``"scheme:value"`` identifiers (``doi:``, ``arxiv:``,
               ``openalex:``, ``s2:``, ``s2corpus:``), or ()
=============  =========================================================

**Concept nodes** — id ``"concept:<canonical key>"``, attributes:

===============  ======================================================
``kind``         ``"concept"``
``type``         ``"METHOD"``, ``"DATASET"`` or ``"TASK"`` (majority type)
``label``        [str] display label (most frequent full surface form)
``key``          [str] canonical key (:func:`paperkg.extract.concepts.keys.concept_key`);
                 the node id is ``"concept:" + key``
``aliases``      [tuple of str] every surface form seen, sorted
``paper_count``  [int ≥ 0] number of papers that mention it
``type_counts``  [dict str → int ≥ 0] type → number of mentions extracted with that type
===============  ======================================================

**Edges** go from a paper to a concept it mentions, with attributes:

============  =========================================================
``mentions``  [int ≥ 1] number of mentions of the concept in the paper
``evidence``  [str] the sentence holding the first mention
``field``     ``"title"`` or ``"abstract"``: where the first mention is
``start``     [int ≥ 0] character offset of the first mention in that field
``end``       [int ≥ start] end offset of the first mention in that field
``surface``   [str] the first mention's text (``field_text[start:end]``)
``score``     [int or float] the best mention score
============  =========================================================

Graph attributes: ``schema`` [int] (this convention's version, :data:`SCHEMA_VERSION`),
``generator`` [str] ("paperkg <version>"), ``model`` [str] (the extractor's name),
``merges`` [tuple of tuples of str] (the merge log: ``(concept key, surface form, paper id,
rule, detail)``) and ``ambiguous_acronyms`` [dict str → tuple of str] (short form →
competing expansion keys).

A built graph also carries its structure — ``community``, ``pagerank`` and, on concepts,
``links``, ``link_strength`` and ``betweenness``; graph attributes ``communities`` and
``structure`` — stated in :mod:`paperkg.graph.structure`, which computes them.

Lists are stored as tuples inside the graph; :mod:`paperkg.graph.store` saves them losslessly,
and every export flattens them in one place. The store checks every saved and loaded graph
against this convention (:mod:`paperkg.graph.validate`): the attributes above must be present
with these types; any other attribute may hold any JSON value (str, int, float, bool, None,
tuples, dicts with str keys) and is kept as is.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node(paper_node_id("p1"), kind=PAPER, label="BERT for QA")
>>> G.add_node(concept_node_id("BERT"), kind=CONCEPT, type="METHOD", label="BERT")
>>> G.add_edge(paper_node_id("p1"), concept_node_id("BERT"), mentions=2)
>>> [G.nodes[c]["label"] for c in concepts_of(G, "paper:p1")]
['BERT']
>>> papers_of(G, "concept:BERT")
['paper:p1']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations: a query on the index never imports networkx
    import networkx as nx

__all__ = [
    "CONCEPT",
    "CONCEPT_PREFIX",
    "PAPER",
    "PAPER_PREFIX",
    "SCHEMA_VERSION",
    "TYPES",
    "concept_node_id",
    "concept_nodes",
    "concepts_of",
    "paper_node_id",
    "paper_nodes",
    "papers_of",
]

SCHEMA_VERSION = 1
PAPER = "paper"
CONCEPT = "concept"
PAPER_PREFIX = "paper:"
CONCEPT_PREFIX = "concept:"
#: Concept types, in display order (same as :data:`paperkg.extract.records.TYPES`).
TYPES: tuple[str, ...] = ("METHOD", "DATASET", "TASK")


def paper_node_id(paper_id: str) -> str:
    """Return the graph node id of a paper."""
    return PAPER_PREFIX + paper_id


def concept_node_id(key: str) -> str:
    """Return the graph node id of a concept, from its canonical key."""
    return CONCEPT_PREFIX + key


def paper_nodes(G: nx.DiGraph) -> list[str]:
    """Return the paper node ids of ``G``, sorted."""
    return sorted(n for n, kind in G.nodes(data="kind") if kind == PAPER)


def concept_nodes(G: nx.DiGraph, *, type: str | None = None) -> list[str]:
    """Return the concept node ids of ``G`` (optionally of one type), sorted."""
    return sorted(
        n
        for n, d in G.nodes(data=True)
        if d.get("kind") == CONCEPT and (type is None or d.get("type") == type)
    )


def concepts_of(G: nx.DiGraph, paper: str) -> list[str]:
    """Return the concept node ids a paper node mentions, sorted."""
    return sorted(G.successors(paper))


def papers_of(G: nx.DiGraph, concept: str) -> list[str]:
    """Return the paper node ids that mention a concept node, sorted."""
    return sorted(G.predecessors(concept))
