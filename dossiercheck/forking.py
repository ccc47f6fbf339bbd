"""Work in a forked child process, on Linux, to use the second core of a laptop.

A fork shares the parent's memory copy-on-write: the child sees every loaded table without a copy
or a pickle, and only its result travels back, pickled, through a pipe. Used for half of the rules
(:mod:`dossiercheck.engine`) and for rapport.xlsx (:mod:`dossiercheck.reports.xlsx`).

The child ignores SIGINT (Ctrl-C in a terminal reaches the whole process group; the parent
decides), dies with the parent (``PR_SET_PDEATHSIG``: a killed run leaves no worker behind), and
leaves with ``os._exit`` (no atexit handlers, no flushing of the parent's buffers or closing of its
history database). ``DOSSIERCHECK_NO_FORK=1`` (or any platform but Linux) runs everything
in-process.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def can_fork() -> bool:
    """Whether work may go to a forked child (Linux only: there a fork is cheap and memory is
    shared copy-on-write; elsewhere everything runs in-process)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and not os.environ.get("DOSSIERCHECK_NO_FORK")


def die_with_parent(parent: int) -> None:
    """Linux: SIGTERM this process when its parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def release_free_memory() -> None:
    """glibc (Linux): hand memory that was freed but kept by the allocator back to the system
    (``malloc_trim``). Worker threads allocate in arenas of their own, and what they free there
    stays resident until trimmed; called after the threaded phases (reading, schema), before the
    big allocations and forks that follow. Anywhere else: nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def pickled_error(e: BaseException) -> bytes:
    """``e`` pickled for the parent; an exception that cannot be pickled becomes a RuntimeError
    with its type and message."""
    try:
        data = pickle.dumps(e)
        pickle.loads(data)
        return data
    except Exception:  # noqa: BLE001
        return pickle.dumps(RuntimeError(f"{type(e).__name__}: {e}"))


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused (and put back as it was) while code makes many
    short-lived, acyclic objects at once: with a large audit's heap, the collector would
    otherwise walk the whole heap again and again (the findings' dicts, the masking walk, the
    rules child's result)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _loads(data: bytes) -> Any:
    """``pickle.loads`` with the collector paused: a result of 100,000 findings unpickles into a
    few hundred thousand lists and dicts (0.45 s against 0.19 s measured on the benchmark's
    findings). Nothing unpickled here is cyclic garbage."""
    with collector_paused():
        return pickle.loads(data)


def read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _leave(on_term: Callable[[], None] | None) -> None:
    """The child's SIGTERM handler: clean up, then leave at once."""
    try:
        if on_term is not None:
            on_term()
    finally:
        os._exit(1)


class WorkQueue:
    """Items ``0..n-1`` shared by this process and the children it forks afterwards, each taken
    by exactly one of them, in order: the item numbers wait in a pipe, one byte each, and a read
    of one byte from a pipe is atomic. The writing end is closed at once, so a process that finds
    the pipe empty knows the work is done. Iterate to take items until none is left (then the pipe is
    closed in this process; :meth:`close` closes it earlier)."""

    def __init__(self, n: int):
        if not 0 <= n < 256:
            raise ValueError("a work queue holds 0 to 255 items")
        self._r, w = os.pipe()
        try:
            write_all(w, bytes(range(n)))
        finally:
            os.close(w)

    def __iter__(self):
        while self._r is not None:
            b = os.read(self._r, 1)
            if not b:  # empty: this process's end of the pipe is closed
                self.close()
                return
            yield b[0]

    def close(self) -> None:
        if self._r is not None:
            os.close(self._r)
            self._r = None


class ForkJob:
    """``fn()`` computed by a forked child; :meth:`result` waits for it and returns its (pickled)
    value, or raises the child's exception as the parent's own. :meth:`abort` kills the child.
    ``on_term`` runs in the child when it is sent SIGTERM (its parent died), before it leaves."""

    def __init__(self, fn: Callable[[], Any], on_term: Callable[[], None] | None = None):
        import gc

        r, w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: compute, report, leave
            code, msg = 0, b""
            try:
                os.close(r)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, lambda *_: _leave(on_term))
                die_with_parent(parent)
                gc.disable()  # short-lived: fewer shared pages touched (copied) by the collector
                t0 = time.perf_counter()
                value = fn()
                msg = pickle.dumps(("ok", value, time.perf_counter() - t0), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
                code, msg = 1, pickled_error(e)
            finally:
                try:
                    write_all(w, msg)
                finally:
                    os._exit(code)
        os.close(w)
        self.pid: int | None = pid
        self._r = r
        self.seconds: float | None = None  # the child's own time for fn()

    def result(self) -> Any:
        try:
            data = read_all(self._r)
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            os.close(self._r)
            got = _loads(data) if data else None
            if isinstance(got, BaseException):
                raise got
            if not (isinstance(got, tuple) and got[0] == "ok" and os.waitstatus_to_exitcode(status) == 0):
                raise RuntimeError(
                    f"a worker process ended without a result (exit status {os.waitstatus_to_exitcode(status)})"
                )
            self.seconds = got[2]
            return got[1]
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        try:
            os.close(self._r)
        except OSError:
            pass
