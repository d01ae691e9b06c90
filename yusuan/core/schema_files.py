"""Where schemas/ is, and reading one of its files with its shape checked.

The lowest layer of the schemas: yusuan.core.schemas (table registry, fields, resources,
checks) and yusuan.core.vocabulary (words and patterns) both read through it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from yusuan.core.errors import SchemaError
from yusuan.core.schema_models import validate_file

# libyaml's loader when PyYAML has it: the same safe subset, about ten times faster (the schemas
# took 0.8 s of a one-package catalogue update with the pure-Python one)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _default_schemas_dir() -> Path:
    """schemas/ beside the package in a checkout (editable install), else the copy that the
    build puts inside the installed package (``yusuan/_schemas``, see setup.py)."""
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "schemas"
    return checkout if (checkout / "fields.yaml").is_file() else package / "_schemas"


def schemas_dir() -> Path:
    """schemas/ of the checkout (or of the installed package), or $YUSUAN_SCHEMAS."""
    configured = os.environ.get("YUSUAN_SCHEMAS")
    path = Path(configured) if configured else _default_schemas_dir()
    if not (path / "fields.yaml").is_file():
        raise SchemaError(f"schemas folder not found at {path} (set YUSUAN_SCHEMAS)")
    return path


def load_schema_file(name: str) -> Any:
    """A schemas/ file, its shape checked (yusuan/core/schema_models.py)."""
    path = schemas_dir() / name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise SchemaError(f"{path}: {exc}") from exc
    validate_file(name, data)
    return data
