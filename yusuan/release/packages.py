"""The packages of an output folder, each with the hash that says whether it changed.

A package's content hash is the sha256 of its ``datapackage.json``: the descriptor lists the
sha256 of every CSV and Parquet file, so any change to the package changes it, and reading
one small file per package is all an incremental release costs for the unchanged ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from yusuan.core.errors import YusuanError
from yusuan.core.ids import RESERVED_IDS


class ReleaseInputError(YusuanError):
    """A package of the output folder cannot be read into the release."""


@dataclass(frozen=True)
class PackageRef:
    """A package folder and the hash of its descriptor (its content)."""

    document_id: str
    folder: Path
    content_hash: str


@dataclass(frozen=True)
class PackageContents:
    """What the release needs from a package's descriptor (parsed only for changed packages)."""

    ref: PackageRef
    fiscal_year: int
    parquet_files: dict[str, str]  # resource name -> Parquet path inside the package


def find_packages(output_dir: Path) -> list[PackageRef]:
    """Every package folder of ``output_dir`` (sorted by document id)."""
    found = []
    for folder in sorted(Path(output_dir).iterdir()):
        if folder.name.startswith(".") or folder.name in RESERVED_IDS or folder.is_symlink():
            continue
        descriptor_path = folder / "datapackage.json"
        if not descriptor_path.is_file():
            continue
        found.append(PackageRef(folder.name, folder, hashlib.sha256(descriptor_path.read_bytes()).hexdigest()))
    return found


def open_package(ref: PackageRef) -> PackageContents:
    """The fiscal year and Parquet files of a package, from its descriptor."""
    descriptor_path = ref.folder / "datapackage.json"
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        year = int(descriptor["fiscal_year"])
        files = {r["name"]: (r.get("parquet") or {}).get("path", "") for r in descriptor["resources"]}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ReleaseInputError(f"{descriptor_path}: not a yusuan package descriptor ({exc})") from exc
    return PackageContents(ref, year, files)


def read_resource(package: PackageContents, name: str) -> pa.Table | None:
    """The Parquet twin of resource ``name`` of a package; None when the package has none
    (written by a yusuan that did not have that resource yet)."""
    if name not in package.parquet_files:
        return None
    relative = package.parquet_files[name]
    if not relative:
        raise ReleaseInputError(f"{package.ref.folder / 'datapackage.json'}: resource {name} has no Parquet file")
    path = (package.ref.folder / relative).resolve()
    if path.parent != package.ref.folder.resolve():
        raise ReleaseInputError(f"{package.ref.folder / 'datapackage.json'}: resource {name} points outside the package ({relative})")
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise ReleaseInputError(f"{path}: cannot be read ({exc})") from exc

