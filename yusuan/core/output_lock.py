"""One run at a time per output folder.

Two runs writing the same output folder would each clean the other's staging folders and
race on the catalogue. A run holds an exclusive ``flock`` on ``<output>/.yusuan.lock`` while
it writes; a second run fails at once with a clear error naming the holder. The lock is
re-entrant inside one process (the CLI takes it for the run and the catalogue, the flow for
its publications), and it ends with the process, however the process ends, because the
kernel releases ``flock`` locks when the file is closed.

Holding the lock, the run first cleans what killed runs left
(:func:`yusuan.core.atomic.recover_leftovers`). On systems without ``fcntl`` (Windows) there is no
lock, and the leftovers are not cleaned automatically.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from yusuan.core.atomic import recover_leftovers
from yusuan.core.errors import YusuanError

LOCK_NAME = ".yusuan.lock"

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

_held: dict[Path, tuple[IO[str], int]] = {}
_guard = threading.Lock()


class OutputBusyError(YusuanError):
    """Another run is writing the output folder."""


@contextmanager
def output_lock(output_dir: Path) -> Iterator[list[str]]:
    """Hold the output folder's lock; yields the leftovers cleaned when it was taken."""
    folder = Path(output_dir).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    with _guard:
        held = _held.get(folder)
        if held:
            _held[folder] = (held[0], held[1] + 1)
            cleaned: list[str] = []
        else:
            handle = _acquire(folder)
            _held[folder] = (handle, 1)
            cleaned = recover_leftovers(folder)
    try:
        yield cleaned
    finally:
        with _guard:
            handle, count = _held[folder]
            if count > 1:
                _held[folder] = (handle, count - 1)
            else:
                del _held[folder]
                handle.close()  # releases the flock


def _acquire(folder: Path) -> IO[str]:
    path = folder / LOCK_NAME
    handle = path.open("a+", encoding="utf-8")
    if fcntl is None:
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise OutputBusyError(f"{folder}: another run is writing this output folder (process {holder}); wait for it to end or use another --output") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
