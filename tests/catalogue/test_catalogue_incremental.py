"""The incremental build: dates kept across runs, only changed datasets rewritten, removed
ones deleted, the bulk archive always equal to the packages. The clock is the build's
``now_utc``, set per build so that the dates can be told apart."""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pytest
from variants import FJ, make_variant

from yusuan.catalogue import build as catalogue_build
from yusuan.catalogue.build import build_catalogue
from yusuan.catalogue.downloads import BULK_NAME
from yusuan.catalogue.shards import read_index_rows
from yusuan.catalogue.state_db import StateStore

OTHER = "js-renda-2019-bmys"
NEW = "zz-incremental-new"


def _state(catalogue: Path) -> dict:
    """The build state as a plain dict (catalogue dates; per dataset dates and page)."""
    store = StateStore(catalogue)
    try:
        state = store.load()
    finally:
        store.close()
    datasets = {i: {"issued": d.issued, "modified": d.modified, "page": d.page} for i, d in state.datasets.items()}
    return {"issued": state.issued, "modified": state.modified, "datasets": datasets}


def _inodes(catalogue: Path, doc_id: str) -> tuple[int, ...]:
    files = (f"datasets/{doc_id}.html", f"dcat/datasets/{doc_id}.jsonld", f"downloads/{doc_id}.zip")
    return tuple((catalogue / f).stat().st_ino for f in files)


def _dataset_dates(catalogue: Path, doc_id: str) -> tuple[str, str]:
    doc = json.loads((catalogue / "dcat" / "datasets" / f"{doc_id}.jsonld").read_text(encoding="utf-8"))
    node = doc["@graph"][0]
    return node["dct:issued"]["@value"], node["dct:modified"]["@value"]


def _bulk_contents(catalogue: Path) -> dict[str, bytes]:
    """What extracting the bulk archive gives: the last entry of each name wins."""
    out: dict[str, bytes] = {}
    with tarfile.open(catalogue / "downloads" / BULK_NAME, "r:gz") as tar:
        for member in tar.getmembers():
            out[member.name] = tar.extractfile(member).read()  # type: ignore[union-attr]
    return out


def _package_files(output: Path, ids: list[str]) -> dict[str, bytes]:
    out = {}
    for doc_id in ids:
        descriptor = json.loads((output / doc_id / "datapackage.json").read_text(encoding="utf-8"))
        names = ["datapackage.json"]
        for res in descriptor["resources"]:
            names += [res["path"], res["parquet"]["path"]]
        names += [p.name for p in (output / doc_id).glob("quality_report.*")]
        out |= {f"{doc_id}/{n}": (output / doc_id / n).read_bytes() for n in names}
    return out


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    def set_time(value: str) -> None:
        monkeypatch.setattr(catalogue_build, "now_utc", lambda: value)

    return set_time


def test_dates_and_rewrites_follow_content_changes(package_output: Path, tmp_path: Path, clock):
    output = tmp_path / "out"
    output.mkdir()
    for doc_id in (FJ, OTHER):
        shutil.copytree(package_output / doc_id, output / doc_id)

    clock("2026-01-01T00:00:00Z")
    catalogue = build_catalogue(output)
    assert _dataset_dates(catalogue, FJ) == ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
    assert _bulk_contents(catalogue) == _package_files(output, [FJ, OTHER])
    first = {d: _inodes(catalogue, d) for d in (FJ, OTHER)}
    record = (catalogue / "dcat.jsonld").read_bytes()

    clock("2026-02-01T00:00:00Z")  # nothing changed: no date moves, no dataset file is rewritten
    build_catalogue(output)
    assert (catalogue / "dcat.jsonld").read_bytes() == record
    assert {d: _inodes(catalogue, d) for d in (FJ, OTHER)} == first
    assert _state(catalogue)["modified"] == "2026-01-01T00:00:00Z"

    clock("2026-03-01T00:00:00Z")  # a new package: only its files are written
    make_variant(output, FJ, NEW, {"title": "A new package", "title_zh": "新数据包"})
    build_catalogue(output)
    assert {d: _inodes(catalogue, d) for d in (FJ, OTHER)} == first
    assert _dataset_dates(catalogue, NEW) == ("2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z")
    assert _dataset_dates(catalogue, FJ) == ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
    state = _state(catalogue)
    assert (state["issued"], state["modified"]) == ("2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z")
    assert _bulk_contents(catalogue) == _package_files(output, [FJ, NEW, OTHER])
    index = read_index_rows(catalogue)
    assert [p["document_id"] for p in index] == [FJ, OTHER, NEW]

    clock("2026-04-01T00:00:00Z")  # a changed package: new modified date, same issued date
    path = output / FJ / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["title"] += " (corrected)"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    build_catalogue(output)
    assert _dataset_dates(catalogue, FJ) == ("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z")
    assert _dataset_dates(catalogue, OTHER) == ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
    assert _inodes(catalogue, OTHER) == first[OTHER]
    assert "(corrected)" in (catalogue / "datasets" / f"{FJ}.html").read_text(encoding="utf-8")
    assert _bulk_contents(catalogue) == _package_files(output, [FJ, NEW, OTHER])

    clock("2026-05-01T00:00:00Z")  # a removed package: its files go, the bulk archive is rewritten
    shutil.rmtree(output / OTHER)
    build_catalogue(output)
    assert not any(catalogue.rglob(f"{OTHER}.*"))
    assert _state(catalogue)["modified"] == "2026-05-01T00:00:00Z"
    assert OTHER not in _state(catalogue)["datasets"]
    assert _bulk_contents(catalogue) == _package_files(output, [FJ, NEW])
    record = json.loads((catalogue / "dcat.jsonld").read_text(encoding="utf-8"))
    assert len(record["@graph"][0]["dcat:dataset"]) == 2


def test_full_rebuild_keeps_the_dates(package_output: Path, tmp_path: Path, clock):
    output = tmp_path / "out"
    output.mkdir()
    shutil.copytree(package_output / FJ, output / FJ)
    clock("2026-01-01T00:00:00Z")
    catalogue = build_catalogue(output)
    clock("2026-06-01T00:00:00Z")
    build_catalogue(output, full=True)
    assert _dataset_dates(catalogue, FJ) == ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
    build_catalogue(output, base_url="https://example.org/data/")  # new settings: everything rewritten
    doc = json.loads((catalogue / "dcat" / "pages" / "1.jsonld").read_text(encoding="utf-8"))
    assert doc["@graph"][0]["@id"] == "https://example.org/data/catalogue/index.html#catalogue"
    assert _dataset_dates(catalogue, FJ) == ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")


def test_pages_fill_up_and_stay_put(package_output: Path, tmp_path: Path, clock, monkeypatch):
    output = tmp_path / "out"
    output.mkdir()
    shutil.copytree(package_output / FJ, output / FJ)
    config = tmp_path / "catalogue.toml"
    config.write_text("[catalogue]\npage_size = 2\n", encoding="utf-8")
    monkeypatch.setenv("YUSUAN_CATALOGUE_CONFIG", str(config))
    clock("2026-01-01T00:00:00Z")
    catalogue = build_catalogue(output)
    for n in range(3):
        make_variant(output, FJ, f"aa-{n}", {})  # sorts before FJ: pages must not shift
        build_catalogue(output)
    pages = {p: _state(catalogue)["datasets"][p]["page"] for p in _state(catalogue)["datasets"]}
    assert pages == {FJ: 1, "aa-0": 1, "aa-1": 2, "aa-2": 2}
    assert sorted(p.name for p in (catalogue / "dcat" / "pages").iterdir()) == ["1.jsonld", "2.jsonld"]
    first = json.loads((catalogue / "dcat" / "pages" / "1.jsonld").read_text(encoding="utf-8"))
    view = next(n for n in first["@graph"] if n["@type"] == "hydra:PartialCollectionView")
    assert view["hydra:next"]["@id"] == "../../dcat/pages/2.jsonld"  # relative to page 1
    record = json.loads((catalogue / "dcat.jsonld").read_text(encoding="utf-8"))
    view = record["@graph"][1]
    assert view["hydra:totalItems"]["@value"] == "4"
    assert view["hydra:last"]["@id"] == "dcat/pages/2.jsonld"
