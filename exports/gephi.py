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
  edges and data are sorted, so the bytes depend only on the graph.

Examples
--------
>>> import io
>>> G = nx.DiGraph()
>>> G.add_node("paper:p 1", kind="paper", label="A & B")
>>> G.add_node("concept:BERT", kind="concept", type="METHOD", label="BERT", paper_count=1)
>>> G.add_edge("paper:p 1", "concept:BERT", mentions=2)
>>> H = nx.read_graphml(io.BytesIO(graphml_bytes(flat_graph(G))))
>>> H.nodes["paper:p_x0020_1"]["paperkg_id"], H.edges["paper:p_x0020_1", "concept:BERT"]["mentions"]
('paper:p 1', 2)
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from paperkg.exports.flatten import flat_cooccurrence, flat_graph, xml_graph, xml_id, xml_text

__all__ = ["GRAPHML_NS", "graphml_bytes", "write_cooccurrence_graphml", "write_graphml"]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_SCHEMA = f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _escape(text: str, *, attribute: bool = False) -> str:
    text = xml_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
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


def graphml_bytes(H: nx.Graph) -> bytes:
    """Return a flat graph (:mod:`paperkg.exports.flatten`) as a GraphML document."""
    X = xml_graph(H, nmtoken=True)
    nodes = sorted(X.nodes(data=True))
    edges = sorted(X.edges(data=True), key=lambda e: e[:2])
    names: dict[str, dict[str, type]] = {"graph": {}, "node": {}, "edge": {}}
    for k, v in X.graph.items():
        names["graph"][k] = type(v)
    for domain, items in (("node", nodes), ("edge", edges)):
        for *_, d in items:
            for k, v in d.items():
                names[domain].setdefault(k, type(v))
    ids = _key_ids(names)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{_SCHEMA}">',
    ]
    for domain in ("graph", "node", "edge"):
        for name in sorted(names[domain]):
            out.append(
                f'  <key id="{ids[(domain, name)]}" for="{domain}"'
                f' attr.name="{_escape(name, attribute=True)}"'
                f' attr.type="{_TYPES.get(names[domain][name], "string")}"/>'
            )

    def data(domain: str, d: dict, indent: str) -> None:
        for k in sorted(d):
            out.append(f'{indent}<data key="{ids[(domain, k)]}">{_value(d[k])}</data>')

    edge_default = "directed" if X.is_directed() else "undirected"
    out.append(f'  <graph id="G" edgedefault="{edge_default}">')
    data("graph", X.graph, "    ")
    for n, d in nodes:
        out.append(f'    <node id="{n}">')
        data("node", d, "      ")
        out.append("    </node>")
    for u, v, d in edges:
        out.append(f'    <edge source="{u}" target="{v}">')
        data("edge", d, "      ")
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def _write(H: nx.Graph, path: str | os.PathLike) -> None:
    Path(path).write_bytes(graphml_bytes(H))


def write_graphml(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write the paper–concept graph as GraphML (directed edges paper → concept)."""
    _write(flat_graph(G), path)


def write_cooccurrence_graphml(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write the concept co-occurrence graph as GraphML (``weight`` = shared papers)."""
    _write(flat_cooccurrence(G), path)
