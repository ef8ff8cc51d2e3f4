"""The concept co-occurrence graph: concepts joined by the papers they share."""

from __future__ import annotations

import networkx as nx

from paperkg.graph.schema import CONCEPT, concept_nodes

__all__ = ["cooccurrence_graph"]


def cooccurrence_graph(G: nx.DiGraph, *, min_shared: int = 1) -> nx.Graph:
    """Project the paper–concept graph onto its concepts.

    Two concepts are joined when at least ``min_shared`` papers mention both; the edge's
    ``weight`` is the number of shared papers. Concept nodes keep their attributes.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> for c in ("a", "b", "c"):
    ...     G.add_node("concept:" + c, kind="concept", type="METHOD", label=c)
    >>> G.add_edges_from([("paper:1", "concept:a"), ("paper:1", "concept:b"),
    ...                   ("paper:2", "concept:a"), ("paper:2", "concept:b"),
    ...                   ("paper:2", "concept:c")])
    >>> C = cooccurrence_graph(G)
    >>> C.edges["concept:a", "concept:b"]["weight"], C.edges["concept:a", "concept:c"]["weight"]
    (2, 1)
    """
    C = nx.Graph(kind="cooccurrence")
    concepts = concept_nodes(G)
    for c in concepts:
        C.add_node(c, **G.nodes[c])
    weights: dict[tuple[str, str], int] = {}
    for paper in sorted(n for n in G if G.out_degree(n) and G.nodes[n].get("kind") != CONCEPT):
        mentioned = sorted(G.successors(paper))
        for i, u in enumerate(mentioned):
            for v in mentioned[i + 1 :]:
                weights[(u, v)] = weights.get((u, v), 0) + 1
    for (u, v), w in sorted(weights.items()):
        if w >= min_shared:
            C.add_edge(u, v, weight=w)
    return C
