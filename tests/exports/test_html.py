"""The self-contained HTML map: offline, inert data, related papers, deterministic bytes."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from importlib import resources

import pytest

from paperkg.exports import export, get_format
from paperkg.exports.html import html_bytes, map_data
from paperkg.exports import layout
from paperkg.exports.layout import community_positions
from paperkg.graph.cooccurrence import cooccurrence_graph
from paperkg.graph.structure import ensure_structure
from paperkg.graph.queries import related

DATA_BLOCK = re.compile(r'<script type="application/json" id="paperkg-data">(.*?)</script>', re.S)


@pytest.fixture
def page(small_graph) -> str:
    return html_bytes(small_graph).decode("utf-8")


def test_html_registered():
    assert get_format("map.html").name == "html"


def test_html_is_self_contained(page):
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b", page, re.I)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "url(" not in style and "@import" not in style
    assert "sourceMappingURL" not in page
    assert "Sigma=" in page and "graphology=" in page  # both UMD builds inlined
    # Only the page's own inline scripts may run, and nothing may be fetched.
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 4
    for code in scripts:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_html_data_cannot_break_out(page, script_title):
    assert "<script>alert(1)" not in page
    block = DATA_BLOCK.search(page).group(1)
    assert not re.search(r"[<>&]", block)
    data = json.loads(block)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["paper:p1"] == script_title


def test_html_app_never_writes_markup():
    app = resources.files("paperkg.exports").joinpath("html_template.html").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", app)


def test_html_map_data_matches_graph(small_graph):
    data = map_data(small_graph)
    ids = [n["id"] for n in data["nodes"]]
    assert ids == sorted(small_graph)
    assert sorted((ids[u], ids[v]) for u, v in data["edges"]) == sorted(small_graph.edges)
    # Concepts are placed community by community, on the co-occurrence graph.
    pos = community_positions(cooccurrence_graph(ensure_structure(small_graph)))
    assert all((n["x"], n["y"]) == pos[n["id"]] for n in data["nodes"] if n["type"] != "paper")
    p1 = data["nodes"][ids.index("paper:p1")]
    assert [[ids[i], s, shared] for i, s, shared in p1["related"]] == [
        [r.paper, r.score, r.shared] for r in related(small_graph, "paper:p1")
    ]
    assert p1["related"][0][0] == ids.index("paper:p2")  # shares BERT and SQuAD
    bert = data["nodes"][ids.index("concept:bert")]
    assert bert["type"] == "method" and bert["count"] == 3
    assert bert["aliases"] == ["Bidirectional Encoder Representations"]
    assert [t[0] for t in data["types"]] == ["paper", "method", "dataset", "task"]


def test_html_bytes_identical_across_runs(small_graph, tmp_path):
    a = export(small_graph, tmp_path / "a.html")
    layout._CACHE.clear()
    b = export(small_graph, tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
