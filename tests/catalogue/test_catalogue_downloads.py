"""Per-dataset zips (with Excel-friendly CSV copies) and the bulk archive of the catalogue."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path

from yusuan.catalogue.downloads import BOM, BULK_NAME


def _files(output: Path, doc_id: str) -> list[str]:
    descriptor = json.loads((output / doc_id / "datapackage.json").read_text(encoding="utf-8"))
    names = ["datapackage.json"]
    for res in descriptor["resources"]:
        names += [res["path"], res["parquet"]["path"]]
    return names + sorted(p.name for p in (output / doc_id).glob("quality_report.*"))


def test_every_dataset_has_a_zip_of_its_package_with_excel_csvs(package_output: Path, catalogue: Path, package_ids):
    for doc_id in package_ids:
        with zipfile.ZipFile(catalogue / "downloads" / f"{doc_id}.zip") as zf:
            assert zf.testzip() is None
            names = _files(package_output, doc_id)
            csvs = [n for n in names if n.endswith(".csv")]
            assert sorted(zf.namelist()) == sorted(
                [f"{doc_id}/{n}" for n in names] + [f"{doc_id}/excel/{n}" for n in csvs]
            )
            for name in names:
                assert zf.read(f"{doc_id}/{name}") == (package_output / doc_id / name).read_bytes()
            for name in csvs:
                original = (package_output / doc_id / name).read_bytes()
                excel = zf.read(f"{doc_id}/excel/{name}")
                assert excel == BOM + original
                # what Excel does with a BOM: reads UTF-8; the rows are the original rows
                rows = list(csv.reader(io.StringIO(excel.decode("utf-8-sig"))))
                assert rows == list(csv.reader(io.StringIO(original.decode("utf-8"))))


def test_zip_distribution_matches_the_file(catalogue: Path, package_ids):
    for doc_id in package_ids:
        doc = json.loads((catalogue / "dcat" / "datasets" / f"{doc_id}.jsonld").read_text(encoding="utf-8"))
        dist = next(d for d in doc["@graph"][0]["dcat:distribution"] if d["dct:identifier"] == f"{doc_id}.zip")
        data = (catalogue / "downloads" / f"{doc_id}.zip").read_bytes()
        assert dist["spdx:checksum"]["spdx:checksumValue"]["@value"] == hashlib.sha256(data).hexdigest()
        assert dist["dcat:byteSize"]["@value"] == str(len(data))


def test_bulk_archive_holds_every_package(package_output: Path, catalogue: Path, package_ids):
    with tarfile.open(catalogue / "downloads" / BULK_NAME, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers()}
        expected = {f"{d}/{n}" for d in package_ids for n in _files(package_output, d)}
        assert set(members) == expected
        for name in sorted(expected)[:40]:
            assert tar.extractfile(members[name]).read() == (package_output / name).read_bytes()  # type: ignore[union-attr]
