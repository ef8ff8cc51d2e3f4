"""The questions the queries ask of a paper–concept graph, and their answers from networkx.

:mod:`paperkg.graph.queries` is written against :class:`GraphSource`: a few lookups (a
paper by id or title, a concept by folded name, a concept's papers with their evidence,
the concepts among some papers…) that a networkx graph answers here (:class:`NxSource`)
and the query index answers with SQL (:class:`paperkg.graph.index.GraphIndex`). The
lookups hold no ranking or tie-breaking of their own, so the two cannot disagree on what
a query means.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node("paper:p1", kind="paper", title="BERT for QA")
>>> G.add_node("concept:bert", kind="concept", type="METHOD", label="BERT", aliases=("BERTs",))
>>> G.add_edge("paper:p1", "concept:bert", evidence="We use BERT.", mentions=2)
>>> src = source(G)
>>> src.concepts_named(fold("berts")), src.mentions("concept:bert")
(['concept:bert'], [Evidence(paper='paper:p1', title='BERT for QA', evidence='We use BERT.', mentions=2)])
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from paperkg.extract.concepts.inflection import singular
from paperkg.graph.schema import (
    CONCEPT,
    CONCEPT_PREFIX,
    PAPER,
    concept_nodes,
    concepts_of,
    paper_nodes,
    papers_of,
)

if TYPE_CHECKING:  # only the graph's methods are called: no networkx import needed
    import networkx as nx

__all__ = ["ConceptInfo", "Evidence", "GraphSource", "NxSource", "fold", "source"]


@dataclass(frozen=True)
class Evidence:
    """A paper's mention of a concept: the paper, its title and the evidence sentence."""

    paper: str
    title: str
    evidence: str
    mentions: int


def fold(text: str) -> str:
    """Case-, hyphen-, space- and plural-insensitive form of a name (how names are compared).

    >>> fold("Large-Language  Models")
    'large language model'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    words = re.sub(r"[\s\-‐‑‒–—_/]+", " ", text).split()
    return " ".join(words[:-1] + [singular(words[-1])]) if words else ""


class ConceptInfo(NamedTuple):
    """What the queries print of a concept: its label, type and canonical key."""

    label: str
    type: str
    key: str


class GraphSource:
    """The questions the queries ask of a paper–concept graph (node ids as in
    :mod:`paperkg.graph.schema`). Lists of node ids come sorted unless said otherwise.

    :class:`NxSource` answers them from a networkx graph, and
    :class:`paperkg.graph.index.GraphIndex` from the query index; each query function
    takes either (a plain networkx graph is wrapped in an :class:`NxSource`).
    """

    def is_paper(self, node: str) -> bool:
        """Whether ``node`` is a paper node."""
        raise NotImplementedError

    def is_concept(self, node: str) -> bool:
        """Whether ``node`` is a concept node."""
        raise NotImplementedError

    def titles(self, papers: Iterable[str]) -> dict[str, str]:
        """The title of each paper node."""
        raise NotImplementedError

    def papers_titled(self, key: str) -> list[str]:
        """The papers whose ``title.casefold().strip()`` is ``key``."""
        raise NotImplementedError

    def papers_containing(self, part: str) -> list[str]:
        """The papers whose ``title.casefold()`` contains ``part``."""
        raise NotImplementedError

    def paper_titles(self) -> Iterator[tuple[str, str]]:
        """Every (paper, title), in any order."""
        raise NotImplementedError

    def concepts_named(self, form: str) -> list[str]:
        """The concepts whose label or an alias folds (:func:`fold`) to ``form``."""
        raise NotImplementedError

    def labels_containing(self, part: str) -> list[str]:
        """The labels of the concepts whose folded label contains ``part``, in any order."""
        raise NotImplementedError

    def concepts(self, nodes: Iterable[str]) -> dict[str, ConceptInfo]:
        """Label, type and key of each concept node."""
        raise NotImplementedError

    def concepts_of(self, paper: str) -> list[str]:
        """The concepts a paper mentions."""
        raise NotImplementedError

    def mentions(self, concept: str, papers: list[str] | None = None) -> list[Evidence]:
        """The evidence of each paper (of ``papers``, each of which mentions ``concept``;
        default: every paper that does) for ``concept``, in the order of the sorted papers."""
        raise NotImplementedError

    def paper_counts(self, concepts: Iterable[str]) -> dict[str, int]:
        """How many papers mention each concept."""
        raise NotImplementedError

    def papers_of(self, concept: str, *, first: int | None = None) -> list[str]:
        """The papers that mention ``concept``, in any order; with ``first``, only the
        first ``first`` of them by id, in id order."""
        raise NotImplementedError

    def concepts_among(self, papers: Iterable[str], concepts: list[str]) -> dict[str, list[str]]:
        """Which of ``concepts`` each of ``papers`` mentions (papers mentioning none may be
        left out; lists in any order)."""
        raise NotImplementedError

    def cooccurrences(self, concept: str) -> dict[str, int]:
        """For each concept, how many of the papers mentioning ``concept`` mention it too
        (``concept`` itself included), in any order."""
        raise NotImplementedError

    def ranked(self, type: str, *, min_papers: int = 0, limit: int | None = None) -> list[tuple[str, int]]:
        """(concept, papers mentioning it) for the concepts of ``type`` that at least
        ``min_papers`` papers mention, most papers first, then by ``label.lower()``, then id."""
        raise NotImplementedError

    def merges(self, keys: Iterable[str]) -> Iterator[tuple]:
        """The merge-log entries (graph attribute ``merges``) of these concept keys, in log order."""
        raise NotImplementedError


class NxSource(GraphSource):
    """:class:`GraphSource` answers read from a networkx paper–concept graph."""

    def __init__(self, G: nx.DiGraph):
        self.G = G

    def is_paper(self, node: str) -> bool:
        return node in self.G and self.G.nodes[node].get("kind") == PAPER

    def is_concept(self, node: str) -> bool:
        return node in self.G and self.G.nodes[node].get("kind") == CONCEPT

    def titles(self, papers: Iterable[str]) -> dict[str, str]:
        return {p: self.G.nodes[p]["title"] for p in papers}

    def papers_titled(self, key: str) -> list[str]:
        nodes = self.G.nodes
        return [p for p in paper_nodes(self.G) if nodes[p]["title"].casefold().strip() == key]

    def papers_containing(self, part: str) -> list[str]:
        nodes = self.G.nodes
        return [p for p in paper_nodes(self.G) if part in nodes[p]["title"].casefold()]

    def paper_titles(self) -> Iterator[tuple[str, str]]:
        return ((p, self.G.nodes[p]["title"]) for p in paper_nodes(self.G))

    def concepts_named(self, form: str) -> list[str]:
        nodes = self.G.nodes
        return [
            c for c in concept_nodes(self.G)
            if any(fold(a) == form for a in (nodes[c]["label"], *nodes[c].get("aliases", ())))
        ]

    def labels_containing(self, part: str) -> list[str]:
        labels = (self.G.nodes[c]["label"] for c in concept_nodes(self.G))
        return [label for label in labels if part in fold(label)]

    def concepts(self, nodes: Iterable[str]) -> dict[str, ConceptInfo]:
        result = {}
        for c in nodes:
            d = self.G.nodes[c]
            result[c] = ConceptInfo(d["label"], d["type"], d.get("key", c[len(CONCEPT_PREFIX):]))
        return result

    def concepts_of(self, paper: str) -> list[str]:
        return concepts_of(self.G, paper)

    def mentions(self, concept: str, papers: list[str] | None = None) -> list[Evidence]:
        G = self.G
        result = []
        for p in papers_of(G, concept) if papers is None else sorted(papers):
            edge = G.edges[p, concept]
            result.append(Evidence(p, G.nodes[p]["title"], edge["evidence"], edge["mentions"]))
        return result

    def paper_counts(self, concepts: Iterable[str]) -> dict[str, int]:
        return {c: self.G.in_degree(c) for c in concepts}

    def papers_of(self, concept: str, *, first: int | None = None) -> list[str]:
        if first is not None:
            return sorted(self.G.predecessors(concept))[:first]
        return list(self.G.predecessors(concept))

    def concepts_among(self, papers: Iterable[str], concepts: list[str]) -> dict[str, list[str]]:
        succ = self.G.succ
        return {p: [c for c in concepts if c in succ[p]] for p in papers}

    def cooccurrences(self, concept: str) -> dict[str, int]:
        counts: Counter = Counter()
        for paper in self.G.predecessors(concept):
            counts.update(self.G.successors(paper))
        return counts

    def ranked(self, type: str, *, min_papers: int = 0, limit: int | None = None) -> list[tuple[str, int]]:
        G = self.G
        items = [(c, G.in_degree(c)) for c in concept_nodes(G, type=type) if G.in_degree(c) >= min_papers]
        # lower() is SPARQL's LCASE: the README's query orders ties the same way.
        items.sort(key=lambda item: (-item[1], G.nodes[item[0]]["label"].lower(), item[0]))
        return items if limit is None else items[:limit]

    def merges(self, keys: Iterable[str]) -> Iterator[tuple]:
        wanted = set(keys)
        return (m for m in self.G.graph.get("merges", ()) if m[0] in wanted)


def source(G: nx.DiGraph | GraphSource) -> GraphSource:
    """``G`` itself if it is a :class:`GraphSource`, else ``G`` wrapped in an :class:`NxSource`."""
    return G if isinstance(G, GraphSource) else NxSource(G)
