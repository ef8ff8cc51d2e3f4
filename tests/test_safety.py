"""Nothing lost, nothing half-written: the fault suite of builds and exports.

Scripted faults against the real ``paperkg`` command: Ctrl-C, SIGTERM and SIGKILL in the
middle of a build, two builds into one folder at once, every kind of bad ``--out``, a
folder of the user's as an export target. After each, the user's files and the previous
build are byte-for-byte what they were, and no temporary file is left where a user looks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paperkg.errors import InputError

from paperkg.outputs import MANIFEST
from clirun import run

#: Records for the slow build (the rule pipeline of tests/conftest.py finds their concepts).
RECORDS = [
    {"title": "BERT for Question Answering", "abstract": "We fine-tune BERT on SQuAD. "},
    {"title": "Pruning ResNet-50", "abstract": "We prune ResNet-50 for image classification on ImageNet. "},
]




def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    """Temporary names paperkg may create beside its outputs."""
    return sorted(
        p.name for p in parent.iterdir()
        if p.name.endswith((".tmp", ".staging", ".lock", ".paperkg-lock", ".old"))
    )


@pytest.fixture()
def built(tmp_path, corpus_file, rule_model, capsys) -> Path:
    out = tmp_path / "build"
    code, _, err = run(["build", str(corpus_file), "-o", str(out), "-m", str(rule_model), "-q"], capsys)
    assert code == 0, err
    return out


@pytest.fixture()
def user_folder(tmp_path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.tex").write_text("my thesis", encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "data" / "results.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return folder


# --- exports never delete or overwrite what the user had --------------------------------


@pytest.mark.parametrize("fmt", ["csv", "neo4j"])
def test_safety_folder_export_refuses_a_users_folder(built, user_folder, capsys, fmt):
    before = snapshot(user_folder)
    code, _, err = run(["export", "-f", fmt, "-o", str(user_folder), "-g", str(built)], capsys)
    assert code == 1 and err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "did not make" in err
    assert snapshot(user_folder) == before


@pytest.mark.parametrize("fmt", ["csv", "neo4j"])
def test_safety_folder_export_refuses_the_build_folder(built, capsys, fmt):
    before = snapshot(built)
    code, _, err = run(["export", "-f", fmt, "-o", str(built), "-g", str(built)], capsys)
    assert code == 1 and "build" in err
    assert snapshot(built) == before


def test_safety_folder_export_into_the_current_folder_is_refused(built, user_folder, capsys, monkeypatch):
    monkeypatch.chdir(user_folder)
    before = snapshot(user_folder)
    code, _, err = run(["export", "-f", "neo4j", "-o", ".", "-g", str(built)], capsys)
    assert code == 2
    code, _, err = run(["export", "-f", "neo4j", "-o", str(user_folder), "-g", str(built)], capsys)
    assert code == 1 and "current folder" in err
    assert snapshot(user_folder) == before


def test_safety_folder_export_replaces_only_its_own_folder(built, tmp_path, capsys):
    target = tmp_path / "tables"
    target.mkdir()  # an empty folder is fine
    assert run(["export", "-f", "csv", "-o", str(target), "-g", str(built)], capsys)[0] == 0
    first = snapshot(target)
    assert {"nodes.csv", "edges.csv", MANIFEST} <= set(first)
    assert run(["export", "-f", "csv", "-o", str(target), "-g", str(built)], capsys)[0] == 0
    assert snapshot(target) == first  # its own folder, replaced by the same bytes
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(["export", "-f", "csv", "-o", str(target), "-g", str(built)], capsys)
    assert code == 1 and "notes.txt" in err
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    code, _, err = run(["export", "-f", "neo4j", "-o", str(target), "-g", str(built)], capsys)
    assert code == 1 and "csv export" in err
    assert leftovers(tmp_path) == []


def test_safety_file_export_needs_force_to_replace_a_users_file(built, tmp_path, capsys):
    mine = tmp_path / "kg.ttl"
    mine.write_text("my notes", encoding="utf-8")
    code, _, err = run(["export", "-o", str(mine), "-g", str(built)], capsys)
    assert code == 1 and "--force" in err
    assert mine.read_text(encoding="utf-8") == "my notes"
    code, _, err = run(["export", "-o", str(mine), "-g", str(built), "--force"], capsys)
    assert code == 0, err
    assert mine.read_text(encoding="utf-8").startswith("@prefix")


def test_safety_export_into_a_build_is_recorded_and_replaced_by_the_next_build(
    built, corpus_file, rule_model, capsys
):
    code, out, err = run(["export", "-f", "ntriples", "-g", str(built)], capsys)
    assert code == 0, err
    assert Path(out.strip()) == built / "paperkg.nt"
    assert "paperkg.nt" in json.loads((built / MANIFEST).read_text())["files"]
    # exporting again replaces paperkg's own file without --force
    assert run(["export", "-f", "ntriples", "-g", str(built)], capsys)[0] == 0
    code, _, err = run(["build", str(corpus_file), "-o", str(built), "-m", str(rule_model), "-q"], capsys)
    assert code == 0, err
    assert not (built / "paperkg.nt").exists()  # no export of an older graph beside the new one


@pytest.mark.parametrize("fmt", ["csv", "vosviewer"])
def test_safety_folder_export_into_a_build_is_recorded_and_replaced_by_the_next_build(
    built, corpus_file, rule_model, capsys, fmt
):
    code, out, err = run(["export", "-f", fmt, "-g", str(built)], capsys)
    assert code == 0, err
    assert f"paperkg-{fmt}" in json.loads((built / MANIFEST).read_text())["files"]
    code, _, err = run(["build", str(corpus_file), "-o", str(built), "-m", str(rule_model), "-q"], capsys)
    assert code == 0, err
    assert not (built / f"paperkg-{fmt}").exists()


@pytest.mark.parametrize("name, fmt", [("graph.sqlite", "ntriples"), ("graph.json", "turtle")])
def test_safety_export_never_replaces_the_builds_graph_or_index(built, capsys, name, fmt):
    before = snapshot(built)
    for force in ([], ["--force"]):
        code, _, err = run(["export", "-f", fmt, "-o", str(built / name), "-g", str(built), *force], capsys)
        assert code == 1 and f"the build's own {name}" in err and len(err.strip().splitlines()) == 1
    assert snapshot(built) == before


def test_safety_a_build_leaves_alone_the_users_files_named_like_its_own(
    built, tmp_path, corpus_file, rule_model, capsys
):
    """Only what paperkg can show it wrote beside a build is tidied away: its marked staging
    folders, a previous build a kill caught stepping aside, its own lock file."""
    mine = {".build.old": "notes", ".build.x.staging": "draft", ".build.y.old": "more"}
    for name, text in mine.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "n.txt").write_text(text, encoding="utf-8")
    (tmp_path / ".build.lock").write_text("mine", encoding="utf-8")
    stale = tmp_path / ".build.abc.staging"  # a killed build's staging folder
    stale.mkdir()
    (stale / ".paperkg-staging").touch()
    argv = ["build", str(corpus_file), "-o", str(built), "-m", str(rule_model), "-q"]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    assert not stale.exists()
    for name, text in mine.items():
        assert (tmp_path / name / "n.txt").read_text(encoding="utf-8") == text
    assert (tmp_path / ".build.lock").read_text(encoding="utf-8") == "mine"
    # a file of the user's where the lock goes is refused, not taken over
    (tmp_path / ".build.paperkg-lock").write_text("mine too", encoding="utf-8")
    before = snapshot(built)
    code, _, err = run(argv, capsys)
    assert code == 1 and "not paperkg's lock file" in err
    assert (tmp_path / ".build.paperkg-lock").read_text(encoding="utf-8") == "mine too"
    assert snapshot(built) == before
    # with no build there yet, a folder of the user's named like a previous one is not moved in
    new = tmp_path / "fresh"
    (tmp_path / ".fresh.old").mkdir()
    (tmp_path / ".fresh.old" / "n.txt").write_text("keep", encoding="utf-8")
    code, _, err = run(["build", str(corpus_file), "-o", str(new), "-m", str(rule_model), "-q"], capsys)
    assert code == 0, err
    assert (tmp_path / ".fresh.old" / "n.txt").read_text(encoding="utf-8") == "keep"
    assert not (new / "n.txt").exists()


def test_safety_a_rebuild_keeps_the_users_files_inside_its_table_exports(tmp_path, corpus_file, rule_model, capsys):
    out = tmp_path / "build"
    argv = ["build", str(corpus_file), "-o", str(out), "-m", str(rule_model), "-q", "--exports", "csv"]
    assert run(argv, capsys)[0] == 0
    (out / "paperkg-csv" / "my.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    code, _, err = run(argv, capsys)
    assert code == 1 and "paperkg-csv/my.txt" in err
    assert snapshot(out) == before


def test_safety_a_file_the_user_adds_during_a_rebuild_stops_it(built, corpus_file, rule_model, monkeypatch):
    from paperkg import api

    save = api.save_graph

    def save_and_meanwhile(G, path):  # the user writes into the build folder meanwhile
        (built / "notes.txt").write_text("mine", encoding="utf-8")
        return save(G, path)

    monkeypatch.setattr(api, "save_graph", save_and_meanwhile)
    with pytest.raises(InputError, match="notes.txt"):
        api.build([corpus_file], built, model=str(rule_model), jobs=1)
    assert (built / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (built / "graph.json").exists() and leftovers(built.parent) == []


def test_safety_export_into_a_build_being_rebuilt_is_refused(built, capsys):
    from paperkg.outputs import _lock

    with _lock(built):  # as a rebuild holds it from start to swap
        code, _, err = run(["export", "-f", "ntriples", "-o", str(built / "x.nt"), "-g", str(built)], capsys)
    assert code == 1 and "another paperkg process is writing" in err
    assert not (built / "x.nt").exists()


def test_safety_a_build_a_kill_caught_stepping_aside_is_put_back(built, tmp_path, corpus_file, rule_model, capsys):
    before = snapshot(built)
    aside = tmp_path / ".build.k1.old"
    built.rename(aside)  # where a kill between the two renames of a swap leaves it
    code, _, err = run(["build", str(corpus_file), "-o", str(built), "-m", str(rule_model), "-q"], capsys)
    assert code == 0, err
    assert not aside.exists() and snapshot(built) == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["-f", "gexf", "-o", "{tmp}/kg.ttl"], "a turtle name"),
        (["-f", "turtle", "-o", "{tmp}/kg_out"], None),  # no suffix: the named format as is
        (["-f", "docx", "-o", "{tmp}/kg.docx"], "unknown export format"),
        (["-o", "{tmp}/kg.docx"], "unknown export format"),
    ],
)
def test_safety_export_format_wins_over_suffix_and_a_mismatch_fails(built, tmp_path, capsys, args, message):
    argv = ["export", *[a.format(tmp=tmp_path) for a in args], "-g", str(built)]
    code, _, err = run(argv, capsys)
    if message is None:
        assert code == 0, err
        assert (tmp_path / "kg_out").read_text(encoding="utf-8").startswith("@prefix")
    else:
        assert code == 1 and message in err
        assert not (tmp_path / "kg.ttl").exists() and not (tmp_path / "kg.docx").exists()


# --- bad --out: refused before any work, one line, nothing written -----------------------


def bad_outs(tmp_path: Path, user_folder: Path) -> dict[str, Path]:
    a_file = tmp_path / "a_file"
    a_file.write_text("keep me", encoding="utf-8")
    return {
        "an existing file": a_file,
        "a path under a file": a_file / "out",
        "a folder of the user's": user_folder,
        "inside /proc": Path("/proc/paperkg-out"),
    }


@pytest.mark.parametrize("case", ["an existing file", "a path under a file", "a folder of the user's", "inside /proc"])
def test_safety_bad_out_fails_before_extraction(tmp_path, user_folder, corpus_file, capsys, case):
    target = bad_outs(tmp_path, user_folder)[case]
    before = snapshot(tmp_path)
    # A model that does not exist: the --out check must come first, so the error names --out.
    code, _, err = run(["build", str(corpus_file), "-o", str(target), "-m", str(tmp_path / "no-model"), "-q"], capsys)
    assert code == 1, err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "no-model" not in err and "Traceback" not in err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("out", ["", "."])
def test_safety_empty_out_is_a_usage_error(corpus_file, rule_model, capsys, out):
    code, _, err = run(["build", str(corpus_file), "-o", out, "-m", str(rule_model), "-q"], capsys)
    assert code == 2 and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_safety_unwritable_out_is_refused(tmp_path, corpus_file, rule_model, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, _, err = run(["build", str(corpus_file), "-o", str(locked / "out"), "-m", str(rule_model), "-q"], capsys)
    assert code == 1 and "not writable" in err


def test_safety_failed_build_keeps_the_previous_build(built, tmp_path, rule_model, capsys):
    before = snapshot(built)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "x", "abstract": "y"}\nnot json\n', encoding="utf-8")
    code, _, err = run(["build", str(bad), "-o", str(built), "-m", str(rule_model), "-q"], capsys)
    assert code == 1 and "bad.jsonl:2" in err
    assert snapshot(built) == before
    assert leftovers(built.parent) == []


# --- signals and concurrency, against a real process -------------------------------------


@pytest.fixture()
def slow_corpus(tmp_path) -> Path:
    """Enough papers that a build runs for a while after it starts writing."""
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(400):
            record = RECORDS[i % len(RECORDS)]
            f.write(json.dumps({"id": f"p{i}", "title": f"{record['title']} {i}",
                                "abstract": record["abstract"] * 6}) + "\n")
    return path


def _default_signals() -> None:
    """In the child: SIGINT and SIGTERM as a terminal gives them. A test run started in the
    background of a non-interactive shell ignores SIGINT, a child inherits that, and Python
    then keeps ignoring it (as a build started that way should)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def start_build(corpus: Path, out: Path, model: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "paperkg", "build", str(corpus), "-o", str(out), "-m", str(model), "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_default_signals,
    )


def wait_for_staging(out: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until the build has started writing (its staging folder exists)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if list(out.parent.glob(f".{out.name}.*.staging")):
            return
        if proc.poll() is not None:
            pytest.fail(f"build ended before it was interrupted: {proc.stderr.read()}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail("the build never started writing")


@pytest.mark.parametrize(
    "sig, code",
    [(signal.SIGINT, 130), (signal.SIGTERM, 130), (signal.SIGKILL, -signal.SIGKILL)],
)
def test_safety_signal_during_build_keeps_the_previous_build(
    built, slow_corpus, rule_model, corpus_file, capsys, sig, code
):
    before = snapshot(built)
    proc = start_build(slow_corpus, built, rule_model)
    wait_for_staging(built, proc)
    time.sleep(0.3)
    assert proc.poll() is None, "the build ended before the signal: make the corpus longer"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    if sig != signal.SIGKILL:
        assert err.strip() == "error: interrupted; no output was changed"
        assert leftovers(built.parent) == []
    assert snapshot(built) == before
    # The next build cleans up whatever a kill left and replaces the build whole.
    again = run(["build", str(corpus_file), "-o", str(built), "-m", str(rule_model), "-q"], capsys)
    assert again[0] == 0, again[2]
    assert leftovers(built.parent) == []
    assert snapshot(built) == before


def test_safety_concurrent_builds_never_mix(tmp_path, slow_corpus, corpus_file, rule_model, capsys):
    out = tmp_path / "shared-out"
    first = start_build(slow_corpus, out, rule_model)
    wait_for_staging(out, first)
    code, _, err = run(["build", str(corpus_file), "-o", str(out), "-m", str(rule_model), "-q"], capsys)
    assert code == 1 and "another paperkg process" in err
    _, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == sorted(p.name for p in out.iterdir() if p.name != MANIFEST)
    graph = (out / "graph.json").read_text(encoding="utf-8")
    assert '"p399"' in graph  # every file is from the first build, none from the refused one
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["index", "cache"])
def test_safety_a_store_that_cannot_be_written_is_one_line_and_leaves_nothing(
    built, corpus_file, rule_model, capsys, monkeypatch, where
):
    import sqlite3

    from paperkg.extract import cache
    from paperkg.graph import index

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    if where == "index":
        monkeypatch.setattr(index, "_write_tables", full)
    else:
        monkeypatch.setattr(cache.ExtractionCache, "_add", full)
    before = snapshot(built)
    code, _, err = run(["build", str(corpus_file), "-o", str(built), "-m", str(rule_model), "-q"], capsys)
    assert code == 1 and err.startswith("error: cannot write ") and "disk is full" in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(built) == before and leftovers(built.parent) == []
