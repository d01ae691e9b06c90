"""``join_split_rows`` reads each grid row's texts once (issue 14, stop 26): the tables of
real publications, and rows joined one after another, are those of the code before, kept
here as the oracle."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from yusuan.core.hashing import sha256_of
from yusuan.core.model import (
    COVERED_ABOVE,
    COVERED_LEFT,
    Origin,
    RawTable,
    SourceDocument,
    SourceFile,
)
from yusuan.core.schemas import Registry, load_registry, normalize_label
from yusuan.layout import rows as row_repairs
from yusuan.layout import tables
from yusuan.layout.cells import CODE, is_fragment, is_value, text_of
from yusuan.package.process import process_document

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
# 上海普陀 (a budget and a final account) and 江苏 检察院 and 高院, whose label cells end a
# line above the amount cells (split rows)
FOLDERS = [
    "12_sh-putuo-wanli-2024-bmys",
    "17_sh-putuo-shegongbu-2024-bmjs",
    "09_js-jianchayuan-2018-bmys",
    "11_js-gaoyuan-2018-bmys",
]


def _completes_afresh(above: list, row: list, registry: Registry) -> bool:
    above_texts = [text_of(a) for a in above]
    row_texts = [text_of(c) for c in row]
    above_amounts = any(is_value(t) for t in above_texts)
    row_amounts = any(is_value(t) for t in row_texts)
    above_labels = any(t and not is_value(t) for t in above_texts)
    row_labels = [t for t in row_texts if t and not is_value(t)]
    if above_labels and not above_amounts and row_amounts:
        if any(CODE.match(normalize_label(t)) for t in row_labels):
            return False
        for a, a_text, c_text in zip(above, above_texts, row_texts, strict=False):
            if a_text and c_text and not is_fragment(c_text, registry):
                return False
            if (
                c_text
                and not a_text
                and a not in (None, COVERED_ABOVE, COVERED_LEFT)
                and (row_labels or not is_value(c_text))
            ):
                return False
        return True
    if above_amounts and not above_labels and row_labels and not row_amounts:
        return all(
            not (a_text and c_text) for a_text, c_text in zip(above_texts, row_texts, strict=False)
        ) and all(
            c in (None, COVERED_ABOVE)
            for a_text, c in zip(above_texts, row, strict=False)
            if is_value(a_text)
        )
    return False


def _join_split_rows_afresh(table: RawTable, registry: Registry) -> None:
    rows, origins = [], []
    for row, origin in zip(table.body, table.body_origins, strict=True):
        if rows and _completes_afresh(rows[-1], row, registry):
            rows[-1] = [row_repairs._join_cells(a, c) for a, c in zip(rows[-1], row, strict=False)]
            continue
        rows.append(list(row))
        origins.append(origin)
    table.body, table.body_origins = rows, origins


def _joined(folder: str, join: Callable[[RawTable, Registry], None], monkeypatch) -> list[tuple]:
    """The body and origins of every table of a publication once its split rows are joined."""
    found: list[tuple] = []

    def recording(table: RawTable, registry: Registry) -> None:
        before = len(table.body)
        join(table, registry)
        found.append(
            (before - len(table.body), [list(r) for r in table.body], list(table.body_origins))
        )

    monkeypatch.setattr(tables, "join_split_rows", recording)
    source = json.loads((CORPUS / folder / "source.json").read_text(encoding="utf-8"))
    [path] = (CORPUS / folder).glob("*.pdf")
    files = (SourceFile(path, "full", sha256_of(path)),)
    process_document(
        SourceDocument(
            folder, source["issuer"], source["region"], source["year"], source["doc_type"], files
        )
    )
    return found


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_tables_are_those_joined_afresh(folder, monkeypatch):
    once = _joined(folder, row_repairs.join_split_rows, monkeypatch)
    assert len(once) > 5
    assert once == _joined(folder, _join_split_rows_afresh, monkeypatch)


def test_the_fixture_tables_have_split_rows(monkeypatch):
    assert (
        sum(
            n
            for folder in FOLDERS
            for n, _body, _origins in _joined(folder, row_repairs.join_split_rows, monkeypatch)
        )
        > 0
    )


def _table(body: list[list]) -> RawTable:
    origin = Origin("t.pdf", "0" * 64, 1, 1)
    origins = [Origin("t.pdf", "0" * 64, 1, 10 + i) for i in range(len(body))]
    return RawTable(
        "expenditure_summary", "支出总表", "", "万元", "", [], body, origins, [], origin
    )


BODIES = [
    [["1.一般公共预", None, None], ["算", "12.00", "3.00"], ["2.其他", "5.00", ""]],
    [["一般公共服务", None], ["", "12.00"], ["", "13.00"], ["行政运行", None], ["", "1.00"]],
    [["", "12.00"], ["人员经费", COVERED_ABOVE], ["公用经费", "3.00"]],
    [["类", "款"], ["201", "12.00"], ["20101", ""], ["", "1.00"]],
    [["工资", "", None], ["福利", "1.00", "2.00"], ["", "3.00", COVERED_LEFT]],
]


@pytest.mark.parametrize("body", BODIES)
def test_rows_joined_one_after_another_are_those_joined_afresh(body):
    registry = load_registry()
    once, afresh = _table([list(r) for r in body]), _table([list(r) for r in body])
    row_repairs.join_split_rows(once, registry)
    _join_split_rows_afresh(afresh, registry)
    assert (once.body, once.body_origins) == (afresh.body, afresh.body_origins)
