"""Incremental builds: a rebuild extracts only new or changed papers and gives the same graph."""

from __future__ import annotations

import json
import sqlite3

import pytest

from paperkg.api import build

FORMATS = (("turtle", "paperkg.ttl"), ("graphml", "paperkg.graphml"))


def _write(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "graph.sqlite"}


@pytest.fixture()
def grown(tmp_path, corpus_records):
    """The corpus without its last paper, then whole with its first abstract edited."""
    first = _write(tmp_path / "first.jsonl", corpus_records[:-1])
    edited = [dict(corpus_records[0], abstract=corpus_records[0]["abstract"] + " ImageNet helps too."),
              *corpus_records[1:]]
    return first, _write(tmp_path / "second.jsonl", edited)


def test_rebuild_extracts_only_new_and_changed_papers(tmp_path, grown, rule_model):
    first, second = grown
    out = tmp_path / "out"
    report = build([first], out, model=str(rule_model), formats=FORMATS, jobs=1)
    assert (report.extracted, report.reused) == (3, 0)
    again = build([second], out, model=str(rule_model), formats=FORMATS, jobs=1)
    assert (again.extracted, again.reused) == (2, 2)  # paper a edited, paper d new
    assert list(again.timings)[:3] == ["read", "extract", "resolve"]
    scratch = build([second], tmp_path / "scratch", model=str(rule_model), formats=FORMATS, jobs=1)
    assert (scratch.extracted, scratch.reused) == (4, 0)
    assert _files(out) == _files(tmp_path / "scratch")


def test_the_store_keeps_only_the_last_builds_papers(tmp_path, grown, rule_model):
    first, second = grown
    out = tmp_path / "out"
    build([first], out, model=str(rule_model), formats=FORMATS, jobs=1)
    build([second], out, model=str(rule_model), formats=FORMATS, jobs=1)
    with sqlite3.connect(out / "graph.sqlite") as db:
        ids = sorted(r[0] for r in db.execute("SELECT paper_id FROM extractions"))
    assert ids == ["a", "b", "c", "d"]


def test_another_model_or_min_score_extracts_everything_again(tmp_path, grown, rule_model):
    first, _ = grown
    out = tmp_path / "out"
    build([first], out, model=str(rule_model), formats=FORMATS, jobs=1)
    again = build([first], out, model=str(rule_model), formats=FORMATS, jobs=1, min_score=0.5)
    assert (again.extracted, again.reused) == (3, 0)


def test_a_corrupt_store_means_a_full_extraction_not_an_error(tmp_path, grown, rule_model):
    first, _ = grown
    out = tmp_path / "out"
    build([first], out, model=str(rule_model), formats=FORMATS, jobs=1)
    (out / "graph.sqlite").write_bytes(b"\0" * 4096)
    again = build([first], out, model=str(rule_model), formats=FORMATS, jobs=1)
    assert (again.extracted, again.reused) == (3, 0)
