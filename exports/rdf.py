"""RDF exports of the paper–concept graph (Turtle, N-Triples, JSON-LD, RDF/XML).

The vocabulary and IRIs are defined in :mod:`paperkg.exports.vocab`. Three SPARQL examples,
run by the tests against an export, are in :data:`SPARQL_EXAMPLES`.

Every serialization is valid by construction and byte-identical for the same graph,
whatever ``PYTHONHASHSEED``:

* IRIs come only from :mod:`paperkg.exports.vocab`: resource IRIs percent-encode their
  ids, and a link from the input (``url``, code repositories) becomes an IRI only through
  :func:`~paperkg.exports.vocab.web_iri`; a link that cannot be one is kept as a plain
  literal and logged as a warning (logger ``paperkg.exports``), never a crash;
* literals drop only the characters XML 1.0 cannot carry (the same text in every
  serialization, so all four parse to the same graph);
* N-Triples lines are sorted; JSON-LD is compact, with an ``@context``, nodes sorted by
  ``@id`` and values sorted; RDF/XML is written here, subjects and properties sorted.

Concepts are typed ``skos:Concept`` and ``pkg:Concept`` as well as their own class, and
carry as ``skos:hiddenLabel`` the lower-case, folded and plural forms that ``paperkg
papers`` matches (:func:`paperkg.graph.queries.name_forms`), so the SPARQL examples find
the same concepts as the CLI. ``dcterms:date`` is an ``xsd:date`` when the date names a
year ("2025-03-14", "Mar 14, 2025"); a page date without a year ("Mar 14") stays a
plain string.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
import json
import logging
import re
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, XSD
from rdflib.term import Node

from paperkg.exports.flatten import xml_text
from paperkg.exports.vocab import (
    ID, PKG, community_iri, concept_iri, evidence_iri, identifier_iri, paper_iri, web_iri,
)
from paperkg.graph.queries import name_forms
from paperkg.graph.schema import CONCEPT_PREFIX, PAPER_PREFIX, concept_nodes, paper_nodes

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

log = logging.getLogger("paperkg.exports")

_CLASS = {"METHOD": PKG.Method, "DATASET": PKG.Dataset, "TASK": PKG.Task}

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


def _text(value: str) -> Literal:
    """A plain literal that every serialization, RDF/XML included, can carry."""
    return Literal(xml_text(value))


_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ISO_YEAR = re.compile(r"^\d{4}$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})$")


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
    clean = text.strip()
    if _ISO_YEAR_MONTH.match(clean):
        return Literal(clean, datatype=XSD.gYearMonth)
    if _ISO_YEAR.match(clean):
        return Literal(clean, datatype=XSD.gYear)
    day = month = year = None
    if m := _ISO_DATE.match(clean):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _MONTH_DAY_YEAR.match(clean):
        month, day, year = _MONTHS.get(m[1].lower()), int(m[2]), int(m[3])
    elif m := _DAY_MONTH_YEAR.match(clean):
        day, month, year = int(m[1]), _MONTHS.get(m[2].lower()), int(m[3])
    if year is not None and month is not None:
        try:
            return Literal(_dt.date(year, month, day).isoformat(), datatype=XSD.date)
        except ValueError:
            pass
    return _text(text)


def _link(url: str, where: str) -> Node:
    """A link from the input: its IRI when it is a valid web URL, else a plain literal."""
    iri = web_iri(url)
    if iri is not None:
        return iri
    log.warning("%s: %r is not a valid web URL; the RDF keeps it as a plain literal", where, url)
    return _text(url)


def _vocabulary(g: Graph) -> None:
    for cls in (PKG.Method, PKG.Dataset, PKG.Task):
        g.add((cls, RDFS.subClassOf, PKG.Concept))
    g.add((PKG.Concept, RDFS.subClassOf, SKOS.Concept))
    g.add((PKG.Evidence, RDFS.subClassOf, PROV.Entity))


def _communities(g: Graph, G: nx.DiGraph) -> None:
    """Each community of a built graph (:mod:`paperkg.graph.structure`) as a ``pkg:Community``."""
    for c in G.graph.get("communities", ()):
        node = community_iri(c["id"])
        g.add((node, RDF.type, PKG.Community))
        g.add((node, RDFS.label, _text(c["label"])))
        g.add((node, DCTERMS.identifier, Literal(c["id"], datatype=XSD.integer)))
        g.add((node, PKG.conceptCount, Literal(c["size"], datatype=XSD.integer)))
        g.add((node, PKG.paperCount, Literal(c["papers"], datatype=XSD.integer)))


def _structure(g: Graph, node: URIRef, d: dict) -> None:
    """A node's community and centralities, where the graph carries them."""
    if d.get("community"):
        g.add((node, PKG.inCommunity, community_iri(d["community"])))
    # xsd:decimal, not xsd:double: rdflib's Turtle writer shortens doubles to 7 digits.
    for attr, term in (("pagerank", PKG.pageRank), ("betweenness", PKG.betweenness)):
        if attr in d:
            text = format(Decimal(repr(float(d[attr]))), "f")
            g.add((node, term, Literal(text, datatype=XSD.decimal)))
    if "link_strength" in d:
        g.add((node, PKG.linkStrength, Literal(int(d["link_strength"]), datatype=XSD.integer)))


def _concept(g: Graph, d: dict) -> None:
    c = concept_iri(d["key"])
    for cls in (_CLASS[d["type"]], PKG.Concept, SKOS.Concept):
        g.add((c, RDF.type, cls))
    label = xml_text(d["label"])
    g.add((c, SKOS.prefLabel, Literal(label)))
    g.add((c, PKG.conceptKey, _text(d["key"])))
    g.add((c, PKG.paperCount, Literal(d["paper_count"], datatype=XSD.integer)))
    _structure(g, c, d)
    shown = {label}
    for alias in d.get("aliases", ()):
        alias = xml_text(alias)
        if alias not in shown:
            shown.add(alias)
            g.add((c, SKOS.altLabel, Literal(alias)))
    # SKOS keeps pref, alt and hidden labels disjoint: a hidden form is never shown.
    hidden = {f for name in (d["label"], *d.get("aliases", ())) for f in name_forms(name)}
    for form in sorted(hidden):
        form = xml_text(form)
        if form and form not in shown:
            g.add((c, SKOS.hiddenLabel, Literal(form)))


def _bibliographic(g: Graph, p: URIRef, d: dict) -> None:
    """Authors, venue, categories and identifiers (with their public pages) of a paper."""
    for author in d.get("authors", ()):
        g.add((p, DCTERMS.creator, _text(author)))
    if d.get("venue"):
        g.add((p, DCTERMS.bibliographicCitation, _text(d["venue"])))
    for category in d.get("categories", ()):
        g.add((p, DCTERMS.subject, _text(category)))
    for identifier in d.get("ids", ()):
        g.add((p, DCTERMS.identifier, _text(identifier)))
        iri = identifier_iri(identifier)
        if iri is not None:
            g.add((p, OWL.sameAs if identifier.startswith("doi:") else RDFS.seeAlso, iri))


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
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace, override=True, replace=True)
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
            g.add((p, DCTERMS.date, date_literal(d["date"])))
        for source in d.get("sources", ()):
            g.add((p, DCTERMS.source, _text(source)))
        for url in d.get("code_urls", ()):
            g.add((p, PKG.codeRepository, _link(url, f"{node!r} code URL")))
        _bibliographic(g, p, d)
        if d.get("url"):
            g.add((p, RDFS.seeAlso, _link(d["url"], f"{node!r} url")))
        _structure(g, p, d)
    _communities(g, G)
    for node in concept_nodes(G):
        _concept(g, G.nodes[node])
    for u, v, e in sorted(G.edges(data=True), key=lambda edge: edge[:2]):
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


# --- serializations ---------------------------------------------------------------


def ntriples_bytes(g: Graph) -> bytes:
    """N-Triples of ``g``, one triple a line, lines sorted."""
    text = g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    # Split on "\n" only: str.splitlines() would also split inside a literal at U+2028,
    # U+0085 or U+001C-U+001E, which N-Triples carries raw.
    lines = sorted(line for line in text.split("\n") if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def _json_order(value: object) -> object:
    """Sort every JSON-LD array (unordered sets of values: paperkg writes no ``@list``)."""
    if isinstance(value, dict):
        return {k: _json_order(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_json_order(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld_bytes(g: Graph) -> bytes:
    """Compact JSON-LD of ``g`` with :data:`JSONLD_CONTEXT`; nodes, values and keys sorted."""
    raw = json.loads(g.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True))
    nodes = raw.get("@graph")
    if nodes is None:  # a one-node graph is written without @graph
        nodes = [{k: v for k, v in raw.items() if k != "@context"}] if len(raw) > 1 else []
    doc = {"@context": JSONLD_CONTEXT, "@graph": _json_order(nodes)}
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _xml_escape(text: str, *, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A raw CR would be read back as LF (XML end-of-line handling): write it as a reference.
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _qname(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", local):
            return f"{prefix}:{local}"
    raise ValueError(f"no XML name for the predicate {iri!r}")


def rdfxml_bytes(g: Graph) -> bytes:
    """RDF/XML of ``g``: one ``rdf:Description`` per subject, subjects and properties sorted.

    Written here rather than by rdflib, whose RDF/XML writers order namespaces and
    subjects by hash; text keeps a carriage return as ``&#13;``.
    """
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    out += [f'  xmlns:{prefix}="{_xml_escape(ns, attribute=True)}"'
            for prefix, ns in sorted(PREFIXES.items())]
    out[-1] += ">"
    by_subject: dict[str, list[tuple[str, Node]]] = {}
    for s, p, o in g:
        if not isinstance(s, URIRef):
            raise ValueError(f"unexpected blank node subject {s!r}")
        by_subject.setdefault(str(s), []).append((_qname(str(p)), o))
    for subject in sorted(by_subject):
        out.append(f'  <rdf:Description rdf:about="{_xml_escape(subject, attribute=True)}">')
        for name, o in sorted(by_subject[subject], key=lambda po: (po[0], po[1].n3())):
            if isinstance(o, URIRef):
                out.append(f'    <{name} rdf:resource="{_xml_escape(str(o), attribute=True)}"/>')
                continue
            assert isinstance(o, Literal), o
            attrs = ""
            if o.language:
                attrs = f' xml:lang="{_xml_escape(o.language, attribute=True)}"'
            elif o.datatype:
                attrs = f' rdf:datatype="{_xml_escape(str(o.datatype), attribute=True)}"'
            out.append(f"    <{name}{attrs}>{_xml_escape(str(o))}</{name}>")
        out.append("  </rdf:Description>")
    out.append("</rdf:RDF>")
    return ("\n".join(out) + "\n").encode("utf-8")


def write_turtle(G: nx.DiGraph, path: Path) -> None:
    """Write ``G`` as RDF in Turtle."""
    Path(path).write_bytes(to_rdf(G).serialize(format="turtle", encoding="utf-8"))


def write_ntriples(G: nx.DiGraph, path: Path) -> None:
    """Write ``G`` as RDF in N-Triples (lines sorted)."""
    Path(path).write_bytes(ntriples_bytes(to_rdf(G)))


def write_jsonld(G: nx.DiGraph, path: Path) -> None:
    """Write ``G`` as compact JSON-LD with an ``@context`` (sorted, deterministic)."""
    Path(path).write_bytes(jsonld_bytes(to_rdf(G)))


def write_rdfxml(G: nx.DiGraph, path: Path) -> None:
    """Write ``G`` as RDF/XML (sorted, deterministic)."""
    Path(path).write_bytes(rdfxml_bytes(to_rdf(G)))
