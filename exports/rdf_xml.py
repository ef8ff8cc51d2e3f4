"""RDF/XML written as a stream: one ``rdf:Description`` per subject, properties sorted.

Written here rather than by rdflib (whose RDF/XML writers order namespaces and subjects by
hash and hold the whole graph) or pyoxigraph (which writes a carriage return raw, and XML
reads it back as a line feed). Text keeps a carriage return as ``&#13;``; every predicate
is a qualified name in one of the namespaces given.

Examples
--------
>>> from pyoxigraph import Literal, NamedNode, Triple
>>> s, p = NamedNode("https://ex.org/s"), NamedNode("https://ex.org/v#title")
>>> print(rdfxml_text([Triple(s, p, Literal("a\\r\\nb & c"))], {"v": "https://ex.org/v#"}), end="")
<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:v="https://ex.org/v#">
  <rdf:Description rdf:about="https://ex.org/s">
    <v:title>a&#13;
b &amp; c</v:title>
  </rdf:Description>
</rdf:RDF>
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections.abc import Iterable, Mapping
from typing import TextIO

from pyoxigraph import Literal, NamedNode, Triple

__all__ = ["RDF_NS", "rdfxml_text", "write_rdfxml_stream"]

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = RDF_NS + "langString"
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _escape(text: str, *, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A raw CR would be read back as LF (XML end-of-line handling): write it as a reference.
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _qnames(namespaces: Mapping[str, str]):
    """A cached function from a predicate IRI to its qualified name."""

    @functools.lru_cache(maxsize=None)
    def qname(iri: str) -> str:
        for prefix, namespace in namespaces.items():
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(local):
                return f"{prefix}:{local}"
        raise ValueError(f"no XML name for the predicate {iri!r}")

    return qname


def _property(name: str, o: NamedNode | Literal) -> str:
    if isinstance(o, NamedNode):
        return f'    <{name} rdf:resource="{_escape(o.value, attribute=True)}"/>'
    attrs = ""
    if o.language:
        attrs = f' xml:lang="{_escape(o.language, attribute=True)}"'
    elif o.datatype.value not in (_XSD_STRING, _LANG_STRING):
        attrs = f' rdf:datatype="{_escape(o.datatype.value, attribute=True)}"'
    return f"    <{name}{attrs}>{_escape(o.value)}</{name}>"


def write_rdfxml_stream(
    triples: Iterable[Triple], out: TextIO, namespaces: Mapping[str, str]
) -> None:
    """Write ``triples`` to the text stream ``out`` as RDF/XML.

    The triples of one subject must be consecutive (each run is one ``rdf:Description``);
    within it properties are sorted by name, then value. ``namespaces`` maps prefixes to
    namespace IRIs (``rdf`` is added); every predicate must be a name in one of them.

    Raises
    ------
    ValueError
        For a blank-node subject or a predicate outside ``namespaces``.
    """
    namespaces = {"rdf": RDF_NS, **namespaces}
    qname = _qnames(namespaces)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF')
    out.write("".join(f'\n  xmlns:{prefix}="{_escape(ns, attribute=True)}"'
                      for prefix, ns in sorted(namespaces.items())))
    out.write(">\n")
    for subject, group in itertools.groupby(triples, key=lambda t: t.subject):
        if not isinstance(subject, NamedNode):
            raise ValueError(f"unexpected blank node subject {subject!r}")
        rows = sorted(((qname(t.predicate.value), str(t.object), t.object) for t in group),
                      key=lambda row: row[:2])
        out.write(f'  <rdf:Description rdf:about="{_escape(subject.value, attribute=True)}">\n')
        out.write("".join(_property(name, o) + "\n" for name, _, o in rows))
        out.write("  </rdf:Description>\n")
    out.write("</rdf:RDF>\n")


def rdfxml_text(triples: Iterable[Triple], namespaces: Mapping[str, str]) -> str:
    """Return ``triples`` as an RDF/XML document (see :func:`write_rdfxml_stream`)."""
    out = io.StringIO()
    write_rdfxml_stream(triples, out, namespaces)
    return out.getvalue()
