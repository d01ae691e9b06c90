"""Run one publication in a worker process with a time limit and a memory limit.

The limits of yusuan/core/limits.py bound what a reader is *asked* to do; this bounds what it
*does*: a file that slips past every check (a parser bug, a pathological pdfminer path)
still cannot take more than ``time_limit_s`` seconds or ``memory_limit_bytes`` of address
space, and cannot take the whole run down with it.

The worker is started with the ``forkserver`` method (``spawn`` where there is none): the
caller may be a Prefect flow with threads running, and ``fork`` from a threaded process can
copy a lock held by another thread and hang the child. The fork server imports the library
once (``yusuan.package.process`` and the readers it imports lazily: openpyxl, python-docx), so each publication costs a fork, not a fresh interpreter.

In the child, ``RLIMIT_AS`` caps the address space, so an allocation beyond it raises
MemoryError there (or kills the child); the parent kills a child that runs past its time.
A timeout, a MemoryError and a child that dies are all turned into LimitExceededError
naming the document; any other YusuanError of the child is raised again in the parent as
it was. Results travel back by pickling (DocumentResult pickles).

As with any ``spawn``/``forkserver`` pool, a script that calls this must guard its entry
point with ``if __name__ == "__main__":`` (the worker imports the main module).

Integration in yusuan/ingest/cache.py (one line)::

    result = run_bounded(process_document, document)
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from yusuan.core import limits as limits_module
from yusuan.core.errors import LimitExceededError, YusuanError, picklable
from yusuan.core.limits import Limits

T = TypeVar("T")
PRELOAD = ["openpyxl", "docx", "yusuan.ingest.worker_warmup"]  # imported once, in the fork server; the warm-up last (it freezes what is loaded)


@dataclass
class WorkerUsage:
    """What one worker used, filled in by run_bounded when asked: its CPU seconds (user +
    system) and its peak resident memory. The parent's own clocks cannot see a worker's CPU,
    so a run that reports CPU per publication adds this."""

    cpu_seconds: float = 0.0
    peak_rss_mib: float = 0.0


def _own_usage() -> tuple[float, float]:
    """(CPU seconds, peak RSS in MiB) of this process (ru_maxrss is in KiB on Linux)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime, used.ru_maxrss / 1024


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        _start_fork_server_deaf_to_ctrl_c()
        return context
    return multiprocessing.get_context("spawn")


def _start_fork_server_deaf_to_ctrl_c() -> None:
    """Start the fork server (if it is not running) with SIGINT ignored.

    Ctrl-C at a terminal reaches the whole process group. The fork server ignores SIGINT only
    once it has imported its preload (several seconds on a slow machine); a Ctrl-C before that
    printed a KeyboardInterrupt traceback from inside the import. An ignored signal stays
    ignored across exec, so the server is started deaf to it from its first instruction; the
    parent answers Ctrl-C (one line, exit 130) and the server ends with it. Only the main
    thread may set a handler: from another thread the server starts when the first worker
    does, as before."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is None or threading.current_thread() is not threading.main_thread():
        return  # None: a handler not set from Python, which could not be put back
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def _name_of(func: Callable[..., Any], args: tuple[Any, ...]) -> str:
    """The document a call is about (its id), for the error message."""
    for arg in args:
        for attribute in ("document_id", "name"):
            value = getattr(arg, attribute, None)
            if isinstance(value, str):
                return value
    return getattr(func, "__name__", "worker")


def _end_with_parent() -> None:
    """Exit when the parent goes away (a run stopped by Ctrl-C or killed ends with os._exit,
    and its fork server with it): a worker never finishes a publication for nobody."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="yusuan-parent-watch").start()


def _child(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits, memory_limit_bytes: int) -> None:
    """Worker body: cap the address space, run, send ("ok", value) or ("error", exception),
    each with the worker's (CPU seconds, peak RSS MiB).

    Ctrl-C at a terminal reaches the whole process group; the parent answers it (one line, exit
    130) and the worker ends with it (``_end_with_parent``), so the worker ignores SIGINT rather
    than print a KeyboardInterrupt from wherever it happened to be."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()
    if memory_limit_bytes:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory_limit_bytes if hard == resource.RLIM_INFINITY else min(memory_limit_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        with limits_module.using(limits):
            value = func(*args, **kwargs)
        message: tuple[str, Any] = ("ok", value)
    except MemoryError:
        message = ("memory", None)
    except YusuanError as exc:
        message = ("error", exc if picklable(exc) else YusuanError(str(exc)))
    except BaseException as exc:  # a bug: report it with its traceback, as the parent would have seen it
        message = ("crash", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    try:
        conn.send((*message, _own_usage()))
    except MemoryError:
        conn.send(("memory", None, _own_usage()))
    except Exception as exc:  # an unpicklable result or error
        conn.send(("crash", f"cannot send the result back ({type(exc).__name__}: {exc})", _own_usage()))
    finally:
        conn.close()




def run_bounded(
    func: Callable[..., T],
    *args: Any,
    limits: Limits | None = None,
    time_limit_s: float | None = None,
    memory_limit_bytes: int | None = None,
    name: str | None = None,
    usage: WorkerUsage | None = None,
    **kwargs: Any,
) -> T:
    """``func(*args, **kwargs)`` in a worker process, with ``limits`` in force there.

    ``time_limit_s`` and ``memory_limit_bytes`` default to those of ``limits`` (itself the
    limits in force, yusuan.core.limits.current()). Raises LimitExceededError naming the document
    (``name``, or the ``document_id`` of the first argument that has one) on timeout, on
    MemoryError and when the worker dies; re-raises a YusuanError of the worker; raises
    RuntimeError for any other exception of the worker (a bug), with its traceback.
    ``usage``, when given, is filled with the worker's CPU and peak memory (left at zero when
    the call runs in this process or the worker dies without a word).
    """
    limits = limits or limits_module.current()
    if multiprocessing.current_process().daemon:  # e.g. a Dask worker: may not start processes
        with limits_module.using(limits):
            return func(*args, **kwargs)  # the readers' limits hold; time and memory are the worker's
    time_limit = limits.time_limit_s if time_limit_s is None else time_limit_s
    memory_limit = limits.memory_limit_bytes if memory_limit_bytes is None else memory_limit_bytes
    label = name or _name_of(func, args)
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, args, kwargs, limits, memory_limit), daemon=True)
    process.start()
    sender.close()  # the child holds the only writer: EOF when it dies
    try:
        if not receiver.poll(time_limit):
            process.kill()
            process.join()
            raise LimitExceededError(label, "time_limit_s", time_limit, what=f"worker still running after {time_limit:g} s (time limit)")
        try:
            kind, payload, (cpu_seconds, peak_rss_mib) = receiver.recv()
        except EOFError:
            process.join()
            code = process.exitcode or 0
            if code >= 0:  # not killed: the worker could not start (an unguarded main module?)
                raise RuntimeError(f"{label}: the worker exited with code {code} without a result") from None
            raise LimitExceededError(label, "memory_limit_bytes", memory_limit, what=f"worker killed by signal {-code} (out of memory or stack?)") from None
        process.join()
        if usage is not None:
            usage.cpu_seconds, usage.peak_rss_mib = cpu_seconds, peak_rss_mib
    finally:
        if process.is_alive():
            process.kill()
            process.join()
        receiver.close()
    if kind == "ok":
        return payload
    if kind == "memory":
        raise LimitExceededError(label, "memory_limit_bytes", memory_limit, what="MemoryError in the worker (memory limit)")
    if kind == "error":
        raise payload
    raise RuntimeError(f"{label}: the worker failed: {payload}")
