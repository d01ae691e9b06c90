"""The one sha256 helper: a file's checksum, read in 1 MiB chunks (manifests, the raw archive,
the cache and the package integrity check all use it)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
