"""``sha256_of`` reads a file through ``os.read``: the digest of its bytes, as before."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from yusuan.core import hashing
from yusuan.core.hashing import CHUNK_BYTES, sha256_of


@pytest.mark.parametrize(
    "data",
    [b"", b"a", "金额,单位\n1,万元\n".encode(), bytes(range(256)) * 40, os.urandom(CHUNK_BYTES), os.urandom(CHUNK_BYTES * 2 + 17)],
    ids=["empty", "one", "cjk", "10k", "one-chunk", "three-chunks"],
)
def test_the_digest_of_the_files_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    assert sha256_of(path) == hashlib.sha256(data).hexdigest()
    assert sha256_of(str(path)) == hashlib.sha256(data).hexdigest()


def test_short_reads_are_read_to_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = os.urandom(5000)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    real_read = os.read
    monkeypatch.setattr(hashing.os, "read", lambda fd, n: real_read(fd, min(n, 7)))
    assert sha256_of(path) == hashlib.sha256(data).hexdigest()


def test_the_descriptor_is_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc")
    closed: list[int] = []
    real_close = os.close

    def close(fd: int) -> None:
        closed.append(fd)
        real_close(fd)

    monkeypatch.setattr(hashing.os, "close", close)
    sha256_of(path)

    def failing_read(fd: int, n: int) -> bytes:
        raise OSError("read failed")

    monkeypatch.setattr(hashing.os, "read", failing_read)
    with pytest.raises(OSError, match="read failed"):
        sha256_of(path)
    assert len(closed) == 2


def test_a_missing_file_or_a_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        sha256_of(tmp_path / "missing")
    with pytest.raises(IsADirectoryError):
        sha256_of(tmp_path)
