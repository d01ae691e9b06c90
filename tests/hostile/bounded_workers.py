"""Functions run in a worker by the tests of run_bounded (importable by the worker process)."""

from __future__ import annotations

import time

from yusuan.core.errors import ExtractionError
from yusuan.core.limits import current


def sleep_for(seconds: float) -> str:
    time.sleep(seconds)
    return "slept"


def allocate(megabytes: int) -> int:
    blocks = [bytearray(1 << 20) for _ in range(megabytes)]
    return len(blocks)


def spin_and_hold(cpu_seconds: float, megabytes: int) -> int:
    """Burn about ``cpu_seconds`` of CPU while holding ``megabytes`` of touched memory."""
    held = [bytearray(1 << 20) for _ in range(megabytes)]
    end = time.process_time() + cpu_seconds
    while time.process_time() < end:
        pass
    return len(held)


def add(a: int, b: int) -> int:
    return a + b


def active_paragraph_limit() -> int:
    return current().max_paragraphs


def refuse(name: str) -> None:
    raise ExtractionError(name, "not a publication")


def read_file(source, temp_dir: str):
    """file_to_blocks with the worker's temp dir pointed at ``temp_dir`` (to see whether a
    reader writes temporary files)."""
    import tempfile

    from yusuan.extract import file_to_blocks

    tempfile.tempdir = temp_dir
    return file_to_blocks(source)


def timed(func, *args):
    """(seconds inside the worker, func's result) — to measure run_bounded's overhead."""
    started = time.perf_counter()
    value = func(*args)
    return time.perf_counter() - started, value
