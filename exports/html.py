"""A self-contained interactive HTML map of the paper–concept graph (one file, offline).

The page (:file:`exports/html_template.html`, which holds the page's own script) inlines
sigma.js and graphology from :file:`exports/vendor` (versions and licences in its README)
and the graph as JSON in a ``<script type="application/json">`` block. Nodes are coloured by type
(:mod:`paperkg.exports.palette`) and placed by the seeded layout (:mod:`paperkg.exports.layout`), the
same as in the GEXF export. A search box finds papers and concepts; clicking a paper
highlights its concepts and lists its related papers (:func:`paperkg.graph.queries.related`,
shared concepts weighted by rarity); clicking a concept lists its papers.

Data never becomes markup: the JSON escapes ``<``, ``>`` and ``&`` as ``\\u003c`` etc., so
a title holding ``</script>`` cannot end the block, the page sets text with
``textContent`` only, and a Content-Security-Policy admits only the page's own scripts
(by SHA-256) and no network at all. The bytes depend only on the graph.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node("paper:p", kind="paper", label="<script>x</script>", title="<script>x</script>")
>>> G.add_node("concept:BERT", kind="concept", type="METHOD", label="BERT", paper_count=1)
>>> G.add_edge("paper:p", "concept:BERT", mentions=1)
>>> page = html_bytes(G).decode()
>>> "<script>x" in page, "\\\\u003cscript\\\\u003ex" in page
(False, True)
>>> html_bytes(G) == html_bytes(G)
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from importlib import resources
from typing import BinaryIO

import networkx as nx

from paperkg.exports.layout import positions
from paperkg.exports.palette import COLORS, HIGHLIGHT, TYPE_LABELS, node_size
from paperkg.graph.queries import related
from paperkg.graph.schema import CONCEPT, PAPER

__all__ = ["MAP_TITLE", "html_bytes", "json_for_script", "map_data", "write_html"]

MAP_TITLE = "paperkg map"
#: Related papers listed per paper.
RELATED_LIMIT = 10
_VENDOR = {
    "__GRAPHOLOGY__": "vendor/graphology.umd.min.js",
    "__SIGMA__": "vendor/sigma.min.js",
}
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_MARKER = re.compile(r"__[A-Z]+__")
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_for_script(value: object) -> str:
    """Return ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    Keys are sorted; ``<``, ``>``, ``&``, the JavaScript line separators and lone
    surrogates are escaped, so no string can close the element or open a comment, and
    the page is always valid UTF-8.

    >>> json_for_script({"t": "</script><!-- & \\u2028"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003c!-- \\\\u0026 \\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
        ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    # A lone surrogate (possible in JSON input) cannot be written as UTF-8: keep it escaped.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _node_type(d: dict) -> str:
    return "paper" if d.get("kind") == PAPER else str(d.get("type", "")).lower()


def map_data(G: nx.DiGraph, *, title: str = MAP_TITLE) -> dict:
    """Return what the page shows: nodes (with layout and details), edges, related papers.

    Nodes are in sorted id order and edges refer to them by index.
    """
    pos = positions(G)
    order = sorted(G)
    index = {n: i for i, n in enumerate(order)}
    nodes = []
    for n in order:
        d = G.nodes[n]
        x, y = pos[n]
        kind = _node_type(d)
        node = {
            "id": n,
            "label": str(d.get("label") or d.get("title") or n),
            "type": kind,
            "x": x,
            "y": y,
            "size": round(node_size(G.degree(n)) / 3, 2),
            "count": int(d.get("paper_count", 0) or 0) if d.get("kind") == CONCEPT else G.degree(n),
        }
        if d.get("kind") == PAPER:
            node["date"] = str(d.get("date") or "")
            node["url"] = str(d.get("url") or "")
            node["code"] = [str(u) for u in d.get("code_urls", ())]
            node["abstract"] = str(d.get("abstract") or "")
            node["related"] = [
                [index[r.paper], r.score, list(r.shared)]
                for r in related(G, n, limit=RELATED_LIMIT)
            ]
        else:
            label = node["label"]
            node["aliases"] = [a for a in d.get("aliases", ()) if a != label]
        nodes.append(node)
    edges = sorted([index[u], index[v]] for u, v in G.edges())
    return {
        "title": title,
        "highlight": HIGHLIGHT,
        "types": [[t, COLORS[t], TYPE_LABELS[t]] for t in COLORS],
        "nodes": nodes,
        "edges": edges,
    }


def _read(name: str) -> str:
    text = resources.files("paperkg.exports").joinpath(name).read_text(encoding="utf-8")
    return _SOURCE_MAP.sub("", text).rstrip("\n")


def _csp(page: str) -> str:
    """Return a policy that runs only the page's own inline scripts and loads nothing."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in _SCRIPT.findall(page)
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "img-src data: blob:; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def html_bytes(G: nx.DiGraph, *, title: str = MAP_TITLE) -> bytes:
    """Return the map of ``G`` as one self-contained HTML document (UTF-8 bytes)."""
    values = {
        "__DATA__": json_for_script(map_data(G, title=title)),
        "__TITLE__": html.escape(title),
        "__GENERATOR__": html.escape(str(G.graph.get("generator") or "paperkg")),
        "__CSP__": "__CSP__",
    }
    for marker, name in _VENDOR.items():
        code = _read(name)
        if re.search(r"</script|<!--", code, re.I):
            raise ValueError(f"{name} cannot be inlined: it contains '</script' or '<!--'")
        values[marker] = code
    # One pass, so nothing inserted is ever scanned for markers again.
    page = _MARKER.sub(lambda m: values[m.group(0)], _read("html_template.html"))
    # The policy sits in <head> before any inserted text: its marker is the first one.
    page = page.replace("__CSP__", _csp(page), 1)
    return page.encode("utf-8")


def write_html(G: nx.DiGraph, path: str | os.PathLike | BinaryIO) -> None:
    """Write the interactive map of ``G`` to ``path``."""
    data = html_bytes(G)
    if hasattr(path, "write"):
        path.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)
