"""The listings in shards: a new, changed or removed package rewrites its own shard and no other,
the state store is written only when something changed, and the result is the same bytes as a
full build of the same packages (yusuan/catalogue/shards.py, state_db.py)."""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pytest
from variants import FJ, make_variant

from yusuan.catalogue import build as catalogue_build
from yusuan.catalogue.build import build_catalogue, listing_shards
from yusuan.catalogue.shards import read_cards, read_index_rows, shard_files, shard_of
from yusuan.catalogue.state_db import DB_NAME, StateStore

OTHERS = ("js-renda-2018-bmys", "js-renda-2019-bmys")


def _shard_inodes(catalogue: Path) -> dict[str, int]:
    return {
        f"{folder}/{p.name}": p.stat().st_ino
        for folder in ("cards", "index")
        for p in sorted((catalogue / folder).iterdir())
    }


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != DB_NAME
    }


def _new_id(taken: set[int], count: int, prefix: str) -> str:
    """A document id whose shard holds none of the packages yet (so that the test sees a shard
    appear and disappear, and can tell it from the others)."""
    for n in range(10_000):
        doc_id = f"{prefix}-{n}"
        if shard_of(doc_id, count) not in taken:
            return doc_id
    raise AssertionError("no free shard")


@pytest.fixture
def output(package_output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(catalogue_build, "now_utc", lambda: "2026-01-01T00:00:00Z")
    out = tmp_path / "out"
    out.mkdir()
    for doc_id in (FJ, *OTHERS):
        shutil.copytree(package_output / doc_id, out / doc_id)
    return out


def test_one_new_changed_or_removed_package_rewrites_its_shard_only(output: Path):
    count = listing_shards()
    catalogue = build_catalogue(output)
    before = _shard_inodes(catalogue)
    taken = {shard_of(i, count) for i in (FJ, *OTHERS)}
    assert len(before) == 3 * len(taken)

    new = _new_id(taken, count, "zz-shard-new")  # a new package in a shard of its own
    make_variant(output, FJ, new, {"title": "A new package", "title_zh": "新数据包"})
    build_catalogue(output)
    after = _shard_inodes(catalogue)
    new_files = set(shard_files(shard_of(new, count), count))
    assert set(after) == set(before) | new_files
    assert {k: v for k, v in after.items() if k not in new_files} == before  # no other shard rewritten
    assert [c["id"] for c in read_cards(catalogue)] == sorted([FJ, *OTHERS, new])

    # a changed package: its shard's three files are rewritten, no other
    path = output / FJ / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["title"] += " (corrected)"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    before = _shard_inodes(catalogue)
    build_catalogue(output)
    after = _shard_inodes(catalogue)
    fj_files = set(shard_files(shard_of(FJ, count), count))
    assert {k for k in after if after[k] != before[k]} == fj_files
    assert next(r for r in read_index_rows(catalogue) if r["document_id"] == FJ)["title"].endswith("(corrected)")

    # a removed package: the shard it was alone in disappears, index.json no longer names it
    shutil.rmtree(output / new)
    before = _shard_inodes(catalogue)
    build_catalogue(output)
    after = _shard_inodes(catalogue)
    assert set(after) == set(before) - new_files
    assert {k: v for k, v in after.items()} == {k: v for k, v in before.items() if k not in new_files}
    top = json.loads((catalogue / "index.json").read_text(encoding="utf-8"))
    assert shard_files(shard_of(new, count), count)[1] not in [p["json"] for p in top["parts"]]
    assert [r["document_id"] for r in read_index_rows(catalogue)] == sorted([FJ, *OTHERS])
    assert f'cards/{shard_files(shard_of(new, count), count)[0].split("/")[1]}' not in (
        catalogue / "index.html"
    ).read_text(encoding="utf-8")


def test_incremental_builds_give_the_bytes_of_a_full_build(output: Path, tmp_path: Path):
    """Add two, change one, remove one, step by step; then build the same packages at once in
    another folder: every file but the state database is the same (the bulk archive aside,
    which is appended to: its contents are checked in test_catalogue_incremental.py)."""
    catalogue = build_catalogue(output)
    make_variant(output, FJ, "aa-shard-1", {"title_zh": "甲"})
    build_catalogue(output)
    make_variant(output, FJ, "zz-shard-2", {"title_zh": "乙"})
    build_catalogue(output)
    path = output / OTHERS[0] / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["title"] += " (corrected)"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    build_catalogue(output)
    shutil.rmtree(output / OTHERS[1])
    build_catalogue(output)

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for folder in output.iterdir():
        if folder.is_dir() and folder.name != "catalogue":
            shutil.copytree(folder, fresh / folder.name)
    full = build_catalogue(fresh)
    bulk = "downloads/yusuan-catalogue.tar.gz"
    incremental, scratch = _files(catalogue), _files(full)
    for files in (incremental, scratch):
        files.pop(bulk)
        files.pop("bulk-state.json")
    assert sorted(incremental) == sorted(scratch)
    assert [k for k in incremental if incremental[k] != scratch[k]] == []


def test_a_run_that_changes_nothing_does_not_write_the_state(output: Path):
    catalogue = build_catalogue(output)
    db = catalogue / DB_NAME
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    build_catalogue(output)
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    store = StateStore(catalogue)
    try:
        state = store.load()
        entries = store.entries({shard_of(FJ, listing_shards())})
    finally:
        store.close()
    assert sorted(state.datasets) == sorted([FJ, *OTHERS])
    assert state.datasets[FJ].folder == FJ and state.datasets[FJ].shard == shard_of(FJ, listing_shards())
    assert entries[FJ].card["id"] == FJ and entries[FJ].summary["name"] == FJ


def test_a_catalogue_with_the_json_state_keeps_its_dates(output: Path, monkeypatch: pytest.MonkeyPatch):
    """A catalogue written before the state moved to SQLite: its harvest-state.json dates
    survive the first build (a full one), and the JSON files are removed."""
    catalogue = build_catalogue(output)
    (catalogue / DB_NAME).unlink()
    legacy = {
        "version": 1, "key": "old", "issued": "2025-01-01T00:00:00Z", "modified": "2025-06-01T00:00:00Z",
        "datasets": {FJ: {"stat": "x", "sha256": "y", "issued": "2025-01-01T00:00:00Z",
                          "modified": "2025-06-01T00:00:00Z", "page": 1, "summary": {}}},
        "skipped": {},
    }
    (catalogue / "harvest-state.json").write_text(json.dumps(legacy), encoding="utf-8")
    (catalogue / "build-state.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(catalogue_build, "now_utc", lambda: "2026-03-01T00:00:00Z")
    build_catalogue(output)
    store = StateStore(catalogue)
    try:
        state = store.load()
    finally:
        store.close()
    assert state.issued == "2025-01-01T00:00:00Z"
    assert state.datasets[FJ].issued == "2025-01-01T00:00:00Z"
    assert state.datasets[FJ].modified == "2026-03-01T00:00:00Z"  # its sha256 differs from "y"
    assert state.datasets[OTHERS[0]].issued == "2026-03-01T00:00:00Z"
    assert not (catalogue / "harvest-state.json").exists() and not (catalogue / "build-state.json").exists()


def _extract_with_gnu_tar(archive: Path, into: Path) -> dict[str, bytes]:
    import subprocess

    into.mkdir()
    subprocess.run(["tar", "-xzf", str(archive), "-C", str(into)], check=True, capture_output=True)
    return {str(p.relative_to(into)): p.read_bytes() for p in sorted(into.rglob("*")) if p.is_file()}


def _package_files(output: Path, ids: list[str]) -> dict[str, bytes]:
    return {
        str(p.relative_to(output)): p.read_bytes()
        for doc_id in ids for p in sorted((output / doc_id).iterdir()) if p.is_file()
    }


def test_removed_and_replaced_bulk_members_are_blanked_in_place(output: Path, tmp_path: Path):
    """A removed package's member, and a changed package's old one, become padding of the
    same length (empty gzip members): the archive is not written again (same inode, same
    size before the appended member), and GNU tar extracts exactly the current packages."""
    extra = [f"zz-bulk-{n}" for n in range(3)]  # so that the dead bytes stay below the live ones
    for doc_id in extra:
        make_variant(output, FJ, doc_id, {"title_zh": doc_id})
    catalogue = build_catalogue(output)
    archive = catalogue / "downloads" / "yusuan-catalogue.tar.gz"
    inode, size = archive.stat().st_ino, archive.stat().st_size
    shutil.rmtree(output / OTHERS[1])
    build_catalogue(output)
    assert (archive.stat().st_ino, archive.stat().st_size) == (inode, size)
    assert _extract_with_gnu_tar(archive, tmp_path / "x1") == _package_files(output, [FJ, OTHERS[0], *extra])

    path = output / FJ / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["title"] += " (corrected)"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    build_catalogue(output)
    assert archive.stat().st_ino == inode and archive.stat().st_size > size
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
    assert len(names) == len(set(names))  # the old entries are gone, not shadowed
    assert _extract_with_gnu_tar(archive, tmp_path / "x2") == _package_files(output, [FJ, OTHERS[0], *extra])


def test_a_missing_shard_file_is_written_again(output: Path):
    catalogue = build_catalogue(output)
    shard = shard_files(shard_of(FJ, listing_shards()), listing_shards())
    expected = {f: (catalogue / f).read_bytes() for f in shard}
    for f in shard:
        (catalogue / f).unlink()
    build_catalogue(output)
    assert {f: (catalogue / f).read_bytes() for f in shard} == expected
