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
``pkg:Community``      a community of co-occurring concepts (Louvain,
                       :mod:`paperkg.graph.structure`), with ``rdfs:label`` (its most
                       central concepts), ``dcterms:identifier`` (its number) and
                       ``pkg:conceptCount`` / ``pkg:paperCount``
``pkg:inCommunity``    concept or paper → its community
``pkg:conceptCount``   number of concepts in a community
``pkg:pageRank``       a concept's or paper's PageRank (``xsd:decimal``)
``pkg:betweenness``    a concept's betweenness centrality in the co-occurrence graph
                       (``xsd:decimal``)
``pkg:linkStrength``   a concept's shared papers with all others (weighted degree)
=====================  ==============================================================

Reused terms: ``dcterms:title``, ``dcterms:abstract``, ``dcterms:identifier`` (the paper
id, and each of its identifiers ``doi:…``, ``arxiv:…``, ``openalex:…``, ``s2:…``),
``dcterms:source`` (the input file and line), ``dcterms:date`` (the publication or page
date; ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` when it is one),
``dcterms:creator`` (each author's name), ``dcterms:bibliographicCitation`` (the venue),
``dcterms:subject`` (each category), ``owl:sameAs`` (``https://doi.org/<DOI>``),
``rdfs:seeAlso`` (the paper's own link, and its arXiv, OpenAlex and Semantic Scholar pages,
:func:`identifier_iri`),
``skos:Concept`` (every concept is one), ``skos:prefLabel`` / ``skos:altLabel`` /
``skos:hiddenLabel`` (concept label, aliases, and the lower-case singular and plural
forms that ``paperkg papers`` matches), ``prov:value`` (the evidence sentence) and
``prov:wasDerivedFrom`` (evidence → paper).

Resources live under ``https://w3id.org/paperkg/id/``: ``paper/<id>``,
``concept/<key>``, ``evidence/<paper id>/<concept key>`` and ``community/<number>``, with every character
outside the URI-unreserved set percent-encoded, so any title or label gives a valid IRI.

Links found in the input (a paper's ``url``, its code repositories) become IRIs only
through :func:`web_iri`: an ``http(s)`` URL with a host, every character outside RFC 3986
percent-encoded (a space becomes ``%20``, non-ASCII its UTF-8 bytes). A URL that cannot be
made one — another scheme, no host, a bad port, or any control character or line break
inside — gives ``None``, and the RDF export keeps it as a plain literal instead.

>>> concept_iri("graph neural network")
rdflib.term.URIRef('https://w3id.org/paperkg/id/concept/graph%20neural%20network')
>>> web_iri("https://example.org/a b?q=ü#x#y")
rdflib.term.URIRef('https://example.org/a%20b?q=%C3%BC#x%23y')
>>> web_iri("https://github.com/a\\nb") is None, web_iri("javascript:alert(1)") is None
(True, True)
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

__all__ = [
    "ID",
    "IDENTIFIER_LINKS",
    "PKG",
    "community_iri",
    "concept_iri",
    "evidence_iri",
    "identifier_iri",
    "paper_iri",
    "web_iri",
]

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
    Community: URIRef
    inCommunity: URIRef
    conceptCount: URIRef
    pageRank: URIRef
    betweenness: URIRef
    linkStrength: URIRef


@lru_cache(maxsize=1 << 16)  # a paper id or concept key recurs in many IRIs
def _segment(text: str) -> str:
    # surrogatepass: a lone surrogate (possible in JSON input) still gets percent-encoded.
    return quote(text, safe="", errors="surrogatepass")


def paper_iri(paper_id: str) -> URIRef:
    """Return the IRI of a paper, from its id."""
    return ID["paper/" + _segment(paper_id)]


def concept_iri(key: str) -> URIRef:
    """Return the IRI of a concept, from its canonical key."""
    return ID["concept/" + _segment(key)]


def community_iri(number: int) -> URIRef:
    """Return the IRI of a concept community, from its number.

    >>> community_iri(3)
    rdflib.term.URIRef('https://w3id.org/paperkg/id/community/3')
    """
    return ID[f"community/{int(number)}"]


def evidence_iri(paper_id: str, key: str) -> URIRef:
    """Return the IRI of the evidence that a paper mentions a concept."""
    return ID["evidence/" + _segment(paper_id) + "/" + _segment(key)]


#: Schemes a link in the input may have to become an IRI.
WEB_SCHEMES = ("http", "https")
#: Control characters (C0, DEL, C1), line and paragraph separators, surrogates: a URL
#: holding one is damaged input, never silently repaired.
_DAMAGED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
#: A host: registered name (ASCII after IDNA), IPv4, or a bracketed IPv6 literal.
_HOST = re.compile(r"^(?:[A-Za-z0-9\-._~%!$&'()*+,;=]+|\[[0-9A-Fa-f:.]+\])$")
_USERINFO = re.compile(r"^[A-Za-z0-9\-._~%!$&'()*+,;=:]*$")
#: RFC 3986 characters allowed as is in a path, and in a query or fragment.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"
_BARE_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")


def _escape(part: str, safe: str) -> str:
    """Percent-encode ``part`` outside ``safe``, keeping existing ``%XX`` escapes."""
    return quote(_BARE_PERCENT.sub("%25", part), safe=safe)


def web_iri(url: str) -> URIRef | None:
    """Return ``url`` as a valid IRI, or ``None`` when it is not a usable web link.

    The one place a link from the input becomes an IRI. Surrounding whitespace is
    dropped; the scheme must be ``http`` or ``https`` and the host non-empty; a non-ASCII
    host is IDNA-encoded; path, query and fragment are percent-encoded outside RFC 3986
    (a space, ``"``, ``<``, ``>``, ``{``, ``}``, ``|``, ``\\``, ``^``, a backquote, a second
    ``#``, non-ASCII). Control characters, line breaks (``\\n``, U+0085, U+2028) and
    surrogates anywhere make the URL invalid.

    Examples
    --------
    >>> web_iri(" https://github.com/org/repo ")
    rdflib.term.URIRef('https://github.com/org/repo')
    >>> web_iri("https://ex.org/%zz<>") == URIRef("https://ex.org/%25zz%3C%3E")
    True
    >>> [web_iri(u) for u in ("ftp://ex.org/x", "https:///path", "http://ex.org:port/")]
    [None, None, None]
    """
    text = url.strip(" \t\n\r\f\v")
    if not text or _DAMAGED.search(text):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    host, port = hostport, ""
    if not hostport.endswith("]") and ":" in hostport:
        host, _, port = hostport.rpartition(":")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if not _HOST.match(host) or (userinfo and not _USERINFO.match(userinfo)):
        return None
    if " " in parts.netloc or (port and not port.isdigit()):
        return None
    netloc = (userinfo + "@" if userinfo else "") + host + (":" + port if port else "")
    iri = urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            _escape(parts.path, _PATH_SAFE),
            _escape(parts.query, _QUERY_SAFE),
            _escape(parts.fragment, _QUERY_SAFE),
        )
    )
    # urlunsplit drops an empty query or fragment marker ("x?" or "x#"): equivalent links.
    return URIRef(iri)


#: The public page of each identifier scheme (``"scheme:value"``, see
#: :mod:`paperkg.extract.read.ids`); the value is percent-encoded into ``{}``.
IDENTIFIER_LINKS: dict[str, str] = {
    "doi": "https://doi.org/{}",
    "arxiv": "https://arxiv.org/abs/{}",
    "openalex": "https://openalex.org/{}",
    "s2": "https://www.semanticscholar.org/paper/{}",
}


def identifier_iri(identifier: str) -> URIRef | None:
    """Return the web IRI of a ``"scheme:value"`` identifier, minted through
    :func:`web_iri`; ``None`` for a scheme without a public page.

    >>> identifier_iri("doi:10.1000/a<b>#1")
    rdflib.term.URIRef('https://doi.org/10.1000/a%3Cb%3E%231')
    >>> identifier_iri("arxiv:hep-th/9901001"), identifier_iri("s2corpus:1")
    (rdflib.term.URIRef('https://arxiv.org/abs/hep-th/9901001'), None)
    """
    scheme, _, value = identifier.partition(":")
    template = IDENTIFIER_LINKS.get(scheme)
    if template is None or not value.strip():
        return None
    return web_iri(template.format(quote(value.strip(), safe="/:;()._-", errors="surrogatepass")))
