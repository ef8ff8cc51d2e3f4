"""The Dask engine builds the same graph as a local build (a LocalCluster of 2 worker processes)."""

from __future__ import annotations

import sqlite3

import pytest

from paperkg.api import build, seeds_dir

distributed = pytest.importorskip("distributed")

FORMATS = (("turtle", "paperkg.ttl"), ("graphml", "paperkg.graphml"), ("gexf", "paperkg.gexf"))


def _index_rows(path):
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def test_dask_build_of_the_seeds_equals_the_local_build(tmp_path, cluster):
    local = build([seeds_dir()], tmp_path / "local", model="fast", formats=FORMATS, jobs=1)
    remote = build([seeds_dir()], tmp_path / "dask", model="fast", formats=FORMATS,
                   engine="dask", scheduler=cluster.scheduler_address)
    assert (remote.papers, remote.edges, remote.extracted) == (local.papers, local.edges, 291)
    for name in ("graph.json", *(f for _, f in FORMATS)):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert _index_rows(tmp_path / "dask" / "graph.sqlite") == _index_rows(tmp_path / "local" / "graph.sqlite")


def test_dask_without_a_reachable_scheduler_is_one_error_and_keeps_nothing(tmp_path):
    from paperkg.errors import InputError

    with pytest.raises(InputError, match="scheduler"):
        build([seeds_dir()], tmp_path / "out", model="fast", engine="dask", scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "out").exists()
