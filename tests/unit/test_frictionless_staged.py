"""The foreign-key lookup built once per referenced bytes (yusuan/checks/frictionless_staged.py) is
the lookup Frictionless builds, and every row is still checked against it: a code missing from a
code list, or a table missing from source_tables, is caught when the lists were read before."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import frictionless
import pytest
from frictionless import Package, Resource

import yusuan.checks.frictionless_staged as frictionless_staged
import yusuan.checks.schema_validation as schema_validation
from tests.unit.staged_csv import edit_csv
from yusuan.checks.frictionless_staged import HOOKED, StagedTableResource
from yusuan.checks.schema_validation import _schema, validate_staged
from yusuan.core.schemas import resource_specs
from yusuan.package.writer import write_package

DOC = "fj-quanzhou-12345-2026-dwys"
NAMES = [s["name"] for s in resource_specs()]
WITH_FOREIGN_KEYS = [s["name"] for s in resource_specs() if s.get("foreign_keys")]


@pytest.fixture(scope="module")
def package(tmp_path_factory, processed) -> Path:
    """The sample's package as written (a real text publication: codes of the three lists)."""
    return write_package(processed[DOC], tmp_path_factory.mktemp("lookup"))


def staged_copy(package: Path, folder: Path) -> Path:
    shutil.copytree(package, folder)
    return folder


def kinds(validation) -> set[tuple[str, str]]:
    return {(kind, resource) for kind, resource, _field in validation.errors}


def test_the_installed_frictionless_has_the_private_step_replaced():
    # the step is Frictionless' private TableResource.__open_lookup: pinned here, not in the data
    assert HOOKED, f"frictionless {frictionless.__version__}: TableResource.__open_lookup is gone; see frictionless_staged.py"
    assert "_TableResource__open_lookup" in vars(frictionless.resources.TableResource)


@pytest.mark.parametrize("name", WITH_FOREIGN_KEYS)
def test_the_shared_lookup_is_the_one_frictionless_builds(package, name):
    def lookup(table) -> dict:
        specs = resource_specs()
        staged = Package(
            resources=[table(name=s["name"], path=f"{s['name']}.csv", format="csv", encoding="utf-8", schema=_schema(s["name"])) for s in specs],
            basepath=str(package),
        )
        with staged.get_resource(name) as resource:
            return {source: {key: set(cells) for key, cells in keys.items()} for source, keys in resource.lookup.items()}

    frictionless_staged.forget()
    stock = lookup(Resource)
    assert stock and all(cells for keys in stock.values() for cells in keys.values()) or name == "performance_indicators"
    assert lookup(StagedTableResource) == stock  # read
    assert lookup(StagedTableResource) == stock  # remembered


def forget_all(monkeypatch) -> None:
    """Nothing remembered: neither reports nor lookups; and every resource validated by
    Frictionless (these tests are about its lookups; the proof of yusuan/checks/schema_proof.py
    would otherwise settle the valid packages without reading a lookup)."""
    monkeypatch.setenv("YUSUAN_VALIDATOR", "frictionless")
    monkeypatch.setattr(schema_validation, "_memo", type(schema_validation._memo)())
    frictionless_staged.forget()


def test_a_code_missing_from_a_code_list_read_before_is_caught(package, tmp_path, monkeypatch):
    forget_all(monkeypatch)
    assert validate_staged(package, NAMES).valid  # the lists read and remembered
    reads: list[str] = []
    real = frictionless_staged.read_reference_set
    monkeypatch.setattr(frictionless_staged, "read_reference_set", lambda source, key: reads.append(source.name) or real(source, key))

    def unknown_code(header, rows):
        column = header.index("function_code")
        first = next(r for r in rows if r[column])
        first[column] = "2999999"  # seven digits, in no edition of the function classification
        return rows

    folder = staged_copy(package, tmp_path / "pkg")
    edit_csv(folder / "amounts.csv", unknown_code)
    validation = validate_staged(folder, NAMES)
    assert ("foreign-key", "amounts") in kinds(validation)
    found = validation.errors[("foreign-key", "amounts", "")]
    assert len(found) == 1 and "2999999" in found[0].note and "function_classification" in found[0].note
    assert "function_classification" not in reads  # the list's set came from memory


def test_a_code_list_that_changed_is_read_again(package, tmp_path, monkeypatch):
    forget_all(monkeypatch)
    assert validate_staged(package, NAMES).valid  # amounts' report remembered with these lists
    with (package / "amounts.csv").open(encoding="utf-8") as handle:
        used = sorted({r["function_code"] for r in csv.DictReader(handle) if r["function_code"]})
    folder = staged_copy(package, tmp_path / "pkg")
    edit_csv(folder / "function_classification.csv", lambda header, rows: [r for r in rows if r[0] != used[0]])
    validation = validate_staged(folder, NAMES)  # amounts.csv is byte for byte the one validated
    assert ("foreign-key", "amounts") in kinds(validation)
    assert all(used[0] in e.note for e in validation.errors[("foreign-key", "amounts", "")])


def test_a_resource_whose_references_changed_is_validated_again(package, tmp_path, monkeypatch):
    forget_all(monkeypatch)
    assert validate_staged(package, NAMES).valid  # check_rows' and amounts' reports remembered
    folder = staged_copy(package, tmp_path / "pkg")
    edit_csv(folder / "source_tables.csv", lambda header, rows: rows[1:])  # the first table gone
    validation = validate_staged(folder, NAMES)
    assert {("foreign-key", "amounts"), ("foreign-key", "check_rows")} <= kinds(validation)


@pytest.mark.parametrize("name", ["glossary", "Not A Name!"])
def test_the_descriptor_is_validated_as_frictionless_validates_it(package, name):
    frictionless_staged.forget()

    def report(table) -> list[tuple]:
        resource = table(name=name, path="glossary.csv", basepath=str(package), format="csv", encoding="utf-8", schema=_schema("glossary"))
        return [(e.type, e.note) for task in resource.validate().tasks for e in task.errors]

    stock = report(Resource)
    assert report(StagedTableResource) == stock  # validated
    assert report(StagedTableResource) == stock  # remembered if valid, validated again if not
    assert (stock == []) == (name == "glossary")
    assert stock or len(frictionless_staged._valid_descriptors) == 1
