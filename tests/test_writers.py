"""Writing a build's files side by side: the same bytes, errors as errors, no child left."""

from __future__ import annotations

import os
import signal
import time

import pytest

from paperkg import api
from paperkg.errors import InputError
from paperkg.writers import can_fork, write_all

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork")


def test_a_parallel_build_writes_the_same_bytes(tmp_path, corpus_file, rule_model, monkeypatch):
    api.build([corpus_file], tmp_path / "one", model=str(rule_model), jobs=1)
    monkeypatch.setattr(api, "PARALLEL_WRITE_NODES", 0)
    report = api.build([corpus_file], tmp_path / "two", model=str(rule_model), jobs=2)
    assert sorted(report.file_seconds) == sorted(report.files)
    for name in report.files:
        if name != "graph.sqlite":
            assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


def test_a_build_lays_its_map_out_once(tmp_path, corpus_file, rule_model, monkeypatch):
    from paperkg.exports import layout

    calls = []  # the size of each graph laid out in this process (the HTML map lays out communities)
    placed = layout._placed
    monkeypatch.setattr(layout, "_placed", lambda nodes, *a, **k: calls.append(len(nodes)) or placed(nodes, *a, **k))
    layout._CACHE.clear()
    report = api.build([corpus_file], tmp_path / "one", model=str(rule_model), jobs=1)
    whole = report.papers + sum(report.concepts.values())
    assert calls.count(whole) == 1  # one layout of the whole map for both GEXF files
    for jobs in (1, 2):  # written one at a time or side by side, the layout runs beside them
        calls.clear()
        layout._CACHE.clear()
        monkeypatch.setattr(api, "BACKGROUND_LAYOUT_NODES", 0)
        monkeypatch.setattr(api, "PARALLEL_WRITE_NODES", 0 if jobs == 2 else 10**9)
        api.build([corpus_file], tmp_path / f"jobs{jobs}", model=str(rule_model), jobs=jobs)
        assert whole not in calls  # laid out in a spawned process, handed to the writers
        assert whole in [len(found) for found in layout._CACHE.values()]  # kept for the writers
        for name in ("paperkg.gexf", "paperkg.cooccurrence.gexf"):
            assert (tmp_path / f"jobs{jobs}" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


@pytest.mark.parametrize("processes", [1, 2])
def test_a_writer_that_waits_starts_after_the_others_and_sees_what_it_waited_for(tmp_path, processes):
    state, calls = {}, []

    def place():  # the build's wait for the map layout, which it keeps for the writers after
        calls.append("place")
        state["layout"] = "placed"

    def write(name):
        return lambda: (tmp_path / name).write_text(state.get("layout", "none"))

    seconds = write_all({"map": write("map"), "a": write("a"), "b": write("b")},
                        processes=processes, before={"map": place})
    assert list(seconds) == ["map", "a", "b"]  # the order given, whatever order they ran in
    assert calls == ["place"]
    assert (tmp_path / "map").read_text() == "placed"
    assert (tmp_path / "a").read_text() == (tmp_path / "b").read_text() == "none"  # started first


def test_background_work_that_fails_is_one_error_and_leaves_no_child(tmp_path):
    from paperkg.writers import in_background

    with pytest.raises(RuntimeError, match="computing the sum failed: ZeroDivisionError"):
        with in_background(lambda: 1 / 0, "sum") as job:
            job.result()
    with pytest.raises(KeyError):
        with in_background(lambda: time.sleep(30) or (tmp_path / "late").write_text("x"), "nap") as job:
            raise KeyError("the build failed first")
    assert not job._child.is_alive() and not (tmp_path / "late").exists()


def test_a_writers_input_error_comes_back_as_itself(tmp_path):
    def bad():
        raise InputError("no room for this file")

    with pytest.raises(InputError, match="no room for this file"):
        write_all({"a": lambda: (tmp_path / "a").write_text("a"), "b": bad}, processes=2)


def test_a_crashing_writer_is_one_error_and_stops_the_others(tmp_path):
    def crash():
        os._exit(3)

    def slow():
        time.sleep(30)
        (tmp_path / "late").write_text("x")

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="died"):
        write_all({"crash": crash, "slow": slow}, processes=2)
    assert not (tmp_path / "late").exists()
    assert time.monotonic() - started < 20


def test_a_writer_deaf_to_sigterm_is_killed(tmp_path):
    """A child that ignores SIGTERM (as one forked from a parent ignoring it may) is killed."""

    def crash():
        time.sleep(0.5)
        os._exit(3)

    def deaf():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(30)
        (tmp_path / "late").write_text("x")

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="died"):
        write_all({"crash": crash, "deaf": deaf}, processes=2)
    assert not (tmp_path / "late").exists()
    assert time.monotonic() - started < 20
