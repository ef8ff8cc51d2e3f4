"""Compact JSON-LD written as a stream: one node object per subject, with an ``@context``.

Each subject's triples become one node object of the ``@graph`` array, encoded and written
before the next is read, so memory does not grow with the document. Predicates and types
are compact IRIs (``pkg:Paper``, ``dcterms:title``) of the context's prefixes; ``@id``
values stay full IRIs. A plain string is a JSON string and an ``xsd:integer`` a JSON
number; any other typed literal (``xsd:double`` included) is a value object with its
exact lexical form, so every JSON-LD processor reads back the same literal. Keys are
sorted, a predicate with several values has them in a sorted array.

Examples
--------
>>> from pyoxigraph import Literal, NamedNode, Triple
>>> s = NamedNode("https://ex.org/s")
>>> xsd = "http://www.w3.org/2001/XMLSchema#"
>>> triples = [Triple(s, NamedNode("https://ex.org/v#n"), Literal("3", datatype=NamedNode(xsd + "integer"))),
...            Triple(s, NamedNode("https://ex.org/v#x"), Literal("0.5", datatype=NamedNode(xsd + "double")))]
>>> print(jsonld_text(triples, {"v": "https://ex.org/v#", "xsd": xsd}))
{
 "@context": {
  "v": "https://ex.org/v#",
  "xsd": "http://www.w3.org/2001/XMLSchema#"
 },
 "@graph": [
  {
   "@id": "https://ex.org/s",
   "v:n": 3,
   "v:x": {
    "@type": "xsd:double",
    "@value": "0.5"
   }
  }
 ]
}
<BLANKLINE>
"""

from __future__ import annotations

import functools
import io
import itertools
import json
from collections.abc import Iterable, Mapping
from typing import TextIO

from pyoxigraph import Literal, NamedNode, Triple

__all__ = ["jsonld_text", "write_jsonld_stream"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_XSD_INTEGER = _XSD + "integer"


def _dumps(value: object, indent: str = "") -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return text.replace("\n", "\n" + indent) if indent else text


def _canonical_integer(text: str) -> bool:
    """Whether ``text`` is an integer's canonical form (a JSON number reads back as it)."""
    try:
        return str(int(text)) == text
    except ValueError:
        return False


def write_jsonld_stream(triples: Iterable[Triple], out: TextIO, context: Mapping[str, str]) -> None:
    """Write ``triples`` to the text stream ``out`` as compact JSON-LD with ``context``.

    The triples of one subject must be consecutive (each run is one node object, written
    in the order given); ``context`` maps prefixes to namespace IRIs.

    Raises
    ------
    ValueError
        For a blank-node subject or object.
    """
    namespaces = sorted(context.items(), key=lambda item: -len(item[1]))

    @functools.lru_cache(maxsize=None)
    def compact(iri: str) -> str:
        for prefix, namespace in namespaces:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def value(o: NamedNode | Literal) -> object:
        if isinstance(o, NamedNode):
            return {"@id": o.value}
        if not isinstance(o, Literal):
            raise ValueError(f"unexpected blank node {o!r}")
        if o.language:
            return {"@language": o.language, "@value": o.value}
        datatype = o.datatype.value
        if datatype == _XSD_STRING:
            return o.value
        if datatype == _XSD_INTEGER and _canonical_integer(o.value):
            return int(o.value)
        return {"@type": compact(datatype), "@value": o.value}

    out.write('{\n "@context": ' + _dumps(dict(sorted(context.items())), " ") + ',\n "@graph": [')
    first = True
    for subject, group in itertools.groupby(triples, key=lambda t: t.subject):
        if not isinstance(subject, NamedNode):
            raise ValueError(f"unexpected blank node subject {subject!r}")
        node: dict[str, list] = {"@id": [subject.value]}
        for t in group:
            p = t.predicate.value
            if p == _RDF_TYPE and isinstance(t.object, NamedNode):
                node.setdefault("@type", []).append(compact(t.object.value))
            else:
                node.setdefault(compact(p), []).append(value(t.object))
        flat = {
            k: v[0] if len(v) == 1 else sorted(v, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
            for k, v in node.items()
        }
        out.write(("\n  " if first else ",\n  ") + _dumps(flat, "  "))
        first = False
    out.write("\n ]\n}\n" if not first else "]\n}\n")


def jsonld_text(triples: Iterable[Triple], context: Mapping[str, str]) -> str:
    """Return ``triples`` as a compact JSON-LD document (see :func:`write_jsonld_stream`)."""
    out = io.StringIO()
    write_jsonld_stream(triples, out, context)
    return out.getvalue()
