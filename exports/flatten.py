"""Flatten the paper–concept graph for tools with typed, scalar-only attributes.

GraphML and GEXF readers (Gephi, igraph, graphology) want every attribute declared with
one type, no ``None`` and no list values. networkx's GEXF writer also reads list values
as time-varying and reserves node keys such as ``start``, ``end``, ``label``, ``pid`` and
``viz``. All of that is handled here, once, for every Gephi-family export.

Node ids stay exactly paperkg's ids in the flat graphs (the CSV tables use them as is).
XML formats need more: :func:`xml_id` maps an id to one XML can carry (and, for
GraphML, a valid ``NMTOKEN``) without ever merging two ids, and :func:`xml_graph` relabels
a flat graph with those ids, keeping paperkg's id in the ``paperkg_id`` attribute.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import networkx as nx

from paperkg.graph.cooccurrence import cooccurrence_graph
from paperkg.graph.schema import PAPER

__all__ = [
    "ID_ATTR",
    "JOIN",
    "attribute_kinds",
    "fill_defaults",
    "flat_attrs",
    "flat_cooccurrence",
    "flat_graph",
    "flat_graph_attrs",
    "flat_node",
    "flat_node_types",
    "flat_type",
    "flat_types",
    "flat_value",
    "graph_kinds",
    "node_kinds",
    "node_type",
    "xml_graph",
    "xml_id",
    "xml_ids",
    "xml_text",
]

#: Separator for list values joined into one string.
JOIN = " | "
#: Attribute names that some writers reserve, and what they are exported as.
RENAMED = {"start": "offset_start", "end": "offset_end", "pid": "paper_pid", "viz": "viz_attr"}
#: Attributes too long or too internal for a Gephi table.
DROPPED_GRAPH_ATTRS = ("merges", "ambiguous_acronyms", "communities")


#: Characters XML 1.0 cannot carry (C0 controls other than tab, newline, return; FFFE/FFFF).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Return ``value`` without the characters XML 1.0 cannot carry.

    Input text is kept exactly as given elsewhere; only file formats built on XML
    (GraphML, GEXF, RDF/XML) need this, and every exporter uses this one function.

    >>> xml_text("a\\x0bb\\tc")
    'ab\\tc'
    """
    if value.isascii() and value.isprintable():  # the common case: nothing to drop
        return value
    return _XML_INVALID.sub("", value)


#: The node attribute that keeps paperkg's own id where an XML id had to be escaped.
ID_ATTR = "paperkg_id"
#: Characters an ``NMTOKEN`` id keeps as they are (ASCII name characters; "_" is special).
_NMTOKEN_CHAR = re.compile(r"[A-Za-z0-9.:\-]")
#: Characters any XML id escapes: those XML cannot carry, and whitespace other than space.
_XML_ID_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def xml_id(node_id: str, *, nmtoken: bool = False) -> str:
    """Return ``node_id`` as an id XML can carry; two different ids never give the same one.

    A character that cannot stay becomes ``_xHHHH_`` (its code point in hex, as .NET's
    ``XmlConvert.EncodeName`` does) and a ``_`` followed by ``x`` becomes ``_x005F_``, so
    the mapping is injective. With ``nmtoken`` (GraphML ids must be ``NMTOKEN`` values) only
    ASCII letters, digits, ``.``, ``:``, ``-`` and ``_`` stay; otherwise every character
    XML 1.0 can carry stays, except control characters and line separators.

    >>> xml_id("concept:graph neural network", nmtoken=True)
    'concept:graph_x0020_neural_x0020_network'
    >>> xml_id("paper:a\\x01"), xml_id("paper:a_x0001_"), xml_id("concept:Zürich 東京")
    ('paper:a_x0001_', 'paper:a_x005F_x0001_', 'concept:Zürich 東京')
    """
    out = []
    for i, ch in enumerate(node_id):
        if ch == "_":
            keep = node_id[i + 1 : i + 2] != "x"
        elif nmtoken:
            keep = bool(_NMTOKEN_CHAR.match(ch))
        else:
            keep = not _XML_ID_UNSAFE.match(ch)
        out.append(ch if keep else f"_x{ord(ch):04X}_")
    return "".join(out)


def xml_graph(H: nx.Graph, *, nmtoken: bool = False) -> nx.Graph:
    """Return a copy of the flat graph ``H`` with :func:`xml_id` node ids.

    Every node keeps paperkg's id (less what XML cannot carry) in :data:`ID_ATTR`; edges
    follow their nodes, in the same order.
    """
    X = H.__class__()
    X.graph.update(H.graph)
    for n, d in H.nodes(data=True):
        X.add_node(xml_id(n, nmtoken=nmtoken), **d, **{ID_ATTR: xml_text(n)})
    for u, v, d in H.edges(data=True):
        X.add_edge(xml_id(u, nmtoken=nmtoken), xml_id(v, nmtoken=nmtoken), **d)
    if X.number_of_nodes() != H.number_of_nodes():  # cannot happen: xml_id is injective
        raise ValueError("two node ids map to one XML id")
    return X


def flat_value(value: object) -> str | int | float | bool:
    """Return ``value`` as an XML-safe scalar: lists joined, dicts as ``k=v;…``, ``None`` as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, (tuple, list)):
        return JOIN.join(str(flat_value(v)) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={value[k]}" for k in sorted(value))
    if isinstance(value, (bool, int, float)):
        return value
    return str(value)


def node_type(data: dict) -> str:
    """Return the exported node type: ``paper``, ``method``, ``dataset`` or ``task``."""
    if data.get("kind") == PAPER:
        return "paper"
    return str(data.get("type", "")).lower()


def flat_type(value: object) -> type:
    """Return the type of ``flat_value(value)`` without building it.

    >>> flat_type(("a", "b")), flat_type(None), flat_type(3), flat_type(True)
    (<class 'str'>, <class 'str'>, <class 'int'>, <class 'bool'>)
    """
    if isinstance(value, (bool, int, float)):
        return type(value)
    return str


def flat_attrs(data: dict) -> dict:
    """Return a node's or edge's attributes flat (:func:`flat_value`), renamed, sorted by name."""
    return {RENAMED.get(k, k): flat_value(v) for k, v in sorted(data.items())}


def flat_types(data: dict) -> dict[str, type]:
    """Return the types of :func:`flat_attrs` of ``data``, without flattening the values."""
    return {RENAMED.get(k, k): flat_type(v) for k, v in sorted(data.items())}


def flat_node(node: str, data: dict) -> dict:
    """Return a node's flat attributes, with ``type`` (paper / method / …) and ``label``."""
    attrs = flat_attrs(data)
    attrs["type"] = node_type(data)
    attrs.setdefault("label", xml_text(node))
    return attrs


def flat_node_types(data: dict) -> dict[str, type]:
    """Return the types of :func:`flat_node`'s attributes, without flattening the values."""
    types = flat_types(data)
    types["type"] = str
    types.setdefault("label", str)
    return types


def flat_graph_attrs(graph: dict) -> dict:
    """Return a graph's attributes flat, sorted, less those too long for a table."""
    return {k: flat_value(v) for k, v in sorted(graph.items()) if k not in DROPPED_GRAPH_ATTRS}


def attribute_kinds(types: Iterable[dict[str, type]]) -> dict[str, type]:
    """Return each attribute's type: the first one seen, in the order given.

    A streaming writer passes :func:`flat_types` of every node (or edge) in its order, then
    gives each record every attribute of that type with :func:`fill_defaults`.
    """
    kinds: dict[str, type] = {}
    for t in types:
        for k, v in t.items():
            kinds.setdefault(k, v)
    return kinds


def node_kinds(G: nx.Graph, nodes: list[str]) -> dict[str, type]:
    """Each node attribute's type over ``nodes`` (in that order), plus :data:`ID_ATTR`."""
    kinds = attribute_kinds(flat_node_types(G.nodes[n]) for n in nodes)
    return {**kinds, ID_ATTR: str} if nodes else kinds


def graph_kinds(G: nx.DiGraph, nodes: list[str]) -> dict[str, dict[str, type]]:
    """The ``"node"`` and ``"edge"`` attribute types of the paper–concept graph ``G``, for a
    streaming writer: nodes in the order of ``nodes``, each one's edges by sorted target."""
    edges = (flat_types(G.succ[u][v]) for u in nodes for v in sorted(G.succ[u]))
    return {"node": node_kinds(G, nodes), "edge": attribute_kinds(edges)}


def xml_ids(nodes: Iterable[str], *, nmtoken: bool = False) -> dict[str, str]:
    """Each node's XML id (:func:`xml_id`; an ``NMTOKEN`` if ``nmtoken``, as GraphML wants)."""
    ids = {n: xml_id(n, nmtoken=nmtoken) for n in nodes}
    if len(set(ids.values())) != len(ids):  # cannot happen: xml_id is injective
        raise ValueError("two node ids map to one XML id")
    return ids


def fill_defaults(attrs: dict, kinds: dict[str, type]) -> dict:
    """Give ``attrs`` every attribute of ``kinds`` (``t()`` where missing), each of its type.

    >>> fill_defaults({"a": 1}, {"a": str, "b": int, "c": bool})
    {'a': '1', 'b': 0, 'c': False}
    """
    for k, t in kinds.items():
        if k not in attrs:
            attrs[k] = t()
        elif type(attrs[k]) is not t:
            attrs[k] = t(attrs[k]) if t is not bool else bool(attrs[k])
    return attrs


def _fill_defaults(H: nx.Graph) -> None:
    """Give every node and edge every attribute of its kind, so each column has one type."""
    for items in (H.nodes(data=True), H.edges(data=True)):
        items = list(items)
        kinds = attribute_kinds({k: type(v) for k, v in d.items()} for *_, d in items)
        for *_, d in items:
            fill_defaults(d, kinds)


def flat_graph(G: nx.DiGraph) -> nx.DiGraph:
    """Return a copy of the paper–concept graph with scalar, typed, renamed attributes.

    Every node gets ``label`` and ``type`` (paper / method / dataset / task).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("paper:p", kind="paper", label="T", sources=("a:1", "b:2"))
    >>> G.add_node("concept:BERT", kind="concept", type="METHOD", label="BERT")
    >>> G.add_edge("paper:p", "concept:BERT", start=3, end=7)
    >>> H = flat_graph(G)
    >>> H.nodes["paper:p"]["sources"], H.nodes["concept:BERT"]["type"]
    ('a:1 | b:2', 'method')
    >>> sorted(H.edges["paper:p", "concept:BERT"])
    ['offset_end', 'offset_start']
    """
    return _flat_copy(G, nx.DiGraph())


def flat_cooccurrence(G: nx.DiGraph) -> nx.Graph:
    """Return the concept co-occurrence graph of ``G`` with flat attributes."""
    return _flat_copy(cooccurrence_graph(G), nx.Graph())


def _flat_copy(G: nx.Graph, H: nx.Graph) -> nx.Graph:
    """Fill the empty graph ``H`` with ``G``'s nodes and edges, flat and in sorted order."""
    H.graph.update(flat_graph_attrs(G.graph))
    for n, d in sorted(G.nodes(data=True)):
        H.add_node(n, **flat_node(n, d))
    for u, v, d in sorted(G.edges(data=True), key=lambda e: e[:2]):
        H.add_edge(u, v, **flat_attrs(d))
    _fill_defaults(H)
    return H
