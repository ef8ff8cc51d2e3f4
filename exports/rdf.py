"""RDF exports of the paper–concept graph (Turtle, N-Triples, JSON-LD, RDF/XML).

The vocabulary and IRIs are defined in :mod:`paperkg.exports.vocab`, the triples a graph
has in :mod:`paperkg.exports.rdf_triples`. Three SPARQL examples, run by the tests against
an export, are in :data:`SPARQL_EXAMPLES`.

The file exports never build an rdflib graph: Turtle and N-Triples stream the triples
into pyoxigraph's serializers (``pyoxigraph.serialize``), RDF/XML into
:mod:`paperkg.exports.rdf_xml` and JSON-LD into :mod:`paperkg.exports.rdf_jsonld`, so a
100,000-paper graph is written in seconds and in little memory. :func:`to_rdf` gives the
same triples as an :class:`rdflib.Graph` for Python users who want to query one.

Every serialization is valid by construction and byte-identical for the same graph,
whatever ``PYTHONHASHSEED``:

* IRIs come only from :mod:`paperkg.exports.vocab`: resource IRIs percent-encode their
  ids, and a link from the input (``url``, code repositories) becomes an IRI only through
  :func:`~paperkg.exports.vocab.web_iri`; a link that cannot be one is kept as a plain
  literal and logged as a warning (logger ``paperkg.exports``), never a crash;
* literals drop only the characters XML 1.0 cannot carry (the same text in every
  serialization, so all four parse to the same graph);
* every file follows the order of :func:`~paperkg.exports.rdf_triples.rdf_triples`
  (subjects in sorted node order): Turtle with the prefixes of :data:`PREFIXES`, RDF/XML
  with properties sorted, JSON-LD compact with an ``@context``, keys and values sorted.

Concepts are typed ``skos:Concept`` and ``pkg:Concept`` as well as their own class, and
carry as ``skos:hiddenLabel`` the lower-case, folded and plural forms that ``paperkg
papers`` matches (:func:`paperkg.graph.queries.name_forms`), so the SPARQL examples find
the same concepts as the CLI. ``dcterms:date`` is an ``xsd:date`` when the date names a
year ("2025-03-14", "Mar 14, 2025"); a page date without a year ("Mar 14") stays a
plain string.
"""

from __future__ import annotations

import io
import os

import networkx as nx
import pyoxigraph
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, XSD

from paperkg.exports.flatten import xml_text
from paperkg.exports.rdf_triples import Term, date_parts, rdf_triples
from paperkg.exports.rdf_jsonld import write_jsonld_stream
from paperkg.exports.rdf_xml import write_rdfxml_stream
from paperkg.exports.vocab import ID, PKG

__all__ = [
    "JSONLD_CONTEXT",
    "PREFIXES",
    "SPARQL_EXAMPLES",
    "date_literal",
    "jsonld_bytes",
    "ntriples_bytes",
    "rdfxml_bytes",
    "to_rdf",
    "write_jsonld",
    "write_ntriples",
    "write_rdfxml",
    "write_turtle",
]

#: Prefixes bound in every serialization (and the JSON-LD ``@context``).
PREFIXES: dict[str, str] = {
    "pkg": str(PKG._NS),
    "id": str(ID),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
}
#: The JSON-LD context: the prefixes above.
JSONLD_CONTEXT: dict[str, str] = dict(sorted(PREFIXES.items()))
#: Turtle's prefixes: resources keep full IRIs (``id:paper\/p1`` helps no reader).
_TURTLE_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}

#: Separators ``paperkg papers`` ignores in a name (SPARQL regex, same as graph.queries).
_SEPARATORS = "[\\\\s_/‐‑‒–—-]+"

#: SPARQL examples over an export: name → query text (documented in the README).
SPARQL_EXAMPLES: dict[str, str] = {
    "shared-concepts": """
PREFIX pkg: <https://w3id.org/paperkg/vocab#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# Concepts shared by two papers, named by title (bind ?titleA and ?titleB).
SELECT ?label ?type WHERE {
  ?a dcterms:title ?titleA . ?b dcterms:title ?titleB .
  ?a pkg:mentions ?c . ?b pkg:mentions ?c .
  ?c skos:prefLabel ?label ; pkg:conceptKey ?key ; a ?type .
  FILTER (?type IN (pkg:Method, pkg:Dataset, pkg:Task))
} ORDER BY lcase(str(?label)) ?key""",
    "papers-for-concept": f"""
PREFIX pkg: <https://w3id.org/paperkg/vocab#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# Papers that mention a concept, by its label, an alias or their lower-case singular and
# plural forms (skos:hiddenLabel), ignoring case, hyphens and spaces (bind ?concept).
SELECT DISTINCT ?id ?title WHERE {{
  BIND (replace(lcase(str(?concept)), "{_SEPARATORS}", " ") AS ?form)
  ?c skos:prefLabel|skos:altLabel|skos:hiddenLabel ?form .
  ?p pkg:mentions ?c ; dcterms:identifier ?id ; dcterms:title ?title .
}} ORDER BY ?id""",
    "top-datasets": """
PREFIX pkg: <https://w3id.org/paperkg/vocab#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# The datasets mentioned by the most papers; ties by label, then key (as `paperkg top`).
SELECT ?label (COUNT(?p) AS ?papers) WHERE {
  ?c a pkg:Dataset ; skos:prefLabel ?label ; pkg:conceptKey ?key .
  ?p pkg:mentions ?c .
} GROUP BY ?c ?label ?key ORDER BY DESC(?papers) lcase(str(?label)) ?key LIMIT 10""",
}


def date_literal(text: str) -> Literal:
    """Return a date as an ``xsd:date`` literal when it names a year, else as plain text.

    Examples
    --------
    >>> date_literal("Mar 14, 2025").n3(), date_literal("2024-02-29").n3()
    ('"2025-03-14"^^<http://www.w3.org/2001/XMLSchema#date>', '"2024-02-29"^^<http://www.w3.org/2001/XMLSchema#date>')
    >>> date_literal("Mar 14").n3(), date_literal("2023-02-30").n3()
    ('"Mar 14"', '"2023-02-30"')
    >>> date_literal("2019-06").n3(), date_literal("2019").n3()
    ('"2019-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>', '"2019"^^<http://www.w3.org/2001/XMLSchema#gYear>')
    """
    lexical, datatype = date_parts(text)
    if datatype is None:
        return Literal(xml_text(lexical))
    return Literal(lexical, datatype=URIRef(datatype))


_XSD_STRING = str(XSD.string)


def _rdflib_term(term: Term, vocabulary: dict[str, URIRef]) -> URIRef | Literal:
    """The rdflib term of a pyoxigraph one; ``vocabulary`` caches predicates and datatypes."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return Literal(term.value)
    if datatype not in vocabulary:
        vocabulary[datatype] = URIRef(datatype)
    return Literal(term.value, datatype=vocabulary[datatype])


def to_rdf(G: nx.DiGraph) -> Graph:
    """Return the RDF graph of the paper–concept graph ``G`` as an :class:`rdflib.Graph`.

    The triples are those of :func:`~paperkg.exports.rdf_triples.rdf_triples`, which the
    file exports write without building this graph.

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
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace, override=True, replace=True)
    vocabulary: dict[str, URIRef] = {}
    for t in rdf_triples(G):
        p = t.predicate.value
        if p not in vocabulary:
            vocabulary[p] = URIRef(p)
        g.add((_rdflib_term(t.subject, vocabulary), vocabulary[p],
               _rdflib_term(t.object, vocabulary)))
    return g


# --- serializations ---------------------------------------------------------------


def _oxigraph_triples(g: Graph):
    """The triples of an rdflib graph as pyoxigraph terms, grouped by subject (sorted)."""
    def term(node):
        if isinstance(node, URIRef):
            return pyoxigraph.NamedNode(str(node))
        if not isinstance(node, Literal):
            raise ValueError(f"unexpected blank node {node!r}")
        if node.language:
            return pyoxigraph.Literal(str(node), language=node.language)
        datatype = pyoxigraph.NamedNode(str(node.datatype)) if node.datatype else None
        return pyoxigraph.Literal(str(node), datatype=datatype)

    for s in sorted(set(g.subjects())):
        for _, p, o in g.triples((s, None, None)):
            yield pyoxigraph.Triple(term(s), term(p), term(o))


def ntriples_bytes(g: Graph) -> bytes:
    """N-Triples of ``g``, one triple a line, lines sorted."""
    text = pyoxigraph.serialize(_oxigraph_triples(g), format=pyoxigraph.RdfFormat.N_TRIPLES)
    # Split on "\n" only: str.splitlines() would also split inside a literal at U+2028,
    # U+0085 or U+001C-U+001E, which N-Triples carries raw.
    lines = sorted(line for line in text.decode("utf-8").split("\n") if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def jsonld_bytes(g: Graph) -> bytes:
    """Compact JSON-LD of ``g`` with :data:`JSONLD_CONTEXT`, nodes sorted by ``@id``
    (:mod:`paperkg.exports.rdf_jsonld`)."""
    out = io.StringIO()
    write_jsonld_stream(_oxigraph_triples(g), out, JSONLD_CONTEXT)
    return out.getvalue().encode("utf-8")


def rdfxml_bytes(g: Graph) -> bytes:
    """RDF/XML of ``g``: one ``rdf:Description`` per subject, subjects and properties sorted."""
    out = io.StringIO()
    write_rdfxml_stream(_oxigraph_triples(g), out, PREFIXES)
    return out.getvalue().encode("utf-8")


def write_turtle(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``G`` as RDF in Turtle (pyoxigraph, streamed; prefixes of :data:`PREFIXES`)."""
    pyoxigraph.serialize(rdf_triples(G), os.fspath(path), format=pyoxigraph.RdfFormat.TURTLE,
                         prefixes=_TURTLE_PREFIXES)


def write_ntriples(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``G`` as RDF in N-Triples (pyoxigraph, streamed; subjects in sorted node order)."""
    pyoxigraph.serialize(rdf_triples(G), os.fspath(path), format=pyoxigraph.RdfFormat.N_TRIPLES)


def write_jsonld(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``G`` as compact JSON-LD with an ``@context`` (streamed; subjects in sorted
    node order, keys and values sorted)."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        write_jsonld_stream(rdf_triples(G), out, JSONLD_CONTEXT)


def write_rdfxml(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``G`` as RDF/XML (streamed; subjects in sorted node order, properties sorted)."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        write_rdfxml_stream(rdf_triples(G), out, PREFIXES)
