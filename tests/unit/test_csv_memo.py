"""A staged CSV taken from the memo is the CSV made again of the same rows: the same bytes,
sha256 and proof cells; cells that are equal but written differently are not taken for one
another."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import yusuan.package.staged_validation as staged_validation
from yusuan.checks.schema_proof import written_cells
from yusuan.core.resource_columns import resource_columns
from yusuan.core.resource_format import resource_csv_bytes
from yusuan.core.schemas import resource_specs
from yusuan.package.parquet_memo import SharedRowsMemo, ValuesMemo
from yusuan.package.writer import write_package

DOC = "fj-quanzhou-12345-2026-dwys"


def spec_of(name: str) -> dict[str, Any]:
    return next(s for s in resource_specs() if s["name"] == name)


def staged(
    rows: list[dict[str, Any]], name: str, folder: Path
) -> tuple[staged_validation.StagedCsv, Any]:
    written: dict[str, Any] = {}
    folder.mkdir(parents=True, exist_ok=True)
    found = staged_validation.stage_csv(
        SimpleNamespace(resources={name: rows}), spec_of(name), folder, written
    )
    return found, written[name]


@pytest.fixture
def memo(monkeypatch) -> ValuesMemo:
    fresh = ValuesMemo()
    monkeypatch.setattr(staged_validation, "CSV_MEMO", fresh)
    # shared rows staged by earlier tests would come from the memo of shared rows instead
    monkeypatch.setattr(staged_validation, "SHARED_CSV", SharedRowsMemo())
    return fresh


@pytest.mark.parametrize(
    "name", ["function_classification", "cofog_weights", "units", "amounts", "checks"]
)
def test_a_remembered_csv_is_the_csv_made_again(processed, memo, tmp_path, name):
    rows = processed[DOC].resources[name]
    first, first_cells = staged(rows, name, tmp_path / "a")
    again, again_cells = staged(
        [dict(row) for row in rows], name, tmp_path / "b"
    )  # equal rows, other objects
    data = resource_csv_bytes(resource_columns(rows, spec_of(name)["fields"]))
    assert first.path.read_bytes() == again.path.read_bytes() == data
    assert (first.sha256, first.bytes) == (again.sha256, again.bytes)
    assert (
        again_cells
        == first_cells
        == written_cells(data, first.sha256, first_cells.header, first_cells.cells)
    )
    if memo.kept(first_cells.cells):
        assert again_cells is first_cells  # taken from the memo


def test_a_package_staged_with_the_memo_is_the_package_staged_without(
    processed, tmp_path, monkeypatch
):
    result = processed[DOC]
    packages = {}
    for label, memo in (
        ("without", ValuesMemo(max_entries=0)),
        ("first", ValuesMemo()),
        ("remembered", None),
    ):
        if memo is not None:
            monkeypatch.setattr(staged_validation, "CSV_MEMO", memo)
            monkeypatch.setattr(staged_validation, "SHARED_CSV", SharedRowsMemo(memo.max_entries))
        folder = write_package(result, tmp_path / label)
        packages[label] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    assert staged_validation.CSV_MEMO._entries
    assert packages["without"] == packages["first"] == packages["remembered"]


ROW = {
    "code": "201",
    "level": "类",
    "parent_code": "",
    "name_zh": "一般公共服务支出",
    "name_en": "x",
    "name_en_source": "y",
    "cofog": "01",
    "confidence": "high",
    "name_source": "z",
}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (Decimal("1.0"), Decimal("1.00")),  # equal numbers, other texts
        (1, "1"),  # equal texts, other classes
        (1, True),  # equal numbers, other texts ("True")
        (0.0, -0.0),  # equal floats, other texts
        ("a", "b"),
    ],
)
def test_equal_cells_written_differently_are_told_apart(memo, tmp_path, one, other):
    name = "function_classification"
    a, _ = staged([dict(ROW, name_en=one)], name, tmp_path / "a")
    b, _ = staged([dict(ROW, name_en=other)], name, tmp_path / "b")
    for found, value in ((a, one), (b, other)):  # each the bytes made of its own rows
        assert found.path.read_bytes() == resource_csv_bytes(
            resource_columns([dict(ROW, name_en=value)], spec_of(name)["fields"])
        )


def test_a_table_too_large_is_not_remembered(monkeypatch, tmp_path):
    small = ValuesMemo(max_cells=5)
    monkeypatch.setattr(staged_validation, "CSV_MEMO", small)
    staged([ROW], "function_classification", tmp_path)  # nine cells
    assert not small._entries
