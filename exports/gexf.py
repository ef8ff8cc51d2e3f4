"""GEXF 1.3 exports for Gephi and Gephi Lite, with colours, sizes and positions.

networkx only writes GEXF 1.2draft and reads list values as time-varying, so this module
writes GEXF 1.3 (namespace ``http://gexf.net/1.3``) itself with :mod:`xml.etree`, from the
flat graphs of :mod:`paperkg.exports.flatten`: every attribute is declared once with its type,
values are scalars, and the document is static. Each node carries ``viz:color`` (one
colour per type, :mod:`paperkg.exports.palette`), ``viz:size`` (grows with degree or paper count)
and ``viz:position`` (the seeded layout of :mod:`paperkg.exports.layout`), so the file opens laid
out. Output is byte-identical across runs. :func:`read_gexf` reads the files back.

Examples
--------
>>> import io, networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node("paper:p", kind="paper", label="A <b> title")
>>> G.add_node("concept:BERT", kind="concept", type="METHOD", label="BERT", paper_count=1)
>>> G.add_edge("paper:p", "concept:BERT", mentions=2)
>>> buf = io.BytesIO()
>>> write_gexf(G, buf)
>>> H = read_gexf(io.BytesIO(buf.getvalue()))
>>> H.nodes["paper:p"]["label"], H.nodes["concept:BERT"]["paper_count"]
('A <b> title', 1)
>>> H.edges["paper:p", "concept:BERT"]["weight"], H.nodes["concept:BERT"]["viz"]["color"]
(2.0, '#E69F00')
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from typing import BinaryIO

import networkx as nx

from paperkg.exports.flatten import flat_cooccurrence, flat_graph, xml_graph, xml_id, xml_text
from paperkg.exports.layout import positions
from paperkg.exports.palette import hex_rgb, node_colors, node_size
from paperkg.graph.structure import ensure_structure

__all__ = [
    "GEXF_NS",
    "VIZ_NS",
    "gexf_bytes",
    "read_gexf",
    "write_cooccurrence_gexf",
    "write_gexf",
]

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: Attributes that GEXF stores on the element itself, never as attvalues.
_NODE_ELEMENT_ATTRS = ("label",)
_EDGE_ELEMENT_ATTRS = ("weight", "label", "type", "kind", "id")
#: Characters XML 1.0 forbids; a stray control character would make the file unreadable.
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return xml_text(str(value))


def _declare(parent: ET.Element, cls: str, items, skip) -> list[str]:
    """Declare the attributes of nodes or edges; return their names in order."""
    kinds: dict[str, type] = {}
    for *_, d in items:
        for k, v in d.items():
            if k not in skip:
                kinds.setdefault(k, type(v))
    names = sorted(kinds)
    block = ET.SubElement(parent, "attributes", {"class": cls, "mode": "static"})
    for name in names:
        ET.SubElement(
            block, "attribute", {"id": name, "title": name, "type": _TYPES.get(kinds[name], "string")}
        )
    return names


def _attvalues(parent: ET.Element, data: dict, names: list[str]) -> None:
    present = [n for n in names if n in data]
    if present:
        block = ET.SubElement(parent, "attvalues")
        for name in present:
            ET.SubElement(block, "attvalue", {"for": name, "value": _text(data[name])})


def gexf_bytes(
    H: nx.Graph,
    *,
    pos: dict[str, tuple[float, float]],
    sizes: dict[str, float],
    description: str,
    colors: dict[str, str] | None = None,
) -> bytes:
    """Return a flat graph (from :mod:`paperkg.exports.flatten`) as a GEXF 1.3 document.

    ``pos`` and ``sizes`` give each node's ``viz:position`` and ``viz:size``; its colour
    is ``colors[node]`` (``#RRGGBB``), by default the colour of its ``type`` attribute. Node ids are :func:`~paperkg.exports.flatten.xml_id`
    (two ids never merge), with paperkg's id in the ``paperkg_id`` attribute.
    """
    colors = {xml_id(n): c for n, c in (colors or node_colors(H.nodes(data=True))).items()}
    H = xml_graph(H)
    pos = {xml_id(n): xy for n, xy in pos.items()}
    sizes = {xml_id(n): size for n, size in sizes.items()}
    root = ET.Element(
        "gexf",
        {
            "xmlns": GEXF_NS,
            "xmlns:viz": VIZ_NS,
            "xmlns:xsi": _XSI_NS,
            "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd",
            "version": "1.3",
        },
    )
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = xml_text(str(H.graph.get("generator") or "paperkg"))
    ET.SubElement(meta, "description").text = xml_text(description)
    edge_type = "directed" if H.is_directed() else "undirected"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": edge_type, "mode": "static"})
    nodes = sorted(H.nodes(data=True))
    edges = sorted(H.edges(data=True), key=lambda e: (e[0], e[1]))
    node_names = _declare(graph, "node", nodes, _NODE_ELEMENT_ATTRS)
    edge_names = _declare(graph, "edge", edges, _EDGE_ELEMENT_ATTRS)

    node_block = ET.SubElement(graph, "nodes")
    for n, d in nodes:
        # GEXF types a label as xsd:token: no line breaks, no runs of spaces.
        label = " ".join(_text(d.get("label", n)).split())
        el = ET.SubElement(node_block, "node", {"id": n, "label": label})
        _attvalues(el, d, node_names)
        r, g, b = hex_rgb(colors.get(n, "#000000"))
        ET.SubElement(el, "viz:color", {"r": str(r), "g": str(g), "b": str(b)})
        x, y = pos.get(n, (0.0, 0.0))
        ET.SubElement(el, "viz:position", {"x": repr(x), "y": repr(y), "z": "0.0"})
        ET.SubElement(el, "viz:size", {"value": repr(float(sizes.get(n, 1.0)))})

    edge_block = ET.SubElement(graph, "edges")
    for i, (u, v, d) in enumerate(edges):
        attrs = {"id": str(i), "source": u, "target": v}
        if "weight" in d:
            attrs["weight"] = repr(float(d["weight"]))
        el = ET.SubElement(edge_block, "edge", attrs)
        _attvalues(el, d, edge_names)

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _write(data: bytes, path: str | os.PathLike | BinaryIO) -> None:
    if hasattr(path, "write"):
        path.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def _colored(G: nx.DiGraph, color: str) -> nx.DiGraph:
    """``G``, with its communities computed if the colouring needs them and it has none."""
    node_colors([], by=color)  # an unknown colouring fails before any work
    return ensure_structure(G) if color == "community" else G


def write_gexf(G: nx.DiGraph, path: str | os.PathLike | BinaryIO, *, color: str = "type") -> None:
    """Write the paper–concept graph as GEXF 1.3 (directed; node size grows with degree).

    Edge ``weight`` is the number of mentions of the concept in the paper. Nodes are
    coloured by ``color``: ``"type"`` or ``"community"`` (:mod:`paperkg.exports.palette`).
    """
    G = _colored(G, color)
    H = flat_graph(G)
    for _, _, d in H.edges(data=True):
        d["weight"] = float(d.get("mentions", 1) or 1)
    sizes = {n: node_size(H.degree(n)) for n in H}
    description = "paperkg paper–concept graph: papers and the methods, datasets and tasks they mention"
    colors = node_colors(H.nodes(data=True), by=color)
    _write(gexf_bytes(H, pos=positions(H), sizes=sizes, description=description, colors=colors), path)


def write_cooccurrence_gexf(
    G: nx.DiGraph, path: str | os.PathLike | BinaryIO, *, color: str = "type"
) -> None:
    """Write the concept co-occurrence graph as GEXF 1.3 (undirected; weight = shared papers).

    Node size grows with the concept's paper count; colours as in :func:`write_gexf`.
    """
    G = _colored(G, color)
    C = flat_cooccurrence(G)
    C.graph.setdefault("generator", G.graph.get("generator") or "paperkg")
    sizes = {n: node_size(d.get("paper_count", 0) or 0) for n, d in C.nodes(data=True)}
    description = "paperkg concept co-occurrence graph: concepts joined by the papers they share"
    _write(
        gexf_bytes(C, pos=positions(C, weight="weight"), sizes=sizes, description=description,
                   colors=node_colors(C.nodes(data=True), by=color)),
        path,
    )


_PARSE = {
    "boolean": lambda s: s == "true",
    "integer": int,
    "long": int,
    "float": float,
    "double": float,
}


def read_gexf(path: str | os.PathLike | BinaryIO) -> nx.Graph:
    """Read a GEXF 1.3 file written by this module back into a networkx graph.

    Attribute values get their declared types; ``label`` (whitespace collapsed, as GEXF
    types it ``xsd:token``) is a node attribute and each
    node's ``viz`` is ``{"color": "#RRGGBB", "size": float, "position": (x, y)}``.
    """
    ns = {"g": GEXF_NS, "viz": VIZ_NS}
    root = ET.parse(path).getroot()
    graph = root.find("g:graph", ns)
    directed = graph.get("defaultedgetype") == "directed"
    H = nx.DiGraph() if directed else nx.Graph()
    types: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for block in graph.findall("g:attributes", ns):
        for a in block.findall("g:attribute", ns):
            types[block.get("class")][a.get("id")] = a.get("type")

    def values(el, cls):
        out = {}
        for av in el.findall("g:attvalues/g:attvalue", ns):
            name = av.get("for")
            out[name] = _PARSE.get(types[cls].get(name), str)(av.get("value"))
        return out

    for el in graph.findall("g:nodes/g:node", ns):
        d = values(el, "node")
        d["label"] = el.get("label")
        c = el.find("viz:color", ns)
        p = el.find("viz:position", ns)
        s = el.find("viz:size", ns)
        d["viz"] = {
            "color": "#{:02X}{:02X}{:02X}".format(*(int(c.get(k)) for k in "rgb")),
            "size": float(s.get("value")),
            "position": (float(p.get("x")), float(p.get("y"))),
        }
        H.add_node(el.get("id"), **d)
    for el in graph.findall("g:edges/g:edge", ns):
        d = values(el, "edge")
        if el.get("weight") is not None:
            d["weight"] = float(el.get("weight"))
        H.add_edge(el.get("source"), el.get("target"), **d)
    return H
