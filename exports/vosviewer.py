"""VOSviewer exports of the concept map: map + network files, and VOSviewer Online JSON.

VOSviewer (van Eck & Waltman, Scientometrics 2010) maps co-occurrence networks of terms;
these exports hand it paperkg's concept co-occurrence graph (:mod:`paperkg.graph.cooccurrence`)
with paperkg's communities as its clusters and positions that keep them apart
(:func:`paperkg.exports.layout.community_positions`). The layout follows the manual's
file types (https://app.vosviewer.com/docs/file-types/):

``vosviewer`` — a folder with two tab-separated UTF-8 files:

* ``map.txt``: a header line ``id label x y cluster weight<Links>
  weight<Total link strength> weight<Occurrences>`` then one line per concept. ``id`` is
  a number (1, 2, … over the concepts in sorted id order), ``cluster`` the community
  (:mod:`paperkg.graph.structure`; VOSviewer's clusters run from 1 to 1000, so communities
  beyond 999 share cluster 1000), *Links* the number of co-occurring concepts, *Total link
  strength* the sum of shared papers over them, *Occurrences* the papers mentioning the
  concept. A label is one line (whitespace runs become one space) and is enclosed in
  double quotes (inner quotes doubled) when it holds a comma, semicolon or quote, as the
  manual asks.
* ``network.txt``: no header; one line ``id1 id2 strength`` per pair of co-occurring
  concepts (``id1 < id2``, strength = shared papers), sorted.

In VOSviewer: *Create… → Create a map based on network data → Read data from VOSviewer
files*, naming both files (keep the layout and clustering from the map file).

``vosviewer-json`` — VOSviewer Online's JSON: ``{"network": {"items": [{"id", "label",
"x", "y", "cluster", "weights": {"Links", "Total link strength", "Occurrences"},
"scores": {"PageRank", "Betweenness"}, "description"}], "links": [{"source_id",
"target_id", "strength"}], "clusters": [{"cluster", "label"}]}, "config": {"terminology":
...}}``. Open it at https://app.vosviewer.com (*Open*).

Both are byte-identical for the same graph.

Examples
--------
>>> import io, networkx as nx
>>> G = nx.DiGraph()
>>> for key, label in (("a", "BERT"), ("b", "SQuAD, v2"), ("c", "QA")):
...     G.add_node("concept:" + key, kind="concept", type="METHOD", label=label, paper_count=1)
>>> G.add_node("paper:p", kind="paper", label="P")
>>> G.add_edges_from([("paper:p", "concept:a"), ("paper:p", "concept:b")])
>>> text = map_text(G).splitlines()
>>> text[0].split("\\t")
['id', 'label', 'x', 'y', 'cluster', 'weight<Links>', 'weight<Total link strength>', 'weight<Occurrences>']
>>> text[2].split("\\t")[1], network_text(G)
('"SQuAD, v2"', '1\\t2\\t1\\n')
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import networkx as nx

from paperkg.exports.flatten import xml_text
from paperkg.exports.layout import community_positions
from paperkg.graph.cooccurrence import cooccurrence_graph
from paperkg.graph.structure import ensure_structure

__all__ = [
    "MAP_COLUMNS",
    "MAX_CLUSTER",
    "map_text",
    "network_text",
    "vosviewer_json",
    "write_vosviewer",
    "write_vosviewer_json",
]

#: The map file's header, in the manual's column names.
MAP_COLUMNS: tuple[str, ...] = (
    "id", "label", "x", "y", "cluster",
    "weight<Links>", "weight<Total link strength>", "weight<Occurrences>",
)
#: VOSviewer's largest cluster number.
MAX_CLUSTER = 1000
_SPACE = re.compile(r"\s+")
#: VOSviewer's y axis points up; the layout's points down as on screens: flip it.
_FLIP_Y = -1.0


def _label(text: str) -> str:
    """One line of text, quoted when it holds a comma, semicolon or quote (the manual's rule)."""
    text = _SPACE.sub(" ", xml_text(str(text))).strip()
    if any(ch in text for ch in ',;"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _number(x: float) -> str:
    """A coordinate as text: shortest repr, no ``-0.0``."""
    return repr(float(x) + 0.0)


def _items(G: nx.DiGraph) -> tuple[nx.Graph, list[dict], dict[str, int]]:
    """The co-occurrence graph and one record per concept, with ids 1..n in sorted order."""
    G = ensure_structure(G)
    C = cooccurrence_graph(G)
    pos = community_positions(C)
    ids = {n: i for i, n in enumerate(sorted(C), start=1)}
    items = []
    for n, i in ids.items():
        d = C.nodes[n]
        x, y = pos.get(n, (0.0, 0.0))
        items.append({
            "id": i,
            "node": n,
            "label": str(d.get("label", n)),
            "x": round(x / 100.0, 4) + 0.0,
            "y": round(_FLIP_Y * y / 100.0, 4) + 0.0,
            "cluster": min(max(int(d.get("community") or 1), 1), MAX_CLUSTER),
            "links": C.degree(n),
            "strength": int(C.degree(n, weight="weight")),
            "occurrences": int(d.get("paper_count") or G.in_degree(n)),
            "type": str(d.get("type", "")),
            "pagerank": float(d.get("pagerank", 0.0)),
            "betweenness": float(d.get("betweenness", 0.0)),
        })
    return C, items, ids


def _links(C: nx.Graph, ids: dict[str, int]) -> list[tuple[int, int, int]]:
    return sorted(
        (min(ids[u], ids[v]), max(ids[u], ids[v]), int(w)) for u, v, w in C.edges(data="weight", default=1)
    )


def map_text(G: nx.DiGraph) -> str:
    """Return the VOSviewer map file of ``G``'s concepts (see the module docstring)."""
    return _map_lines(_items(G)[1])


def _map_lines(items: list[dict]) -> str:
    lines = ["\t".join(MAP_COLUMNS)]
    for it in items:
        lines.append("\t".join([
            str(it["id"]), _label(it["label"]), _number(it["x"]), _number(it["y"]),
            str(it["cluster"]), str(it["links"]), str(it["strength"]), str(it["occurrences"]),
        ]))
    return "\n".join(lines) + "\n"


def network_text(G: nx.DiGraph) -> str:
    """Return the VOSviewer network file of ``G``'s concept co-occurrences."""
    C, _, ids = _items(G)
    return _network_lines(C, ids)


def _network_lines(C: nx.Graph, ids: dict[str, int]) -> str:
    return "".join(f"{a}\t{b}\t{w}\n" for a, b, w in _links(C, ids))


def vosviewer_json(G: nx.DiGraph) -> dict:
    """Return the VOSviewer Online JSON document of ``G``'s concept map (a dict)."""
    doc, links = _json_parts(G)
    doc["network"]["links"] = [
        {"source_id": a, "target_id": b, "strength": w} for a, b, w in links
    ]
    return doc


def _json_parts(G: nx.DiGraph) -> tuple[dict, list[tuple[int, int, int]]]:
    """The JSON document with an empty ``links`` array, and the links as tuples."""
    G = ensure_structure(G)
    C, items, ids = _items(G)
    clusters = sorted({it["cluster"] for it in items})
    names = {c["id"]: c["label"] for c in G.graph.get("communities", ())}
    return {
        "network": {
            "items": [
                {
                    "id": it["id"],
                    "label": _SPACE.sub(" ", xml_text(it["label"])).strip(),
                    "description": f"{it['type'].lower()} · community {it['cluster']}",
                    "x": it["x"],
                    "y": it["y"],
                    "cluster": it["cluster"],
                    "weights": {
                        "Links": it["links"],
                        "Total link strength": it["strength"],
                        "Occurrences": it["occurrences"],
                    },
                    "scores": {"PageRank": it["pagerank"], "Betweenness": it["betweenness"]},
                }
                for it in items
            ],
            "links": [],
            "clusters": [
                {"cluster": c, "label": names.get(c, "smaller communities") if c < MAX_CLUSTER
                 else "smaller communities"}
                for c in clusters
            ],
        },
        "config": {
            "terminology": {
                "item": "concept",
                "items": "concepts",
                "link": "co-occurrence",
                "links": "co-occurrences",
                "link_strength": "shared papers",
                "total_link_strength": "total shared papers",
            },
        },
    }, _links(C, ids)


def write_vosviewer(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``map.txt`` and ``network.txt`` into the folder ``path``."""
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    C, items, ids = _items(G)
    (out / "map.txt").write_bytes(_map_lines(items).encode("utf-8"))
    del items
    with open(out / "network.txt", "w", encoding="utf-8", newline="\n") as f:
        f.writelines(f"{a}\t{b}\t{w}\n" for a, b, w in _links(C, ids))


def write_vosviewer_json(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write the VOSviewer Online JSON file of ``G``'s concept map.

    Written as it is encoded, never held whole as text; the links (the bulk of the file)
    go out one by one, in the layout ``json.dumps(vosviewer_json(G), indent=1,
    sort_keys=True)`` gives them.
    """
    doc, links = _json_parts(G)
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    # "links" is the last key of "network", itself the last key: the text ends with it.
    head, marker, tail = text.rpartition('\n  "links": []')
    if not marker:
        raise ValueError("no links array in the VOSviewer document")
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(head)
        if links:
            out.write('\n  "links": [')
            out.writelines(
                f'{"," if k else ""}\n   {{\n    "source_id": {a},\n    "strength": {w},'
                f'\n    "target_id": {b}\n   }}'
                for k, (a, b, w) in enumerate(links)
            )
            out.write("\n  ]")
        else:
            out.write(marker)
        out.write(tail + "\n")
