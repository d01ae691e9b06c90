"""The staged schemas' fields copy themselves without re-validating their descriptors
(yusuan/checks/frictionless_fields.py): the copies are Frictionless' copies, and a staged file
with a wrong type, a broken constraint or a duplicate key is still caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from frictionless import Field, Schema

import yusuan.checks.schema_validation as schema_validation
from tests.unit.staged_csv import edit_csv
from yusuan.checks.frictionless_fields import copy_without_revalidation, staged_fields
from yusuan.checks.schema_validation import _schema, validate_staged
from yusuan.core.resource_format import table_schema
from yusuan.core.schemas import resource_specs
from yusuan.package.writer import write_package

DOC = "fj-quanzhou-12345-2026-dwys"
SPECS = resource_specs()
NAMES = [s["name"] for s in SPECS]
CELLS = ["", "0", "1", "-12", "1.50", "-0.000001", "x", "true", "false", "2019+", "budget", "中文", "2024-01-01", None]


@pytest.mark.parametrize("name", NAMES)
def test_a_copy_is_the_copy_frictionless_makes(name):
    stock = Schema.from_descriptor(table_schema(next(s for s in SPECS if s["name"] == name), names_only=True))
    for field, ours in zip(stock.fields, _schema(name).fields, strict=True):
        assert isinstance(ours, type(field)) and type(ours) is copy_without_revalidation(type(field))
        theirs, copied = field.to_copy(), ours.to_copy()
        assert type(copied) is type(ours) and isinstance(copied, type(theirs))
        assert copied.to_descriptor() == theirs.to_descriptor() == field.to_descriptor()
        assert copied.missing_values == theirs.missing_values and copied.constraints == theirs.constraints
        assert copied.schema is None and theirs.schema is None  # the copy is detached, as Frictionless' is
        # the validation skipped would have found nothing: the descriptor is the validated one
        assert list(type(field).metadata_validate(theirs.to_descriptor())) == []
        for cell in CELLS:
            assert copied.read_cell(cell) == theirs.read_cell(cell), (name, field.name, cell)


def test_a_copy_with_changes_is_validated_as_frictionless_does():
    field = staged_fields(Schema.from_descriptor({"fields": [{"name": "n", "type": "integer"}]})).fields[0]
    changed = field.to_copy(name="m")  # Frictionless' own path: a stock IntegerField
    assert type(changed) is type(field).__mro__[2] and changed.name == "m"
    assert copy_without_revalidation(type(field)) is type(field)  # not wrapped twice
    assert issubclass(type(field), Field)


@pytest.fixture(scope="module")
def package(tmp_path_factory, processed) -> Path:
    return write_package(processed[DOC], tmp_path_factory.mktemp("fields"))


def broken(package: Path, folder: Path, name: str, edit) -> Path:
    shutil.copytree(package, folder)
    edit_csv(folder / f"{name}.csv", edit)
    return folder


def set_cell(name: str, value: str):
    def edit(header, rows):
        rows[0][header.index(name)] = value
        return rows

    return edit


@pytest.mark.parametrize(
    ("resource", "edit", "expected"),
    [
        ("amounts", set_cell("row_number", "x"), ("type-error", "amounts", "row_number")),
        ("amounts", set_cell("amount", "1,182.04"), ("type-error", "amounts", "amount")),
        ("amounts", set_cell("is_blank", "maybe"), ("type-error", "amounts", "is_blank")),
        ("amounts", set_cell("row_role", "grand_total"), ("constraint-error", "amounts", "row_role")),
        ("glossary", set_cell("document_id", ""), ("constraint-error", "glossary", "document_id")),
        ("check_rows", lambda header, rows: [*rows, rows[0]], ("primary-key", "check_rows", "")),
        ("function_classification", lambda header, rows: [*rows, rows[-1]], ("primary-key", "function_classification", "")),
    ],
    ids=["integer", "number", "boolean", "enum", "required", "key-of-a-resource-with-foreign-keys", "key-of-a-code-list"],
)
def test_an_invalid_staged_file_is_caught(package, tmp_path, monkeypatch, resource, edit, expected):
    monkeypatch.setattr(schema_validation, "_memo", type(schema_validation._memo)())
    assert validate_staged(package, NAMES).valid
    folder = broken(package, tmp_path / "pkg", resource, edit)
    validation = validate_staged(folder, NAMES)
    assert expected in validation.errors
    assert {resource for _kind, resource, _field in validation.errors} <= {expected[1], "amounts"}  # a key row gone: amounts' references
