"""The API hands out a build's graph: whole, or a part read from the index alone."""

from __future__ import annotations

import networkx as nx
import pytest

from paperkg.api import build, load_graph, open_index
from paperkg.errors import InputError
from paperkg.graph.queries import related
from paperkg.graph.store import load_graph as load_saved


@pytest.fixture()
def out(tmp_path, corpus_file, rule_model):
    build([corpus_file], tmp_path / "out", model=str(rule_model), jobs=1)
    return tmp_path / "out"


def test_whole_graph_and_parts(out):
    G = load_saved(out)
    assert nx.utils.graphs_equal(load_graph(out), G)
    part = load_graph(out, ["paper:a"], neighbours=True)
    expected = G.subgraph(["paper:a", *G.successors("paper:a")])
    assert sorted(part.nodes) == sorted(expected.nodes)
    assert sorted(part.edges(data=True)) == sorted(expected.edges(data=True))
    assert dict(part.nodes(data=True)) == dict(expected.nodes(data=True))


def test_a_part_without_an_index_comes_from_graph_json(out):
    (out / "graph.sqlite").unlink()
    part = load_graph(out, ["concept:BERT"], neighbours=True)
    assert sorted(part) == ["concept:BERT", "paper:a", "paper:b", "paper:c"]


def test_open_index_answers_queries_like_the_graph(out):
    with open_index(out) as index:
        assert related(index, "a") == related(load_saved(out), "a")
    (out / "graph.sqlite").unlink()
    with pytest.raises(InputError, match="no graph.sqlite"):
        open_index(out)
