"""Graphs held as edge arrays (paperkg.exports.graph_arrays), on small hand-made graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from paperkg.errors import InputError
from paperkg.exports.graph_arrays import (
    NONE, canonical, csr, edge_arrays, labels, leaves, ranges, shared_pairs, twins,
)


def _ints(*values: int) -> np.ndarray:
    return np.array(values, np.int64)


def test_graph_arrays_labels_two_triangles_are_two_components():
    a, b = _ints(0, 1, 2, 5, 4, 3), _ints(1, 2, 0, 4, 3, 5)
    assert labels(7, a, b).tolist() == [0, 0, 0, 3, 3, 3, 6]  # node 6 alone


def test_graph_arrays_labels_a_long_path_reversed_is_one_component():
    n = 50
    a, b = np.arange(n - 1)[::-1].copy() + 1, np.arange(n - 1)[::-1].copy()
    assert labels(n, a, b).tolist() == [0] * n


def test_graph_arrays_csr_of_a_path():
    indptr, indices = csr(4, _ints(2, 0, 1), _ints(3, 1, 2))
    assert indptr.tolist() == [0, 1, 3, 5, 6]
    assert [indices[indptr[k]:indptr[k + 1]].tolist() for k in range(4)] == [
        [1], [0, 2], [1, 3], [2]
    ]


def test_graph_arrays_canonical_merges_repeated_and_reversed_edges():
    nodes, a, b, w = canonical(
        ["x", "y", "z"], [0, 1, 0, 2, 1], [1, 0, 1, 2, 2], [1.0, 2.0, 4.0, 8.0, 0.5]
    )
    assert nodes == ["x", "y", "z"]
    assert a.tolist() == [0, 1] and b.tolist() == [1, 2]
    assert w.tolist() == [7.0, 0.5]  # x-y three times summed; the z-z self-loop dropped


def test_graph_arrays_canonical_sorts_nodes_and_renumbers_edges():
    nodes, a, b, w = canonical(["c", "a", "b"], [0, 0], [1, 2], None)
    assert nodes == ["a", "b", "c"]
    assert list(zip(a.tolist(), b.tolist())) == [(0, 2), (1, 2)]  # c-a, c-b
    assert w.tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    ("nodes", "a", "b", "w", "message"),
    [
        (["a", "b"], [0], [1, 0], None, "unequal lengths"),
        (["a", "b"], [0], [2], None, "outside 0..1"),
        (["a", "b"], [0], [1], [-1.0], "not negative"),
        (["a", "b"], [0], [1], [float("nan")], "finite"),
        (["b", "a", "b"], [0], [1], None, "given twice"),
    ],
)
def test_graph_arrays_canonical_rejects_bad_arrays(nodes, a, b, w, message):
    with pytest.raises(InputError, match=message):
        canonical(nodes, a, b, w)


def test_graph_arrays_edge_arrays_reads_weights_in_sorted_node_order():
    G = nx.Graph()
    G.add_edge("b", "a", weight=3)
    G.add_edge("c", "b")
    nodes, a, b, w = edge_arrays(G, "weight")
    assert nodes == ["a", "b", "c"]
    pairs = {frozenset((nodes[i], nodes[j])): x for i, j, x in zip(a, b, w.tolist())}
    assert pairs == {frozenset("ab"): 3.0, frozenset("bc"): 1.0}
    assert edge_arrays(G, None)[3].tolist() == [1.0, 1.0]


def test_graph_arrays_leaves_of_a_star_and_of_an_isolated_pair():
    # A star 0-{1, 2, 3}, and a pair 4-5 alone: 5 hangs from 4, 4 stays.
    indptr, indices = csr(6, _ints(0, 0, 0, 5), _ints(1, 2, 3, 4))
    assert leaves(indptr, indices).tolist() == [NONE, 0, 0, 0, NONE, 4]


def test_graph_arrays_twins_of_a_clique_repeat_its_first_node():
    # A clique 0-1-2 with a leaf 3 on node 0: 1 and 2 have the same closed neighbourhood.
    a, b = _ints(0, 0, 1, 0), _ints(1, 2, 2, 3)
    indptr, indices = csr(4, a, b)
    skip = leaves(indptr, indices) != NONE
    assert twins(indptr, indices, skip).tolist() == [NONE, NONE, 1, NONE]


def test_graph_arrays_ranges_joins_runs():
    assert ranges(_ints(5, 0, 9), _ints(2, 0, 3)).tolist() == [5, 6, 9, 10, 11]
    assert ranges(_ints(), _ints()).tolist() == []


def test_graph_arrays_shared_pairs_of_each_row():
    rows, cols = _ints(0, 0, 0, 1, 2, 2), _ints(1, 3, 4, 2, 0, 4)
    codes = shared_pairs(rows, cols, 5)
    assert sorted(divmod(c, 5) for c in codes.tolist()) == [(0, 4), (1, 3), (1, 4), (3, 4)]
