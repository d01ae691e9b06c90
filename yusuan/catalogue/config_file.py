"""One ``[section]`` of a TOML config file (the CKAN and the catalogue settings share the file
format and its errors)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def read_section(path: Path, name: str, error: type[Exception]) -> dict[str, Any]:
    """The ``[name]`` table of ``path`` ({} when absent); ``error`` names the file otherwise."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise error(f"{path}: {exc}") from exc
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise error(f"{path}: [{name}] must be a table")
    return section
