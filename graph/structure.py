"""The field's structure: communities of concepts, and how central each node is.

:func:`annotate_structure` runs once when a graph is built (:func:`paperkg.api.graph_from_papers`)
and stores its results in the graph, so every query and export reads the same answer:

**Communities.** The Louvain method (Blondel et al., J. Stat. Mech. 2008; igraph's
:meth:`igraph.Graph.community_multilevel` in C, its node order drawn from a generator
seeded with ``seed``) partitions the concept co-occurrence graph
(:mod:`paperkg.graph.cooccurrence`, ``weight`` = shared papers); ``resolution`` > 1 gives
more, smaller communities. Communities are numbered from 1 by
size (most concepts first), then label, then smallest node id. A community's concepts are
ranked by their weight inside it (the shared papers with the community's other concepts),
then paper count, then id; its **label** joins its :data:`LABEL_CONCEPTS` first concepts.
A paper belongs to the community holding most of its concepts (ties: the larger summed
paper count of those concepts, then the smaller id); a paper without concepts gets
community ``0`` (none).

**Centrality.** On concepts: ``paper_count`` (already stored: papers mentioning it),
``links`` (concepts it co-occurs with), ``link_strength`` (weighted degree: the sum of
shared papers over those links — VOSviewer's *Total link strength*), ``pagerank`` (on the
weighted co-occurrence graph) and ``betweenness`` (unweighted shortest paths, normalised;
exact up to :data:`BETWEENNESS_EXACT` concepts, else estimated from up to
:data:`BETWEENNESS_SAMPLE` seeded source nodes, fewer on large graphs so that the work
stays within :data:`BETWEENNESS_BUDGET`; Brandes & Pich 2007; igraph's betweenness in
C). On papers: ``pagerank`` on the undirected paper–concept graph.

**Cost.** Pairs of co-occurring concepts are counted with numpy (linear in the pairs
each paper makes), Louvain and betweenness run in igraph's C code and PageRank is a numpy
power iteration over the links, so time and memory grow linearly with the links
(20,000 synthetic papers: about 5 s and no n × n matrix anywhere).

Node attributes added (types as :mod:`paperkg.graph.schema` states them):

==================  ===========  =====================================================
``community``       concept,     [int ≥ 0] community id (0 only for a paper with no
                    paper        concept)
``pagerank``        concept,     [float] PageRank (concepts: co-occurrence graph;
                    paper        papers: paper–concept graph), 10 significant digits
``links``           concept      [int ≥ 0] co-occurring concepts
``link_strength``   concept      [int ≥ 0] weighted degree in the co-occurrence graph
``betweenness``     concept      [float] betweenness centrality, 10 significant digits
==================  ===========  =====================================================

Graph attributes added: ``communities`` [tuple of dicts] — per community, in id order,
``{"id", "label", "size" (concepts), "papers", "top_concepts", "top_papers"}`` (node ids,
most central first, at most :data:`TOP`) — and ``structure`` [dict] — ``{"algorithm":
"louvain", "resolution", "seed", "betweenness_sample" (0 = exact), "modularity"}``.

Everything is deterministic: nodes are numbered in sorted order before any algorithm
runs (so no string hash ever orders anything), the algorithms are seeded, and floats are
rounded to 10 significant digits.

Examples
--------
Two triangles of concepts joined by one paper that mentions ``c`` and ``d``:

>>> G = nx.DiGraph()
>>> for c in "abcdef":
...     G.add_node("concept:" + c, kind="concept", type="METHOD", label=c, paper_count=0)
>>> papers = {"p1": "abc", "p2": "abc", "p3": "def", "p4": "def", "p5": "cd"}
>>> for p, cs in papers.items():
...     G.add_node("paper:" + p, kind="paper", label=p)
...     G.add_edges_from(("paper:" + p, "concept:" + c) for c in cs)
>>> _ = annotate_structure(G)
>>> [(c.id, c.size, c.label) for c in communities(G)]
[(1, 3, 'c · a · b'), (2, 3, 'd · e · f')]
>>> G.nodes["paper:p3"]["community"], G.nodes["concept:c"]["link_strength"]
(2, 5)
>>> [c.label for c in central_concepts(G, by="betweenness", limit=2)]
['c', 'd']
"""

from __future__ import annotations

import math

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import networkx as nx
import numpy as np

from paperkg.errors import InputError
from paperkg.graph.cooccurrence import cooccurrence_counts
from paperkg.graph.schema import CONCEPT, PAPER, TYPES

__all__ = [
    "BETWEENNESS_BUDGET",
    "BETWEENNESS_EXACT",
    "BETWEENNESS_MIN_SAMPLE",
    "BETWEENNESS_SAMPLE",
    "CENTRALITY",
    "Community",
    "CommunityDetail",
    "Central",
    "LABEL_CONCEPTS",
    "NO_COMMUNITY",
    "SEED",
    "TOP",
    "annotate_structure",
    "check_resolution",
    "central_concepts",
    "communities",
    "community",
    "ensure_structure",
    "has_structure",
    "pagerank",
    "seeded_igraph",
]

#: The seed of Louvain's node order and of the betweenness sample.
SEED = 42
#: Concepts in a community's label.
LABEL_CONCEPTS = 3
#: Concepts and papers listed per community in the graph summary.
TOP = 10
#: Up to this many concepts, betweenness is exact; above, it is estimated.
BETWEENNESS_EXACT = 1000
#: Most source nodes sampled (seeded) to estimate betweenness above :data:`BETWEENNESS_EXACT`.
BETWEENNESS_SAMPLE = 500
#: Work allowed for the estimate, in node + edge visits (each sampled source costs one
#: breadth-first search, ``n + m``): large graphs sample fewer sources, never fewer than
#: :data:`BETWEENNESS_MIN_SAMPLE`, so the cost grows linearly with the graph.
BETWEENNESS_BUDGET = 100_000_000
#: Fewest source nodes sampled.
BETWEENNESS_MIN_SAMPLE = 32
#: The community of a paper that mentions no concept.
NO_COMMUNITY = 0
#: What ``paperkg top --by`` ranks concepts by: name → (node attribute, description).
CENTRALITY: dict[str, tuple[str, str]] = {
    "papers": ("paper_count", "papers mentioning the concept"),
    "degree": ("link_strength", "weighted degree: shared papers with every other concept"),
    "links": ("links", "number of co-occurring concepts"),
    "pagerank": ("pagerank", "PageRank on the co-occurrence graph"),
    "betweenness": ("betweenness", "betweenness centrality on the co-occurrence graph"),
}


def _round(x: float) -> float:
    """Round to 10 significant digits (byte-stable text across platforms); never -0.0."""
    return float(f"{x:.10g}") + 0.0


def _pagerank(
    n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray,
    *, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6,
) -> np.ndarray:
    """PageRank over ``0..n-1`` with weighted links ``src[k] -> dst[k]`` (numpy arrays).

    The definition of :func:`networkx.pagerank` (uniform teleport, dangling nodes
    spread uniformly, stop when the L1 change is below ``n * tol``); each step is one
    pass over the links in C, so time and memory are O(links).
    """
    if n == 0:
        return np.zeros(0)
    weight = weight.astype(np.float64)
    strength = np.bincount(src, weights=weight, minlength=n)
    dangling = strength == 0
    share_of = np.divide(alpha, strength, out=np.zeros(n), where=~dangling)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        base = (1.0 - alpha) / n + alpha * x[dangling].sum() / n
        new = base + np.bincount(dst, weights=(x * share_of)[src] * weight, minlength=n)
        err = np.abs(new - x).sum()
        x = new
        if err < n * tol:
            break
    return x


def pagerank(
    adjacency: list[list[tuple[int, float]]],
    *,
    alpha: float = 0.85,
    max_iter: int = 100,
    tol: float = 1.0e-6,
) -> list[float]:
    """PageRank of an undirected weighted graph given as adjacency lists over ``0..n-1``.

    The definition of :func:`networkx.pagerank` (uniform teleport, dangling nodes
    spread uniformly, stop when the L1 change is below ``n * tol``), computed by power
    iteration in O(edges) per step and memory, with numpy (no scipy).

    >>> [round(x, 4) for x in pagerank([[(1, 1.0)], [(0, 1.0), (2, 1.0)], [(1, 1.0)]])]
    [0.2568, 0.4865, 0.2568]
    """
    src = np.array([i for i, nbrs in enumerate(adjacency) for _ in nbrs], dtype=np.int64)
    dst = np.array([j for nbrs in adjacency for j, _ in nbrs], dtype=np.int64)
    weight = np.array([w for nbrs in adjacency for _, w in nbrs], dtype=np.float64)
    found = _pagerank(len(adjacency), src, dst, weight, alpha=alpha, max_iter=max_iter, tol=tol)
    return found.tolist()


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """Run igraph's random steps (layouts, Louvain's node order) from a generator seeded
    with ``seed``; igraph's default generator (Python's :mod:`random`) is restored after."""
    import igraph

    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def _igraph(n: int, i: np.ndarray, j: np.ndarray):
    """The undirected igraph graph over ``0..n-1`` with edges ``(i[k], j[k])`` in order."""
    import igraph

    return igraph.Graph(n=n, edges=np.column_stack([i, j]).tolist())


def _louvain(g, weight: np.ndarray, *, resolution: float, seed: int) -> tuple[list[list[int]], float]:
    """Louvain communities of the igraph graph ``g`` with edge weights ``weight``.

    igraph's multilevel method (Blondel et al. 2008) in C, seeded; returns the parts
    (lists of nodes) and their modularity at ``resolution``.
    """
    if g.vcount() == 0:
        return [], 0.0
    weights = weight.astype(np.float64).tolist()
    with seeded_igraph(seed):
        found = g.community_multilevel(weights=weights, resolution=resolution)
    membership = found.membership
    modularity = g.modularity(membership, weights=weights, resolution=resolution) if weights else 0.0
    parts: dict[int, list[int]] = {}
    for node, part in enumerate(membership):
        parts.setdefault(part, []).append(node)
    return list(parts.values()), modularity


def _betweenness(g, sources: list[int] | None) -> list[float]:
    """Normalised betweenness (unweighted shortest paths) of the igraph graph ``g``,
    exact, or estimated from the shortest paths out of ``sources``.

    igraph computes it in C (Brandes' algorithm, and for a sample of sources the subset
    betweenness of Brandes & Pich 2007), scaled as :func:`networkx.betweenness_centrality`
    scales its ``k``-sample estimate (by ``n / k``).
    """
    n = g.vcount()
    if n <= 2:
        return [0.0] * n
    scale = 2.0 / ((n - 1) * (n - 2))
    if sources is None:
        raw = g.betweenness(directed=False)
    else:
        raw = g.betweenness(directed=False, sources=sources)
        scale *= n / len(sources)
    return [b * scale for b in raw]


@dataclass(frozen=True)
class Community:
    """A community of concepts: id, label, size (concepts), papers, most central members.

    ``top_concepts`` and ``top_papers`` are node ids, most central first;
    ``concept_labels`` and ``paper_titles`` name them in the same order.
    """

    id: int
    label: str
    size: int
    papers: int
    top_concepts: list[str]
    top_papers: list[str]
    concept_labels: list[str]
    paper_titles: list[str]


@dataclass(frozen=True)
class Central:
    """A node ranked by a centrality: id, label, type, community and the measures."""

    node: str
    label: str
    type: str
    community: int
    papers: int
    links: int
    degree: int
    pagerank: float
    betweenness: float


@dataclass(frozen=True)
class CommunityDetail:
    """One community in full: its summary, every concept (ranked) and every paper (ranked)."""

    community: Community
    concepts: list[Central]
    papers: list[dict]


def check_resolution(resolution: object) -> None:
    """Raise ValueError unless ``resolution`` is a Louvain resolution: a positive finite number."""
    if isinstance(resolution, bool) or not isinstance(resolution, (int, float)) or not 0 < resolution < math.inf:
        raise ValueError(f"resolution must be a positive finite number, not {resolution!r}")


def annotate_structure(
    G: nx.DiGraph,
    *,
    resolution: float = 1.0,
    seed: int = SEED,
    betweenness_exact: int = BETWEENNESS_EXACT,
    betweenness_sample: int = BETWEENNESS_SAMPLE,
) -> nx.DiGraph:
    """Compute communities and centralities of ``G`` and store them in ``G`` (returned).

    Parameters
    ----------
    G
        The paper–concept graph (:mod:`paperkg.graph.schema`); changed in place.
    resolution
        Louvain's resolution: above 1, more and smaller communities; below 1, fewer.
    seed
        Seed of Louvain and of the betweenness sample.
    betweenness_exact, betweenness_sample
        Betweenness is exact up to ``betweenness_exact`` concepts, else estimated from at
        most ``betweenness_sample`` seeded source nodes (fewer on large graphs:
        :data:`BETWEENNESS_BUDGET`).

    Returns
    -------
    networkx.DiGraph
        ``G``, with the attributes listed in the module docstring.
    """
    check_resolution(resolution)
    concepts, ci, cj, cw = cooccurrence_counts(G)
    n = len(concepts)

    # Communities (Louvain), numbered by size, label, smallest member.
    g = _igraph(n, ci, cj)
    parts, modularity = _louvain(g, cw, resolution=resolution, seed=seed)
    member = np.zeros(n, dtype=np.int64)
    for k, part in enumerate(parts):
        member[list(part)] = k
    same = member[ci] == member[cj]
    inside = (np.bincount(ci[same], weights=cw[same], minlength=n)
              + np.bincount(cj[same], weights=cw[same], minlength=n)).tolist()
    count = [int(G.nodes[c].get("paper_count") or G.in_degree(c)) for c in concepts]

    def rank(i: int) -> tuple:
        return (-inside[i], -count[i], concepts[i])

    ranked = [sorted(part, key=rank) for part in parts]
    labels = [
        " · ".join(str(G.nodes[concepts[i]].get("label", concepts[i])) for i in r[:LABEL_CONCEPTS])
        for r in ranked
    ]
    order = sorted(range(len(parts)), key=lambda k: (-len(parts[k]), labels[k], concepts[ranked[k][0]]))
    number = {k: pos + 1 for pos, k in enumerate(order)}

    # Concept centralities on the co-occurrence graph (each link in both directions).
    src, dst = np.concatenate([ci, cj]), np.concatenate([cj, ci])
    both = np.concatenate([cw, cw])
    links = np.bincount(src, minlength=n).tolist()
    strength = np.bincount(src, weights=both, minlength=n).tolist()
    pr = _pagerank(n, src, dst, both).tolist()
    if n <= betweenness_exact:
        sample = 0
        bc = _betweenness(g, None)
    else:
        work = BETWEENNESS_BUDGET // (n + len(ci))
        sample = min(n, betweenness_sample, max(BETWEENNESS_MIN_SAMPLE, work))
        # The sample networkx's betweenness_centrality(k=sample, seed=seed) would draw.
        bc = _betweenness(g, random.Random(seed).sample(range(n), sample))
    del src, dst, both, g
    members = member.tolist()
    for i, c in enumerate(concepts):
        G.nodes[c].update(
            community=number[members[i]],
            links=int(links[i]),
            link_strength=int(strength[i]),
            pagerank=_round(pr[i]),
            betweenness=_round(bc[i]),
        )

    # Papers: PageRank on the undirected paper–concept graph, community by majority.
    nodes = sorted(G)
    index = {v: i for i, v in enumerate(nodes)}
    ends = np.array([(index[u], index[v]) for u, v in G.edges()], dtype=np.int64).reshape(-1, 2)
    ends = ends[np.lexsort((ends[:, 1], ends[:, 0]))]  # sorted: sums in a fixed order
    paper_pr = _pagerank(
        len(nodes), np.concatenate([ends[:, 0], ends[:, 1]]),
        np.concatenate([ends[:, 1], ends[:, 0]]), np.ones(2 * len(ends)),
    ).tolist()
    del ends
    papers_in: Counter = Counter()
    members_papers: dict[int, list[str]] = {}
    for p in nodes:
        d = G.nodes[p]
        if d.get("kind") != PAPER:
            continue
        votes: dict[int, list[int]] = {}
        for c in G.successors(p):
            cd = G.nodes[c]
            if cd.get("kind") != CONCEPT:
                continue
            tally = votes.setdefault(cd["community"], [0, 0])
            tally[0] += 1
            tally[1] += int(cd.get("paper_count") or 0)
        best = min(votes, key=lambda k: (-votes[k][0], -votes[k][1], k)) if votes else NO_COMMUNITY
        d.update(community=best, pagerank=_round(paper_pr[index[p]]))
        papers_in[best] += 1
        members_papers.setdefault(best, []).append(p)

    summary = []
    for k in order:
        cid = number[k]
        top_papers = sorted(
            members_papers.get(cid, ()), key=lambda p: (-G.nodes[p]["pagerank"], p)
        )[:TOP]
        summary.append({
            "id": cid,
            "label": labels[k],
            "size": len(parts[k]),
            "papers": papers_in[cid],
            "top_concepts": tuple(concepts[i] for i in ranked[k][:TOP]),
            "top_papers": tuple(top_papers),
        })
    G.graph["communities"] = tuple(summary)
    G.graph["structure"] = {
        "algorithm": "louvain",
        "resolution": float(resolution),
        "seed": seed,
        "betweenness_sample": sample,
        "modularity": _round(modularity),
    }
    return G


def has_structure(G: nx.DiGraph) -> bool:
    """Whether ``G`` carries the attributes :func:`annotate_structure` stores."""
    return "communities" in G.graph and "structure" in G.graph


def ensure_structure(G: nx.DiGraph) -> nx.DiGraph:
    """Return ``G`` if it carries its structure, else an annotated copy (``G`` unchanged).

    Graphs saved by an older paperkg, or made by hand, get their structure this way.
    """
    if has_structure(G):
        return G
    return annotate_structure(G.copy())


def communities(G: nx.DiGraph, *, resolution: float | None = None) -> list[Community]:
    """Return the communities of ``G`` in id order (computed if ``G`` has none stored).

    With ``resolution``, they are computed afresh at that resolution on a copy of ``G``.
    """
    G = annotate_structure(G.copy(), resolution=resolution) if resolution else ensure_structure(G)
    return [
        Community(
            id=c["id"], label=c["label"], size=c["size"], papers=c["papers"],
            top_concepts=list(c["top_concepts"]), top_papers=list(c["top_papers"]),
            concept_labels=[str(G.nodes[n].get("label", n)) for n in c["top_concepts"]],
            paper_titles=[str(G.nodes[n].get("title") or G.nodes[n].get("label", n))
                          for n in c["top_papers"]],
        )
        for c in G.graph["communities"]
    ]


def _central(G: nx.DiGraph, node: str) -> Central:
    d = G.nodes[node]
    return Central(
        node=node,
        label=str(d.get("label", node)),
        type=str(d.get("type", "")),
        community=int(d.get("community", NO_COMMUNITY)),
        papers=int(d.get("paper_count") or 0),
        links=int(d.get("links", 0)),
        degree=int(d.get("link_strength", 0)),
        pagerank=float(d.get("pagerank", 0.0)),
        betweenness=float(d.get("betweenness", 0.0)),
    )


def central_concepts(
    G: nx.DiGraph,
    *,
    by: str = "pagerank",
    type: str | None = None,
    community: int | None = None,
    limit: int | None = 10,
) -> list[Central]:
    """Return concepts ranked by a centrality of :data:`CENTRALITY` (ties: label, id).

    Raises
    ------
    InputError
        For an unknown measure or type.
    """
    if by not in CENTRALITY:
        raise InputError(f"unknown centrality {by!r}; known: {', '.join(CENTRALITY)}")
    if type is not None and type.upper() not in TYPES:
        raise InputError(f"unknown concept type {type!r}; known: {', '.join(TYPES)}")
    G = ensure_structure(G)
    attr = CENTRALITY[by][0]
    items = [
        _central(G, n)
        for n, d in G.nodes(data=True)
        if d.get("kind") == CONCEPT
        and (type is None or d.get("type") == type.upper())
        and (community is None or d.get("community") == community)
    ]
    items.sort(key=lambda c: (-float(G.nodes[c.node].get(attr) or 0), c.label.casefold(), c.node))
    return items if limit is None else items[:limit]


def community(G: nx.DiGraph, community_id: int | str, *, limit: int | None = None) -> CommunityDetail:
    """Return one community: its summary, its concepts and its papers, most central first.

    Concepts are ranked as in the label (weight inside the community, papers, id) and
    papers by PageRank; ``limit`` cuts both lists.

    Raises
    ------
    InputError
        When no community has that id (the message names the valid range).
    """
    G = ensure_structure(G)
    found = {c.id: c for c in communities(G)}
    try:
        cid = int(community_id)
    except (TypeError, ValueError):
        cid = None
    if cid not in found:
        span = f"1–{len(found)}" if found else "none: the graph has no concepts"
        raise InputError(f"no community {community_id!r}; communities are numbered {span}")
    summary = found[cid]
    members = [n for n, d in G.nodes(data=True) if d.get("kind") == CONCEPT and d.get("community") == cid]
    inside: Counter = Counter()
    member_set = set(members)
    for c in members:
        for p in G.predecessors(c):
            for other in G.successors(p):
                if other != c and other in member_set:
                    inside[c] += 1
    members.sort(key=lambda c: (-inside[c], -int(G.nodes[c].get("paper_count") or 0), c))
    papers = sorted(
        (n for n, d in G.nodes(data=True) if d.get("kind") == PAPER and d.get("community") == cid),
        key=lambda p: (-G.nodes[p].get("pagerank", 0.0), p),
    )
    if limit is not None:
        members, papers = members[:limit], papers[:limit]
    return CommunityDetail(
        community=summary,
        concepts=[_central(G, c) for c in members],
        papers=[
            {"paper": p, "title": str(G.nodes[p].get("title", G.nodes[p].get("label", p))),
             "pagerank": G.nodes[p].get("pagerank", 0.0),
             "concepts_here": sum(1 for c in G.successors(p) if c in member_set)}
            for p in papers
        ],
    )
