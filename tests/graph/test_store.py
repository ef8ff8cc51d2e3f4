"""Saving and loading the graph is lossless; a bad graph file is a one-line error."""

from __future__ import annotations

import networkx as nx
import pytest

from paperkg.errors import InputError
from paperkg.graph.store import load_graph, save_graph


def test_store_round_trip_is_lossless(corpus_graph, tmp_path):
    path = save_graph(corpus_graph, tmp_path / "graph.json")
    G = load_graph(tmp_path)
    assert nx.utils.graphs_equal(G, corpus_graph)
    assert G.graph == corpus_graph.graph
    assert save_graph(G, tmp_path / "again.json").read_bytes() == path.read_bytes()


@pytest.mark.parametrize("content", ["", "{}\n", "not json\n"])
def test_store_rejects_non_graph_files(tmp_path, content):
    path = tmp_path / "graph.json"
    path.write_text(content)
    with pytest.raises(InputError):
        load_graph(path)


def test_store_missing_graph_says_build_first(tmp_path):
    with pytest.raises(InputError, match="paperkg build"):
        load_graph(tmp_path)
