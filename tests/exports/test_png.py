"""The static PNG overview: valid, metadata-free, deterministic, and a sensible subgraph."""

from __future__ import annotations

import struct

import networkx as nx
import pytest

from paperkg.exports import export, get_format
from paperkg.exports.png import overview_graph


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, i = [], 8
    while i < len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        out.append((data[i + 4 : i + 8], data[i + 8 : i + 8 + length]))
        i += 12 + length
    return out


def test_png_registered():
    assert get_format("overview.png").name == "png"


def test_png_valid_deterministic_and_without_metadata(small_graph, tmp_path):
    pytest.importorskip("matplotlib", reason="the png export needs matplotlib")
    a = export(small_graph, tmp_path / "a.png").read_bytes()
    b = export(small_graph, tmp_path / "b.png").read_bytes()
    assert a == b
    chunks = _chunks(a)
    width, height = struct.unpack(">II", chunks[0][1][:8])
    assert (chunks[0][0], width, height) == (b"IHDR", 1600, 1200)
    assert not [c for c, _ in chunks if c in (b"tEXt", b"iTXt", b"zTXt", b"tIME")]


def test_overview_keeps_top_concepts_of_largest_component():
    G = nx.DiGraph()
    for i in range(6):  # one component of six concepts, all in papers 0..4
        G.add_node(f"concept:c{i}", kind="concept", type="METHOD", label=f"c{i}", paper_count=6 - i)
    G.add_node("concept:lone1", kind="concept", type="TASK", label="lone1", paper_count=9)
    G.add_node("concept:lone2", kind="concept", type="TASK", label="lone2", paper_count=9)
    for p in range(5):
        G.add_node(f"paper:{p}", kind="paper", label=str(p))
        G.add_edges_from([(f"paper:{p}", f"concept:c{i}") for i in range(6) if i <= p + 1])
    G.add_edges_from([("paper:9", "concept:lone1"), ("paper:9", "concept:lone2")])
    assert sorted(overview_graph(G)) == [f"concept:c{i}" for i in range(6)]
    assert sorted(overview_graph(G, top=3)) == ["concept:c0", "concept:c1", "concept:c2"]


def test_png_of_a_graph_without_concepts(tmp_path):
    pytest.importorskip("matplotlib", reason="the png export needs matplotlib")
    G = nx.DiGraph()
    G.add_node("paper:p", kind="paper", label="alone")
    assert _chunks(export(G, tmp_path / "e.png").read_bytes())[0][0] == b"IHDR"
