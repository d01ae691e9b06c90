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

import importlib
import os
from types import ModuleType


def _load() -> ModuleType | None:
    if os.environ.get("YUSUAN_NATIVE", "1") == "0":
        return None
    try:  # by name: a compiled module, absent where the install had no compiler
        return importlib.import_module("yusuan.extract._layout_loops")
    except ImportError:
        return None


loops = _load()
