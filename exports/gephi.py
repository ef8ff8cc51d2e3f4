"""GraphML exports that Gephi imports as is: the paper–concept and co-occurrence graphs.

Attributes are flattened and typed by :mod:`paperkg.exports.flatten`: every attribute is
declared with a type, no value is ``None`` or a list, every node has a ``label`` and a
``type`` (paper / method / dataset / task).

The document is written here (not by networkx) so that it is valid by construction:

* node ids are valid ``NMTOKEN`` values and never merge two papers
  (:func:`~paperkg.exports.flatten.xml_id`); paperkg's own id is the ``paperkg_id``
  attribute, and edges point at the escaped ids;
* key ids are unique: an attribute's name where it is free, else prefixed with its
  domain (the co-occurrence graph's ``kind`` becomes the key ``graph_kind``), while
  ``attr.name`` keeps the name;
* text keeps everything XML can carry, a carriage return as ``&#13;``; keys, nodes,
  edges and data are sorted, so the bytes depend only on the graph;
* the files are streamed: one pass over the graph finds each attribute's type, a second
  writes node after node, flattening each as it goes, so memory does not grow with the
  document (no flat copy of the graph, no element tree, no co-occurrence graph: its edges
  come from the pair counts of :func:`~paperkg.graph.cooccurrence.cooccurrence_counts`).

Examples
--------
>>> import io
>>> from paperkg.exports.flatten import flat_graph
>>> G = nx.DiGraph()
>>> G.add_node("paper:p 1", kind="paper", label="A & B")
>>> G.add_node("concept:BERT", kind="concept", type="METHOD", label="BERT", paper_count=1)
>>> G.add_edge("paper:p 1", "concept:BERT", mentions=2)
>>> H = nx.read_graphml(io.BytesIO(graphml_bytes(flat_graph(G))))
>>> H.nodes["paper:p_x0020_1"]["paperkg_id"], H.edges["paper:p_x0020_1", "concept:BERT"]["mentions"]
('paper:p 1', 2)
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from typing import TextIO

import networkx as nx
import numpy as np

from paperkg.exports.flatten import (
    ID_ATTR, attribute_kinds, fill_defaults, flat_attrs, flat_graph_attrs, flat_node,
    graph_kinds, node_kinds, xml_id, xml_ids, xml_text,
)
from paperkg.graph.cooccurrence import cooccurrence_counts

__all__ = ["GRAPHML_NS", "graphml_bytes", "write_cooccurrence_graphml", "write_graphml"]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_SCHEMA = f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


#: A character that :func:`_escape` may replace; most values have none.
_ESCAPED = re.compile('[&<>"\r\n\t]')


def _escape(text: str, *, attribute: bool = False) -> str:
    text = xml_text(text)
    if _ESCAPED.search(text) is None:
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")  # a raw CR would be read back as LF
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return _escape(str(value))


def _key_ids(names: dict[str, dict[str, type]]) -> dict[tuple[str, str], str]:
    """Unique key ids: the attribute's name where free, else prefixed with its domain."""
    taken: set[str] = set()
    ids = {}
    for domain in ("node", "edge", "graph"):
        for name in sorted(names[domain]):
            key = xml_id(name, nmtoken=True)
            while key in taken:
                key = f"{domain}_{key}"
            taken.add(key)
            ids[(domain, name)] = key
    return ids


def _write_document(
    out: TextIO,
    graph_attrs: dict,
    kinds: dict[str, dict[str, type]],
    nodes: Iterable[tuple[str, dict]],
    edges: Iterable[tuple[str, str, dict]],
    *,
    directed: bool,
) -> None:
    """Write a GraphML document to ``out``, one node or edge at a time.

    ``kinds`` maps ``"node"`` and ``"edge"`` to each attribute's type (every record has
    every attribute, of that type); ``nodes`` are ``(xml id, attributes)`` and ``edges``
    ``(source, target, attributes)``, both in the order to write them.
    """
    names = {"graph": {k: type(v) for k, v in graph_attrs.items()}, **kinds}
    ids = _key_ids(names)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
              f' xsi:schemaLocation="{_SCHEMA}">\n')
    for domain in ("graph", "node", "edge"):
        for name in sorted(names[domain]):
            out.write(
                f'  <key id="{ids[(domain, name)]}" for="{domain}"'
                f' attr.name="{_escape(name, attribute=True)}"'
                f' attr.type="{_TYPES.get(names[domain][name], "string")}"/>\n'
            )

    def data(domain: str, d: dict, indent: str) -> str:
        return "".join(f'{indent}<data key="{ids[(domain, k)]}">{_value(d[k])}</data>\n'
                       for k in sorted(d))

    out.write(f'  <graph id="G" edgedefault="{"directed" if directed else "undirected"}">\n')
    out.write(data("graph", graph_attrs, "    "))
    for n, d in nodes:
        out.write(f'    <node id="{n}">\n{data("node", d, "      ")}    </node>\n')
    for u, v, d in edges:
        out.write(f'    <edge source="{u}" target="{v}">\n{data("edge", d, "      ")}    </edge>\n')
    out.write("  </graph>\n</graphml>\n")


def _flat_nodes(G: nx.Graph, nodes: list[str], xid: dict[str, str], kinds: dict[str, type]):
    for n in nodes:
        attrs = fill_defaults(flat_node(n, G.nodes[n]), kinds)
        attrs[ID_ATTR] = xml_text(n)
        yield xid[n], attrs


def graphml_bytes(H: nx.Graph) -> bytes:
    """Return a flat graph (:mod:`paperkg.exports.flatten`) as a GraphML document."""
    xid = xml_ids(H, nmtoken=True)
    kinds = {
        "node": attribute_kinds(
            {**{k: type(v) for k, v in d.items()}, ID_ATTR: str} for _, d in H.nodes(data=True)),
        "edge": attribute_kinds({k: type(v) for k, v in d.items()} for *_, d in H.edges(data=True)),
    }
    nodes = sorted(((xid[n], {**d, ID_ATTR: xml_text(n)}) for n, d in H.nodes(data=True)),
                   key=lambda nd: nd[0])
    edges = sorted(((xid[u], xid[v], d) for u, v, d in H.edges(data=True)), key=lambda e: e[:2])
    out = io.StringIO()
    _write_document(out, dict(H.graph), kinds, nodes, edges, directed=H.is_directed())
    return out.getvalue().encode("utf-8")


def _open(path: str | os.PathLike) -> TextIO:
    return open(path, "w", encoding="utf-8", newline="\n")


def write_graphml(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write the paper–concept graph as GraphML (directed edges paper → concept).

    Streamed: attributes are flattened one node or edge at a time, never a copy of the graph.
    """
    order = sorted(G)
    xid = xml_ids(order, nmtoken=True)
    kinds = graph_kinds(G, order)
    by_xid = sorted(order, key=xid.__getitem__)
    edges = (
        (xid[u], xid[v], fill_defaults(flat_attrs(G.succ[u][v]), kinds["edge"]))
        for u in by_xid for v in sorted(G.succ[u], key=xid.__getitem__)
    )
    with _open(path) as out:
        _write_document(out, flat_graph_attrs(G.graph), kinds,
                        _flat_nodes(G, by_xid, xid, kinds["node"]), edges, directed=True)


def write_cooccurrence_graphml(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write the concept co-occurrence graph as GraphML (``weight`` = shared papers).

    Streamed from the pair counts (:func:`paperkg.graph.cooccurrence.cooccurrence_counts`):
    no co-occurrence graph is built.
    """
    concepts, i, j, weight = cooccurrence_counts(G)
    xid = xml_ids(concepts, nmtoken=True)
    kinds = {"node": node_kinds(G, concepts), "edge": {"weight": int} if len(weight) else {}}
    by_xid = sorted(concepts, key=xid.__getitem__)
    position = {c: r for r, c in enumerate(by_xid)}
    rank = np.array([position[c] for c in concepts], np.int64)
    order = np.lexsort((rank[j], rank[i]))  # edges sorted by (source, target) XML id
    edges = (
        (xid[concepts[a]], xid[concepts[b]], {"weight": w})
        for a, b, w in zip(i[order].tolist(), j[order].tolist(), weight[order].tolist())
    )
    with _open(path) as out:
        _write_document(out, flat_graph_attrs({"kind": "cooccurrence"}), kinds,
                        _flat_nodes(G, by_xid, xid, kinds["node"]), edges, directed=False)
