"""The concept co-occurrence graph: concepts joined by the papers they share.

A paper that mentions ``k`` concepts makes ``k (k - 1) / 2`` pairs, so the work is the
sum of those over papers: linear in papers for a bounded number of concepts per paper,
however many papers a hub concept appears in. Pairs are counted as integer codes with
numpy (:func:`cooccurrence_counts`), not as a dict of string pairs, which keeps memory
at a few bytes per pair on graphs of 100,000 papers.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np

from paperkg.graph.schema import CONCEPT, concept_nodes

__all__ = ["cooccurrence_counts", "cooccurrence_graph"]


def cooccurrence_counts(
    G: nx.DiGraph, *, min_shared: int = 1, concepts: Iterable[str] | None = None
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Count the papers each pair of concepts shares (of ``concepts`` only, if given).

    Returns
    -------
    tuple
        ``(concepts, i, j, weight)``: the concept ids, sorted, and three integer arrays
        of equal length, one entry per pair sharing at least ``min_shared`` papers,
        ``concepts[i[k]] < concepts[j[k]]``, sorted by ``(i, j)``.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> for c in ("a", "b", "c"):
    ...     G.add_node(c, kind="concept")
    >>> G.add_edges_from([("p1", "a"), ("p1", "b"), ("p2", "a"), ("p2", "b"), ("p2", "c")])
    >>> concepts, i, j, w = cooccurrence_counts(G)
    >>> [(concepts[a], concepts[b], int(k)) for a, b, k in zip(i, j, w)]
    [('a', 'b', 2), ('a', 'c', 1), ('b', 'c', 1)]
    """
    concepts = concept_nodes(G) if concepts is None else sorted(set(concepts))
    index = {c: k for k, c in enumerate(concepts)}
    n = len(concepts)
    chunks = []
    triangles: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # k -> the pairs of 0..k-1
    for paper in G:
        if G.nodes[paper].get("kind") == CONCEPT or G.out_degree(paper) < 2:
            continue
        mentioned = np.array(sorted(index[c] for c in G.successors(paper) if c in index), np.int64)
        if len(mentioned) > 1:
            k = len(mentioned)
            if k not in triangles:
                triangles[k] = np.triu_indices(k, 1)
            a, b = triangles[k]
            chunks.append(mentioned[a] * n + mentioned[b])
    codes = np.concatenate(chunks) if chunks else np.empty(0, np.int64)
    pairs, weight = np.unique(codes, return_counts=True)
    keep = weight >= min_shared
    pairs, weight = pairs[keep], weight[keep]
    return concepts, pairs // max(n, 1), pairs % max(n, 1), weight


def cooccurrence_graph(
    G: nx.DiGraph, *, min_shared: int = 1, concepts: Iterable[str] | None = None
) -> nx.Graph:
    """Project the paper–concept graph onto its concepts (or onto ``concepts`` only).

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
    >>> list(cooccurrence_graph(G, concepts=["concept:c", "concept:b"]).edges(data="weight"))
    [('concept:b', 'concept:c', 1)]
    """
    C = nx.Graph(kind="cooccurrence")
    concepts, i, j, weight = cooccurrence_counts(G, min_shared=min_shared, concepts=concepts)
    for c in concepts:
        C.add_node(c, **G.nodes[c])
    C.add_edges_from(
        (concepts[u], concepts[v], {"weight": w})
        for u, v, w in zip(i.tolist(), j.tolist(), weight.tolist())
    )
    return C
