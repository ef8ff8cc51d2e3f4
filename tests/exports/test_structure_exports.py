"""Communities and centralities in every export: GraphML/GEXF/CSV/Neo4j attributes, RDF
communities, colouring by community (GEXF, PNG), and the VOSviewer files.

The graph is the hand-made one of tests/exports/conftest.py, with its structure computed:
concepts BERT, SQuAD, GPT-2 and question answering (papers p1, p2) form one community,
graph neural network, Cora and node classification (p3) the other; BERT is the bridge.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from paperkg.errors import InputError
from paperkg.exports import FORMATS, export
from paperkg.exports.gexf import read_gexf
from paperkg.exports.palette import COMMUNITY_OTHER, community_color
from paperkg.exports.vosviewer import MAP_COLUMNS
from paperkg.graph.structure import annotate_structure

from test_consumers import _node, _run_js

NEW_NODE_ATTRS = ("community", "pagerank", "links", "link_strength", "betweenness")


@pytest.fixture
def structured(small_graph) -> nx.DiGraph:
    return annotate_structure(small_graph)


def test_structure_of_the_small_graph(structured):
    com = {n: d["community"] for n, d in structured.nodes(data=True)}
    assert com["concept:bert"] == com["concept:squad"] == com["concept:gpt-2"] == 1
    assert com["concept:gnn"] == com["concept:cora"] == com["concept:node classification"] == 2
    assert (com["paper:p1"], com["paper:p3"], com["paper:p4"]) == (1, 2, 0)


def test_graphml_attributes_read_by_networkx_and_igraph(structured, tmp_path):
    igraph = pytest.importorskip("igraph")
    path = export(structured, tmp_path / "g.graphml")
    H = nx.read_graphml(path)
    bert = H.nodes["concept:bert"]
    assert bert["community"] == 1 and bert["links"] == 6 and bert["link_strength"] == 7
    assert bert["betweenness"] == structured.nodes["concept:bert"]["betweenness"] > 0
    assert H.nodes["paper:p4"]["community"] == 0 and isinstance(H.nodes["paper:p4"]["pagerank"], float)
    assert "communities" not in H.graph  # the summary is not a GraphML value
    g = igraph.Graph.Read_GraphML(str(path))
    by_id = {v["paperkg_id"]: v for v in g.vs}
    assert by_id["concept:cora"]["community"] == 2
    assert by_id["concept:bert"]["pagerank"] == pytest.approx(structured.nodes["concept:bert"]["pagerank"])
    C = nx.read_graphml(export(structured, tmp_path / "g.cooccurrence.graphml"))
    assert all(set(NEW_NODE_ATTRS) <= set(d) for _, d in C.nodes(data=True))


def test_graphology_reads_the_new_attributes(structured, tmp_path):
    node = _node("graphology", "graphology-gexf", "graphology-graphml")
    files = [("graphml", export(structured, tmp_path / "g.graphml")),
             ("gexf", export(structured, tmp_path / "g.gexf", color="community")),
             ("gexf", export(structured, tmp_path / "g.cooccurrence.gexf"))]
    args = [a for kind, path in files for a in (kind, str(path))]
    for g in _run_js(node, "parse.js", *args):
        nodes = {n["key"]: n["attributes"] for n in g["nodes"]}
        assert nodes["concept:bert"]["community"] == 1  # a number, not "1"
        assert nodes["concept:gnn"]["community"] == 2
        assert nodes["concept:bert"]["betweenness"] > nodes["concept:squad"]["betweenness"]


def test_gexf_coloured_by_community(structured, tmp_path):
    by_type = read_gexf(export(structured, tmp_path / "t.gexf"))
    by_community = read_gexf(export(structured, tmp_path / "c.gexf", color="community"))
    assert by_type.nodes["concept:bert"]["viz"]["color"] == "#E69F00"  # type stays the default
    for n, d in by_community.nodes(data=True):
        want = community_color(d["community"])
        assert d["viz"]["color"] == want, n
    assert by_community.nodes["paper:p4"]["viz"]["color"] == COMMUNITY_OTHER
    C = read_gexf(export(structured, tmp_path / "c.cooccurrence.gexf", color="community"))
    assert C.nodes["concept:cora"]["viz"]["color"] == community_color(2)


def test_colour_by_community_computes_missing_structure(small_graph, tmp_path):
    G = small_graph  # as saved by an older paperkg: no communities
    H = read_gexf(export(G, tmp_path / "c.gexf", color="community"))
    assert H.nodes["concept:bert"]["viz"]["color"] == community_color(1)
    assert "community" not in G.nodes["concept:bert"]  # the caller's graph is untouched


def test_png_coloured_by_community_has_a_legend(structured, tmp_path):
    pytest.importorskip("matplotlib")
    from PIL import Image

    a = export(structured, tmp_path / "a.png", color="community")
    b = export(structured, tmp_path / "b.png", color="community")
    t = export(structured, tmp_path / "t.png")
    assert a.read_bytes() == b.read_bytes() != t.read_bytes()
    pixels = set(Image.open(a).convert("RGB").get_flattened_data() if hasattr(Image.Image, "get_flattened_data") else Image.open(a).convert("RGB").getdata())
    for cid in (1, 2):
        rgb = tuple(int(community_color(cid)[i:i + 2], 16) for i in (1, 3, 5))
        assert rgb in pixels


def test_export_option_refused_by_other_formats(structured, tmp_path):
    with pytest.raises(InputError, match="has no option 'color'.*gexf"):
        export(structured, tmp_path / "x.ttl", color="community")
    with pytest.raises(ValueError, match="unknown colouring"):
        export(structured, tmp_path / "x.gexf", color="rainbow")
    assert {f for f, fmt in FORMATS.items() if "color" in fmt.options} >= {"gexf", "cooccurrence-gexf", "png"}


def test_tables_carry_community_and_centrality(structured, tmp_path):
    folder = export(structured, tmp_path / "t-csv")
    rows = {r["Id"]: r for r in csv.DictReader(open(folder / "nodes.csv", encoding="utf-8"))}
    assert rows["concept:bert"]["community"] == "1" and float(rows["concept:bert"]["betweenness"]) > 0
    neo = export(structured, tmp_path / "t-neo4j")
    header = (neo / "concepts.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"community:int", "pagerank:double", "betweenness:double", "links:int"} <= set(header)
    header = (neo / "papers.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"community:int", "pagerank:double"} <= set(header) and "betweenness:double" not in header


def test_rdf_communities(structured, tmp_path):
    import rdflib

    g = rdflib.Graph().parse(export(structured, tmp_path / "g.ttl"))
    rows = sorted(
        (int(r.id), str(r.label), str(r.concept))
        for r in g.query("""
            PREFIX pkg: <https://w3id.org/paperkg/vocab#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?id ?label ?concept WHERE {
              ?com a pkg:Community ; rdfs:label ?label ; dcterms:identifier ?id .
              ?c pkg:inCommunity ?com ; a pkg:Concept ; skos:prefLabel ?concept .
            }""")
    )
    assert {c for i, _, c in rows if i == 2} == {"graph neural network", "Cora", "node classification"}
    assert rows[0][1] == structured.graph["communities"][0]["label"]
    papers = {str(r.p) for r in g.query(
        "PREFIX pkg: <https://w3id.org/paperkg/vocab#> "
        "SELECT ?p WHERE { ?p a pkg:Paper ; pkg:inCommunity ?c }")}
    assert len(papers) == 3  # p4 mentions nothing: no community


def test_rdf_without_structure_has_no_community(small_graph, tmp_path):
    import rdflib

    plain = rdflib.Graph().parse(export(small_graph, tmp_path / "plain.ttl"))
    pkg = rdflib.Namespace("https://w3id.org/paperkg/vocab#")
    assert not list(plain.triples((None, rdflib.RDF.type, pkg.Community)))
    assert not list(plain.triples((None, pkg.inCommunity, None)))


def _read_map(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_vosviewer_files_follow_the_manual(structured, tmp_path):
    structured.nodes["concept:cora"]["label"] = 'Cora; "v2", small'
    folder = export(structured, tmp_path / "g-vosviewer")
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["map.txt", "network.txt"]
    lines = (folder / "map.txt").read_text(encoding="utf-8").split("\n")
    assert lines[0].split("\t") == list(MAP_COLUMNS)
    assert lines[0] == ("id\tlabel\tx\ty\tcluster\tweight<Links>\tweight<Total link strength>"
                        "\tweight<Occurrences>")
    items = {r["label"]: r for r in _read_map(folder / "map.txt")}
    assert len(items) == 7
    assert items['Cora; "v2", small']["cluster"] == "2"  # quoted by the manual's rule
    bert = items["BERT"]
    assert (bert["cluster"], bert["weight<Links>"], bert["weight<Total link strength>"],
            bert["weight<Occurrences>"]) == ("1", "6", "7", "3")
    for r in items.values():
        float(r["x"]), float(r["y"])
        assert 1 <= int(r["cluster"]) <= 1000
    ids = {int(r["id"]) for r in items.values()}
    assert ids == set(range(1, 8))
    network = [line.split("\t") for line in (folder / "network.txt").read_text().splitlines()]
    assert all(len(cols) == 3 for cols in network)
    pairs = {(int(a), int(b)): int(w) for a, b, w in network}
    assert all(a < b and a in ids and b in ids for a, b in pairs)
    by_label = {r["label"]: int(r["id"]) for r in items.values()}
    assert pairs[(by_label["BERT"], by_label["SQuAD"])] == 2
    assert sum(pairs.values()) * 2 == sum(int(r["weight<Total link strength>"]) for r in items.values())


def test_vosviewer_json(structured, tmp_path):
    doc = json.loads(export(structured, tmp_path / "g.vosviewer.json").read_text(encoding="utf-8"))
    items = doc["network"]["items"]
    assert {"id", "label", "x", "y", "cluster", "weights"} <= set(items[0])
    bert = next(i for i in items if i["label"] == "BERT")
    assert bert["weights"] == {"Links": 6, "Total link strength": 7, "Occurrences": 3}
    assert bert["cluster"] == 1
    links = doc["network"]["links"]
    assert set(links[0]) == {"source_id", "target_id", "strength"}
    assert len(links) == 11  # the co-occurrence edges of the small graph
    assert [c["cluster"] for c in doc["network"]["clusters"]] == [1, 2]
    assert doc["config"]["terminology"]["items"] == "concepts"


def test_communities_separate_in_the_vosviewer_layout(tmp_path):
    # Two 6-concept groups joined by one paper: the groups' boxes do not overlap.
    G = nx.DiGraph(schema=1)
    for group in "ab":
        for i in range(6):
            G.add_node(f"concept:{group}{i}", kind="concept", type="METHOD", label=f"{group}{i}",
                       paper_count=2)
        for p in range(2):
            G.add_node(f"paper:{group}{p}", kind="paper", label="t")
            G.add_edges_from((f"paper:{group}{p}", f"concept:{group}{i}") for i in range(6))
    G.add_node("paper:bridge", kind="paper", label="t")
    G.add_edges_from([("paper:bridge", "concept:a0"), ("paper:bridge", "concept:b0")])
    items = json.loads(export(G, tmp_path / "g.vosviewer.json").read_text())["network"]["items"]
    box = {}
    for it in items:
        x0, x1, y0, y1 = box.get(it["cluster"], (9e9, -9e9, 9e9, -9e9))
        box[it["cluster"]] = (min(x0, it["x"]), max(x1, it["x"]), min(y0, it["y"]), max(y1, it["y"]))
    (a0, a1, ay0, ay1), (b0, b1, by0, by1) = box[1], box[2]
    assert a1 < b0 or b1 < a0 or ay1 < by0 or by1 < ay0


_SCRIPT = """
import sys, hashlib
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from conftest import make_small_graph
from paperkg.exports import export
from paperkg.graph.structure import annotate_structure
G = annotate_structure(make_small_graph())
out = Path(sys.argv[2])
for name in ("g.graphml", "g.gexf", "g.ttl", "g.vosviewer.json", "g.png", "g.html"):
    opts = {"color": "community"} if name.endswith(("gexf", "png", "html")) else {}
    export(G, out / name, **opts)
export(G, out / "g-vosviewer")
for p in sorted(out.rglob("*")):
    if p.is_file() and not p.name.startswith("."):
        print(p.relative_to(out), hashlib.sha256(p.read_bytes()).hexdigest())
"""


def test_structure_exports_identical_across_hash_seeds(tmp_path):
    pytest.importorskip("matplotlib")
    outs = []
    for seed in ("1", "777"):
        out = tmp_path / seed
        out.mkdir()
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", _SCRIPT, str(Path(__file__).parent), str(out)],
                              env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        outs.append(done.stdout)
    assert outs[0] == outs[1] and outs[0].count("\n") == 8
