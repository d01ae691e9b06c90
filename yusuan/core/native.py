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

_SWITCH = "YUSUAN_NATIVE"
# os.environ keeps the process's variables encoded (bytes on POSIX) in a dict; its mapping
# methods encode the name and decode the value in Python on every read (~2.6 µs here).
# ``enabled`` is asked ~540 times a package, so the switch is read from that dict with the
# name encoded once. Setting a variable through os.environ (as monkeypatch does) updates the
# dict, so the answer is the same; where os.environ has no such dict, it is read as usual.
_ENCODED = hasattr(os.environ, "_data") and hasattr(os.environ, "encodekey") and hasattr(os.environ, "encodevalue")
_SWITCH_KEY = os.environ.encodekey(_SWITCH) if _ENCODED else None  # type: ignore[attr-defined]
_OFF_VALUE = os.environ.encodevalue("0") if _ENCODED else None  # type: ignore[attr-defined]


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
    return not turned_off()


def turned_off() -> bool:
    """``YUSUAN_NATIVE=0`` is set: ``os.environ.get("YUSUAN_NATIVE", "1") == "0"``, read from
    os.environ's encoded dict without decoding (see ``_ENCODED``; issue 14)."""
    if _ENCODED:
        return os.environ._data.get(_SWITCH_KEY) == _OFF_VALUE  # type: ignore[attr-defined]
    return os.environ.get(_SWITCH, "1") == "0"
