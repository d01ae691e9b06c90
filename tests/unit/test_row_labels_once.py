"""The label, codes and split label of a row's amounts are found once per row for the
amount columns that share them (issue 14, stop 26): the amounts of real publications are
those found when every amount column finds its own, as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yusuan.core.hashing import sha256_of
from yusuan.core.model import SourceDocument, SourceFile
from yusuan.interpret import normalize
from yusuan.interpret.dimensions import Column, row_dimensions
from yusuan.package.process import process_document

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
# (folder, whether amount columns share labels): 类 | 款 | 项 in columns of their own with
# several amount columns to a row (上海普陀, a budget and a final account); one amount to
# a label block, 收入 and 支出 sides beside each other (江苏)
PUBLICATIONS = [
    ("12_sh-putuo-wanli-2024-bmys", True),
    ("17_sh-putuo-shegongbu-2024-bmjs", True),
    ("02_js-renda-2018-bmys", False),
]


def _dimensions_afresh(
    cells, columns, j, _label_keys, _labels, _dimensions, classification, parts, registry
):
    """The code before stop 26: each amount column finds its own label and dimensions."""
    label_col, label = normalize._label_for(cells, columns, j, registry)
    dims = row_dimensions(cells, columns, j, label_col, label, classification, parts, registry)
    return dims, normalize.split_label(dims.label, registry)


def _amounts(folder: str) -> list[dict]:
    source = json.loads((CORPUS / folder / "source.json").read_text(encoding="utf-8"))
    [path] = (CORPUS / folder).glob("*.pdf")
    document = SourceDocument(
        folder,
        source["issuer"],
        source["region"],
        source["year"],
        source["doc_type"],
        (SourceFile(path, "full", sha256_of(path)),),
    )
    return process_document(document).resources["amounts"]


@pytest.mark.parametrize(("folder", "shares"), PUBLICATIONS)
def test_the_amounts_are_those_found_column_by_column(folder, shares, monkeypatch):
    asked: list[int] = []
    read: list[int] = []

    def counted(*args, _read=normalize.row_dimensions):
        read.append(1)
        return _read(*args)

    def asking(*args, _once=normalize._dimensions_of):
        asked.append(1)
        return _once(*args)

    monkeypatch.setattr(normalize, "row_dimensions", counted)
    monkeypatch.setattr(normalize, "_dimensions_of", asking)
    amounts = _amounts(folder)
    assert len(amounts) > 150
    assert (len(read) < len(asked)) == shares  # answers were shared between amount columns

    monkeypatch.setattr(normalize, "_dimensions_of", _dimensions_afresh)
    assert amounts == _amounts(folder)


def test_amount_columns_of_one_block_and_side_share_a_label_key():
    columns = [
        Column(index=1, role="code", path=["科目编码"]),
        Column(index=2, role="label", path=["科目名称"]),
        Column(index=3, role="amount", path=["合计"], side="expenditure"),
        Column(index=4, role="amount", path=["基本支出"], side="expenditure"),
        Column(index=5, role="label", path=["项目"]),
        Column(index=6, role="amount", path=["金额"], side="revenue"),
        Column(index=7, role="amount", path=["其中"], side="expenditure"),
    ]
    keys = [normalize._label_key(columns, c.index - 1) for c in columns if c.role == "amount"]
    assert keys == [(1, "expenditure"), (1, "expenditure"), (4, "revenue"), (4, "expenditure")]
