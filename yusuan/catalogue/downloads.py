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
  member, so one new package costs one package's bytes, not the whole archive's. The member
  of a removed package, and the old member of a changed one, is overwritten in place by
  padding of the same length: empty gzip members whose header carries an extra field
  (RFC 1952 FEXTRA) of the right size, which decompress to nothing, so the tar stream goes on
  with the next package. A removal therefore costs that package's bytes too, not a rewrite of
  the archive (about 100 s at 10,000 packages). When the dead bytes outgrow the live ones, or
  the archive does not match what the state recorded, or the state does not know where a
  member lies (written by an older version), it is written again from scratch.
"""

from __future__ import annotations

import gzip
import io
import os
import struct
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


PAD_MIN = 26  # header 10 + XLEN 2 + one subfield header 4 + empty deflate block 2 + trailer 8
PAD_MAX = PAD_MIN + 65535 - 4  # XLEN is 16 bits


def _padding_member(size: int) -> bytes:
    """An empty gzip member of exactly ``size`` bytes (PAD_MIN..PAD_MAX): the length is in the
    header's extra field, one subfield ``YP`` of zeros."""
    data_len = size - PAD_MIN
    extra = b"YP" + struct.pack("<H", data_len) + bytes(data_len)
    header = b"\x1f\x8b\x08\x04" + struct.pack("<I", FIXED_MTIME) + b"\x00\xff" + struct.pack("<H", len(extra))
    return header + extra + b"\x03\x00" + bytes(8)  # empty final block; CRC32 and size of b"" are 0


def padding(size: int) -> bytes:
    """Gzip members of ``size`` bytes in all (at least PAD_MIN) that decompress to nothing."""
    if size < PAD_MIN:
        raise ValueError(f"cannot pad {size} bytes with gzip members (at least {PAD_MIN})")
    out = bytearray()
    while size:
        part = size if size <= PAD_MAX else (PAD_MAX if size - PAD_MAX >= PAD_MIN else size - PAD_MIN)
        out += _padding_member(part)
        size -= part
    return bytes(out)


@dataclass
class BulkState:
    """What the bulk archive holds: its data length before the end member, per package the
    sha256 of the datapackage.json it was appended with, its member's bytes and offset, and
    the bytes of padding (dead members) in the archive."""

    length: int = 0
    members: dict[str, list[object]] = field(default_factory=dict)  # id -> [sha256, bytes, offset]
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


def _needs_rewrite(path: Path, current: dict[str, str], state: BulkState) -> bool:
    """Whether the archive must be written from scratch: it does not match the state, or its
    dead bytes would outgrow the live ones, or a member to blank out has no known offset."""
    gone = [i for i, m in state.members.items() if i not in current or m[0] != current[i]]
    dead = state.stale + sum(int(state.members[i][1]) for i in gone)  # type: ignore[call-overload]
    live = sum(int(m[1]) for i, m in state.members.items() if i not in gone)  # type: ignore[call-overload]
    intact = path.is_file() and path.stat().st_size == state.length + len(_end_member())
    unplaced = any(len(state.members[i]) < 3 for i in gone)
    return not intact or unplaced or live + dead == 0 or dead > live


def update_bulk(
    path: Path, packages: dict[str, PackageInfo], current: dict[str, str], state: BulkState
) -> BulkState:
    """Bring the bulk archive at ``path`` up to date.

    ``current``: document id -> sha256 of datapackage.json of every package in the catalogue;
    ``packages``: the loaded packages, at least the new and changed ones (all of them are
    needed only when the archive is written again). Returns the new state.
    """
    end = _end_member()
    changed = [i for i, sha in current.items() if state.members.get(i, [None])[0] != sha]
    gone = sorted(i for i, m in state.members.items() if i not in current or m[0] != current[i])
    if _needs_rewrite(path, current, state):
        missing = [i for i in current if i not in packages]
        if missing:  # the caller loads everything when a rewrite is needed (bulk_needs_all)
            raise ValueError(f"bulk archive rewrite needs every package; not loaded: {missing[:3]}")
        state = BulkState()
        changed, gone = list(current), []
        mode = "wb"
    elif not changed and not gone:
        return state
    else:
        mode = "r+b"
    with open(path, mode) as out:
        for doc_id in gone:  # removed packages and the old members of changed ones
            _sha, size, offset = state.members.pop(doc_id)
            out.seek(int(offset))  # type: ignore[call-overload]
            out.write(padding(int(size)))  # type: ignore[call-overload]
            state.stale += int(size)  # type: ignore[call-overload]
        out.seek(state.length)
        out.truncate()
        for doc_id in sorted(changed):
            start = out.tell()
            _tar_member(out, packages[doc_id])
            state.members[doc_id] = [current[doc_id], out.tell() - start, start]
        state.length = out.tell()
        out.write(end)
        out.flush()
        os.fsync(out.fileno())
    return state


def bulk_needs_all(path: Path, current: dict[str, str], state: BulkState) -> bool:
    """Whether the next update writes the archive from scratch (so every package is needed)."""
    return _needs_rewrite(path, current, state)
