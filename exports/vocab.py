"""paperkg's RDF vocabulary and the one place where IRIs are minted.

Namespace ``https://w3id.org/paperkg/vocab#`` (prefix ``pkg``):

=====================  ==============================================================
``pkg:Paper``          a paper (title and abstract with ``dcterms:``)
``pkg:Concept``        a concept (a ``skos:Concept``); subclasses below
``pkg:Method``         a method, model, algorithm or technique
``pkg:Dataset``        a dataset, benchmark or data source
``pkg:Task``           a task, problem or application
``pkg:mentions``       paper → concept it names
``pkg:Evidence``       a ``prov:Entity``: where a paper mentions a concept
``pkg:paper``          evidence → paper
``pkg:concept``        evidence → concept
``pkg:mentionCount``   number of mentions of the concept in the paper
``pkg:field``          "title" or "abstract": where the first mention is
``pkg:startOffset``    character offset of the first mention in that field
``pkg:endOffset``      its end offset
``pkg:score``          the extractor's best confidence for the mention
``pkg:paperCount``     number of papers mentioning a concept
``pkg:conceptKey``     a concept's canonical key
``pkg:codeRepository`` a code-repository URL found in a paper's abstract
=====================  ==============================================================

Reused terms: ``dcterms:title``, ``dcterms:abstract``, ``dcterms:identifier``,
``dcterms:source`` (the input file and line), ``dcterms:date`` (the page date),
``skos:prefLabel`` / ``skos:altLabel`` (concept label and aliases), ``prov:value``
(the evidence sentence) and ``prov:wasDerivedFrom`` (evidence → paper).

Resources live under ``https://w3id.org/paperkg/id/``: ``paper/<id>``,
``concept/<key>`` and ``evidence/<paper id>/<concept key>``, with every character
outside the URI-unreserved set percent-encoded, so any title or label gives a valid IRI.

>>> concept_iri("graph neural network")
rdflib.term.URIRef('https://w3id.org/paperkg/id/concept/graph%20neural%20network')
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

__all__ = ["ID", "PKG", "concept_iri", "evidence_iri", "paper_iri"]

#: Base of every resource IRI paperkg mints.
ID = Namespace("https://w3id.org/paperkg/id/")


class PKG(DefinedNamespace):
    """paperkg's closed vocabulary: a typo in a term name fails loudly."""

    _NS = Namespace("https://w3id.org/paperkg/vocab#")
    _fail = True

    Paper: URIRef
    Concept: URIRef
    Method: URIRef
    Dataset: URIRef
    Task: URIRef
    Evidence: URIRef
    mentions: URIRef
    paper: URIRef
    concept: URIRef
    mentionCount: URIRef
    field: URIRef
    startOffset: URIRef
    endOffset: URIRef
    score: URIRef
    paperCount: URIRef
    conceptKey: URIRef
    codeRepository: URIRef


def _segment(text: str) -> str:
    return quote(text, safe="")


def paper_iri(paper_id: str) -> URIRef:
    """Return the IRI of a paper, from its id."""
    return ID["paper/" + _segment(paper_id)]


def concept_iri(key: str) -> URIRef:
    """Return the IRI of a concept, from its canonical key."""
    return ID["concept/" + _segment(key)]


def evidence_iri(paper_id: str, key: str) -> URIRef:
    """Return the IRI of the evidence that a paper mentions a concept."""
    return ID["evidence/" + _segment(paper_id) + "/" + _segment(key)]
