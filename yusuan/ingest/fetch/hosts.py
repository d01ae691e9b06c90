"""Per-host politeness: a concurrency semaphore and a minimum interval between requests.

Thread-safe.  One process-wide :data:`DEFAULT_LIMITER` is shared by every
:func:`yusuan.ingest.fetch.download.fetch` call unless a caller passes its own
:class:`HostLimiter`, so two policies cannot together hammer the same host
faster than the stricter interval in force for each request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


def host_key(url: str) -> str:
    """The politeness key of a URL: its lower-cased host name (port ignored)."""
    parts = urlsplit(url)
    return (parts.hostname or parts.netloc or url).lower()


class HostLimiter:
    """Per-host semaphores and request spacing.

    ``slot(host, max_concurrent, min_interval)`` first takes one of
    ``max_concurrent`` permits for the host, then waits until at least
    ``min_interval`` seconds have passed since the previous request to that
    host *started* (start times are reserved under a lock, so concurrent
    threads are spaced too).  The permit is held for the whole request,
    including streaming the body.
    """

    def __init__(self, clock=time.monotonic, sleep=time.sleep) -> None:
        self._lock = threading.Lock()
        self._semaphores: dict[tuple[str, int], threading.BoundedSemaphore] = {}
        self._last_start: dict[str, float] = {}
        self._clock = clock
        self._sleep = sleep

    def _semaphore(self, host: str, limit: int) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._semaphores.get((host, limit))
            if sem is None:
                sem = self._semaphores[(host, limit)] = threading.BoundedSemaphore(limit)
            return sem

    def _reserve_start(self, host: str, min_interval: float) -> float:
        """Reserve the next start time for ``host``; return how long to wait for it."""
        with self._lock:
            now = self._clock()
            last = self._last_start.get(host)
            start = now if last is None else max(now, last + min_interval)
            self._last_start[host] = start
            return start - now

    @contextmanager
    def slot(self, host: str, max_concurrent: int, min_interval: float) -> Iterator[None]:
        sem = self._semaphore(host, max_concurrent)
        with sem:
            wait = self._reserve_start(host, min_interval)
            if wait > 0:
                self._sleep(wait)
            yield


DEFAULT_LIMITER = HostLimiter()
