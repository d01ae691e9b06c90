"""Downloads beside the per-file links: one zip per package and a bulk archive of them all.

* ``catalogue/downloads/<document_id>.zip``: the package folder (``<document_id>/…``) plus
  ``<document_id>/excel/<name>.csv``, a copy of every CSV with a UTF-8 byte-order mark.
  The package CSVs are UTF-8 without one (the Frictionless and RFC 4180 norm), which Excel
  on a Chinese Windows reads as GBK and garbles; the copy is byte-for-byte the same data
  after the three BOM bytes. Entries carry a fixed date, so the same package gives the
  same zip.
* ``catalogue/downloads/yusuan-catalogue.tar.gz``: every package folder. It is built by
  appending: each package is its own gzip member (concatenated gzip members are one valid
  gzip stream) holding its tar entries, and the archive ends with a member holding the tar
  end-of-archive blocks. A new or changed package is appended after cutting off that end
  member, so one new package costs one package's bytes, not the whole archive's. A changed
  package's older entries stay earlier in the archive; extracting keeps the last one (tar
  semantics). When packages were removed, or the stale bytes outgrow the live ones, or the
  archive does not match what the state recorded, it is written again from scratch.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from yusuan.catalogue.index import PackageInfo
from yusuan.core.hashing import sha256_of

BOM = b"\xef\xbb\xbf"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FIXED_MTIME = 315532800  # 1980-01-01, as in the zips
BULK_NAME = "yusuan-catalogue.tar.gz"
TAR_END = b"\0" * 1024


def package_zip(package: PackageInfo, target: Path) -> tuple[int, str]:
    """Write the package's zip to ``target``; returns its size and sha256."""
    prefix = package.document_id
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for f in package.files:
            data = f.path.read_bytes()
            zf.writestr(_entry(f"{prefix}/{f.name}"), data)
        for f in package.files:
            if f.format == "CSV":
                data = f.path.read_bytes()
                zf.writestr(_entry(f"{prefix}/excel/{f.name}"), data if data.startswith(BOM) else BOM + data)
    digest = sha256_of(target)
    return target.stat().st_size, digest


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _tar_member(out: BinaryIO, package: PackageInfo) -> None:
    """One gzip member with the tar entries of the package's files (no end-of-archive)."""
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=FIXED_MTIME, compresslevel=6) as gz:
        for f in package.files:
            data = f.path.read_bytes()
            info = tarfile.TarInfo(f"{package.document_id}/{f.name}")
            info.size, info.mtime, info.mode = len(data), FIXED_MTIME, 0o644
            gz.write(info.tobuf(format=tarfile.PAX_FORMAT, encoding="utf-8"))
            gz.write(data)
            gz.write(b"\0" * (-len(data) % 512))


def _end_member() -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=FIXED_MTIME) as gz:
        gz.write(TAR_END)
    return buffer.getvalue()


@dataclass
class BulkState:
    """What the bulk archive holds: its data length before the end member, and per package
    the sha256 of the datapackage.json it was appended with and its member's bytes."""

    length: int = 0
    members: dict[str, list[object]] = field(default_factory=dict)  # id -> [sha256, bytes]
    stale: int = 0

    def to_json(self) -> dict[str, object]:
        return {"length": self.length, "members": dict(sorted(self.members.items())), "stale": self.stale}

    @classmethod
    def from_json(cls, data: object) -> BulkState:
        if not isinstance(data, dict):
            return cls()
        try:
            return cls(int(data["length"]), dict(data["members"]), int(data["stale"]))
        except (KeyError, TypeError, ValueError):
            return cls()


def update_bulk(
    path: Path, packages: dict[str, PackageInfo], current: dict[str, str], state: BulkState
) -> BulkState:
    """Bring the bulk archive at ``path`` up to date.

    ``current``: document id -> sha256 of datapackage.json of every package in the catalogue;
    ``packages``: the loaded packages, at least the new and changed ones (all of them are
    needed only when the archive is written again). Returns the new state.
    """
    end = _end_member()
    removed = set(state.members) - set(current)
    changed = [i for i, sha in current.items() if state.members.get(i, [None])[0] != sha]
    live = sum(int(m[1]) for i, m in state.members.items() if i in current)  # type: ignore[call-overload]
    intact = path.is_file() and path.stat().st_size == state.length + len(end)
    rewrite = not intact or bool(removed) or state.stale + live == 0 or state.stale > live
    if rewrite:
        missing = [i for i in current if i not in packages]
        if missing:  # the caller loads everything when a rewrite is needed (needs_all)
            raise ValueError(f"bulk archive rewrite needs every package; not loaded: {missing[:3]}")
        state = BulkState()
        changed = list(current)
        mode = "wb"
    elif not changed:
        return state
    else:
        mode = "r+b"
    with open(path, mode) as out:
        out.seek(state.length)
        out.truncate()
        for doc_id in sorted(changed):
            start = out.tell()
            _tar_member(out, packages[doc_id])
            if doc_id in state.members:
                state.stale += int(state.members[doc_id][1])  # type: ignore[call-overload]
            state.members[doc_id] = [current[doc_id], out.tell() - start]
        state.length = out.tell()
        out.write(end)
        out.flush()
        os.fsync(out.fileno())
    return state


def bulk_needs_all(path: Path, current: dict[str, str], state: BulkState) -> bool:
    """Whether the next update writes the archive from scratch (so every package is needed)."""
    removed = set(state.members) - set(current)
    live = sum(int(m[1]) for i, m in state.members.items() if i in current)  # type: ignore[call-overload]
    intact = path.is_file() and path.stat().st_size == state.length + len(_end_member())
    return not intact or bool(removed) or state.stale + live == 0 or state.stale > live
