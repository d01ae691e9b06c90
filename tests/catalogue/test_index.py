"""catalogue/index.json and index.csv; discovery of packages; the atomic, reproducible build."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from variants import BLOCKED, BROKEN, FJ, WARNINGS

from yusuan.catalogue import build as catalogue_build
from yusuan.catalogue.build import build_catalogue
from yusuan.catalogue.index import INDEX_COLUMNS, CatalogueError, issuer_id, scan_packages
from yusuan.catalogue.shards import read_index_rows


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_index_json_lists_every_package_with_hash_and_metadata(catalogue: Path, package_ids):
    rows = read_index_rows(catalogue)
    assert [r["document_id"] for r in rows] == package_ids
    for row in rows:
        folder = catalogue.parent / row["path"]
        descriptor_path = folder / "datapackage.json"
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        assert row["sha256"] == _sha(descriptor_path)
        assert (catalogue / row["datapackage"]).resolve() == descriptor_path.resolve()
        assert (catalogue / row["page"]).is_file()
        for key in ("fiscal_year", "region", "issuer", "kind", "kind_id", "quality_status", "title", "title_zh"):
            assert row[key] == descriptor[key], key
        for key in ("checks_passed", "checks_failed", "checks_not_run"):
            assert row[key] == descriptor["check_summary"][key]
    statuses = {r["document_id"]: r["quality_status"] for r in rows}
    assert statuses[WARNINGS] == "warnings" and statuses[BLOCKED] == "blocked"
    assert statuses[FJ] in ("passed", "warnings")


def test_broken_and_hidden_folders_are_left_out_and_reported(catalogue: Path):
    index = json.loads((catalogue / "index.json").read_text(encoding="utf-8"))
    assert [s["folder"] for s in index["skipped"]] == [BROKEN]
    assert "cannot read datapackage.json" in index["skipped"][0]["error"]
    listed = {r["document_id"] for r in read_index_rows(catalogue)}
    assert BROKEN not in listed and not any(i.startswith(".") for i in listed)
    assert "catalogue" not in listed


def test_index_csv_matches_index_json(catalogue: Path):
    index = read_index_rows(catalogue)
    with open(catalogue / "index.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == INDEX_COLUMNS
        rows = sorted(reader, key=lambda r: r["document_id"])
    assert [r["document_id"] for r in rows] == [r["document_id"] for r in index]
    for from_csv, from_json in zip(rows, index, strict=True):
        assert from_csv == {k: str(v) for k, v in from_json.items()}


def test_index_json_lists_the_shards_and_index_csv_joins_them(catalogue: Path, package_ids):
    """index.json is small: it names the parts (one per non-empty shard, each in id order,
    each package in the shard its id hashes to); index.csv is their CSVs end to end."""
    from yusuan.catalogue.build import listing_shards
    from yusuan.catalogue.shards import shard_files, shard_of

    top = json.loads((catalogue / "index.json").read_text(encoding="utf-8"))
    assert top["packages"] == len(package_ids) == sum(p["packages"] for p in top["parts"])
    assert len(top["parts"]) > 1  # the test packages do not all hash to one shard
    count = listing_shards()
    joined = b""
    for part in top["parts"]:
        rows = json.loads((catalogue / part["json"]).read_text(encoding="utf-8"))["packages"]
        ids = [r["document_id"] for r in rows]
        assert ids == sorted(ids) and len(ids) == part["packages"]
        for doc_id in ids:
            assert shard_files(shard_of(doc_id, count), count)[1] == part["json"]
        with open(catalogue / part["csv"], encoding="utf-8", newline="") as fh:
            assert [r["document_id"] for r in csv.DictReader(fh)] == ids
        joined += (catalogue / part["csv"]).read_bytes().split(b"\n", 1)[1]
    whole = (catalogue / "index.csv").read_bytes()
    assert whole == ",".join(INDEX_COLUMNS).encode() + b"\n" + joined


def test_build_is_reproducible_and_leaves_no_staging(package_output: Path, catalogue: Path):
    before = _tree(catalogue)
    again = build_catalogue(package_output)
    assert again == catalogue
    assert _tree(again) == before
    assert not [p.name for p in package_output.iterdir() if p.name.startswith(".catalogue")]


def test_failed_build_keeps_the_previous_catalogue(tmp_path: Path, package_output: Path, monkeypatch):
    output = tmp_path / "out"
    output.mkdir()
    shutil.copytree(package_output / FJ, output / FJ)
    first = build_catalogue(output)
    before = _tree(first)

    def boom(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(catalogue_build, "write_harvest", boom)
    with pytest.raises(OSError, match="simulated"):
        build_catalogue(output)
    assert _tree(first) == before
    assert sorted(p.name for p in output.iterdir() if p.name != ".yusuan.lock") == ["catalogue", FJ]  # no staging folder left


def test_empty_output_gives_an_empty_catalogue(tmp_path: Path):
    catalogue = build_catalogue(tmp_path)
    top = json.loads((catalogue / "index.json").read_text(encoding="utf-8"))
    assert top == {"version": 2, "packages": 0, "parts": [], "skipped": []}
    assert (catalogue / "index.csv").read_text(encoding="utf-8").count("\n") == 1
    assert "没有数据包" in (catalogue / "index.html").read_text(encoding="utf-8")


def test_missing_output_folder_and_duplicate_ids_are_errors(tmp_path: Path, package_output: Path):
    with pytest.raises(CatalogueError, match="not found"):
        build_catalogue(tmp_path / "nope")
    shutil.copytree(package_output / FJ, tmp_path / "a")
    shutil.copytree(package_output / FJ, tmp_path / "b")
    with pytest.raises(CatalogueError, match="share the document id"):
        scan_packages(tmp_path)


def test_a_package_named_catalogue_is_never_replaced(tmp_path: Path, package_output: Path):
    shutil.copytree(package_output / FJ, tmp_path / "catalogue")
    with pytest.raises(CatalogueError, match="is a data package"):
        build_catalogue(tmp_path)
    assert (tmp_path / "catalogue" / "datapackage.json").is_file()


def test_issuer_id_is_stable_ascii_and_region_sensitive():
    a = issuer_id("泉州市12345政务服务便民热线中心", "福建省泉州市")
    assert a == issuer_id(" 泉州市１２３４５政务服务便民热线中心", "福建省 泉州市")  # NFKC, spaces
    assert a.startswith("cn-issuer-") and len(a) == len("cn-issuer-") + 12 and a.isascii()
    assert a != issuer_id("泉州市12345政务服务便民热线中心", "福建省")
    assert issuer_id("财政局", "上海市普陀区") != issuer_id("财政局", "上海市静安区")
