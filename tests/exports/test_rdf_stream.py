"""The streamed RDF files (no rdflib graph) hold exactly the triples of to_rdf(G).

Turtle and N-Triples are written by pyoxigraph, RDF/XML and JSON-LD by
paperkg.exports.rdf_xml and rdf_jsonld, straight from paperkg.exports.rdf_triples; :func:`to_rdf` builds an rdflib graph of the
same triples. Each file is read back by rdflib and pyoxigraph and compared as a set, on the
hand-made graphs, the rule-built corpus, the seeds build (slow) and a graph of awkward text:
quotes, line breaks, U+2028, non-BMP characters, a lone surrogate, ids and keys that need
percent-encoding, empty strings, repeated list values.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef

from paperkg.exports import export
from paperkg.exports.flatten import xml_text
from paperkg.exports.rdf import to_rdf
from paperkg.exports.rdf_triples import rdf_triples
from paperkg.exports.vocab import PKG, concept_iri, evidence_iri, paper_iri
from paperkg.graph.schema import CONCEPT, PAPER, concept_node_id, paper_node_id

#: Format name → (rdflib parser, pyoxigraph format) of the streamed RDF files.
STREAMED = {
    "turtle": ("turtle", pyoxigraph.RdfFormat.TURTLE),
    "ntriples": ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
    "rdfxml": ("xml", pyoxigraph.RdfFormat.RDF_XML),
    "jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD),
}

AWKWARD_TITLE = 'A "quoted" \'title\'\nwith\r\nbreaks\u2028LS\u0085NEL \\ 𝔅ERT 😀 <b> & \ud800 end'
AWKWARD_IDS = ("we/ird id#1?%20", "ünï 東京 \u2028", "")


def make_awkward_graph(order: int = 1) -> nx.DiGraph:
    """A graph whose every text field is awkward; ``order=-1`` adds nodes and edges reversed."""
    nodes, edges = [], []
    for i, pid in enumerate(AWKWARD_IDS):
        nodes.append((paper_node_id(pid), dict(
            kind=PAPER, label=AWKWARD_TITLE, title=AWKWARD_TITLE + str(i),
            abstract="" if i == 1 else "Uses BERT 𝔅 on a/b#c.\u2029End.",
            date=("Mar 11", "2024-02-29", "٢٠٢٤")[i], url="https://example.org/a b?q=ü#x#y",
            sources=("f.txt:1", "f.txt:1", 'q"uote.txt:2'), code_urls=("https://github.com/\x01bad",),
            authors=("Ann Zed", "Ann Zed", "Bö 東"), venue="", categories=("cs.CL",),
            ids=(f"doi:10.1000/{i}<x>", "arxiv:hep-th/9901001", "s2corpus:7"),
        )))
    for key, type_ in (("a/b#c", "METHOD"), ("BERT", "METHOD"), ("𝔅 set", "DATASET")):
        nodes.append((concept_node_id(key), dict(
            kind=CONCEPT, type=type_, label=key + '"\n', key=key,
            aliases=(key, key.lower(), "\ud800"), paper_count=2, type_counts={type_: 2},
        )))
    for pid in AWKWARD_IDS:
        for key in ("a/b#c", "BERT", "𝔅 set"):
            edges.append((paper_node_id(pid), concept_node_id(key), dict(
                mentions=2, evidence="" if key == "BERT" else AWKWARD_TITLE, field="abstract",
                start=0, end=3, surface="BER", score=0.1 + 0.2,
            )))
    G = nx.DiGraph()
    G.add_nodes_from(nodes[::order])
    G.add_edges_from(edges[::order])
    return G


@pytest.fixture(scope="module")
def awkward_graph() -> nx.DiGraph:
    return make_awkward_graph()


def _assert_same_triples(G: nx.DiGraph, folder) -> None:
    expected = to_rdf(G)
    for name, (parser, ox_format) in STREAMED.items():
        path = export(G, folder / f"g.{name}", format=name)
        assert set(Graph().parse(path, format=parser)) == set(expected), name
        parsed = [q.triple for q in pyoxigraph.parse(path=str(path), format=ox_format)]
        assert len(parsed) == len(set(parsed)) == len(expected), name
        assert set(parsed) == set(rdf_triples(G)), name


def test_rdf_stream_awkward_graph_same_triples_as_to_rdf(awkward_graph, tmp_path):
    _assert_same_triples(awkward_graph, tmp_path)


def test_rdf_stream_hand_made_and_corpus_graphs_same_triples_as_to_rdf(
    small_graph, corpus_graph, tmp_path
):
    for i, G in enumerate((small_graph, corpus_graph)):
        (tmp_path / str(i)).mkdir()
        _assert_same_triples(G, tmp_path / str(i))


@pytest.mark.slow
def test_rdf_stream_seeds_graph_same_triples_as_to_rdf(seeds_build, tmp_path):
    _assert_same_triples(seeds_build[1], tmp_path)


@pytest.mark.parametrize("name", sorted(STREAMED))
def test_rdf_stream_awkward_text_kept_exactly(awkward_graph, tmp_path, name):
    """What XML can carry survives as given; IRIs are percent-encoded; empty text stays."""
    parser, _ = STREAMED[name]
    g = Graph().parse(export(awkward_graph, tmp_path / f"g.{name}", format=name), format=parser)
    pid = AWKWARD_IDS[0]
    title = g.value(paper_iri(pid), URIRef("http://purl.org/dc/terms/title"))
    assert str(title) == AWKWARD_TITLE.replace("\ud800", "") + "0"
    assert "\r\n" in str(title) and "😀" in str(title) and "\u2028" in str(title)
    assert str(paper_iri(pid)).endswith("/paper/we%2Fird%20id%231%3F%2520")
    assert (paper_iri(pid), PKG.mentions, concept_iri("a/b#c")) in g
    assert g.value(evidence_iri(pid, "BERT"), URIRef("http://www.w3.org/ns/prov#value")) == Literal("")
    assert (paper_iri(""), URIRef("http://purl.org/dc/terms/identifier"), Literal("")) in g
    dates = sorted(str(d.datatype) for d in g.objects(None, URIRef("http://purl.org/dc/terms/date")))
    assert dates == ["None", "None", "http://www.w3.org/2001/XMLSchema#date"]  # ٢٠٢٤ is no xsd:gYear
    assert xml_text(AWKWARD_TITLE) != AWKWARD_TITLE  # the lone surrogate was there to drop


def test_rdf_stream_subjects_consecutive_and_triples_unique(awkward_graph):
    triples = list(rdf_triples(awkward_graph))
    runs = [s for s, _ in itertools.groupby(t.subject for t in triples)]
    assert len(runs) == len(set(runs))
    assert len(triples) == len(set(triples)) == len(to_rdf(awkward_graph))


@pytest.mark.parametrize("name", sorted(STREAMED))
def test_rdf_stream_bytes_depend_only_on_the_graph(tmp_path, name):
    """Same graph, nodes and edges inserted in the opposite order: byte-identical files."""
    one = export(make_awkward_graph(1), tmp_path / f"1.{name}", format=name)
    two = export(make_awkward_graph(-1), tmp_path / f"2.{name}", format=name)
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize("name", sorted(STREAMED))
def test_rdf_stream_files_never_build_an_rdflib_graph(small_graph, tmp_path, monkeypatch, name):
    import paperkg.exports.rdf as rdf

    def no_graph(*args, **kwargs):
        raise AssertionError("the file export built an rdflib Graph")

    monkeypatch.setattr(rdf, "Graph", no_graph)
    with pytest.raises(AssertionError):
        rdf.to_rdf(small_graph)
    path = export(small_graph, tmp_path / f"g.{name}", format=name)
    assert len(Graph().parse(path, format=STREAMED[name][0])) > 100


def test_rdf_stream_turtle_is_readable(small_graph, tmp_path):
    text = export(small_graph, tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "@prefix pkg: <https://w3id.org/paperkg/vocab#> ." in text
    assert "<https://w3id.org/paperkg/id/paper/p1> a pkg:Paper ;" in text
