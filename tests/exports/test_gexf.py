"""GEXF 1.3 exports: structure, typed attributes, viz data, determinism."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from paperkg.exports import export, get_format
from paperkg.exports.gexf import GEXF_NS, VIZ_NS, read_gexf, write_cooccurrence_gexf, write_gexf
from paperkg.exports import layout
from paperkg.exports.layout import positions
from paperkg.exports.palette import COLORS
from paperkg.graph.cooccurrence import cooccurrence_graph



@pytest.mark.parametrize(
    ("name", "fmt"), [("g.gexf", "gexf"), ("g.cooccurrence.gexf", "cooccurrence-gexf")]
)
def test_gexf_registered_by_suffix(name, fmt):
    assert get_format(name).name == fmt


def test_gexf_is_version_1_3_static(small_graph, tmp_path):
    path = export(small_graph, tmp_path / "g.gexf")
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{GEXF_NS}}}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{{{GEXF_NS}}}graph")
    assert graph.get("mode") == "static" and graph.get("defaultedgetype") == "directed"
    text = path.read_text(encoding="utf-8")
    assert f'xmlns:viz="{VIZ_NS}"' in text
    # No time-varying data: no spells, no start/end attributes anywhere.
    assert "<spells" not in text and " start=" not in text and " end=" not in text


def test_gexf_roundtrip_nodes_edges_and_types(small_graph, script_title, tmp_path):
    H = read_gexf(export(small_graph, tmp_path / "g.gexf"))
    assert isinstance(H, nx.DiGraph)
    assert sorted(H) == sorted(small_graph)
    assert sorted(H.edges) == sorted(small_graph.edges)
    p1 = H.nodes["paper:p1"]
    assert p1["label"] == script_title and p1["title"] == script_title
    assert p1["type"] == "paper" and p1["sources"] == "seeds/x.txt:2 | other.txt:7"
    bert = H.nodes["concept:bert"]
    assert bert["paper_count"] == 3 and bert["type"] == "method"
    assert bert["aliases"] == "BERT | Bidirectional Encoder Representations"
    edge = H.edges["paper:p1", "concept:squad"]
    assert edge["mentions"] == 2 and edge["weight"] == 2.0 and edge["score"] == 0.75
    assert "offset_start" in edge and "start" not in edge  # the GEXF trap, renamed


def test_gexf_viz_colour_size_position(small_graph, tmp_path):
    H = read_gexf(export(small_graph, tmp_path / "g.gexf"))
    for n, d in H.nodes(data=True):
        assert d["viz"]["color"] == COLORS[d["type"]]
    sizes = {n: d["viz"]["size"] for n, d in H.nodes(data=True)}
    assert sizes["concept:bert"] > sizes["concept:cora"] > sizes["paper:p4"]
    expected = positions(small_graph)
    assert {n: d["viz"]["position"] for n, d in H.nodes(data=True)} == expected


def test_cooccurrence_gexf_weights_and_sizes(small_graph, tmp_path):
    H = read_gexf(export(small_graph, tmp_path / "g.cooccurrence.gexf"))
    C = cooccurrence_graph(small_graph)
    assert not H.is_directed()
    assert sorted(H) == sorted(C)
    assert {frozenset(e) for e in H.edges} == {frozenset(e) for e in C.edges}
    assert H.edges["concept:bert", "concept:squad"]["weight"] == 2.0
    assert H.nodes["concept:bert"]["viz"]["size"] > H.nodes["concept:gpt-2"]["viz"]["size"]


@pytest.mark.parametrize("writer", [write_gexf, write_cooccurrence_gexf])
def test_gexf_bytes_identical_across_runs(small_graph, tmp_path, writer):
    a, b = tmp_path / "a", tmp_path / "b"
    writer(small_graph, a)
    layout._CACHE.clear()  # lay it out again, not from this process's memory
    writer(nx.DiGraph(small_graph), b)
    layout._CACHE.clear()
    shuffled = nx.DiGraph(**small_graph.graph)
    shuffled.add_nodes_from(reversed(list(small_graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(small_graph.edges(data=True))))
    writer(shuffled, tmp_path / "c")
    assert a.read_bytes() == b.read_bytes() == (tmp_path / "c").read_bytes()


def test_gexf_drops_characters_xml_cannot_carry(small_graph, tmp_path):
    small_graph.nodes["paper:p2"]["title"] = "vertical\x0btab and \x00 nul"
    H = read_gexf(export(small_graph, tmp_path / "g.gexf"))
    assert H.nodes["paper:p2"]["title"] == "verticaltab and  nul"


def test_layout_is_seeded(small_graph):
    assert positions(small_graph) == positions(small_graph)
    assert positions(small_graph, seed=1) != positions(small_graph, seed=2)
    assert max(abs(v) for xy in positions(small_graph).values() for v in xy) == 1000.0


FRESH = """
import sys
sys.path.insert(0, sys.argv[1])
from conftest import make_leafy_graph
from paperkg.exports import export
for name in sys.argv[3:]:
    export(make_leafy_graph(), sys.argv[2] + "/" + name)
"""


def test_gexf_and_html_bytes_identical_in_fresh_processes(tmp_path):
    """Byte-identical output in two interpreters with different hash seeds (set order)."""
    names = ["g.gexf", "g.cooccurrence.gexf", "g.html"]
    for seed in ("1", "2"):
        (tmp_path / seed).mkdir()
        done = subprocess.run(
            [sys.executable, "-c", FRESH, str(Path(__file__).parent), str(tmp_path / seed), *names],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
    for name in names:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_gexf_roundtrips_arbitrary_text(small_graph, tmp_path):
    """Any title survives GEXF, less only the characters XML 1.0 cannot carry.

    The node label (an ``xsd:token``) has its whitespace collapsed; the title is exact.
    """
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    from paperkg.exports.gexf import xml_text

    @hypothesis.settings(max_examples=25, deadline=None)
    @hypothesis.given(st.text())
    def roundtrip(title):
        G = small_graph.copy()
        G.nodes["paper:p2"]["title"] = title
        G.nodes["paper:p2"]["label"] = title
        path = tmp_path / "h.gexf"
        write_gexf(G, path)
        d = read_gexf(path).nodes["paper:p2"]
        assert d["title"] == xml_text(title)
        assert d["label"] == " ".join(xml_text(title).split())

    roundtrip()


def test_layout_rings_leaves_and_twins_near_their_anchor():
    G = nx.Graph()
    G.add_edges_from(nx.complete_graph(["t1", "t2", "t3", "hub"]).edges)  # t* are twins
    G.add_edges_from([("hub", "x"), ("x", "y"), ("y", "hub")])
    G.add_edges_from([("hub", f"leaf{i}") for i in range(5)])
    pos = positions(G)
    assert set(pos) == set(G)
    def dist(a, b):
        return ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5
    leaf_radii = [dist(f"leaf{i}", "hub") for i in range(5)]
    assert max(leaf_radii) - min(leaf_radii) < 0.1  # one ring around the hub
    twin_radii = [dist(t, "t1") for t in ("t2", "t3")]  # t2, t3 ring t1
    assert max(twin_radii) - min(twin_radii) < 0.1 and max(twin_radii) < 2 * dist("x", "y")
