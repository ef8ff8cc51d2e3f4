"""The RDF triples of the paper–concept graph, stated once for every RDF export.

:func:`rdf_triples` generates the triples straight from the networkx graph as pyoxigraph
terms, one at a time: the Turtle and N-Triples files stream them into pyoxigraph's
serializers, RDF/XML into :mod:`paperkg.exports.rdf_xml`, and
:func:`paperkg.exports.rdf.to_rdf` adds them to an :class:`rdflib.Graph` for users who
want one. Nothing holds all the triples at once.

The order depends only on the graph, never on insertion order or ``PYTHONHASHSEED``: the
vocabulary's four class axioms, then each paper (sorted by id, with the concepts it
mentions), each community (by number), each concept (sorted by key) and each evidence
(sorted by paper, then concept). All the triples of one subject are consecutive and none
repeats, so a streaming writer can group them by subject and count them as rdflib does.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node("paper:p1", kind="paper", title="T", abstract="", date="2025", url="",
...            sources=("f.txt:1", "f.txt:1"), code_urls=())
>>> [t.object.value for t in rdf_triples(G) if t.predicate.value.endswith("/source")]
['f.txt:1']
>>> date_parts("Mar 14, 2025"), date_parts("Mar 14")
(('2025-03-14', 'http://www.w3.org/2001/XMLSchema#date'), ('Mar 14', None))
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

import networkx as nx
from pyoxigraph import Literal, NamedNode, Triple
from rdflib import RDF, RDFS
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, XSD

from paperkg.exports.flatten import xml_text
from paperkg.exports.vocab import (
    PKG, community_iri, concept_iri, evidence_iri, identifier_iri, paper_iri, web_iri,
)
from paperkg.graph.queries import name_forms
from paperkg.graph.schema import CONCEPT_PREFIX, PAPER_PREFIX, concept_nodes, paper_nodes

__all__ = ["Term", "date_parts", "rdf_triples"]

log = logging.getLogger("paperkg.exports")

#: An RDF term as the triples carry it: an IRI or a literal (paperkg writes no blank node).
Term = NamedNode | Literal


def _iri(term: str) -> NamedNode:
    return NamedNode(str(term))


# A paper's or concept's IRI recurs on every edge it has: percent-encode it once.
@lru_cache(maxsize=1 << 16)
def _paper_node(paper_id: str) -> NamedNode:
    return _iri(paper_iri(paper_id))


@lru_cache(maxsize=1 << 16)
def _concept_node(key: str) -> NamedNode:
    return _iri(concept_iri(key))


# Every predicate and class, minted once.
_TYPE, _SUBCLASS, _LABEL, _SEE_ALSO = (_iri(t) for t in (RDF.type, RDFS.subClassOf, RDFS.label, RDFS.seeAlso))
_IDENTIFIER, _TITLE, _ABSTRACT, _DATE, _SOURCE, _CREATOR, _CITATION, _SUBJECT = (
    _iri(DCTERMS[t]) for t in (
        "identifier", "title", "abstract", "date", "source", "creator",
        "bibliographicCitation", "subject")
)
_SAME_AS = _iri(OWL.sameAs)
_PREF, _ALT, _HIDDEN, _SKOS_CONCEPT = (
    _iri(t) for t in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.Concept))
_VALUE, _DERIVED, _ENTITY = (_iri(t) for t in (PROV.value, PROV.wasDerivedFrom, PROV.Entity))
_PAPER, _CONCEPT, _EVIDENCE, _COMMUNITY = (
    _iri(t) for t in (PKG.Paper, PKG.Concept, PKG.Evidence, PKG.Community))
_CLASS = {"METHOD": _iri(PKG.Method), "DATASET": _iri(PKG.Dataset), "TASK": _iri(PKG.Task)}
_MENTIONS, _CODE, _IN_COMMUNITY, _PAGERANK, _BETWEENNESS, _LINK_STRENGTH = (
    _iri(t) for t in (PKG.mentions, PKG.codeRepository, PKG.inCommunity, PKG.pageRank,
                      PKG.betweenness, PKG.linkStrength))
_CONCEPT_KEY, _PAPER_COUNT, _CONCEPT_COUNT = (
    _iri(t) for t in (PKG.conceptKey, PKG.paperCount, PKG.conceptCount))
_OF_PAPER, _OF_CONCEPT, _MENTION_COUNT, _FIELD, _START, _END, _SCORE = (
    _iri(t) for t in (PKG.paper, PKG.concept, PKG.mentionCount, PKG.field,
                      PKG.startOffset, PKG.endOffset, PKG.score))
_INTEGER, _DOUBLE, _DECIMAL = (_iri(t) for t in (XSD.integer, XSD.double, XSD.decimal))
_DATE_TYPES = {t: _iri(t) for t in (str(XSD.date), str(XSD.gYearMonth), str(XSD.gYear))}


def _text(value: str) -> Literal:
    """A plain literal that every serialization, RDF/XML included, can carry."""
    return Literal(xml_text(value))


def _integer(value: object) -> Literal:
    return Literal(str(int(value)), datatype=_INTEGER)


def _double(value: object) -> Literal:
    # The lexical form rdflib gives a Python float, so both paths hold the same literal.
    return Literal(repr(float(value)), datatype=_DOUBLE)


def _decimal(value: object) -> Literal:
    # xsd:decimal written in full, never in exponent form.
    return Literal(format(Decimal(repr(float(value))), "f"), datatype=_DECIMAL)


_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
# ASCII digits only: "\d" would also take other scripts' digits, which no xsd type allows.
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_ISO_YEAR_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
_ISO_YEAR = re.compile(r"^[0-9]{4}$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+([0-9]{1,2}),?\s+([0-9]{4})$")
_DAY_MONTH_YEAR = re.compile(r"^([0-9]{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+([0-9]{4})$")


def date_parts(text: str) -> tuple[str, str | None]:
    """Return a date's lexical form and XSD datatype IRI, or ``(text, None)`` without a year.

    ``xsd:date`` for a full date (ISO or "Mar 14, 2025"), ``xsd:gYearMonth`` for
    ``YYYY-MM``, ``xsd:gYear`` for ``YYYY``; anything else (an impossible day too) stays
    the plain text.

    >>> date_parts("2024-02-29"), date_parts("2023-02-30")
    (('2024-02-29', 'http://www.w3.org/2001/XMLSchema#date'), ('2023-02-30', None))
    """
    clean = text.strip()
    if _ISO_YEAR_MONTH.match(clean):
        return clean, str(XSD.gYearMonth)
    if _ISO_YEAR.match(clean):
        return clean, str(XSD.gYear)
    day = month = year = None
    if m := _ISO_DATE.match(clean):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _MONTH_DAY_YEAR.match(clean):
        month, day, year = _MONTHS.get(m[1].lower()), int(m[2]), int(m[3])
    elif m := _DAY_MONTH_YEAR.match(clean):
        day, month, year = int(m[1]), _MONTHS.get(m[2].lower()), int(m[3])
    if year is not None and month is not None:
        try:
            return _dt.date(year, month, day).isoformat(), str(XSD.date)
        except ValueError:
            pass
    return text, None


def _date(text: str) -> Literal:
    lexical, datatype = date_parts(text)
    return _text(lexical) if datatype is None else Literal(lexical, datatype=_DATE_TYPES[datatype])


def _link(url: str, where: str) -> Term:
    """A link from the input: its IRI when it is a valid web URL, else a plain literal."""
    iri = web_iri(url)
    if iri is not None:
        try:
            return _iri(iri)
        except ValueError:  # web_iri's IRIs are RFC 3987 by construction; never crash on one
            pass
    log.warning("%s: %r is not a valid web URL; the RDF keeps it as a plain literal", where, url)
    return _text(url)


def _subject(s: NamedNode, pairs: Iterable[tuple[NamedNode, Term]]) -> Iterator[Triple]:
    """The triples of one subject, each once, in the order given."""
    seen: set[tuple[NamedNode, Term]] = set()
    for pair in pairs:
        if pair not in seen:
            seen.add(pair)
            yield Triple(s, *pair)


def _vocabulary() -> Iterator[Triple]:
    for cls in ("METHOD", "DATASET", "TASK"):
        yield Triple(_CLASS[cls], _SUBCLASS, _CONCEPT)
    yield Triple(_CONCEPT, _SUBCLASS, _SKOS_CONCEPT)
    yield Triple(_EVIDENCE, _SUBCLASS, _ENTITY)


def _structure(d: dict) -> Iterator[tuple[NamedNode, Term]]:
    """A node's community and centralities, where the graph carries them."""
    if d.get("community"):
        yield _IN_COMMUNITY, _iri(community_iri(d["community"]))
    if "pagerank" in d:
        yield _PAGERANK, _decimal(d["pagerank"])
    if "betweenness" in d:
        yield _BETWEENNESS, _decimal(d["betweenness"])
    if "link_strength" in d:
        yield _LINK_STRENGTH, _integer(d["link_strength"])


def _paper(G: nx.DiGraph, node: str) -> Iterator[tuple[NamedNode, Term]]:
    d = G.nodes[node]
    pid = node[len(PAPER_PREFIX) :]
    yield _TYPE, _PAPER
    yield _IDENTIFIER, _text(pid)
    ids = d.get("ids", ())
    for identifier in ids:
        yield _IDENTIFIER, _text(identifier)
    yield _TITLE, _text(d["title"])
    if d.get("abstract"):
        yield _ABSTRACT, _text(d["abstract"])
    if d.get("date"):
        yield _DATE, _date(d["date"])
    for source in d.get("sources", ()):
        yield _SOURCE, _text(source)
    for author in d.get("authors", ()):
        yield _CREATOR, _text(author)
    if d.get("venue"):
        yield _CITATION, _text(d["venue"])
    for category in d.get("categories", ()):
        yield _SUBJECT, _text(category)
    for url in d.get("code_urls", ()):
        yield _CODE, _link(url, f"{node!r} code URL")
    for identifier in ids:
        iri = identifier_iri(identifier)
        if iri is not None:
            yield (_SAME_AS if identifier.startswith("doi:") else _SEE_ALSO), _iri(iri)
    if d.get("url"):
        yield _SEE_ALSO, _link(d["url"], f"{node!r} url")
    yield from _structure(d)
    for concept in sorted(G.successors(node)):
        yield _MENTIONS, _concept_node(concept[len(CONCEPT_PREFIX) :])


def _communities(G: nx.DiGraph) -> Iterator[Triple]:
    """Each community of a built graph (:mod:`paperkg.graph.structure`) as a ``pkg:Community``."""
    for c in sorted(G.graph.get("communities", ()), key=lambda c: int(c["id"])):
        yield from _subject(_iri(community_iri(c["id"])), [
            (_TYPE, _COMMUNITY),
            (_LABEL, _text(c["label"])),
            (_IDENTIFIER, _integer(c["id"])),
            (_CONCEPT_COUNT, _integer(c["size"])),
            (_PAPER_COUNT, _integer(c["papers"])),
        ])


def _concept(d: dict) -> Iterator[tuple[NamedNode, Term]]:
    yield _TYPE, _CLASS[d["type"]]
    yield _TYPE, _CONCEPT
    yield _TYPE, _SKOS_CONCEPT
    label = xml_text(d["label"])
    yield _PREF, Literal(label)
    yield _CONCEPT_KEY, _text(d["key"])
    yield _PAPER_COUNT, _integer(d["paper_count"])
    yield from _structure(d)
    shown = {label}
    for alias in d.get("aliases", ()):
        alias = xml_text(alias)
        if alias not in shown:
            shown.add(alias)
            yield _ALT, Literal(alias)
    # SKOS keeps pref, alt and hidden labels disjoint: a hidden form is never shown.
    hidden = {f for name in (d["label"], *d.get("aliases", ())) for f in name_forms(name)}
    for form in sorted(hidden):
        form = xml_text(form)
        if form and form not in shown:
            yield _HIDDEN, Literal(form)


def _evidence(pid: str, key: str, e: dict) -> Iterator[Triple]:
    ev = _iri(evidence_iri(pid, key))
    p = _paper_node(pid)
    yield Triple(ev, _TYPE, _EVIDENCE)
    yield Triple(ev, _OF_PAPER, p)
    yield Triple(ev, _DERIVED, p)
    yield Triple(ev, _OF_CONCEPT, _concept_node(key))
    yield Triple(ev, _VALUE, _text(e["evidence"]))
    yield Triple(ev, _MENTION_COUNT, _integer(e["mentions"]))
    yield Triple(ev, _FIELD, _text(e["field"]))
    yield Triple(ev, _START, _integer(e["start"]))
    yield Triple(ev, _END, _integer(e["end"]))
    yield Triple(ev, _SCORE, _double(e["score"]))


def rdf_triples(G: nx.DiGraph) -> Iterator[Triple]:
    """Generate the RDF triples of the paper–concept graph ``G``, one subject at a time.

    The vocabulary and IRIs are those of :mod:`paperkg.exports.vocab`; literals drop only
    the characters XML 1.0 cannot carry (:func:`~paperkg.exports.flatten.xml_text`), and a
    link that is not a valid web URL is kept as a plain literal and logged as a warning.
    See the module docstring for the order.
    """
    yield from _vocabulary()
    for node in paper_nodes(G):
        yield from _subject(_paper_node(node[len(PAPER_PREFIX) :]), _paper(G, node))
    yield from _communities(G)
    for node in concept_nodes(G):
        d = G.nodes[node]
        yield from _subject(_concept_node(d["key"]), _concept(d))
    for u, v in sorted(G.edges()):
        yield from _evidence(u[len(PAPER_PREFIX) :], v[len(CONCEPT_PREFIX) :], G.edges[u, v])
