"""A self-contained interactive HTML map of the paper–concept graph (one file, offline).

The page (:file:`exports/html_template.html`, which holds the page's own script) inlines
sigma.js and graphology from :file:`exports/vendor` (versions and licences in its README)
and the graph as JSON in a ``<script type="application/json">`` block. The map opens on the
concepts: sized by papers, coloured by community (or by type: a switch), each community in
its own region (:func:`paperkg.exports.layout.community_positions`), joined by their
strongest co-occurrences. Labels never overlap: the page picks, at every camera move, the
biggest concepts whose label boxes are free (a grid, so linear in the nodes shown) and
sigma draws only those. The community legend filters the map to one community; papers
appear on demand — a concept's papers when it is clicked, all of them with the *papers*
switch. A search box finds papers and concepts; clicking a paper highlights its concepts
and lists its related papers (:func:`paperkg.graph.queries.related`, shared concepts
weighted by rarity); clicking a concept lists its papers.

A large graph gets a map of part of it, so the page stays bounded (20 MB for 100,000
synthetic papers) and quick to open: its :data:`MAP_CONCEPTS` most-mentioned concepts and, of the papers mentioning
them, the :data:`MAP_PAPERS` most central (PageRank); related papers are then ranked
among those shown, and the page's summary says what part of the graph it shows.

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
import math
import os
import re
from collections import Counter
from importlib import resources
from typing import BinaryIO

import networkx as nx
import numpy as np

from paperkg.exports.layout import community_positions
from paperkg.exports.palette import (
    COLORS, COMMUNITY_OTHER, HIGHLIGHT, TYPE_LABELS, community_color, node_colors, node_size,
)
from paperkg.graph.cooccurrence import cooccurrence_graph
from paperkg.graph.queries import related
from paperkg.graph.schema import CONCEPT, PAPER, concept_nodes, paper_nodes
from paperkg.graph.structure import ensure_structure

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


#: Co-occurrence links drawn per concept on the concept map (its strongest ones): the map
#: shows the structure with O(concepts) links instead of every pair.
CO_LINKS = 4
#: Distance of a paper from the centre of its concepts, in layout units (of 1000).
PAPER_OFFSET = 12.0


def _paper_positions(
    G: nx.DiGraph, concept_pos: dict[str, tuple[float, float]], papers: list[str]
) -> dict[str, tuple[float, float]]:
    """Each of ``papers`` near the mean position of its concepts (a fixed small offset,
    turned by its id so papers on the same concepts do not coincide); papers without
    concepts on a ring outside the map. Linear in the number of edges."""
    out = {}
    lonely = [p for p in papers if not any(c in concept_pos for c in G.successors(p))]
    for p in papers:
        cs = [concept_pos[c] for c in sorted(G.successors(p)) if c in concept_pos]
        if not cs:
            continue
        turn = (sum(map(ord, p)) % 360) * math.pi / 180
        x = sum(x for x, _ in cs) / len(cs) + PAPER_OFFSET * math.cos(turn)
        y = sum(y for _, y in cs) / len(cs) + PAPER_OFFSET * math.sin(turn)
        out[p] = (round(x, 2) + 0.0, round(y, 2) + 0.0)
    for k, p in enumerate(lonely):
        angle = 2 * math.pi * k / len(lonely)
        out[p] = (round(1100 * math.cos(angle), 2) + 0.0, round(1100 * math.sin(angle), 2) + 0.0)
    return out


def _strong_links(C: nx.Graph, index: dict[str, int]) -> list[list[int]]:
    """The :data:`CO_LINKS` strongest co-occurrence links of each concept, as
    ``[i, j, shared papers]`` (``i < j``), sorted."""
    keep: set[tuple[int, int, int]] = set()
    for n in C:
        best = sorted(C[n].items(), key=lambda kv: (-kv[1].get("weight", 1), kv[0]))[:CO_LINKS]
        for m, d in best:
            i, j = sorted((index[n], index[m]))
            keep.add((i, j, int(d.get("weight", 1))))
    return [list(t) for t in sorted(keep)]


#: Most concepts on the map (the most-mentioned); a larger graph's map shows these only.
MAP_CONCEPTS = 5000
#: Most papers on the map (the most central, by PageRank, among those mentioning a
#: concept shown); a larger graph's map shows these only, and says so.
MAP_PAPERS = 5000


def _shown(G: nx.DiGraph) -> tuple[list[str], list[str]]:
    """The concepts and papers the map shows, each sorted: all of them up to
    :data:`MAP_CONCEPTS` concepts and :data:`MAP_PAPERS` papers, else the most-mentioned
    concepts (ties: id) and, of the papers mentioning one, the most central (PageRank,
    ties: id). The page's size is then bounded whatever the graph's size."""
    concepts, papers = concept_nodes(G), paper_nodes(G)
    if len(concepts) <= MAP_CONCEPTS and len(papers) <= MAP_PAPERS:
        return concepts, papers
    concepts = sorted(
        sorted(concepts, key=lambda c: (-int(G.nodes[c].get("paper_count") or 0), c))[:MAP_CONCEPTS]
    )
    kept = set(concepts)
    linked = [p for p in papers if any(c in kept for c in G.successors(p))]
    papers = sorted(
        sorted(linked, key=lambda p: (-float(G.nodes[p].get("pagerank") or 0.0), p))[:MAP_PAPERS]
    )
    return concepts, papers


def _related_among(G: nx.DiGraph, papers: list[str], index: dict[str, int]) -> dict[str, list]:
    """Each paper's :data:`RELATED_LIMIT` most related papers among ``papers``, scored as
    :func:`paperkg.graph.queries.related` scores them (Adamic–Adar: shared concepts, each
    weighted by ``1 / log`` of its papers in the whole graph), as
    ``[index, score, shared concept labels]``. Used when the map shows part of the
    graph: a related paper off the map could not be shown.

    A paper's scores are summed with :func:`numpy.bincount` over its concepts' papers, in
    sorted concept order (the order, and so the floats, of a plain sum); only the papers
    that can reach the top after rounding are ranked exactly.
    """
    members: dict[str, list[int]] = {}
    for i, p in enumerate(papers):
        for c in G.successors(p):
            members.setdefault(c, []).append(i)
    weight = {c: 1.0 / math.log(G.in_degree(c)) for c in members if G.in_degree(c) > 1}
    rows = {c: np.array(members[c], np.int64) for c in weight}
    out = {}
    for i, p in enumerate(papers):
        mine = [c for c in sorted(G.successors(p)) if c in weight]
        if not mine:
            out[p] = []
            continue
        score = np.bincount(np.concatenate([rows[c] for c in mine]),
                            weights=np.concatenate([np.full(len(rows[c]), weight[c]) for c in mine]),
                            minlength=len(papers))
        score[i] = 0.0
        found = np.flatnonzero(score > 0)
        if len(found) > RELATED_LIMIT:  # rounding to 4 places moves a score by < 1e-4
            bar = np.partition(score[found], len(found) - RELATED_LIMIT)[len(found) - RELATED_LIMIT]
            found = found[score[found] >= bar - 1e-4]
        scored = sorted((-round(float(score[q]), 4), papers[q]) for q in found.tolist())
        out[p] = [
            [index[q], -neg + 0.0,
             sorted((str(G.nodes[c].get("label", c)) for c in mine if G.has_edge(q, c)),
                    key=str.casefold)]
            for neg, q in scored[:RELATED_LIMIT]
        ]
    return out


def map_data(G: nx.DiGraph, *, title: str = MAP_TITLE, color: str = "community") -> dict:
    """Return what the page shows: nodes (with layout and details), edges, related papers.

    Concepts are placed by :func:`~paperkg.exports.layout.community_positions` on the
    co-occurrence graph (each community in its own region) and sized by their papers;
    papers sit beside their concepts. Nodes are in sorted id order and edges (paper →
    concept) and ``co`` links (the strongest co-occurrences) refer to them by index.
    ``communities`` lists ``[id, label, colour, concepts, papers]``; ``color`` is the
    colouring the page opens with (``"community"`` or ``"type"``). A large graph's map
    shows part of it (:func:`_shown`); ``total`` counts the graph's papers and concepts,
    and the page says how many it shows.
    """
    node_colors([], by=color)  # an unknown colouring fails before any work
    G = ensure_structure(G)
    concepts, papers = _shown(G)
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    whole = (len(concepts), len(papers)) == (kinds[CONCEPT], kinds[PAPER])
    C = cooccurrence_graph(G, concepts=concepts)
    pos = community_positions(C)
    pos.update(_paper_positions(G, pos, papers))
    others = [] if not whole else [n for n in G if G.nodes[n].get("kind") not in (CONCEPT, PAPER)]
    order = sorted([*concepts, *papers, *others])
    index = {n: i for i, n in enumerate(order)}
    near = None if whole else _related_among(G, papers, index)
    nodes = []
    for n in order:
        d = G.nodes[n]
        x, y = pos.get(n, (0.0, 0.0))
        kind = _node_type(d)
        count = int(d.get("paper_count", 0) or 0) if d.get("kind") == CONCEPT else G.degree(n)
        node = {
            "id": n,
            "label": str(d.get("label") or d.get("title") or n),
            "type": kind,
            "x": x,
            "y": y,
            "size": round(node_size(count if d.get("kind") == CONCEPT else 0) / 3, 2),
            "count": count,
            "community": int(d.get("community") or 0),
        }
        if d.get("kind") == PAPER:
            node["date"] = str(d.get("date") or "")
            node["url"] = str(d.get("url") or "")
            node["code"] = [str(u) for u in d.get("code_urls", ())]
            node["abstract"] = str(d.get("abstract") or "")
            node["related"] = near[n] if near is not None else [
                [index[r.paper], r.score, list(r.shared)]
                for r in related(G, n, limit=RELATED_LIMIT)
            ]
        else:
            label = node["label"]
            node["aliases"] = [a for a in d.get("aliases", ()) if a != label]
        nodes.append(node)
    edges = sorted([index[u], index[v]] for u, v in G.edges() if u in index and v in index)
    drawn = {int(G.nodes[c].get("community") or 0) for c in concepts}
    return {
        "title": title,
        "highlight": HIGHLIGHT,
        "color": color,
        "types": [[t, COLORS[t], TYPE_LABELS[t]] for t in COLORS],
        "communities": [
            [c["id"], c["label"], community_color(c["id"]), c["size"], c["papers"]]
            for c in G.graph.get("communities", ())
            if whole or c["id"] in drawn
        ],
        "other": COMMUNITY_OTHER,
        "total": {"concepts": kinds[CONCEPT], "papers": kinds[PAPER]},
        "nodes": nodes,
        "edges": edges,
        "co": _strong_links(C, index),
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


def html_bytes(G: nx.DiGraph, *, title: str = MAP_TITLE, color: str = "community") -> bytes:
    """Return the map of ``G`` as one self-contained HTML document (UTF-8 bytes)."""
    values = {
        "__DATA__": json_for_script(map_data(G, title=title, color=color)),
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


def write_html(
    G: nx.DiGraph, path: str | os.PathLike | BinaryIO, *, color: str = "community"
) -> None:
    """Write the interactive map of ``G`` to ``path``, opening coloured by ``color``."""
    data = html_bytes(G, color=color)
    if hasattr(path, "write"):
        path.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)
