"""The package is validated as written: Frictionless reads the staged CSVs that are published
(issue 14), and the check rows it gives are those of a validation of the rows."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

import yusuan.package.staged_validation as staged_validation
from yusuan.checks.engine import CheckRun
from yusuan.checks.schema_validation import validate_resources
from yusuan.package.staged_validation import check_unpublished
from yusuan.package.writer import PublishBlockedError, publish_package, write_package

DOC = "fj-quanzhou-12345-2026-dwys"


def frictionless_rows(checks: list[dict]) -> list[tuple]:
    return [(c["check_id"], c["status"], c["count"]) for c in checks if c["check_id"].startswith("frictionless")]


def test_the_validated_files_are_the_published_files(tmp_path, processed, monkeypatch):
    seen: dict[str, str] = {}
    folders: list[Path] = []
    real = staged_validation.validate_staged

    def recording(folder: Path, names: list[str], written=None):
        folders.append(folder)
        for name in names:
            seen[name] = hashlib.sha256((folder / f"{name}.csv").read_bytes()).hexdigest()
        assert {name: w.sha256 for name, w in written.items()} == seen  # the cells handed over are those of these bytes
        return real(folder, names, written)

    monkeypatch.setattr(staged_validation, "validate_staged", recording)
    target, completed = publish_package(processed[DOC], tmp_path)
    published = {p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in target.glob("*.csv")}
    assert seen == published and len(published) == 17
    # the folder validated is the staging folder beside the target, which became the target
    assert len(folders) == 1 and folders[0].parent == tmp_path and folders[0].name.startswith(f".{DOC}.")
    assert not folders[0].exists()
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"]: r["hash"] for r in descriptor["resources"]} == {k: "sha256:" + v for k, v in published.items()}
    # checks.csv, validated, holds the validation's own result and the summary counts it
    with (target / "checks.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["check_id"] == "frictionless"]
    assert [(r["status"], r["count"]) for r in rows] == [("passed", "17")]
    assert frictionless_rows(completed.resources["checks"]) == [("frictionless", "passed", 17)]
    assert descriptor["check_summary"] == completed.summary()


def test_a_resource_broken_in_the_staging_folder_is_caught_and_not_published(tmp_path, processed, monkeypatch):
    real = staged_validation.validate_staged

    def breaking(folder: Path, names: list[str], written=None):
        amounts = folder / "amounts.csv"
        lines = amounts.read_text(encoding="utf-8").splitlines(keepends=True)
        amounts.write_text("".join([*lines, lines[1]]), encoding="utf-8")  # a row twice: its key twice
        glossary = folder / "glossary.csv"  # a resource without foreign keys: not taken from an earlier report
        glossary.write_text(glossary.read_text(encoding="utf-8") + DOC + ",x\n", encoding="utf-8")
        return real(folder, names, written)  # the cells written no longer those of these two files

    write_package(processed[DOC], tmp_path / "before")  # the clean glossary has been validated before
    monkeypatch.setattr(staged_validation, "validate_staged", breaking)
    with pytest.raises(PublishBlockedError, match="frictionless_primary_key") as caught:
        write_package(processed[DOC], tmp_path / "out")
    found = {(c["check_id"], c["field"]) for c in caught.value.result.resources["checks"] if c["status"] == "failed"}
    assert ("frictionless_primary_key", "amounts") in found
    assert any(check_id.startswith("frictionless_") and field.startswith("glossary") for check_id, field in found)
    assert caught.value.result.quality_status == "blocked"
    assert not any((tmp_path / "out").iterdir())  # nothing published, no staging folder left


def test_writing_leaves_the_result_as_it_was(tmp_path, processed):
    result = processed[DOC]
    before = json.dumps(result.resources["checks"], default=str)
    first = write_package(result, tmp_path / "a")
    second = write_package(result, tmp_path / "b")
    assert json.dumps(result.resources["checks"], default=str) == before
    assert frictionless_rows(result.resources["checks"]) == []  # made when the package is written
    assert [p.read_bytes() for p in sorted(first.iterdir())] == [p.read_bytes() for p in sorted(second.iterdir())]


def test_an_unpublished_result_has_the_check_rows_of_its_package(tmp_path, processed):
    result = processed[DOC]
    _target, written = publish_package(result, tmp_path)
    assert check_unpublished(result).resources["checks"] == written.resources["checks"]
    run = CheckRun(DOC)
    validate_resources(run, written.resources)  # the rows validated without a package
    assert frictionless_rows(run.results) == [("frictionless", "passed", 17)]


def test_a_validator_that_fails_is_said_in_the_published_check_rows(tmp_path, processed, monkeypatch):
    import yusuan.checks.schema_validation as schema_validation

    def broken(folder: Path, specs: list, written=None):
        raise RuntimeError("the validator broke")

    monkeypatch.setattr(schema_validation, "_validate", broken)
    target, completed = publish_package(processed[DOC], tmp_path)
    assert frictionless_rows(completed.resources["checks"]) == [("frictionless", "not_run", 1)]
    with (target / "checks.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["check_id"] == "frictionless"]
    assert [(r["status"], r["message"]) for r in rows] == [("not_run", "Frictionless could not validate the resources: the validator broke")]
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    checks = next(r for r in descriptor["resources"] if r["name"] == "checks")
    assert checks["hash"] == "sha256:" + hashlib.sha256((target / "checks.csv").read_bytes()).hexdigest()
    assert descriptor["check_summary"]["checks_not_run"] == completed.summary()["checks_not_run"]
