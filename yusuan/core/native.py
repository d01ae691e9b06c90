"""The optional C extensions: imported where the install built them, used unless turned off.

``setup.py`` compiles each extension where a C compiler is found; an install without one
still succeeds and the same loops run in Python, with the same output (each extension's
Python code stays the oracle in its tests). Two switches, the same for every extension:

- ``YUSUAN_NATIVE=0`` turns the compiled loops off (the Python code runs);
- ``YUSUAN_REQUIRE_NATIVE=1`` (CI) makes a missing extension an error instead of a silent
  fallback, so that a machine with a compiler never tests the Python loops by accident.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def load(name: str) -> tuple[ModuleType | None, ImportError | None]:
    """The compiled module ``name`` (by name: absent where the install had no compiler), or
    None and why it did not import."""
    try:
        return importlib.import_module(name), None
    except ImportError as exc:
        return None, exc


def enabled(module: ModuleType | None, name: str, error: ImportError | None) -> bool:
    """Whether the compiled ``module`` is used: built and not turned off. With
    ``YUSUAN_REQUIRE_NATIVE=1`` a missing extension raises instead of falling back."""
    if module is None:
        if os.environ.get("YUSUAN_REQUIRE_NATIVE") == "1":
            raise RuntimeError(
                f"YUSUAN_REQUIRE_NATIVE=1 but the C extension {name} was not built ({error})"
            )
        return False
    return os.environ.get("YUSUAN_NATIVE", "1") != "0"
