"""Immutable content-addressed archive of raw downloads, with provenance.

Layout under ``root`` (see docs/downloads.md)::

    sha256/<aa>/<sha256>.<ext>   file contents, stored once, read-only, never overwritten
    provenance.jsonl             one JSON object per retrieval (append-only)
    state/<sha256(url)>.json     per-URL ETag / Last-Modified / last sha256
    tmp/                         partial downloads (same filesystem, for atomic renames)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_EXT_RE = re.compile(r"^[a-z0-9]{1,10}$")
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def _check_sha(sha256: str) -> str:
    if not _SHA256_RE.match(sha256):
        raise ValueError(f"not a lower-case hex sha256: {sha256!r}")
    return sha256


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not supported everywhere (e.g. Windows)
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class RawArchive:
    """Content-addressed store of raw files plus per-retrieval provenance records.

    Safe to share between threads of one process.  Blob files are written to
    ``tmp/`` and hard-linked into place, so a blob path either does not exist
    or holds the complete, verified content; an existing blob is never replaced.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.blob_dir = self.root / "sha256"
        self.state_dir = self.root / "state"
        self.tmp_dir = self.root / "tmp"
        self.provenance_path = self.root / "provenance.jsonl"
        for d in (self.blob_dir, self.state_dir, self.tmp_dir):
            d.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    # -- blobs ---------------------------------------------------------------------------

    def path_for(self, sha256: str, ext: str) -> Path:
        """Where the blob with this digest and extension lives (whether or not it exists)."""
        if not _EXT_RE.match(ext):
            raise ValueError(f"bad file extension: {ext!r}")
        return self.blob_dir / _check_sha(sha256)[:2] / f"{sha256}.{ext}"

    def find(self, sha256: str) -> Path | None:
        """The stored blob with this digest (any extension), or None."""
        folder = self.blob_dir / _check_sha(sha256)[:2]
        matches = sorted(folder.glob(f"{sha256}.*")) if folder.is_dir() else []
        return matches[0] if matches else None

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def new_temp(self) -> IO[bytes]:
        """An open binary temp file in ``tmp/``; pass its ``.name`` to commit() or discard()."""
        return tempfile.NamedTemporaryFile(dir=self.tmp_dir, prefix="part-", delete=False)

    def discard(self, temp_path: str | os.PathLike[str]) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_path)

    def commit(self, temp_path: str | os.PathLike[str], sha256: str, ext: str) -> tuple[Path, bool]:
        """Move a complete temp file into the store; return (blob path, newly stored?).

        The caller has computed ``sha256`` while writing.  If a blob with the same
        digest already exists (under any extension) the temp file is dropped and the
        existing blob is returned unchanged.
        """
        existing = self.find(sha256)
        if existing is not None:
            self.discard(temp_path)
            return existing, False
        target = self.path_for(sha256, ext)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(temp_path, _READ_ONLY)
        try:
            os.link(temp_path, target)  # atomic and fails if target exists: never overwrites
        except FileExistsError:
            self.discard(temp_path)
            return target, False
        except OSError:  # filesystem without hard links: rename if still absent
            if target.exists():
                self.discard(temp_path)
                return target, False
            os.replace(temp_path, target)
            _fsync_dir(target.parent)
            return target, True
        self.discard(temp_path)
        _fsync_dir(target.parent)
        return target, True

    def store_bytes(self, data: bytes, ext: str) -> Path:
        """Store an in-memory body (convenience for tests and local imports)."""
        sha256 = hashlib.sha256(data).hexdigest()
        with self.new_temp() as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return self.commit(fh.name, sha256, ext)[0]

    # -- per-URL state for conditional requests --------------------------------------------

    def _state_path(self, url: str) -> Path:
        return self.state_dir / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.json"

    def get_state(self, url: str) -> dict[str, Any] | None:
        """Last known {url, etag, last_modified, sha256, path, retrieved_at} for a URL."""
        try:
            return json.loads(self._state_path(url).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def put_state(self, url: str, state: dict[str, Any]) -> None:
        """Replace the state of a URL atomically (temp file + rename)."""
        path = self._state_path(url)
        data = json.dumps({"url": url, **state}, ensure_ascii=False, indent=1, sort_keys=True)
        fd, tmp = tempfile.mkstemp(dir=self.tmp_dir, prefix="state-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data + "\n")
            os.replace(tmp, path)
        except BaseException:
            self.discard(tmp)
            raise

    # -- provenance ----------------------------------------------------------------------

    def record(self, entry: dict[str, Any]) -> None:
        """Append one provenance record (one JSON line, written with a single write)."""
        line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        with self._lock:
            fd = os.open(self.provenance_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

    def provenance(self) -> Iterator[dict[str, Any]]:
        """All provenance records, oldest first."""
        if not self.provenance_path.exists():
            return
        with self.provenance_path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
