"""The ``paperkg`` command: exit codes 0 / 1 / 2, --json, bad input, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from paperkg.cli import app
from paperkg.outputs import MANIFEST
from clirun import run

COMMANDS = ["build", "shared", "papers", "related", "top", "export", "extract"]




@pytest.fixture()
def built(tmp_path, corpus_file, rule_model, capsys):
    out = tmp_path / "out"
    code, _, err = run(["build", str(corpus_file), "--out", str(out), "--model", str(rule_model), "-q"], capsys)
    assert code == 0, err
    return out


def test_cli_version_and_help(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.startswith("paperkg ")
    for command in COMMANDS:
        code, out, _ = run([command, "-h"], capsys)
        assert code == 0 and "Usage" in out, command


def test_cli_every_command_is_documented():
    commands = {c.name or c.callback.__name__: c for c in app.registered_commands}
    assert set(COMMANDS) <= set(commands)
    assert all(c.callback.__doc__ for c in commands.values())


def test_cli_usage_error_exits_2(capsys):
    code, _, err = run(["top", "--no-such-option"], capsys)
    assert code == 2


def test_cli_build_writes_graph_and_exports(built):
    names = sorted(p.name for p in built.iterdir())
    assert "graph.json" in names and "paperkg.graphml" in names and "paperkg.ttl" in names
    assert [n for n in names if n.startswith(".")] == [MANIFEST]  # no temporary file


def test_cli_two_builds_are_byte_identical(built, tmp_path, corpus_file, rule_model, capsys):
    again = tmp_path / "again"
    run(["build", str(corpus_file), "--out", str(again), "--model", str(rule_model), "-q"], capsys)
    for path in built.iterdir():
        if path.is_file():
            assert path.read_bytes() == (again / path.name).read_bytes(), path.name


def test_cli_queries_json(built, capsys):
    code, out, _ = run(["shared", "a", "b", "-g", str(built), "--json"], capsys)
    assert code == 0
    assert [c["label"] for c in json.loads(out)["DATASET"]] == ["SQuAD"]
    code, out, _ = run(["papers", "imagenet", "-g", str(built), "--json"], capsys)
    assert [p["paper"] for p in json.loads(out)[0]["papers"]] == ["paper:c", "paper:d"]
    code, out, _ = run(["related", "Distilling BERT", "-g", str(built), "--json"], capsys)
    assert [r["paper"] for r in json.loads(out)] == ["paper:a", "paper:c"]
    code, out, _ = run(["top", "--type", "METHOD", "-g", str(built), "--json"], capsys)
    assert json.loads(out)["METHOD"][0]["label"] == "BERT"
    code, out, _ = run(["top", "--with", "ResNet-50", "-g", str(built), "--json"], capsys)
    assert code == 0 and "ImageNet" in [c["label"] for c in json.loads(out)["with ResNet-50"]]


def test_cli_queries_print_tables(built, capsys):
    code, out, _ = run(["shared", "-g", str(built)], capsys)
    assert code == 0 and "BERT" in out and "evidence" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["related", "no such paper"], "no paper matches"),
        (["related", "BERT"], "2 papers match"),
        (["papers", "transformer"], "no concept matches"),
        (["export", "--format", "docx"], "unknown export format"),
    ],
)
def test_cli_bad_query_exits_1_with_one_line(built, capsys, argv, message):
    code, out, err = run(argv + ["-g", str(built)], capsys)
    assert code == 1
    assert err.startswith("error: ") and message in err.splitlines()[0]
    assert "Traceback" not in err


def test_cli_ambiguous_paper_lists_candidates(built, capsys):
    code, _, err = run(["related", "BERT", "-g", str(built)], capsys)
    assert code == 1
    assert "BERT for Question Answering" in err and "Distilling BERT" in err


def test_cli_query_without_build(tmp_path, capsys):
    code, _, err = run(["top", "-g", str(tmp_path)], capsys)
    assert code == 1 and "paperkg build" in err


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("missing.txt", None, "no such file"),
        ("empty.jsonl", b"", "empty"),
        ("binary.txt", b"\x00\xff\x00", "binary"),
        ("latin1.txt", b"caf\xe9\n\nx", "not UTF-8"),
        ("bad.jsonl", b'{"title": "x", "abstract": "y"}\nnope\n', "bad.jsonl:2"),
    ],
)
def test_cli_build_bad_input_exits_1_and_writes_nothing(tmp_path, capsys, rule_model, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out"
    code, _, err = run(["build", str(path), "--out", str(out), "--model", str(rule_model), "-q"], capsys)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and message in err
    assert not out.exists()


def test_cli_export_by_name_and_suffix(built, tmp_path, capsys):
    code, out, _ = run(["export", "--format", "ntriples", "-g", str(built)], capsys)
    assert code == 0 and out.strip().endswith("paperkg.nt")
    target = tmp_path / "x.jsonld"
    code, _, _ = run(["export", "-o", str(target), "-g", str(built)], capsys)
    assert code == 0 and json.loads(target.read_text())
    code, out, _ = run(["export", "--list"], capsys)
    assert "cooccurrence-graphml" in out


def test_cli_extract_prints_offsets_into_fields(corpus_file, corpus_records, rule_model, capsys):
    code, out, _ = run(["extract", str(corpus_file), "--model", str(rule_model)], capsys)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c", "d"]
    for record, line in zip(corpus_records, lines):
        assert line["mentions"]
        for m in line["mentions"]:
            assert record[m["field"]][m["start"] : m["end"]] == m["text"]
            assert m["type"] in {"METHOD", "DATASET", "TASK"}
            assert set(m) == {"field", "start", "end", "text", "type", "concept", "label", "score"}


def test_cli_extract_missing_model(corpus_file, tmp_path, capsys):
    code, _, err = run(["extract", str(corpus_file), "--model", str(tmp_path / "nope")], capsys)
    assert code == 1 and "no spaCy pipeline" in err


def test_cli_concepts_explain_lists_surface_forms_and_rules(built, capsys):
    code, out, _ = run(["concepts", "--explain", "ResNet-50", "-g", str(built), "--json"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert {r["surface"] for r in rows} == {"ResNet-50"}
    assert {r["rule"] for r in rows} == {"key", "type"}  # "type": why the concept has its type
    merged = [r for r in rows if r["rule"] != "type"]
    assert sorted(p for r in merged for p in r["papers"]) == ["paper:c", "paper:d"]
    code, out, _ = run(["concepts", "--ambiguous", "-g", str(built), "--json"], capsys)
    assert code == 0 and json.loads(out) == {}


def test_cli_build_applies_thesaurus(tmp_path, corpus_file, rule_model, capsys):
    thesaurus = tmp_path / "thesaurus.csv"
    thesaurus.write_text("label,replace by\nSQuAD,Stanford Question Answering Dataset\nGPT-4,\n")
    out = tmp_path / "out"
    code, _, err = run(
        ["build", str(corpus_file), "-o", str(out), "--model", str(rule_model), "--thesaurus", str(thesaurus), "-q"],
        capsys,
    )
    assert code == 0, err
    code, stdout, _ = run(["papers", "SQuAD", "-g", str(out), "--json"], capsys)
    [item] = json.loads(stdout)
    assert item["label"] == "Stanford Question Answering Dataset"
    code, _, err = run(["papers", "GPT-4", "-g", str(out)], capsys)
    assert code == 1 and "no concept matches" in err


def test_cli_build_missing_thesaurus_exits_1(tmp_path, corpus_file, rule_model, capsys):
    code, _, err = run(
        ["build", str(corpus_file), "-o", str(tmp_path / "o"), "--model", str(rule_model), "--thesaurus", str(tmp_path / "none.csv")],
        capsys,
    )
    assert code == 1 and err.startswith("error:")


def test_cli_unknown_paper_lists_the_closest_titles(built, capsys):
    code, _, err = run(["related", "Distiling BERT models", "-g", str(built)], capsys)
    assert code == 1 and err.startswith("error: no paper matches")
    listed = err.splitlines()[1:]
    assert listed and "Distilling BERT" in listed[0]


@pytest.fixture(scope="module")
def module_build(tmp_path_factory, corpus_graph):
    """A build folder of the corpus graph (graph.json and its query index), for the tests
    that only read it."""
    from paperkg.graph.index import INDEX_FILE, write_index
    from paperkg.graph.store import GRAPH_FILE, save_graph

    out = tmp_path_factory.mktemp("build")
    save_graph(corpus_graph, out / GRAPH_FILE)
    write_index(corpus_graph, out / INDEX_FILE)
    return out


@pytest.fixture()
def indexed_build(module_build, tmp_path):
    """A copy of :func:`module_build` that a test may change."""
    import shutil

    return Path(shutil.copytree(module_build, tmp_path / "out"))


QUERIES = [
    ["shared", "a", "b"], ["shared"], ["shared", "--min-papers", "1", "--limit", "2", "-t", "task"],
    ["papers", "imagenet"], ["papers", "ResNet 50"], ["related", "Distilling BERT"],
    ["related", "c", "--limit", "1"], ["top"], ["top", "--type", "METHOD", "--limit", "1"],
    ["top", "--with", "ResNet-50"], ["top", "--by", "betweenness"], ["concepts", "--explain", "BERT"],
    ["concepts", "--ambiguous"], ["communities"], ["communities", "--resolution", "0.01"],
    ["community", "2"], ["community", "1", "--resolution", "2"],
    ["related", "no such paper"], ["related", "BERT"], ["papers", "Image"], ["community", "9"],
    # numbers beyond SQLite's 64-bit integers ask for what they say (all rows; none)
    ["community", str(2**63)], ["related", "a", "--limit", str(2**63 - 1)], ["top", "--limit", str(2**64)],
    ["shared", "--min-papers", str(2**63), "--limit", str(2**63)], ["shared", "--limit", str(2**70)],
]


@pytest.mark.parametrize("argv", QUERIES, ids=" ".join)
@pytest.mark.parametrize("as_json", [[], ["--json"]], ids=["table", "json"])
def test_cli_queries_print_the_same_from_the_index_and_from_graph_json(module_build, capsys, argv, as_json):
    from_index = run(argv + as_json + ["-g", str(module_build)], capsys)
    from_json = run(argv + as_json + ["-g", str(module_build / "graph.json")], capsys)
    assert from_index == from_json


def test_cli_queries_read_a_folder_without_index(indexed_build, capsys):
    expected = run(["related", "a", "--json", "-g", str(indexed_build)], capsys)
    (indexed_build / "graph.sqlite").unlink()
    assert run(["related", "a", "--json", "-g", str(indexed_build)], capsys) == expected


@pytest.mark.parametrize("damage", [lambda data: data[: len(data) // 3], lambda data: b"garbage" * 500,
                                    lambda data: b""], ids=["truncated", "garbage", "empty"])
@pytest.mark.parametrize("argv", [["related", "a"], ["papers", "BERT"], ["communities"], ["top"]], ids=" ".join)
def test_cli_damaged_index_exits_1_with_one_line(indexed_build, capsys, damage, argv):
    path = indexed_build / "graph.sqlite"
    path.write_bytes(damage(path.read_bytes()))
    code, out, err = run(argv + ["-g", str(indexed_build)], capsys)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "rebuild it with `paperkg build`" in err


def test_cli_query_imports_no_spacy(module_build):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "paperkg", "related", "a", "--json",
                           "-g", str(module_build)], capture_output=True, text=True)
    assert done.returncode == 0 and json.loads(done.stdout)[0]["paper"] == "paper:b"
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "paperkg.graph.index" in imported
    assert not {m for m in imported if m.split(".")[0] in ("spacy", "thinc", "onnxruntime", "rdflib")}


def test_cli_build_passes_jobs_engine_and_scheduler(monkeypatch, tmp_path, capsys):
    import paperkg.api

    seen = {}

    def fake_build(inputs, out, **kwargs):
        seen.update(kwargs)
        raise paperkg.api.InputError("stop here")

    monkeypatch.setattr(paperkg.api, "build", fake_build)
    code, _, err = run(["build", "-o", str(tmp_path / "o"), "--jobs", "3", "--engine", "dask",
                        "--scheduler", "tcp://host:8786", "-q"], capsys)
    assert code == 1 and "stop here" in err
    assert (seen["jobs"], seen["engine"], seen["scheduler"]) == (3, "dask", "tcp://host:8786")
    run(["build", "-o", str(tmp_path / "o"), "-q"], capsys)
    assert (seen["jobs"], seen["engine"], seen["scheduler"]) == (None, "local", None)


def test_cli_build_jobs_below_one_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(["build", "-o", str(tmp_path / "o"), "--jobs", "0"], capsys)
    assert code == 2 and not (tmp_path / "o").exists()
    code, out, _ = run(["build", "-h"], capsys)
    assert "Extraction processes" in out and "--engine" in out and "--scheduler" in out


def test_cli_build_writes_the_exports_asked_for(built, tmp_path, corpus_file, rule_model, capsys):
    out = tmp_path / "chosen"
    argv = ["build", str(corpus_file), "--out", str(out), "--model", str(rule_model), "-q"]
    code, _, err = run([*argv, "--exports", "turtle, csv,turtle"], capsys)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "graph.json", "graph.sqlite", "paperkg-csv", "paperkg.ttl"]
    assert (out / "paperkg.ttl").read_bytes() == (built / "paperkg.ttl").read_bytes()
    code, _, err = run([*argv, "--exports", "none"], capsys)  # a rebuild with fewer exports
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["graph.json", "graph.sqlite"]
    assert (out / "graph.json").read_bytes() == (built / "graph.json").read_bytes()


@pytest.mark.parametrize("exports, message", [
    ("tutrle", "unknown export format 'tutrle'"),
    ("", "name the export formats"),
    ("none,gexf", "none alone"),
])
def test_cli_build_unknown_exports_are_usage_errors_before_reading(tmp_path, capsys, exports, message):
    out = tmp_path / "out"
    code, _, err = run(["build", str(tmp_path / "missing.jsonl"), "--out", str(out), "--exports", exports], capsys)
    assert code == 2 and message in " ".join(err.split())
    assert not out.exists()


def test_cli_default_exports_are_the_builds_defaults():
    from paperkg.cli import DEFAULT_EXPORTS
    from paperkg.exports import DEFAULT_FORMATS, build_exports

    assert build_exports(DEFAULT_EXPORTS) == DEFAULT_FORMATS


@pytest.mark.parametrize("damage", [
    lambda m: (m / "config.cfg").write_text("garbage\n", encoding="utf-8"),
    lambda m: (m / "meta.json").write_text("{", encoding="utf-8"),
    lambda m: (m / "vocab" / "strings.json").write_bytes((m / "vocab" / "strings.json").read_bytes()[:5]),
    lambda m: (m / "entity_ruler" / "patterns.jsonl").write_text("{\n", encoding="utf-8"),
], ids=["config", "meta", "strings", "patterns"])
@pytest.mark.parametrize("command", ["build", "extract"])
def test_cli_damaged_model_folder_exits_1_with_one_line(tmp_path, corpus_file, rule_model, capsys, damage, command):
    import shutil

    model = Path(shutil.copytree(rule_model, tmp_path / "model"))
    damage(model)
    out = tmp_path / "out"
    argv = [command, str(corpus_file), "-m", str(model)] + (["-o", str(out), "-q"] if command == "build" else [])
    code, _, err = run(argv, capsys)
    assert code == 1 and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert str(model) in err and not out.exists()


@pytest.mark.parametrize("argv", [
    ["top", "--with", ""], ["top", "--with", "  "], ["concepts", "--explain", ""],
    ["concepts", "--explain", "BERT", "--ambiguous"], ["shared", "a"], ["shared", "a", "a"],
], ids=" ".join)
def test_cli_query_arguments_that_ask_nothing_are_usage_errors(module_build, capsys, argv):
    code, out, err = run(argv + ["-g", str(module_build)], capsys)
    assert code == 2 and out == ""


def test_cli_export_does_not_replace_a_dangling_link_without_force(module_build, tmp_path, capsys):
    link = tmp_path / "kg.ttl"
    link.symlink_to(tmp_path / "nowhere" / "kg.ttl")
    code, _, err = run(["export", "-o", str(link), "-g", str(module_build)], capsys)
    assert code == 1 and "--force" in err
    assert link.is_symlink() and not link.exists()


@pytest.mark.parametrize("kwargs, message", [
    ({"formats": [("turtle", "graph.json")]}, "one of the build's own files"),
    ({"formats": [("graphml", "../escape.graphml")]}, "plain name"),
    ({"formats": [("graphml", "/tmp/abs.graphml")]}, "plain name"),
    ({"formats": [("turtle", "sub/a.ttl")]}, "plain name"),
    ({"formats": [("graphml", ".paperkg.json")]}, "one of the build's own files"),
    ({"formats": [("turtle", "")]}, "plain name"),
    ({"formats": [("turtle", "a.ttl"), ("turtle", "a.ttl")]}, "used twice"),
    ({"formats": "graphml"}, "(format, file name) pairs"),
    ({"formats": [("graphml",)]}, "(format, file name) pairs"),
    ({"resolution": float("inf")}, "positive finite"),
    ({"resolution": "1"}, "positive finite"),
    ({"model": None}, "model must be"),
    ({"thesaurus": 5}, "thesaurus must be"),
    ({"thesaurus": "/no/such/thesaurus.csv"}, "thesaurus file not found"),
], ids=lambda v: str(v)[:40])
def test_api_build_bad_arguments_fail_before_any_work(tmp_path, corpus_file, rule_model, monkeypatch, kwargs, message):
    from paperkg import api
    from paperkg.errors import InputError
    from paperkg.extract.ner import engines

    monkeypatch.setattr(engines, "extract_papers", lambda *a, **k: pytest.fail("extraction started"))
    args = {"model": str(rule_model), **kwargs}
    with pytest.raises(InputError, match=re.escape(message)):
        api.build([corpus_file], tmp_path / "out", **args)
    assert not (tmp_path / "out").exists() and not (tmp_path / "escape.graphml").exists()


def test_api_build_takes_one_input_as_it_is_and_refuses_none(tmp_path, corpus_file, rule_model):
    from paperkg import api
    from paperkg.errors import InputError

    one = api.build(corpus_file, tmp_path / "one", model=str(rule_model), formats=())
    assert one.papers == api.build([str(corpus_file)], tmp_path / "two", model=str(rule_model), formats=()).papers
    with pytest.raises(InputError, match="no inputs"):
        api.build([], tmp_path / "three", model=str(rule_model))


def test_cli_explain_titles_the_concept_found_not_the_words_asked(module_build, capsys):
    code, out, _ = run(["concepts", "--explain", "bert", "-g", str(module_build)], capsys)
    assert code == 0 and "merges into 'BERT'" in out


def test_cli_out_of_memory_is_one_line(tmp_path, corpus_file, capsys, monkeypatch):
    from paperkg import api

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(api, "build", exhausted)
    code, out, err = run(["build", str(corpus_file), "-o", str(tmp_path / "out"), "-q"], capsys)
    assert code == 1 and err.startswith("error: out of memory") and len(err.strip().splitlines()) == 1
