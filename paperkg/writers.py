"""Write a build's outputs side by side: each file on its own forked process.

Once the graph is built, ``graph.json``, the index and every export are independent
readers of it, and together they are most of a build's time after extraction. On a
system that can fork, :func:`write_all` runs them on up to ``processes`` child processes
at a time: each child is a copy-on-write fork of the build, so the graph is never pickled
or copied up front, writes one file (atomically, through the writer's own safe write) and
reports the seconds it took. Elsewhere, or with ``processes=1``, they run one after the
other in this process. Either way the files are byte-identical: each writer is
deterministic and runs alone on its own file.

A writer's :class:`~paperkg.errors.InputError` comes back as itself, any other failure as
one :class:`RuntimeError` naming the file; the children still running are stopped first.
A child ends with its parent (an interrupted or killed build leaves none behind); one
that does not stop within two seconds of being told is killed.

A writer may first need something computed elsewhere: the map layout, which a build
computes in a process of its own while the other files are written. ``before`` names,
for such a writer, a function the parent calls just before starting it (it waits for the
layout and keeps it, so the writer's fork inherits it); the writers that wait start after
the others.

:func:`in_background` runs one piece of work the same way while the build goes on (the
map layout beside the communities and the first files) and hands its result back.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> def write(name):
...     return lambda: (folder / name).write_text(name) and folder / name
>>> seconds = write_all({"a.txt": write("a.txt"), "b.txt": write("b.txt")}, processes=2)
>>> sorted(seconds), (folder / "b.txt").read_text()
(['a.txt', 'b.txt'], 'b.txt')
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait

from paperkg.errors import InputError

__all__ = ["Background", "can_fork", "in_background", "write_all"]

Writer = Callable[[], object]

_GRACE_SECONDS = 2.0  # how long a stopped child may take before it is killed


def can_fork() -> bool:
    """Whether this system can fork child processes (Linux and other POSIX systems)."""
    return "fork" in multiprocessing.get_all_start_methods()


def write_all(
    writers: Mapping[str, Writer],
    *,
    processes: int = 1,
    before: Mapping[str, Callable[[], object]] | None = None,
) -> dict[str, float]:
    """Run every writer (name → a function writing one file); return the seconds each took.

    ``processes`` above 1 runs up to that many writers at once on forked children, in the
    order given (put the slowest first), except that the writers named in ``before`` start
    last, each once its ``before`` function, called in this process, has returned. The
    result keeps the order of ``writers``.
    """
    before = before or {}
    order = sorted(writers, key=lambda name: name in before)  # stable: the others first
    if processes <= 1 or len(writers) <= 1 or not can_fork():
        seconds = {}
        for name in order:
            if name in before:
                before[name]()
            started = time.perf_counter()
            writers[name]()
            seconds[name] = time.perf_counter() - started
        return {name: seconds[name] for name in writers}
    return _forked(writers, order, processes, before)


def _forked(
    writers: Mapping[str, Writer],
    order: list[str],
    processes: int,
    before: Mapping[str, Callable[[], object]],
) -> dict[str, float]:
    context = multiprocessing.get_context("fork")
    queue = [(name, writers[name]) for name in order]
    running: dict[Connection, tuple[str, multiprocessing.Process]] = {}
    seconds: dict[str, float] = {}
    gc.freeze()  # the collector in a child would touch every page of the shared graph
    try:
        while queue or running:
            while queue and len(running) < processes:
                name, writer = queue.pop(0)
                if name in before:  # the children running meanwhile keep writing
                    before[name]()
                receive, send = context.Pipe(duplex=False)
                child = context.Process(target=_child, args=(writer, send), name=f"paperkg-write-{name}")
                child.start()
                send.close()
                running[receive] = (name, child)
            for ready in wait(list(running)):
                name, child = running.pop(ready)
                try:
                    outcome = ready.recv()
                except EOFError:
                    outcome = ("error", f"the process writing {name} died (exit code {child.exitcode})")
                ready.close()
                child.join()
                if outcome[0] == "ok":
                    seconds[name] = outcome[1]
                elif outcome[0] == "input":
                    raise InputError(outcome[1])
                else:
                    raise RuntimeError(f"writing {name} failed: {outcome[1]}")
    finally:
        for ready, (_, child) in running.items():
            child.terminate()
        for ready, (_, child) in running.items():
            child.join(timeout=_GRACE_SECONDS)
            if child.is_alive():  # it inherited an ignored SIGTERM and had not yet reset it
                child.kill()
                child.join()
            ready.close()
        gc.unfreeze()
    return {name: seconds[name] for name in writers}


def _child(writer: Writer, send: Connection, keep: bool = False) -> None:
    """In the child: write, report ("ok", seconds), ("input", message) or ("error", text);
    with ``keep``, ("ok", what the writer returned) instead of the seconds."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops its children itself
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    started = time.perf_counter()
    try:
        result = writer()
        send.send(("ok", result if keep else time.perf_counter() - started))
    except InputError as err:
        send.send(("input", str(err)))
    except BaseException as err:  # noqa: BLE001  (reported to the parent, which raises)
        send.send(("error", "".join(traceback.format_exception_only(type(err), err)).strip()))
    finally:
        send.close()


def _end_with(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)


class Background:
    """One piece of work on a child process, started at once (:func:`in_background`)."""

    def __init__(self, work: Callable[[], object], name: str = "work", start: str = "fork") -> None:
        self.name = name
        context = multiprocessing.get_context(start)
        self._receive, send = context.Pipe(duplex=False)
        gc.freeze()  # as for the writers: the child's collector would touch every shared page
        try:
            self._child = context.Process(target=_child, args=(work, send, True),
                                          name=f"paperkg-{name}")
            self._child.start()
        finally:
            gc.unfreeze()
        send.close()
        self._done = False

    def result(self) -> object:
        """Wait for the work; return what it returned (an InputError comes back as itself)."""
        try:
            outcome = self._receive.recv()
        except EOFError:
            outcome = ("error", f"the process computing the {self.name} died")
        finally:
            self._receive.close()
            self._child.join()
            self._done = True
        if outcome[0] == "ok":
            return outcome[1]
        if outcome[0] == "input":
            raise InputError(outcome[1])
        raise RuntimeError(f"computing the {self.name} failed: {outcome[1]}")

    def stop(self) -> None:
        """Stop the child if it still runs (its result is not wanted)."""
        if self._done:
            return
        self._done = True
        self._child.terminate()
        self._child.join(timeout=_GRACE_SECONDS)
        if self._child.is_alive():
            self._child.kill()
            self._child.join()
        self._receive.close()


@contextmanager
def in_background(
    work: Callable[[], object], name: str = "work", start: str = "fork"
) -> Iterator[Background]:
    """Run ``work`` on a child process while the body runs; ``.result()`` waits for it.

    By default the child is a copy-on-write fork, so ``work`` sees everything as it was
    when the body began. With ``start="spawn"`` it is a fresh interpreter that receives
    ``work`` pickled: for work on a few arrays beside a body that goes on reading a large
    graph (a fork would end up holding its own copy of every page the body touches).
    Leaving the body without asking for the result (an error, an interrupt) stops the
    child: none outlives the build.

    >>> with in_background(lambda: sum(range(10))) as job:
    ...     mine = 2 + 2
    ...     theirs = job.result()
    >>> mine, theirs
    (4, 45)
    """
    job = Background(work, name, start)
    try:
        yield job
    finally:
        job.stop()
