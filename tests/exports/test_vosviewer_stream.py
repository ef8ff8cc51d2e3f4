"""The streamed VOSviewer JSON file is the text of json.dumps(vosviewer_json(G))."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from paperkg.exports import export
from paperkg.exports.vosviewer import vosviewer_json


def one_concept_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node("concept:a", kind="concept", type="METHOD", label='A "links": []', key="a",
               aliases=("A",), paper_count=1)
    G.add_node("paper:p", kind="paper", label="P", title="P")
    G.add_edge("paper:p", "concept:a", mentions=1)
    return G


@pytest.mark.parametrize("graph", ["leafy", "one concept, no links"])
def test_vosviewer_json_streamed_equals_the_document(graph, tmp_path):
    from conftest import make_leafy_graph

    G = make_leafy_graph() if graph == "leafy" else one_concept_graph()
    written = export(G, tmp_path / "map.vosviewer.json").read_text(encoding="utf-8")
    doc = vosviewer_json(G)
    assert written == json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert json.loads(written) == doc
    assert bool(doc["network"]["links"]) == (graph == "leafy")
