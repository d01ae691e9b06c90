"""Parquet bytes written before in the process, reused for a resource with the same values.

Of the 1,343 Parquet files of the two corpora's packages, 526 repeat a file of another
package byte for byte (issue 14): the static resources (code concordance, COFOG weights),
code lists of the same codes, and empty resources. pyarrow spends about a millisecond on
every file, even an empty one, so such a file is not built again: its bytes are those of the
first one.

When the bytes may be reused is decided on the values, not on a digest of them: the same
resource, the same Arrow schema, the same CSV (the staged file's sha256, a cheap first test)
and, compared in full, the same value of every cell **and the same class** (so ``1`` is not
taken for ``True`` nor ``"1"`` for ``1``). pyarrow's writer is deterministic (no timestamps),
so equal input gives equal bytes (tested: ``tests/unit/test_parquet_memo.py``). Only tables of
a bounded size are remembered, and a bounded number of them.

The same class (:class:`ValuesMemo`) remembers the staged CSV of a resource
(yusuan/package/staged_validation.py): its bytes, their sha256 and the cells the schema proof
reads, made by the same functions of the same values of the same classes.

:class:`SharedRowsMemo` goes first for rows that no one can change
(:class:`~yusuan.core.resource_rows.SharedRows`: the COFOG weights, the code concordance, a
code list no document completed), made once per process and handed to every package as the
same object: what was made of that object is reused without comparing its values.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from yusuan.core.resource_columns import same_classes
from yusuan.core.resource_rows import SharedRows

MAX_CELLS = 20_000  # a larger table is rarely repeated; its values are not kept (on the corpora about 99,000 cells stay kept)
MAX_ENTRIES = 64  # tables remembered, the least recently used forgotten first

Key = tuple[Any, ...]


class ValuesMemo:
    """What a function made of a table's values before (the Parquet bytes of tables written
    before, by resource, schema and CSV digest; a staged CSV), reused for equal values."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_cells: int = MAX_CELLS):
        self.max_entries = max_entries
        self.max_cells = max_cells
        self._entries: OrderedDict[Key, tuple[list[list[Any]], Any]] = OrderedDict()
        self._lock = threading.Lock()  # packages are written from several threads (flows/ingest.py)

    def made(self, key: Key, values: list[list[Any]], make: Callable[[], Any]) -> Any:
        """What ``make()`` makes of ``values``, remembered under ``key``: ``make`` is called
        only when no table of this key with equal values and classes was seen before. What is
        remembered is shared by every caller given it: it must not be changed."""
        if not self.kept(values):
            return make()  # never remembered, so never found
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
        # the classes are compared only where the values are equal (the kept lists hold the
        # very objects they were copied from, so their classes are the classes then)
        if found is not None and found[0] == values and same_classes(found[0], values):
            return found[1]
        data = make()
        kept = ([list(column) for column in values], data)
        with self._lock:
            self._entries[key] = kept
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return data

    def kept(self, values: list[list[Any]]) -> bool:
        """Whether a table of these values is small enough to be remembered (and looked up)."""
        return sum(map(len, values)) <= self.max_cells


class SharedRowsMemo:
    """What a function made of a resource's :class:`~yusuan.core.resource_rows.SharedRows`,
    reused for the very same object: its rows cannot be changed, so what was made of it then
    is what would be made of it now. Any other rows (a list, equal shared rows of another
    object) are made again: the caller's :class:`ValuesMemo` is their fallback. The object is
    kept with what was made of it, so its ``id`` is not reused while it is remembered."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[Key, tuple[SharedRows, Any]] = OrderedDict()
        self._lock = threading.Lock()  # packages are written from several threads (flows/ingest.py)

    def made(self, key: Key, rows: Any, make: Callable[[], Any]) -> Any:
        """What ``make()`` makes of ``rows`` under ``key`` (what else it depends on: the
        resource and its fields), called only when these very shared rows were not seen under
        ``key`` before. What is remembered is shared by every caller given it: it must not be
        changed."""
        if type(rows) is not SharedRows:
            return make()
        full = (*key, id(rows))
        with self._lock:
            found = self._entries.get(full)
            if found is not None and found[0] is rows:
                self._entries.move_to_end(full)
                return found[1]
        data = make()
        with self._lock:
            self._entries[full] = (rows, data)
            self._entries.move_to_end(full)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return data


MEMO = ValuesMemo()  # the Parquet bytes of the process's packages (yusuan/package/writer.py)
