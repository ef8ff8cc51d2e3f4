"""Table exports: Gephi spreadsheet CSV and Neo4j bulk-import CSV."""

from __future__ import annotations

import csv

import pytest

from paperkg.exports import export, get_format
from paperkg.outputs import MANIFEST



def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize(("name", "fmt"), [("out/paperkg-csv", "csv"), ("neo4j", "neo4j")])
def test_tables_registered_as_folders(name, fmt):
    assert get_format(name).name == fmt and get_format(fmt).folder


def test_gephi_csv_layout(small_graph, script_title, tmp_path):
    out = export(small_graph, tmp_path / "paperkg-csv", format="csv")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "edges.csv", "nodes.csv"]
    nodes = _rows(out / "nodes.csv")
    assert nodes[0][:3] == ["Id", "Label", "Type"]
    assert [r[0] for r in nodes[1:]] == sorted(small_graph)
    by_id = {r[0]: dict(zip(nodes[0], r)) for r in nodes[1:]}
    assert by_id["paper:p1"]["Label"] == script_title
    assert by_id["concept:squad"]["Type"] == "dataset"
    assert by_id["concept:bert"]["paper_count"] == "3"
    edges = _rows(out / "edges.csv")
    assert edges[0][:4] == ["Source", "Target", "Type", "Weight"]
    assert len(edges) - 1 == small_graph.number_of_edges()
    assert {r[2] for r in edges[1:]} == {"Directed"}
    row = next(dict(zip(edges[0], r)) for r in edges[1:] if r[:2] == ["paper:p1", "concept:squad"])
    assert row["Weight"] == "2" and row["offset_start"] == "17"


def test_neo4j_headers_labels_and_ids(small_graph, tmp_path):
    out = export(small_graph, tmp_path / "paperkg-neo4j", format="neo4j")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "concepts.csv", "mentions.csv", "papers.csv"]
    papers, concepts, mentions = (_rows(out / f) for f in ("papers.csv", "concepts.csv", "mentions.csv"))
    assert papers[0][:3] == ["id:ID", ":LABEL", "title"]
    assert {r[1] for r in papers[1:]} == {"Paper"}
    assert concepts[0][:2] == ["id:ID", ":LABEL"] and "paper_count:int" in concepts[0]
    assert "abstract" not in concepts[0] and "paper_count:int" not in papers[0]
    labels = {r[0]: r[1] for r in concepts[1:]}
    assert labels["concept:bert"] == "Concept;Method" and labels["concept:cora"] == "Concept;Dataset"
    assert labels["concept:question answering"] == "Concept;Task"
    assert mentions[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert "mentions:int" in mentions[0] and "score:double" in mentions[0]
    ids = {r[0] for r in papers[1:]} | set(labels)
    assert ids == set(small_graph)
    assert all(r[0] in ids and r[1] in labels and r[2] == "MENTIONS" for r in mentions[1:])
    assert len(mentions) - 1 == small_graph.number_of_edges()


@pytest.mark.parametrize("fmt", ["csv", "neo4j"])
def test_tables_bytes_identical_across_runs(small_graph, tmp_path, fmt):
    a = export(small_graph, tmp_path / "a", format=fmt)
    b = export(small_graph, tmp_path / "b", format=fmt)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_tables_rows_are_the_flat_graph(small_graph, tmp_path):
    """Streamed rows hold flat_graph's values: missing attributes filled, one type a column."""
    from paperkg.exports.flatten import flat_graph

    G = small_graph
    G.nodes["paper:p1"]["year"] = 2024
    G.nodes["paper:p2"]["year"] = "2025"  # the first type seen (int) wins
    G.edges["paper:p1", "concept:bert"]["note"] = ("a", "b")
    H = flat_graph(G)
    out = export(G, tmp_path / "paperkg-csv", format="csv")
    nodes = _rows(out / "nodes.csv")
    expected = [[n, d["label"], d["type"], *(str(d[k]) for k in nodes[0][3:])]
                for n, d in sorted(H.nodes(data=True))]
    assert nodes[1:] == expected
    by_id = {r[0]: dict(zip(nodes[0], r)) for r in nodes[1:]}
    assert by_id["paper:p2"]["year"] == "2025" and by_id["paper:p3"]["year"] == "0"
    edges = {tuple(r[:2]): dict(zip(_rows(out / "edges.csv")[0], r)) for r in _rows(out / "edges.csv")[1:]}
    assert edges[("paper:p1", "concept:bert")]["note"] == "a | b"
    assert edges[("paper:p2", "concept:bert")]["note"] == ""
    neo4j = export(G, tmp_path / "paperkg-neo4j", format="neo4j")
    assert "year:int" in _rows(neo4j / "papers.csv")[0]
    assert "year:int" not in _rows(neo4j / "concepts.csv")[0]
