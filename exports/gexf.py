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

import io
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, TextIO

import networkx as nx
import numpy as np

from paperkg.exports.flatten import (
    ID_ATTR, attribute_kinds, fill_defaults, flat_attrs, flat_graph_attrs, flat_node,
    flat_value, graph_kinds, node_kinds, xml_ids, xml_text,
)
from paperkg.exports.layout import positions
from paperkg.exports.palette import hex_rgb, node_colors, node_size
from paperkg.graph.cooccurrence import cooccurrence_counts
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


#: A character that :func:`_attr` escapes; most values have none and come back as they are.
_ESCAPED = re.compile('[&<>"\r\n\t]')


def _attr(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute (as :mod:`xml.etree` escapes it)."""
    if _ESCAPED.search(text) is None:
        return text
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def _cdata(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _declare(out: TextIO, cls: str, kinds: dict[str, type], skip) -> list[str]:
    """Declare the attributes of nodes or edges; return their names in order."""
    names = sorted(k for k in kinds if k not in skip)
    if not names:
        out.write(f'    <attributes class="{cls}" mode="static" />\n')
        return names
    out.write(f'    <attributes class="{cls}" mode="static">\n')
    for name in names:
        out.write(f'      <attribute id="{_attr(name)}" title="{_attr(name)}" '
                  f'type="{_TYPES.get(kinds[name], "string")}" />\n')
    out.write("    </attributes>\n")
    return names


def _openers(names: list[str], indent: str) -> list[tuple[str, str]]:
    """Each attribute name with the text that opens its ``attvalue`` (escaped once, not per element)."""
    return [(n, f'{indent}  <attvalue for="{_attr(n)}" value="') for n in names]


def _attvalues(data: dict, openers: list[tuple[str, str]], indent: str) -> str:
    inner = "".join(f'{opener}{_attr(_text(data[n]))}" />\n' for n, opener in openers if n in data)
    return f"{indent}<attvalues>\n{inner}{indent}</attvalues>\n" if inner else ""


def _write_document(
    out: TextIO,
    *,
    creator: str,
    description: str,
    directed: bool,
    kinds: dict[str, dict[str, type]],
    nodes: Iterable[tuple[str, dict, str, tuple[float, float], float]],
    edges: Iterable[tuple[str, str, float | None, dict]],
) -> None:
    """Write a GEXF 1.3 document to ``out``, one node or edge at a time.

    ``kinds`` maps ``"node"`` and ``"edge"`` to each attribute's type; ``nodes`` are
    ``(xml id, flat attributes with label, "#RRGGBB", (x, y), size)`` and ``edges``
    ``(source, target, weight or None, flat attributes)``, both in the order to write them.
    """
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" xmlns:xsi="{_XSI_NS}" '
              f'xsi:schemaLocation="{GEXF_NS} {GEXF_NS}/gexf.xsd" version="1.3">\n'
              f"  <meta>\n    <creator>{_cdata(xml_text(creator))}</creator>\n"
              f"    <description>{_cdata(xml_text(description))}</description>\n  </meta>\n"
              f'  <graph defaultedgetype="{"directed" if directed else "undirected"}" mode="static">\n')
    node_names = _openers(_declare(out, "node", kinds["node"], _NODE_ELEMENT_ATTRS), "        ")
    edge_names = _openers(_declare(out, "edge", kinds["edge"], _EDGE_ELEMENT_ATTRS), "        ")
    first = True
    for n, d, color, (x, y), size in nodes:
        if first:
            out.write("    <nodes>\n")
            first = False
        # GEXF types a label as xsd:token: no line breaks, no runs of spaces.
        label = " ".join(_text(d.get("label", n)).split())
        r, g, b = hex_rgb(color)
        out.write(f'      <node id="{_attr(n)}" label="{_attr(label)}">\n'
                  f'{_attvalues(d, node_names, "        ")}'
                  f'        <viz:color r="{r}" g="{g}" b="{b}" />\n'
                  f'        <viz:position x="{x!r}" y="{y!r}" z="0.0" />\n'
                  f'        <viz:size value="{float(size)!r}" />\n      </node>\n')
    out.write("    <nodes />\n" if first else "    </nodes>\n")
    count = 0
    for u, v, weight, d in edges:
        if not count:
            out.write("    <edges>\n")
        head = f'      <edge id="{count}" source="{_attr(u)}" target="{_attr(v)}"'
        if weight is not None:
            head += f' weight="{float(weight)!r}"'
        values = _attvalues(d, edge_names, "        ")
        out.write(f"{head}>\n{values}      </edge>\n" if values else f"{head} />\n")
        count += 1
    out.write("    </edges>\n" if count else "    <edges />\n")
    out.write("  </graph>\n</gexf>\n")


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
    is ``colors[node]`` (``#RRGGBB``), by default the colour of its ``type`` attribute.
    Node ids are :func:`~paperkg.exports.flatten.xml_id` (two ids never merge), with
    paperkg's id in the ``paperkg_id`` attribute.
    """
    colors = colors or node_colors(H.nodes(data=True))
    xid = xml_ids(H)
    kinds = {
        "node": attribute_kinds(
            {**{k: type(v) for k, v in d.items()}, ID_ATTR: str} for _, d in H.nodes(data=True)),
        "edge": attribute_kinds({k: type(v) for k, v in d.items()} for *_, d in H.edges(data=True)),
    }
    nodes = sorted(
        (xid[n], {**d, ID_ATTR: xml_text(n)}, colors.get(n, "#000000"), pos.get(n, (0.0, 0.0)),
         sizes.get(n, 1.0))
        for n, d in H.nodes(data=True)
    )
    edges = sorted(((xid[u], xid[v], d.get("weight"), d) for u, v, d in H.edges(data=True)),
                   key=lambda e: e[:2])
    out = io.StringIO()
    _write_document(out, creator=str(H.graph.get("generator") or "paperkg"),
                    description=description, directed=H.is_directed(), kinds=kinds,
                    nodes=nodes, edges=edges)
    return out.getvalue().encode("utf-8")


def _flat_nodes(G: nx.Graph, order: list[str], xid: dict[str, str], kinds: dict[str, type],
                colors: dict[str, str], pos: dict, sizes: dict):
    for n in order:
        d = fill_defaults(flat_node(n, G.nodes[n]), kinds)
        d[ID_ATTR] = xml_text(n)
        yield xid[n], d, colors.get(n, "#000000"), pos.get(n, (0.0, 0.0)), sizes[n]


@contextmanager
def _output(path: str | os.PathLike | BinaryIO) -> Iterator[TextIO]:
    """A text stream into ``path`` (a file name or a binary file object), UTF-8, ``\\n``."""
    if hasattr(path, "write"):
        wrapper = io.TextIOWrapper(path, encoding="utf-8", newline="\n", write_through=True)
        try:
            yield wrapper
            wrapper.flush()
        finally:
            wrapper.detach()
    else:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            yield f


def _colored(G: nx.DiGraph, color: str) -> nx.DiGraph:
    """``G``, with its communities computed if the colouring needs them and it has none."""
    node_colors([], by=color)  # an unknown colouring fails before any work
    return ensure_structure(G) if color == "community" else G


def write_gexf(G: nx.DiGraph, path: str | os.PathLike | BinaryIO, *, color: str = "type") -> None:
    """Write the paper–concept graph as GEXF 1.3 (directed; node size grows with degree).

    Edge ``weight`` is the number of mentions of the concept in the paper. Nodes are
    coloured by ``color``: ``"type"`` or ``"community"`` (:mod:`paperkg.exports.palette`).
    Streamed: attributes are flattened one node or edge at a time, never a copy of the
    graph or of the document.
    """
    G = _colored(G, color)
    order = sorted(G)
    xid = xml_ids(order)
    kinds = graph_kinds(G, order)
    by_xid = sorted(order, key=xid.__getitem__)
    sizes = {n: node_size(G.degree(n)) for n in order}
    colors = node_colors(G.nodes(data=True), by=color)
    edges = (
        (xid[u], xid[v], float(G.succ[u][v].get("mentions", 1) or 1),
         fill_defaults(flat_attrs(G.succ[u][v]), kinds["edge"]))
        for u in by_xid for v in sorted(G.succ[u], key=xid.__getitem__)
    )
    description = "paperkg paper–concept graph: papers and the methods, datasets and tasks they mention"
    with _output(path) as out:
        _write_document(
            out, creator=str(flat_graph_attrs(G.graph).get("generator") or "paperkg"),
            description=description, directed=True, kinds=kinds,
            nodes=_flat_nodes(G, by_xid, xid, kinds["node"], colors, positions(G), sizes),
            edges=edges,
        )


def write_cooccurrence_gexf(
    G: nx.DiGraph, path: str | os.PathLike | BinaryIO, *, color: str = "type"
) -> None:
    """Write the concept co-occurrence graph as GEXF 1.3 (undirected; weight = shared papers).

    Node size grows with the concept's paper count; colours as in :func:`write_gexf`. Each
    concept sits where it sits in the paper–concept map (:func:`write_gexf`, the same
    :func:`~paperkg.exports.layout.positions` of ``G``): concepts that share papers are
    near each other, and the two files show one picture (a build lays ``G`` out once for
    both). Streamed from the pair counts
    (:func:`paperkg.graph.cooccurrence.cooccurrence_counts`); no graph or attribute is
    copied.
    """
    G = _colored(G, color)
    concepts, i, j, weight = cooccurrence_counts(G)
    pos = positions(G)
    xid = xml_ids(concepts)
    kinds = {"node": node_kinds(G, concepts), "edge": {}}
    by_xid = sorted(concepts, key=xid.__getitem__)
    rank_of = {c: r for r, c in enumerate(by_xid)}
    rank = np.array([rank_of[c] for c in concepts], np.int64)
    order = np.lexsort((rank[j], rank[i]))  # edges sorted by (source, target) XML id
    edges = (
        (xid[concepts[a]], xid[concepts[b]], float(w), {})
        for a, b, w in zip(i[order].tolist(), j[order].tolist(), weight[order].tolist())
    )
    sizes = {c: node_size(G.nodes[c].get("paper_count", 0) or 0) for c in concepts}
    colors = node_colors(((c, G.nodes[c]) for c in concepts), by=color)
    description = "paperkg concept co-occurrence graph: concepts joined by the papers they share"
    with _output(path) as out:
        _write_document(
            out, creator=str(flat_value(G.graph.get("generator") or "paperkg")),
            description=description, directed=False, kinds=kinds,
            nodes=_flat_nodes(G, by_xid, xid, kinds["node"], colors, pos, sizes), edges=edges,
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
