"""RDF exports of the paper–concept graph (Turtle, N-Triples, JSON-LD, RDF/XML).

The vocabulary and IRIs are defined in :mod:`paperkg.exports.vocab`. Three SPARQL examples,
run by the tests against an export, are in :data:`SPARQL_EXAMPLES`.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from paperkg.exports.flatten import xml_text
from paperkg.exports.vocab import PKG, concept_iri, evidence_iri, paper_iri
from paperkg.graph.schema import CONCEPT_PREFIX, PAPER_PREFIX, concept_nodes, paper_nodes

__all__ = [
    "SPARQL_EXAMPLES",
    "to_rdf",
    "write_jsonld",
    "write_ntriples",
    "write_rdfxml",
    "write_turtle",
]

_CLASS = {"METHOD": PKG.Method, "DATASET": PKG.Dataset, "TASK": PKG.Task}

#: SPARQL examples over an export: name → query text (documented in the README).
SPARQL_EXAMPLES: dict[str, str] = {
    "shared-concepts": """
PREFIX pkg: <https://w3id.org/paperkg/vocab#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# Concepts shared by two papers, named by title.
SELECT ?label ?type WHERE {
  ?a dcterms:title ?titleA . ?b dcterms:title ?titleB .
  ?a pkg:mentions ?c . ?b pkg:mentions ?c .
  ?c skos:prefLabel ?label ; a ?type .
  FILTER (?type IN (pkg:Method, pkg:Dataset, pkg:Task))
} ORDER BY ?label""",
    "papers-for-concept": """
PREFIX pkg: <https://w3id.org/paperkg/vocab#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# Papers that mention a concept, found by its label or any alias.
SELECT DISTINCT ?title WHERE {
  ?c skos:prefLabel|skos:altLabel ?name .
  FILTER (lcase(str(?name)) = lcase(str(?concept)))
  ?p pkg:mentions ?c ; dcterms:title ?title .
} ORDER BY ?title""",
    "top-datasets": """
PREFIX pkg: <https://w3id.org/paperkg/vocab#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# The datasets mentioned by the most papers.
SELECT ?label (COUNT(?p) AS ?papers) WHERE {
  ?c a pkg:Dataset ; skos:prefLabel ?label .
  ?p pkg:mentions ?c .
} GROUP BY ?c ?label ORDER BY DESC(?papers) ?label LIMIT 10""",
}


def _text(value: str) -> Literal:
    """A plain literal that every serialization, RDF/XML included, can carry."""
    return Literal(xml_text(value))


def _vocabulary(g: Graph) -> None:
    for cls in (PKG.Method, PKG.Dataset, PKG.Task):
        g.add((cls, RDFS.subClassOf, PKG.Concept))
    g.add((PKG.Concept, RDFS.subClassOf, SKOS.Concept))
    g.add((PKG.Evidence, RDFS.subClassOf, PROV.Entity))


def to_rdf(G: nx.DiGraph) -> Graph:
    """Return the RDF graph of the paper–concept graph ``G``.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("paper:p1", kind="paper", title="T", abstract="A", date="", url="",
    ...            sources=("f.txt:1",), code_urls=())
    >>> G.add_node("concept:BERT", kind="concept", type="METHOD", label="BERT", key="BERT",
    ...            aliases=("BERT",), paper_count=1)
    >>> G.add_edge("paper:p1", "concept:BERT", mentions=1, evidence="s", field="title",
    ...            start=0, end=4, surface="BERT", score=1.0)
    >>> len(to_rdf(G).query("SELECT ?c WHERE { ?p <https://w3id.org/paperkg/vocab#mentions> ?c }"))
    1
    """
    g = Graph()
    g.bind("pkg", PKG._NS)
    g.bind("dcterms", DCTERMS)
    g.bind("skos", SKOS)
    g.bind("prov", PROV)
    _vocabulary(g)
    for node in paper_nodes(G):
        d = G.nodes[node]
        pid = node[len(PAPER_PREFIX) :]
        p = paper_iri(pid)
        g.add((p, RDF.type, PKG.Paper))
        g.add((p, DCTERMS.identifier, _text(pid)))
        g.add((p, DCTERMS.title, _text(d["title"])))
        if d.get("abstract"):
            g.add((p, DCTERMS.abstract, _text(d["abstract"])))
        if d.get("date"):
            g.add((p, DCTERMS.date, _text(d["date"])))
        for source in d.get("sources", ()):
            g.add((p, DCTERMS.source, _text(source)))
        for url in d.get("code_urls", ()):
            g.add((p, PKG.codeRepository, URIRef(url)))
        if d.get("url"):
            g.add((p, RDFS.seeAlso, URIRef(d["url"])))
    for node in concept_nodes(G):
        d = G.nodes[node]
        c = concept_iri(d["key"])
        g.add((c, RDF.type, _CLASS[d["type"]]))
        g.add((c, SKOS.prefLabel, _text(d["label"])))
        g.add((c, PKG.conceptKey, _text(d["key"])))
        g.add((c, PKG.paperCount, Literal(d["paper_count"], datatype=XSD.integer)))
        for alias in d.get("aliases", ()):
            if alias != d["label"]:
                g.add((c, SKOS.altLabel, _text(alias)))
    for u, v, e in G.edges(data=True):
        pid, key = u[len(PAPER_PREFIX) :], v[len(CONCEPT_PREFIX) :]
        p, c, ev = paper_iri(pid), concept_iri(key), evidence_iri(pid, key)
        g.add((p, PKG.mentions, c))
        g.add((ev, RDF.type, PKG.Evidence))
        g.add((ev, PKG.paper, p))
        g.add((ev, PROV.wasDerivedFrom, p))
        g.add((ev, PKG.concept, c))
        g.add((ev, PROV.value, _text(e["evidence"])))
        g.add((ev, PKG.mentionCount, Literal(e["mentions"], datatype=XSD.integer)))
        g.add((ev, PKG.field, _text(e["field"])))
        g.add((ev, PKG.startOffset, Literal(e["start"], datatype=XSD.integer)))
        g.add((ev, PKG.endOffset, Literal(e["end"], datatype=XSD.integer)))
        g.add((ev, PKG.score, Literal(e["score"], datatype=XSD.double)))
    return g


def _serialize(G: nx.DiGraph, path: Path, fmt: str) -> None:
    text = to_rdf(G).serialize(format=fmt, encoding="utf-8")
    if fmt == "nt":  # rdflib writes N-Triples in store order: sort for stable bytes
        lines = sorted(line for line in text.decode("utf-8").splitlines() if line.strip())
        text = ("\n".join(lines) + "\n").encode("utf-8")
    Path(path).write_bytes(text)


def write_turtle(G: nx.DiGraph, path: Path) -> None:
    """Write ``G`` as RDF in Turtle."""
    _serialize(G, path, "turtle")


def write_ntriples(G: nx.DiGraph, path: Path) -> None:
    """Write ``G`` as RDF in N-Triples (lines sorted)."""
    _serialize(G, path, "nt")


def write_jsonld(G: nx.DiGraph, path: Path) -> None:
    """Write ``G`` as RDF in JSON-LD."""
    _serialize(G, path, "json-ld")


def write_rdfxml(G: nx.DiGraph, path: Path) -> None:
    """Write ``G`` as RDF/XML."""
    _serialize(G, path, "pretty-xml")
