"""The package's files written by ``write_new_file`` are the files ``Path.write_bytes`` and
``Path.write_text(encoding="utf-8")`` wrote before: the same bytes and permissions (issue 14)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pyarrow as pa
import pytest

from yusuan.package.staged_validation import write_new_file

CASES = [b"", b"a,b\n1,2\n", "税收收入,合计\n".encode(), bytes(range(256)) * 1000]


@pytest.mark.parametrize("data", CASES)
def test_the_bytes_and_permissions_of_write_bytes(tmp_path: Path, data: bytes) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    write_new_file(ours, data)
    theirs.write_bytes(data)
    assert ours.read_bytes() == theirs.read_bytes() == data
    assert stat.S_IMODE(ours.stat().st_mode) == stat.S_IMODE(theirs.stat().st_mode)


def test_a_pyarrow_buffer_and_a_file_written_over(tmp_path: Path) -> None:
    path = tmp_path / "f.parquet"
    path.write_bytes(b"x" * 10_000)  # longer than what replaces it: truncated, as "wb" does
    buffer = pa.py_buffer(b"PAR1" + bytes(100) + b"PAR1")
    write_new_file(path, buffer)
    assert path.read_bytes() == buffer.to_pybytes()


def test_the_umask_applies(tmp_path: Path) -> None:
    before = os.umask(0o077)
    try:
        write_new_file(tmp_path / "ours", b"1")
        (tmp_path / "theirs").write_bytes(b"1")
    finally:
        os.umask(before)
    assert (
        stat.S_IMODE((tmp_path / "ours").stat().st_mode)
        == stat.S_IMODE((tmp_path / "theirs").stat().st_mode)
        == 0o600
    )


def test_written_in_pieces_when_the_system_writes_less(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.write
    monkeypatch.setattr(
        os, "write", lambda fd, data: real(fd, bytes(data)[:7])
    )  # a short write each time
    data = bytes(range(256)) * 3
    write_new_file(tmp_path / "f", data)
    assert (tmp_path / "f").read_bytes() == data


def test_a_folder_that_is_not_there_raises_as_write_bytes_does(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_new_file(tmp_path / "missing" / "f", b"1")
    with pytest.raises(FileNotFoundError):
        (tmp_path / "missing" / "f").write_bytes(b"1")


def test_the_descriptor_names_each_file_as_it_is_on_disk(tmp_path: Path, processed) -> None:  # noqa: ANN001 - the fixture
    """The quality report's hash and size are now taken from its bytes before they are
    written, the others as before: each must be the file's."""
    from yusuan.checks.quality import quality_report_markdown
    from yusuan.package.writer import publish_package

    result = processed["js-renda-2019-bmys"]
    target, completed = publish_package(result, tmp_path)
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    report = descriptor["quality_report"]
    data = (target / report["path"]).read_bytes()
    assert data == quality_report_markdown(completed).encode("utf-8")
    assert report["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and report[
        "bytes"
    ] == len(data)
    for resource in descriptor["resources"]:
        for entry in (resource, resource["parquet"]):
            data = (target / entry["path"]).read_bytes()
            assert entry["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and entry[
                "bytes"
            ] == len(data)
    assert (target / "datapackage.json").read_bytes().endswith(b"}\n")
