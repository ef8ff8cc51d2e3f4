"""RDF exports parse back isomorphic; the SPARQL examples agree with the Python queries."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from paperkg.exports import export
from paperkg.exports.rdf import SPARQL_EXAMPLES, to_rdf
from paperkg.exports.vocab import concept_iri, paper_iri
from paperkg.graph.queries import papers_for, shared_concepts, top_concepts

RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.mark.parametrize("name, parser", sorted(RDF_FORMATS.items()))
def test_rdf_every_serialization_parses_back_isomorphic(corpus_graph, tmp_path, name, parser):
    path = export(corpus_graph, tmp_path / f"g.{name}", format=name)
    parsed = Graph().parse(path, format=parser)
    assert isomorphic(parsed, to_rdf(corpus_graph))


@pytest.mark.parametrize(
    "text", ["graph neural network", "a/b?c#d", "<script>", "naïve Bayes", "50% dropout", ""]
)
def test_rdf_iris_are_valid_for_any_label(text):
    from rdflib.term import _is_valid_uri

    assert _is_valid_uri(concept_iri(text)) and _is_valid_uri(paper_iri(text))
    assert concept_iri(text) != concept_iri(text + "x")


def test_rdf_sparql_shared_concepts_matches_python(corpus_graph):
    g = to_rdf(corpus_graph)
    rows = g.query(
        SPARQL_EXAMPLES["shared-concepts"],
        initBindings={"titleA": Literal("BERT for Question Answering"), "titleB": Literal("Distilling BERT")},
    )
    from_sparql = sorted(str(r.label) for r in rows)
    python = sorted(s.label for items in shared_concepts(corpus_graph, ["a", "b"]).values() for s in items)
    assert from_sparql == python and len(python) == 3


def test_rdf_sparql_papers_for_concept_matches_python(corpus_graph):
    g = to_rdf(corpus_graph)
    for name in ("imagenet", "ImageNets", "Question-Answering"):
        rows = g.query(SPARQL_EXAMPLES["papers-for-concept"], initBindings={"concept": Literal(name)})
        from_sparql = [(str(r.id), str(r.title)) for r in rows]
        python = sorted(
            {(e.paper.removeprefix("paper:"), e.title) for item in papers_for(corpus_graph, name)
             for e in item.papers}
        )
        assert from_sparql == python and len(python) == 2, name


def test_rdf_sparql_top_datasets_matches_python(corpus_graph):
    rows = to_rdf(corpus_graph).query(SPARQL_EXAMPLES["top-datasets"])
    from_sparql = [(str(r.label), int(r.papers)) for r in rows]
    python = [(c.label, c.count) for c in top_concepts(corpus_graph, type="DATASET")["DATASET"]]
    assert from_sparql == python
