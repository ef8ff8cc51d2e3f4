"""Bibliographic metadata read from the sources reaches the graph and every export:
authors, venue, categories and identifiers as paper attributes, flat strings in
GraphML / GEXF, and ``dcterms:`` terms with typed dates and identifier links in RDF."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, XSD

from paperkg.api import graph_from_papers
from paperkg.exports import export
from paperkg.exports.vocab import paper_iri
from paperkg.extract.ner.pipeline import load_pipeline
from paperkg.extract.read.readers import read_papers
from paperkg.graph.store import load_graph, save_graph

SAME = Path(__file__).parent / "fixtures" / "same"
BERT = "doi:10.18653/v1/n19-1423"


@pytest.fixture(scope="module")
def graph(rule_model):
    return graph_from_papers(read_papers([SAME]), load_pipeline(rule_model))


def test_readers_metadata_paper_attributes(graph, tmp_path):
    node = graph.nodes["paper:" + BERT]
    assert node["authors"] == ("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova")
    assert node["date"] == "2018-10-11"
    assert node["venue"] == "NAACL-HLT 2019" and "cs.CL" in node["categories"]
    assert node["ids"][:2] == (BERT, "arxiv:1810.04805")
    assert sorted(s.split(":")[0] for s in node["sources"]) == sorted(p.name for p in SAME.iterdir())
    save_graph(graph, tmp_path / "graph.json")
    assert load_graph(tmp_path / "graph.json").nodes["paper:" + BERT]["ids"] == node["ids"]


def test_readers_metadata_graphml_holds_flat_strings(graph, tmp_path):
    path = export(graph, tmp_path / "g.graphml", format="graphml")
    H = nx.read_graphml(path)
    node = next(d for _, d in H.nodes(data=True) if d.get("paperkg_id") == "paper:" + BERT)
    assert node["authors"] == "Jacob Devlin | Ming-Wei Chang | Kenton Lee | Kristina Toutanova"
    assert node["ids"].startswith(BERT + " | arxiv:1810.04805")
    assert node["venue"] == "NAACL-HLT 2019"


def test_readers_metadata_rdf_terms_and_links(graph, tmp_path):
    path = export(graph, tmp_path / "g.ttl", format="turtle")
    g = Graph().parse(path, format="turtle")
    p = paper_iri(BERT)
    assert {str(o) for o in g.objects(p, DCTERMS.creator)} == {
        "Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"}
    assert Literal("2018-10-11", datatype=XSD.date) in set(g.objects(p, DCTERMS.date))
    assert {Literal(BERT), Literal("arxiv:1810.04805")} <= set(g.objects(p, DCTERMS.identifier))
    assert (p, OWL.sameAs, URIRef("https://doi.org/10.18653/v1/n19-1423")) in g
    assert (p, RDFS.seeAlso, URIRef("https://arxiv.org/abs/1810.04805")) in g
    assert (p, RDFS.seeAlso, URIRef("https://openalex.org/W2896457183")) in g
    assert Literal("NAACL-HLT 2019") in set(g.objects(p, DCTERMS.bibliographicCitation))
    assert Literal("cs.CL") in set(g.objects(p, DCTERMS.subject))


def test_readers_metadata_gexf_holds_flat_strings(graph, tmp_path):
    path = export(graph, tmp_path / "g.gexf", format="gexf")
    H = nx.read_gexf(path)
    node = next(d for _, d in H.nodes(data=True) if d.get("paperkg_id") == "paper:" + BERT)
    assert node["authors"] == "Jacob Devlin | Ming-Wei Chang | Kenton Lee | Kristina Toutanova"
    assert node["categories"].startswith("cs.CL")
