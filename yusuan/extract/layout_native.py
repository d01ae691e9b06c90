"""The layout functions' loops compiled in C (``yusuan/extract/_layout_loops.c``), when built.

``setup.py`` builds the extension ``yusuan.extract._layout_loops`` where a C compiler is
found (optional: an install without one still succeeds). Its functions do what a Python loop
of plumber_equivalents.py or pdf.py does, on the same doubles in the same order, and return
None for any input they cannot prove they read the same way (not a list of dicts, a position
that is not a float, a NaN where an order is needed); the caller then runs its Python code,
which stays the oracle (tests/unit/test_layout_loops_native.py compares the two).
``YUSUAN_NATIVE=0`` turns the compiled loops off, as it does the PDFium reader's.
"""

from __future__ import annotations

import os
from types import ModuleType

from yusuan.core import native

NATIVE_NAME = "yusuan.extract._layout_loops"
_native, IMPORT_ERROR = native.load(NATIVE_NAME)  # None where the install had no compiler
# decided once, at import (the callers test ``loops is None``); a missing extension under
# YUSUAN_REQUIRE_NATIVE=1 fails tests/unit/test_layout_loops_native.py, not the import
loops: ModuleType | None = _native if os.environ.get("YUSUAN_NATIVE", "1") != "0" else None
