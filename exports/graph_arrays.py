"""Graphs held as edge arrays: the numpy building blocks of the map layouts.

A graph of ``n`` nodes is held as its node ids, sorted (a node's index is its rank), and
its edges as integer arrays ``a``, ``b`` (edge ``k`` joins nodes ``a[k]`` and ``b[k]``)
with a weight array ``w``. This module reads a networkx graph into that form
(:func:`edge_arrays`), brings any edge arrays to the canonical form (:func:`canonical`:
undirected pairs ``a < b``, sorted, repeated pairs merged with summed weights, self-loops
dropped), builds the compressed sparse row adjacency (:func:`csr`: ``indptr``,
``indices``), and answers structural questions on these arrays alone, in memory linear in
nodes + edges: connected components (:func:`labels`), leaves (:func:`leaves`), twins
(:func:`twins`) and the pairs that share a row (:func:`shared_pairs`). :data:`NONE` marks
"no node" in the index arrays they return.

Examples
--------
>>> import numpy as np
>>> nodes, a, b, w = canonical(["c", "a", "b"], [0, 1, 2, 0], [1, 0, 2, 2], [1, 2, 5, 1])
>>> nodes, a.tolist(), b.tolist(), w.tolist()  # c-a twice, b-b a self-loop
(['a', 'b', 'c'], [0, 1], [2, 2], [3.0, 1.0])
>>> indptr, indices = csr(3, a, b)
>>> indptr.tolist(), indices.tolist()
([0, 1, 2, 4], [2, 2, 0, 1])
>>> leaves(indptr, indices).tolist()  # a and b hang from c
[2, 2, -1]
>>> labels(5, np.array([0, 3]), np.array([1, 4])).tolist()
[0, 0, 2, 3, 3]
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike

from paperkg.errors import InputError

__all__ = [
    "NONE", "canonical", "csr", "edge_arrays", "labels", "leaves", "ranges", "shared_pairs",
    "twins",
]

#: "No node" in the index arrays of :func:`leaves` and :func:`twins`.
NONE = -1


def edge_arrays(
    G: nx.Graph, weight: str | None
) -> tuple[list, np.ndarray, np.ndarray, np.ndarray]:
    """``(nodes, a, b, w)`` of ``G``: its nodes sorted, and each edge as two indices into
    them and a weight (the ``weight`` attribute, else 1), read without copying ``G``."""
    nodes = sorted(G)
    index = {n: i for i, n in enumerate(nodes)}
    m = G.number_of_edges()
    ends = np.fromiter((index[x] for e in G.edges() for x in e), np.int64, count=2 * m)
    if weight:
        data = G.edges(data=weight, default=1)
        w = np.fromiter((float(d) for _, _, d in data), np.float64, count=m)
    else:
        w = np.ones(m)
    return nodes, ends[0::2], ends[1::2], w


def canonical(
    nodes: Sequence[Hashable], a: ArrayLike, b: ArrayLike, w: ArrayLike | None
) -> tuple[list, np.ndarray, np.ndarray, np.ndarray]:
    """Nodes sorted (``a``, ``b`` renumbered to match); edges as sorted pairs ``a < b``,
    a repeated pair merged into one with the sum of the weights, self-loops dropped.

    Raises :class:`~paperkg.errors.InputError` for arrays of unequal lengths, indices out
    of range, repeated node ids, and weights that are negative or not finite (the
    messages name the layout, the one user of these arrays that takes them from callers).
    """
    nodes = list(nodes)
    n = len(nodes)
    a = np.asarray(a, dtype=np.int64).ravel()
    b = np.asarray(b, dtype=np.int64).ravel()
    w = np.ones(len(a)) if w is None else np.asarray(w, dtype=np.float64).ravel()
    if not len(a) == len(b) == len(w):
        raise InputError(f"layout: edge arrays of unequal lengths {len(a)}, {len(b)}, {len(w)}")
    if len(a) and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= n):
        raise InputError(f"layout: an edge names a node index outside 0..{n - 1}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise InputError("layout: edge weights must be finite and not negative")
    if any(nodes[k] >= nodes[k + 1] for k in range(n - 1)):
        order = sorted(range(n), key=nodes.__getitem__)
        nodes = [nodes[k] for k in order]
        if any(nodes[k] == nodes[k + 1] for k in range(n - 1)):
            raise InputError("layout: a node id is given twice")
        rank = np.empty(n, np.int64)
        rank[order] = np.arange(n)
        a, b = rank[a], rank[b]
    loop = a == b
    lo, hi = np.minimum(a, b)[~loop], np.maximum(a, b)[~loop]
    code, w = lo * n + hi, w[~loop]
    if len(code) and not (np.diff(code) > 0).all():  # unsorted, or a pair repeated
        order = np.lexsort((w, code))  # weights summed in one order, whatever the input's
        code, w = code[order], w[order]
        first = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
        code, w = code[first], np.add.reduceat(w, first)
    return nodes, code // max(n, 1), code % max(n, 1), w


def csr(n: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The undirected adjacency of edges ``(a, b)`` as ``(indptr, indices)``: the
    neighbours of ``k`` are ``indices[indptr[k]:indptr[k + 1]]``, ascending."""
    src, dst = np.concatenate((a, b)), np.concatenate((b, a))
    indices = dst[np.argsort(src * n + dst, kind="stable")]
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, indices


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``starts[k], starts[k] + 1, ..., starts[k] + counts[k] - 1`` for every ``k``, joined."""
    ends = np.cumsum(counts)
    return np.repeat(starts - ends + counts, counts) + np.arange(ends[-1] if len(ends) else 0)


def leaves(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """The node each leaf (a degree-1 node) hangs from, :data:`NONE` for other nodes.

    Of an isolated pair, the smaller index stays in the core and the other hangs from it.
    """
    deg = np.diff(indptr)
    leaf = np.flatnonzero(deg == 1)
    anchor = indices[indptr[leaf]]
    keep = (deg[anchor] > 1) | (anchor < leaf)
    out = np.full(len(deg), NONE, np.int64)
    out[leaf[keep]] = anchor[keep]
    return out


def twins(indptr: np.ndarray, indices: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """The first node (smallest index) whose closed neighbourhood equals each node's, for
    the nodes that repeat an earlier one; :data:`NONE` for the others.

    In the co-occurrence graph every concept mentioned by one paper only is joined to
    exactly that paper's other concepts: all of them are such twins, and they would sit
    on top of each other anyway. Nodes in ``skip`` (leaves) are not considered. Two twins
    are adjacent and of equal degree, so only nodes with such a neighbour are compared,
    by the bytes of their sorted closed neighbourhood.
    """
    deg = np.diff(indptr)
    rows = np.repeat(np.arange(len(deg)), deg)
    valid = ~skip & (deg > 0)
    pair = valid[rows] & valid[indices] & (deg[rows] == deg[indices])
    out = np.full(len(deg), NONE, np.int64)
    first: dict[bytes, int] = {}
    for k in np.unique(rows[pair]).tolist():
        near = indices[indptr[k]:indptr[k + 1]]
        key = np.insert(near, np.searchsorted(near, k), k).tobytes()
        j = first.setdefault(key, k)
        if j != k:
            out[k] = j
    return out


def labels(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The connected component of each node, named by its smallest node index.

    Union–find on arrays: every round hooks the larger root of each edge under the smaller
    one, then pointer jumping flattens every tree to its root, until no edge joins two roots.
    """
    label = np.arange(n)
    while True:
        la, lb = label[a], label[b]
        cross = la != lb
        if not cross.any():
            return label
        np.minimum.at(label, np.maximum(la, lb)[cross], np.minimum(la, lb)[cross])
        while True:
            up = label[label]
            if np.array_equal(up, label):
                break
            label = up


def shared_pairs(rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    """Codes ``i * n + j`` of every pair ``i < j`` of ``cols`` that share a row, for
    ``cols`` ascending within each run of equal ``rows``."""
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else rows
    sizes = np.diff(np.r_[starts, len(rows)])
    out = np.empty(int((sizes * (sizes - 1) // 2).sum()), np.int64)
    at = 0
    for k in np.unique(sizes[sizes > 1]).tolist():
        block = cols[starts[sizes == k][:, None] + np.arange(k)]
        i, j = np.triu_indices(k, 1)
        out[at:at + block.shape[0] * len(i)] = (block[:, i] * n + block[:, j]).ravel()
        at += block.shape[0] * len(i)
    return out
