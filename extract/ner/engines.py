"""Extraction engines: the mentions of :func:`paperkg.extract.ner.pipeline.extract`, on every core or a cluster.

Extraction is most of a build's time, and its papers are independent, so it parallelises by
batches of papers. :func:`extract_papers` takes papers and yields each with its mentions, in
input order, exactly what ``extract(load_pipeline(model), papers, min_score=min_score)`` yields
(the same records, byte for byte), whichever engine (:data:`ENGINES`) runs them:

``local``
    This machine. ``jobs=1`` runs the pipeline in this process; ``jobs=N`` starts N worker
    processes (``spawn``: never a fork of a process that already runs onnxruntime threads),
    each loading the model once and running one batch of papers at a time with one
    onnxruntime, BLAS and OpenMP thread (:data:`WORKER_ENV`), so N workers keep N cores busy.
    As with every ``spawn`` pool, a script that calls it with ``jobs`` above 1 must guard its
    own work with ``if __name__ == "__main__":`` (the workers import the script).
``dask``
    A Dask distributed cluster (``pip install paperkg[cluster]``): a scheduler address such as
    ``tcp://10.0.0.5:8786`` (``dask scheduler`` / ``dask worker ADDR --nthreads 1`` on the
    machines, or a ``distributed.LocalCluster``'s ``scheduler_address``). Each worker thread
    loads the model once and keeps it for the next batches, and runs onnxruntime on one thread
    (as Dask's nanny gives each worker one BLAS thread): start one single-threaded worker per
    core (``dask worker ADDR --nworkers N --nthreads 1``), or set ``PAPERKG_ONNX_THREADS`` in
    a worker's environment to give its pipelines more. Workers need paperkg installed (the same
    version), and a model folder must exist at the same path on them.

Both stream: papers are read lazily in batches of ``batch_size`` and at most a few batches per
worker are in flight, their results put back in input order, so memory does not grow with the
corpus. A worker that dies (killed, out of memory) ends the run with an
:class:`~paperkg.errors.InputError` instead of a hang.

Examples
--------
>>> sorted(ENGINES)
['dask', 'local']
>>> list(extract_papers([], "fast", jobs=2))
[]
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from itertools import chain, islice
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import TYPE_CHECKING, Any

from paperkg.errors import InputError
from paperkg.extract.records import Mention, Paper

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "BATCH_SIZE",
    "CONNECT_TIMEOUT",
    "ENGINES",
    "NO_WORKER_TIMEOUT",
    "WORKER_ENV",
    "available_cores",
    "extract_papers",
]

#: Papers per batch sent to a worker. A multiple of 32 papers (64 docs, the batch of
#: ``extract``'s ``nlp.pipe``), so a worker's pipeline sees the batches an in-process run sees.
BATCH_SIZE = 64

#: Batches in flight per worker (one running, one queued): enough to keep every worker busy,
#: few enough that memory stays bounded.
IN_FLIGHT_PER_WORKER = 2

#: Seconds to wait for a Dask scheduler to answer before giving up.
CONNECT_TIMEOUT = 10.0

#: Seconds a Dask run waits, with batches pending, for a cluster that has no worker at all.
NO_WORKER_TIMEOUT = 60.0

#: The environment of the local worker processes: one BLAS / OpenMP thread and one onnxruntime
#: thread each (``PAPERKG_ONNX_THREADS``, :data:`paperkg.extract.ner.encoder.THREADS_ENV`).
#: Set when a worker process starts, before it imports numpy or onnxruntime.
WORKER_ENV: dict[str, str] = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PAPERKG_ONNX_THREADS": "1",
}

Results = Iterator[tuple[Paper, list[Mention]]]


def available_cores() -> int:
    """Return the cores this process may run on (its CPU affinity where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity on macOS / Windows
        return os.cpu_count() or 1


def extract_papers(
    papers: Iterable[Paper],
    model: str | os.PathLike = "default",
    *,
    min_score: float | None = None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    batch_size: int = BATCH_SIZE,
    nlp: Language | None = None,
) -> Results:
    """Extract the mentions of every paper with an engine; yield ``(paper, mentions)`` in input order.

    Yields what ``extract(load_pipeline(model), papers, min_score=min_score)``
    (:mod:`paperkg.extract.ner.pipeline`) yields, record for record, streaming.

    Parameters
    ----------
    papers:
        The papers, read lazily (a generator of millions is fine).
    model:
        A shipped pipeline name (``"default"``, ``"fast"``) or a pipeline folder. Every worker
        loads it itself: with ``engine="dask"`` a folder must exist at that path *on the
        workers* (the shipped names come with paperkg installed there).
    min_score:
        As for :func:`~paperkg.extract.ner.pipeline.extract`.
    jobs:
        ``local``: worker processes; ``None`` (default) one per available core
        (:func:`available_cores`), 1 runs in this process. A run whose papers fit in one batch
        runs in this process whatever ``jobs`` says (starting workers would cost more).
        ``dask`` ignores it: the cluster's worker threads decide.
    engine:
        A name in :data:`ENGINES`: ``"local"`` (default) or ``"dask"``.
    scheduler:
        ``dask`` only (required there): the scheduler's address, e.g. ``"tcp://10.0.0.5:8786"``.
    batch_size:
        Papers per batch (default :data:`BATCH_SIZE`; keep it a multiple of 32 for results
        byte-identical to an in-process run's, :data:`BATCH_SIZE`).
    nlp:
        An already loaded pipeline, used when the papers run in this process; worker processes
        and Dask workers load ``model`` instead, so pass the model it was loaded from.

    Yields
    ------
    tuple[Paper, list[Mention]]
        Each paper (the object given) with its mentions.

    Raises
    ------
    InputError
        Raised at once for an unknown engine, a ``jobs`` or ``batch_size`` below 1, a
        ``min_score`` outside [0, 1], an unknown model (``local``), a scheduler with ``local``,
        ``dask`` without a scheduler or without paperkg's ``cluster`` extra installed; while
        iterating for a scheduler not reachable within :data:`CONNECT_TIMEOUT` seconds, a cluster
        without workers for :data:`NO_WORKER_TIMEOUT` seconds, or a worker that died.
    """
    run = ENGINES.get(engine)
    if run is None:
        raise InputError(f"unknown extraction engine {engine!r}: use one of {', '.join(sorted(ENGINES))}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InputError(f"batch_size must be a whole number of at least 1, not {batch_size!r}")
    if min_score is not None and (isinstance(min_score, bool) or not isinstance(min_score, (int, float))
                                  or not 0.0 <= min_score <= 1.0):
        raise InputError(f"min_score must be a number from 0 to 1, not {min_score!r}")
    return run(iter(papers), model, min_score=min_score, jobs=jobs, scheduler=scheduler,
               batch_size=batch_size, nlp=nlp)


# -- what a worker runs ------------------------------------------------------------------------

#: The pipelines this process loaded for workers, by (model, thread): each worker thread keeps
#: its own (spaCy pipelines are not shared between threads), loaded on its first batch.
_PIPELINES: dict[tuple[str, int], Any] = {}


def _worker_pipeline(model: str | os.PathLike) -> Language:
    """Return this worker thread's pipeline for ``model``, loading it on first use."""
    key = (os.fspath(model), threading.get_ident())
    nlp = _PIPELINES.get(key)
    if nlp is None:
        from paperkg.extract.ner.encoder import THREADS_ENV
        from paperkg.extract.ner.pipeline import load_pipeline

        # One window at a time, on one thread, per pipeline unless the worker's environment
        # says otherwise (local workers start with it; Dask's nanny likewise gives each
        # worker one BLAS thread).
        os.environ.setdefault(THREADS_ENV, "1")
        nlp = _PIPELINES[key] = load_pipeline(model)
    return nlp


def _extract_batch(batch: list[Paper], model: str | os.PathLike,
                   min_score: float | None) -> list[list[Mention]]:
    """Run on a worker: each paper's mentions, in batch order."""
    from paperkg.extract.ner.pipeline import extract

    return [mentions for _, mentions in extract(_worker_pipeline(model), batch, min_score=min_score)]


def _ignore_interrupt() -> None:
    """Local worker initializer: Ctrl-C is the parent's to handle (no traceback per worker).

    A worker also ends as soon as its parent is gone: a build killed with SIGKILL cannot shut
    its pool down, and the pool's queues would keep an orphaned worker waiting for ever (and
    holding the build's terminal or pipes open).
    """
    import multiprocessing
    from multiprocessing.connection import wait

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        def watch() -> None:
            wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=watch, name="paperkg-parent-watch", daemon=True).start()


# -- shared by the engines ---------------------------------------------------------------------

def _batches(papers: Iterator[Paper], size: int) -> Iterator[list[Paper]]:
    while batch := list(islice(papers, size)):
        yield batch


def _in_order(batches: Iterator[list[Paper]], submit: Callable[[list[Paper]], Any],
              result: Callable[[Any], list[list[Mention]]], in_flight: Callable[[], int],
              finish: Callable[[], None]) -> Results:
    """Submit batches with at most ``in_flight()`` pending; yield their papers in input order.

    ``finish()`` runs once every result is in, before the last batch's papers are yielded, so the
    workers are released even when the caller takes exactly as many papers as it gave and never
    asks for the end of the iterator.
    """
    pending: deque[tuple[list[Paper], Any]] = deque()
    batches = iter(batches)
    exhausted = False
    while pending or not exhausted:
        limit = max(1, in_flight())
        while not exhausted and len(pending) < limit:
            batch = next(batches, None)
            if batch is None:
                exhausted = True
            else:
                pending.append((batch, submit(batch)))
        if not pending:
            break
        batch, task = pending.popleft()
        mentions = result(task)
        if exhausted and not pending:
            finish()
        yield from zip(batch, mentions, strict=True)
    finish()


# -- local: this process or a pool of worker processes -----------------------------------------

_ENV_LOCK = threading.Lock()


class _WorkerProcess(SpawnProcess):
    """A spawned process that starts with :data:`WORKER_ENV` (and the rest of this environment)."""

    @staticmethod
    def _Popen(process_obj):  # noqa: N802  (multiprocessing's name)
        # A spawned child copies this process's environment when it starts, and nothing else
        # sets it: put the worker settings in for the start, then put the old values back.
        with _ENV_LOCK:
            saved = {name: os.environ.get(name) for name in WORKER_ENV}
            os.environ.update(WORKER_ENV)
            try:
                return SpawnProcess._Popen(process_obj)
            finally:
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value


class _WorkerContext(SpawnContext):
    """The ``spawn`` start method, with :class:`_WorkerProcess` processes."""

    Process = _WorkerProcess


def _local(papers: Iterator[Paper], model: str | os.PathLike, *, min_score: float | None,
           jobs: int | None, scheduler: str | None, batch_size: int, nlp: Language | None) -> Results:
    """The ``local`` engine: check its arguments now, run when iterated."""
    if scheduler is not None:
        raise InputError("a scheduler address only applies to the dask engine (--engine dask)")
    from paperkg.extract.ner.pipeline import resolve_model

    resolve_model(model)  # an unknown model fails now, not in every worker
    return _local_run(papers, model, min_score=min_score,
                      jobs=available_cores() if jobs is None else jobs, batch_size=batch_size, nlp=nlp)


def _local_run(papers: Iterator[Paper], model: str | os.PathLike, *, min_score: float | None,
               jobs: int, batch_size: int, nlp: Language | None) -> Results:
    from paperkg.extract.ner.pipeline import extract, load_pipeline

    batches = _batches(papers, batch_size)
    first = second = None
    if jobs > 1:
        first = next(batches, None)
        if first is None:
            return
        second = next(batches, None)
    if second is None:  # one process, or everything fits in one batch
        rest = papers if first is None else first
        yield from extract(nlp if nlp is not None else load_pipeline(model), rest, min_score=min_score)
        return

    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_WorkerContext(),
                               initializer=_ignore_interrupt)

    def submit(batch: list[Paper]) -> Future:
        try:
            return pool.submit(_extract_batch, batch, model, min_score)
        except BrokenProcessPool:
            raise _worker_died() from None

    def result(future: Future) -> list[list[Mention]]:
        try:
            return future.result()
        except BrokenProcessPool:
            raise _worker_died() from None

    done = False
    try:
        yield from _in_order(chain([first, second], batches), submit, result,
                             lambda: IN_FLIGHT_PER_WORKER * jobs, pool.shutdown)
        done = True
    finally:
        # Stopped early (the caller closed the generator), failed or interrupted: drop the
        # queued batches and stop the workers now, not once their batches are tagged (a
        # no-op after the normal end, where the pool was shut down with every result in).
        workers = _workers(pool)
        pool.shutdown(wait=False, cancel_futures=True)
        if not done:
            for process in workers:
                if process.is_alive():
                    process.terminate()


def _workers(pool) -> list:
    """A pool's worker processes, to stop them at once on Ctrl-C (which otherwise waited
    seconds for their batches). The pool keeps them in a private attribute (Python 3.14
    adds ``terminate_workers``); without it the list is empty and the workers end when
    their batches do, as before."""
    return list((getattr(pool, "_processes", None) or {}).values())


def _worker_died() -> InputError:
    return InputError("an extraction worker process died (killed, or out of memory?): "
                      "rerun with fewer --jobs or a smaller batch")


# -- dask: a distributed cluster ----------------------------------------------------------------

def _dask(papers: Iterator[Paper], model: str | os.PathLike, *, min_score: float | None,
          jobs: int | None, scheduler: str | None, batch_size: int, nlp: Language | None) -> Results:
    """The ``dask`` engine: check its arguments now, connect and run when iterated."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise InputError("the dask engine needs Dask distributed: pip install paperkg[cluster]") from None
    if not scheduler:
        raise InputError("the dask engine needs a scheduler address (--scheduler tcp://HOST:8786)")
    return _dask_run(papers, model, min_score=min_score, scheduler=str(scheduler), batch_size=batch_size)


def _dask_run(papers: Iterator[Paper], model: str | os.PathLike, *, min_score: float | None,
              scheduler: str, batch_size: int) -> Results:
    from distributed import Client

    try:
        _probe(scheduler)
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # refused, unresolvable, timed out, not a scheduler: all one answer
        raise InputError(f"cannot reach the Dask scheduler at {scheduler} within {CONNECT_TIMEOUT:g} s "
                         f"({_one_line(exc)})") from None
    # Sent by name: a folder path names that folder on the workers (a shipped name is resolved there).
    model = model if isinstance(model, str) else os.fspath(model)

    def threads() -> int:
        return sum(client.nthreads().values())

    def submit(batch: list[Paper]):
        return client.submit(_extract_batch, batch, model, min_score, pure=False)

    def result(future) -> list[list[Mention]]:
        return _dask_result(client, future, scheduler)

    try:
        yield from _in_order(_batches(papers, batch_size), submit, result,
                             lambda: IN_FLIGHT_PER_WORKER * max(1, threads()), client.close)
    finally:
        client.close()


def _probe(scheduler: str) -> None:
    """Open and close one connection to ``scheduler`` (handshake included), or raise why not.

    A ``Client`` that fails to start on anything but a timeout is left half-open and blocks
    for a while when it is collected; a bare connection first keeps those failures clean. It
    runs on its own event loop in a short-lived thread, so a caller's running loop (a notebook)
    is left alone.
    """
    import asyncio

    from distributed.comm import connect

    async def once() -> None:
        comm = await connect(scheduler, timeout=CONNECT_TIMEOUT)
        await comm.close()

    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(once())
        except BaseException as exc:  # handed to the calling thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="paperkg-dask-probe", daemon=True)
    thread.start()
    thread.join(CONNECT_TIMEOUT + 5)
    if thread.is_alive():
        raise TimeoutError(f"no answer after {CONNECT_TIMEOUT:g} s")
    if failure:
        raise failure[0]


def _dask_result(client, future, scheduler: str) -> list[list[Mention]]:
    """Wait for a batch; fail with an InputError when its worker died or no worker is left."""
    from concurrent.futures import CancelledError

    from distributed.scheduler import KilledWorker

    no_worker_since = None
    while True:
        try:
            return future.result(timeout=1.0)
        except TimeoutError:
            if client.status != "running":
                raise InputError(f"lost the Dask scheduler at {scheduler}") from None
            if client.nthreads():
                no_worker_since = None
            elif no_worker_since is None:
                no_worker_since = time.monotonic()
            elif time.monotonic() - no_worker_since > NO_WORKER_TIMEOUT:
                raise InputError(f"the Dask cluster at {scheduler} has had no worker for "
                                 f"{NO_WORKER_TIMEOUT:g} s") from None
        except KilledWorker:
            raise InputError("Dask workers died running a batch of papers (killed, or out of memory?): "
                             "give the workers more memory or use a smaller batch") from None
        except (CancelledError, OSError) as exc:
            raise InputError(f"the Dask run at {scheduler} failed ({_one_line(exc)})") from None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


#: The engines by name: each checks its arguments when called and returns the iterator of
#: ``(paper, mentions)`` that runs them (same signature as :func:`extract_papers` less ``engine``).
ENGINES: dict[str, Callable[..., Results]] = {
    "local": _local,
    "dask": _dask,
}
