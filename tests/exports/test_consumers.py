"""Every export read by the real tools that consume it.

* graphology-gexf and graphology-graphml (the parsers Gephi Lite uses) read GEXF and GraphML;
* python-igraph reads GraphML;
* rdflib and pyoxigraph parse every RDF serialization;
* headless Chromium opens the HTML map, searches, clicks, and takes a screenshot.

The JavaScript side lives in ``tests/exports/js`` (``npm ci --prefix tests/exports/js``);
Chromium is the system one (Debian ``chromium``), driven by playwright-core, which never
downloads a browser. Each test skips, saying what is missing, when its tool is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from paperkg.exports import export
from paperkg.graph.cooccurrence import cooccurrence_graph

JS = Path(__file__).parent / "js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _node(*packages: str) -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (needs Node.js >= 18)")
    missing = [p for p in packages if not (JS / "node_modules" / p).is_dir()]
    if missing:
        pytest.skip(f"npm packages {missing} missing: run `npm ci --prefix tests/exports/js`")
    return node


def _run_js(node: str, script: str, *args: str, timeout: int = 60) -> object:
    done = subprocess.run(
        [node, str(JS / script), *args], capture_output=True, text=True, timeout=timeout, cwd=JS
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture
def gephi_files(small_graph, tmp_path) -> dict[str, Path]:
    return {
        name: export(small_graph, tmp_path / f"g.{name.replace('-', '.')}")
        for name in ("gexf", "cooccurrence-gexf", "graphml", "cooccurrence-graphml")
    }


def test_graphology_parses_gexf_and_graphml(small_graph, gephi_files, script_title):
    node = _node("graphology", "graphology-gexf", "graphology-graphml")
    args = []
    for name, path in gephi_files.items():
        args += ["gexf" if name.endswith("gexf") else "graphml", str(path)]
    parsed = dict(zip(gephi_files, _run_js(node, "parse.js", *args)))
    C = cooccurrence_graph(small_graph)
    for name, g in parsed.items():
        whole = not name.startswith("cooccurrence")
        assert g["type"] == ("directed" if whole else "undirected"), name
        assert (g["order"], g["size"]) == (
            (small_graph.number_of_nodes(), small_graph.number_of_edges())
            if whole
            else (C.number_of_nodes(), C.number_of_edges())
        ), name
        nodes = {n["key"]: n["attributes"] for n in g["nodes"]}
        assert nodes["concept:bert"]["paper_count"] == 3, name  # typed, not "3"
        assert nodes["concept:bert"]["label"] == "BERT" and nodes["concept:bert"]["type"] == "method"
        if whole:
            assert nodes["paper:p1"]["label"] == script_title, name
            edge = next(e for e in g["edges"] if e["target"] == "concept:squad"
                        and e["source"] == "paper:p1")["attributes"]
            assert edge["mentions"] == 2 and edge["offset_start"] == 17, name
        else:
            weights = {(e["source"], e["target"]): e["attributes"]["weight"] for e in g["edges"]}
            assert weights[("concept:bert", "concept:squad")] == 2, name
        if name == "cooccurrence-graphml":  # unique key ids: the graph keeps its attributes
            assert g["attributes"]["kind"] == "cooccurrence" and nodes["concept:bert"]["kind"] == "concept"
        if name.endswith("gexf"):  # viz data becomes Gephi Lite's colour, size and position
            bert = nodes["concept:bert"]
            assert bert["color"] == "rgb(230,159,0)" and bert["size"] > 0
            assert isinstance(bert["x"], (int, float)) and isinstance(bert["y"], (int, float))


@pytest.mark.parametrize("name", ["graphml", "cooccurrence-graphml"])
def test_igraph_reads_graphml(small_graph, gephi_files, name, script_title):
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(gephi_files[name]))
    if name == "graphml":
        assert g.is_directed()
        assert (g.vcount(), g.ecount()) == (len(small_graph), small_graph.number_of_edges())
        assert script_title in g.vs["label"]
    else:
        C = cooccurrence_graph(small_graph)
        assert not g.is_directed() and (g.vcount(), g.ecount()) == (len(C), C.number_of_edges())
        assert sorted(g.es["weight"]) == sorted(float(w) for *_, w in C.edges(data="weight"))
    bert = g.vs.find(id="concept:bert")
    assert bert["paper_count"] == 3 and bert["type"] == "method"


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "oxigraph_format"),
    [
        ("turtle", "turtle", "TURTLE"),
        ("ntriples", "nt", "N_TRIPLES"),
        ("jsonld", "json-ld", "JSON_LD"),
        ("rdfxml", "xml", "RDF_XML"),
    ],
)
def test_rdflib_and_pyoxigraph_parse_rdf(small_graph, tmp_path, fmt, rdflib_format, oxigraph_format):
    import rdflib

    pyoxigraph = pytest.importorskip("pyoxigraph")
    path = export(small_graph, tmp_path / "g", format=fmt)
    g = rdflib.Graph().parse(path, format=rdflib_format)
    quads = list(pyoxigraph.parse(path=path, format=getattr(pyoxigraph.RdfFormat, oxigraph_format)))
    assert len(g) > 0 and len(quads) == len(g)
    titles = {str(o) for o in g.objects(None, rdflib.DCTERMS.title)}
    assert "BERT and GPT-2 on SQuAD" in titles
    ox_literals = {q.object.value for q in quads if isinstance(q.object, pyoxigraph.Literal)}
    assert titles <= ox_literals


def test_html_map_in_chromium(small_graph, tmp_path, script_title):
    node = _node("playwright-core")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM)")
    page = export(small_graph, tmp_path / "map.html")
    shot = tmp_path / "map.png"
    config = {
        "page": str(page), "screenshot": str(shot), "search": "squad", "pick": "paper:p2",
        "click": "concept:bert", "final": "paper:p1",
    }
    r = _run_js(node, "browse.js", json.dumps(config), timeout=120)
    # Nothing injected ran, nothing failed, nothing was fetched.
    assert r["dialogs"] == [] and r["injected"] is False
    assert r["errors"] == [] and r["console"] == [] and r["requests"] == []
    assert r["scripts"] == 5
    assert r["summary"] == "4 papers, 7 concepts, 10 links"
    # The search found the paper and the dataset; picking the paper listed its concepts
    # and its related papers, best first.
    steps = r["steps"]
    assert steps["results"] == ["concept:squad", "paper:p2"]  # titles and names, not abstracts
    assert steps["picked"] == "paper:p2" and steps["pickedTitle"] == "BERT and GPT-2 on SQuAD"
    lists = {s["id"]: s["items"] for s in steps["lists"]}
    assert sorted(lists["concepts"]) == sorted(small_graph.successors("paper:p2"))
    assert lists["related"] == ["paper:p1", "paper:p3"]
    # A click on a concept's node on the canvas lists its papers.
    assert r["webgl"], r["notice"]
    assert steps["clicked"] == "concept:bert" and steps["clickedTitle"] == "BERT"
    assert {s["id"]: s["items"] for s in steps["clickedLists"]} == {
        "papers": ["paper:p1", "paper:p2", "paper:p3"]
    }
    # Links only to http(s); the hostile title shows as text, exactly.
    assert steps["links"] == [
        ["link", "https://example.org/p2"], ["code", "https://github.com/example/repo"]
    ]
    assert steps["finalTitle"] == script_title and steps["finalLinks"] == []  # javascript:
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
