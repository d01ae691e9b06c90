"""The package writer's window of the collector (``core.collector.heap_frozen``): the heap made before
is frozen while a package is written and put back after it, nested and concurrent writers
leave the process as they found it, a process with frozen objects of its own is left alone,
cycles made inside the window are still collected, and a package is written byte for byte as
without the window."""

from __future__ import annotations

import gc
import hashlib
import threading
from pathlib import Path

import pytest

from yusuan.core import collector
from yusuan.package import writer


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture(autouse=True)
def nothing_frozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_heap_is_frozen_while_writing_and_put_back_after():
    before = gc.get_freeze_count()
    with collector.heap_frozen():
        assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() == 0


def test_put_back_when_the_writing_fails():
    with pytest.raises(RuntimeError), collector.heap_frozen():
        raise RuntimeError("a package that fails")
    assert gc.get_freeze_count() == 0 and collector._writers == 0


def test_nested_windows_put_back_once_by_the_last_out():
    with collector.heap_frozen():
        frozen = gc.get_freeze_count()
        with collector.heap_frozen():
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen  # the outer writer is still writing
    assert gc.get_freeze_count() == 0


def test_concurrent_writers_leave_the_process_as_found():
    inside = threading.Barrier(4)

    def write() -> None:
        with collector.heap_frozen():
            inside.wait(timeout=10)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.get_freeze_count() == 0 and collector._writers == 0


def test_a_process_with_frozen_objects_is_left_as_it_is():
    gc.freeze()  # as a worker forked after ingest/worker_warmup.py
    frozen = gc.get_freeze_count()
    with collector.heap_frozen():
        pass
    assert gc.get_freeze_count() == frozen  # not unfrozen by the writer


def test_a_collector_turned_off_is_left_off():
    gc.disable()
    try:
        with collector.heap_frozen():
            assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_cycles_made_inside_the_window_are_collected():
    with collector.heap_frozen():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
        assert gc.collect() >= 2


def test_cycles_made_before_are_collected_after_the_window():
    a, b = Node(), Node()
    a.other, b.other = b, a
    with collector.heap_frozen():
        del a, b
    assert gc.collect() >= 2


def package_digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_package_is_the_same_bytes_with_the_window_and_without(processed, tmp_path, monkeypatch):
    document_id = processed.sample_ids[0]
    with_window = writer.write_package(processed[document_id], tmp_path / "with")
    monkeypatch.setattr(writer, "heap_frozen", _no_window)
    without = writer.write_package(processed[document_id], tmp_path / "without")
    assert package_digests(with_window) == package_digests(without)


class _no_window:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
