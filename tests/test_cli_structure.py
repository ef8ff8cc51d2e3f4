"""The structure commands: ``communities``, ``community ID``, ``top --by``, ``build --resolution``.

Known answers on the hand-made corpus (tests/conftest.py): papers a and b share BERT,
SQuAD and question answering (a adds GPT-4); c and d share ResNet-50 and ImageNet (d adds
image classification, c adds BERT). BERT is the only bridge between the two groups.
"""

from __future__ import annotations

import json

import pytest

from clirun import run




@pytest.fixture()
def built(tmp_path, corpus_file, rule_model, capsys):
    out = tmp_path / "out"
    code, _, err = run(["build", str(corpus_file), "--out", str(out), "--model", str(rule_model), "-q"], capsys)
    assert code == 0, err
    return out


def test_cli_communities_json(built, capsys):
    code, out, _ = run(["communities", "-g", str(built), "--json"], capsys)
    assert code == 0
    found = json.loads(out)
    assert [(c["id"], c["size"], c["papers"]) for c in found] == [(1, 4, 2), (2, 3, 2)]
    assert found[0]["label"] == "BERT · SQuAD · question answering"
    assert found[1]["concept_labels"] == ["ImageNet", "ResNet-50", "image classification"]
    assert found[1]["top_papers"] == ["paper:d", "paper:c"]
    code, out, _ = run(["communities", "-g", str(built)], capsys)
    assert code == 0 and "communities (2)" in out and "ImageNet" in out


def test_cli_community_id(built, capsys):
    code, out, _ = run(["community", "2", "-g", str(built), "--json"], capsys)
    assert code == 0
    detail = json.loads(out)
    assert detail["community"]["id"] == 2
    assert [c["label"] for c in detail["concepts"]] == ["ImageNet", "ResNet-50", "image classification"]
    assert [(p["paper"], p["concepts_here"]) for p in detail["papers"]] == [("paper:d", 3), ("paper:c", 2)]
    code, out, _ = run(["community", "1", "-g", str(built)], capsys)
    assert code == 0 and out.startswith("community 1: BERT · SQuAD · question answering — 4 concepts")


@pytest.mark.parametrize("bad", ["9", "0", "x"])
def test_cli_unknown_community_exits_1_with_one_line(built, capsys, bad):
    code, out, err = run(["community", bad, "-g", str(built)], capsys)
    assert code == 1 and out == ""
    assert err == f"error: no community '{bad}'; communities are numbered 1–2\n"


def test_cli_top_by_centrality(built, capsys):
    code, out, _ = run(["top", "--by", "betweenness", "-g", str(built), "--json", "--limit", "3"], capsys)
    assert code == 0
    ranked = json.loads(out)["by betweenness"]
    assert ranked[0]["label"] == "BERT" and ranked[0]["betweenness"] == pytest.approx(0.6)
    code, out, _ = run(["top", "--by", "PageRank", "-g", str(built), "--json", "-t", "dataset"], capsys)
    assert code == 0
    assert [c["label"] for c in json.loads(out)["by pagerank"]] == ["SQuAD", "ImageNet"]
    code, out, _ = run(["top", "--by", "degree", "-g", str(built), "--json", "--limit", "1"], capsys)
    assert json.loads(out)["by degree"][0] == {
        "node": "concept:BERT", "label": "BERT", "type": "METHOD", "community": 1, "papers": 3,
        "links": 5, "degree": 7, "pagerank": json.loads(out)["by degree"][0]["pagerank"],
        "betweenness": 0.6,
    }
    # --by papers keeps the per-type ranking.
    code, out, _ = run(["top", "--by", "papers", "-g", str(built), "--json"], capsys)
    assert sorted(json.loads(out)) == ["DATASET", "METHOD", "TASK"]
    code, out, _ = run(["top", "--by", "pagerank", "-g", str(built)], capsys)
    assert code == 0 and "concepts by pagerank" in out


@pytest.mark.parametrize("argv", [
    ["top", "--by", "fame"],
    ["communities", "--resolution", "0"],
    ["community", "1", "--resolution", "-1"],
])
def test_cli_structure_usage_errors_exit_2(built, capsys, argv):
    code, _, err = run(argv + ["-g", str(built)], capsys)
    assert code == 2 and "Invalid value" in err


def test_cli_resolution_changes_the_communities(built, tmp_path, corpus_file, rule_model, capsys):
    code, out, _ = run(["communities", "-g", str(built), "--resolution", "0.01", "--json"], capsys)
    assert code == 0 and len(json.loads(out)) == 1
    out_dir = tmp_path / "fine"
    code, _, err = run(["build", str(corpus_file), "-o", str(out_dir), "--model", str(rule_model),
                        "-q", "--resolution", "0.01"], capsys)
    assert code == 0, err
    code, out, _ = run(["communities", "-g", str(out_dir), "--json"], capsys)
    assert [c["size"] for c in json.loads(out)] == [7]


def test_cli_export_color_community_and_vosviewer(built, tmp_path, capsys):
    from paperkg.exports.gexf import read_gexf
    from paperkg.exports.palette import community_color

    code, out, err = run(["export", "-g", str(built), "-o", str(tmp_path / "c.gexf"), "--color", "community"], capsys)
    assert code == 0, err
    H = read_gexf(tmp_path / "c.gexf")
    assert H.nodes["concept:ImageNet"]["viz"]["color"] == community_color(2)
    code, _, err = run(["export", "-g", str(built), "-f", "vosviewer", "-o", str(tmp_path / "v")], capsys)
    assert code == 0, err
    assert (tmp_path / "v" / "map.txt").read_text(encoding="utf-8").startswith("id\tlabel\tx\ty\tcluster\t")
    code, _, err = run(["export", "-g", str(built), "-o", str(tmp_path / "m.vosviewer.json")], capsys)
    assert code == 0, err


@pytest.mark.parametrize("argv, message", [
    (["--color", "rainbow", "-f", "gexf"], "'rainbow' is not one of type, community"),
    (["--color", "community", "-f", "csv"], "the csv export is not coloured"),
])
def test_cli_export_bad_color_exits_2(built, tmp_path, capsys, argv, message):
    code, _, err = run(["export", "-g", str(built), "-o", str(tmp_path / "x")] + argv, capsys)
    assert code == 2 and message in err


@pytest.mark.parametrize("command", ["communities", "community"])
def test_cli_structure_commands_have_help(capsys, command):
    code, out, _ = run([command, "-h"], capsys)
    assert code == 0 and "Usage" in out and "--json" in out
