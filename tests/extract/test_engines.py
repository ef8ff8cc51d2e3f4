"""Extraction engines: every engine yields the in-process mentions, in order, streaming; errors are one line."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import time

import pytest

from paperkg.api import seeds_dir
from paperkg.errors import InputError
from paperkg.extract.ner import engines
from paperkg.extract.ner.encoder import THREADS_ENV, session_threads
from paperkg.extract.ner.engines import ENGINES, WORKER_ENV, extract_papers
from paperkg.extract.ner.pipeline import extract, load_pipeline
from paperkg.extract.read.readers import read_papers

#: Papers per model in the equality tests: a few batches per worker, seconds per model.
N_PAPERS = {"fast": 24, "default": 12}


@pytest.fixture(scope="module")
def seed_papers():
    return read_papers([seeds_dir()])[:max(N_PAPERS.values())]


@pytest.fixture(scope="module")
def in_process(seed_papers):
    """Each model's in-process results (``extract(load_pipeline(model), papers)``), computed once."""
    cache = {}

    def results(model):
        if model not in cache:
            cache[model] = list(extract(load_pipeline(model), seed_papers[:N_PAPERS[model]]))
        return cache[model]

    return results


def _workers() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if isinstance(p, engines._WorkerProcess)]


def _assert_same(got, expected):
    assert [paper.id for paper, _ in got] == [paper.id for paper, _ in expected]
    assert all(a is b for (a, _), (b, _) in zip(got, expected))  # the very paper objects given
    assert [mentions for _, mentions in got] == [mentions for _, mentions in expected]
    assert sum(len(mentions) for _, mentions in got) > len(got)  # the papers do have mentions


@pytest.mark.parametrize("model", ["fast", "default"])
def test_engines_local_jobs2_yields_the_in_process_mentions_in_order_streaming(model, seed_papers, in_process):
    papers = seed_papers[:N_PAPERS[model]]
    pulled = 0

    def stream():
        nonlocal pulled
        for paper in papers:
            pulled += 1
            yield paper

    results = extract_papers(stream(), model, jobs=2, batch_size=2)
    got = [next(results)]
    # Lazily read: at most the batches in flight had been taken when the first paper came back.
    assert pulled <= engines.IN_FLIGHT_PER_WORKER * 2 * 2 < len(papers)
    got.extend(results)
    _assert_same(got, in_process(model))
    assert pulled == len(papers)


def test_engines_local_jobs1_uses_the_given_pipeline(rule_model, seed_papers):
    nlp = load_pipeline(rule_model)
    papers = seed_papers[:8]
    expected = list(extract(nlp, papers))
    assert any(mentions for _, mentions in expected)
    # The rule pipeline's mentions, not those of the model named beside it.
    assert list(extract_papers(iter(papers), "fast", jobs=1, nlp=nlp)) == expected


def test_engines_local_one_batch_runs_in_process(monkeypatch, rule_model, seed_papers):
    import concurrent.futures

    def no_pool(*args, **kwargs):
        raise AssertionError("started worker processes for a single batch")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    papers = seed_papers[:5]
    expected = list(extract(load_pipeline(rule_model), papers))
    assert list(extract_papers(papers, rule_model, jobs=4, batch_size=5)) == expected
    assert list(extract_papers([], rule_model, jobs=4)) == []


def test_engines_local_worker_killed_is_an_input_error(rule_model, seed_papers):
    results = extract_papers(seed_papers[:24], rule_model, jobs=2, batch_size=2)
    next(results)
    workers = _workers()
    assert len(workers) == 2
    os.kill(workers[0].pid, signal.SIGKILL)
    with pytest.raises(InputError, match="worker process died"):
        list(results)


def test_engines_local_workers_end_with_the_last_paper(rule_model, seed_papers):
    papers = seed_papers[:12]
    results = extract_papers(papers, rule_model, jobs=2, batch_size=2)
    got = [next(results) for _ in papers]  # as many as given, never asking for the end
    assert [paper for paper, _ in got] == papers
    assert _workers() == []  # shut down before the last paper was handed over
    assert list(results) == []


def test_engines_local_stopping_early_releases_the_workers(rule_model, seed_papers):
    results = extract_papers(seed_papers[:24], rule_model, jobs=2, batch_size=2)
    next(results)
    assert _workers()
    results.close()
    deadline = time.monotonic() + 30
    while _workers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _workers() == []


def test_engines_local_stopping_stops_busy_workers_at_once(seed_papers):
    """Ctrl-C (or any early stop) ends workers in the middle of a batch, not seconds later."""
    from dataclasses import replace

    long = [replace(p, abstract=" ".join([p.abstract] * 8)) for p in seed_papers[:16]]
    results = extract_papers(long, "default", jobs=2, batch_size=4)
    next(results)  # the first batch is in; the workers are busy with the next ones
    busy = _workers()
    assert busy
    stopped = time.monotonic()
    results.close()
    while _workers() and time.monotonic() < stopped + 30:
        time.sleep(0.05)
    assert _workers() == [] and time.monotonic() - stopped < 2.0


def test_engines_worker_processes_start_with_one_thread_each():
    # builtins.exec pickles by name: the child checks its own environment and exits 0 or 3.
    check = ("import os, sys; sys.exit(0 if all(os.environ.get(k) == v for k, v in "
             f"{WORKER_ENV!r}.items()) else 3)")
    before = dict(os.environ)
    process = engines._WorkerContext().Process(target=exec, args=(check,))
    process.start()
    process.join(60)
    assert process.exitcode == 0
    assert dict(os.environ) == before  # this process's environment is left as it was


def test_engines_onnx_threads_come_from_the_environment(monkeypatch):
    monkeypatch.delenv(THREADS_ENV, raising=False)
    assert session_threads(0) == 0
    monkeypatch.setenv(THREADS_ENV, "1")
    assert session_threads(0) == 1
    monkeypatch.setenv(THREADS_ENV, "two")
    with pytest.raises(InputError, match=THREADS_ENV):
        session_threads(0)


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster


@pytest.mark.parametrize("model", ["fast", "default"])
def test_engines_dask_local_cluster_yields_the_in_process_mentions(model, dask_cluster, seed_papers, in_process):
    papers = iter(seed_papers[:N_PAPERS[model]])
    got = list(extract_papers(papers, model, engine="dask", scheduler=dask_cluster.scheduler_address,
                              batch_size=2))
    _assert_same(got, in_process(model))


def test_engines_dask_model_missing_on_the_workers_is_an_input_error(dask_cluster, seed_papers, tmp_path):
    missing = tmp_path / "no-pipeline-here"  # a path is the workers' to resolve, not this process's
    results = extract_papers(seed_papers[:2], missing, engine="dask", scheduler=dask_cluster.scheduler_address)
    with pytest.raises(InputError, match="no spaCy pipeline at"):
        list(results)


def test_engines_dask_cluster_without_workers_is_an_input_error(monkeypatch, seed_papers):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(engines, "NO_WORKER_TIMEOUT", 1.0)
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as cluster:
        with pytest.raises(InputError, match="no worker"):
            list(extract_papers(seed_papers[:3], "fast", engine="dask", scheduler=cluster.scheduler_address))


def test_engines_dask_unreachable_scheduler_is_an_input_error(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(engines, "CONNECT_TIMEOUT", 1.0)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(InputError, match="cannot reach the Dask scheduler") as error:
        list(extract_papers([], "fast", engine="dask", scheduler=f"tcp://127.0.0.1:{port}"))
    assert time.monotonic() - start < 15
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("kwargs,message", [
    ({"engine": "ray"}, "unknown extraction engine 'ray': use one of dask, local"),
    ({"jobs": 0}, "jobs must be"),
    ({"jobs": 1.5}, "jobs must be"),
    ({"batch_size": 0}, "batch_size must be"),
    ({"min_score": 1.5}, "min_score must be"),
    ({"model": "nosuchmodel"}, "unknown model 'nosuchmodel'"),
    ({"scheduler": "tcp://127.0.0.1:8786"}, "only applies to the dask engine"),
    ({"engine": "dask"}, "needs a scheduler address"),
])
def test_engines_bad_arguments_fail_at_once_in_one_line(kwargs, message):
    with pytest.raises(InputError, match=message) as error:
        extract_papers([], **kwargs)  # not iterated: the call itself checks
    assert "\n" not in str(error.value)


def test_engines_dask_without_distributed_says_what_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(InputError, match=r"pip install paperkg\[cluster\]"):
        extract_papers([], engine="dask", scheduler="tcp://127.0.0.1:8786")


def test_engines_table_names_every_engine():
    assert sorted(ENGINES) == ["dask", "local"]
    assert all(callable(run) for run in ENGINES.values())
