"""Are a package's files the ones its descriptor lists?

Every file a yusuan ``datapackage.json`` lists (each resource's CSV, its Parquet copy, the
quality report) carries ``hash: sha256:<hex>`` and ``bytes``. A file edited after the run,
even to the same size, no longer matches. Used by ``yusuan validate`` (Frictionless checks
the CSV tables; this covers every file, Parquet included) and by the incremental cache.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from yusuan.core.hashing import sha256_of


def listed_files(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file the descriptor lists with its hash: resources, their Parquet copies and the
    quality report."""
    parts: list[dict[str, Any]] = []
    for resource in descriptor.get("resources", []):
        parts += [p for p in (resource, resource.get("parquet") or {}) if isinstance(p, dict) and "path" in p]
    report = descriptor.get("quality_report")
    if isinstance(report, dict) and "path" in report:
        parts.append(report)
    return parts


def file_problems(folder: Path) -> list[str]:
    """One line per listed file that is missing, outside the package, or differs from its hash."""
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{folder / 'datapackage.json'}: unreadable ({exc})"]
    problems = []
    root = folder.resolve()
    for part in listed_files(descriptor):
        path = (folder / str(part["path"])).resolve()
        if not path.is_relative_to(root):
            problems.append(f"{part['path']}: lies outside the package folder")
            continue
        if not path.is_file():
            problems.append(f"{part['path']}: missing")
            continue
        declared = str(part.get("hash") or "")
        actual = "sha256:" + sha256_of(path)
        if declared != actual:
            problems.append(f"{part['path']}: sha256 differs from datapackage.json (the file was changed after it was written)")
    return problems
