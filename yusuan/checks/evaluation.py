"""Compare extracted amounts with a golden file typed from the document.

A golden file (tests/golden/<document_id>/amounts.csv) lists every printed amount with
its table, row code, row label, leaf column header and value as printed. Matching is a
multiset match on (table, code, label, column, value), labels and headers compared in
normalised form, so cell-level precision and recall can be reported per table.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from yusuan.core.numbers import parse_amount
from yusuan.core.schemas import load_registry, normalize_label

Key = tuple[str, str, str, str, Decimal]


@dataclass
class Score:
    expected: int
    extracted: int
    matched: int
    missing: list[Key]
    unexpected: list[Key]

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0


def leaf_header(column_header: str) -> str:
    grouping = load_registry().grouping_words
    parts = [normalize_label(p) for p in column_header.split(" / ")]
    parts = [p for p in parts if p and p not in grouping]
    return parts[-1] if parts else ""


def golden_keys(path: Path) -> list[Key]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (r["table_id"], r["row_code"].strip(), normalize_label(r["row_name"]), normalize_label(r["column"]), parse_amount(r["value"]))  # type: ignore[misc]
            for r in csv.DictReader(handle)
        ]


def printed_code(amount: dict[str, Any]) -> str:
    """The code as printed: goldens are typed from the page, so an inferred code is ''."""
    return "" if amount.get("subject_code_source") == "inferred_from_name" else amount["subject_code"]


def extracted_keys(amounts: list[dict[str, Any]], tables: set[str]) -> list[Key]:
    return [
        (a["table_id"], printed_code(a), normalize_label(a["item_name_printed"]), leaf_header(a["column_header"]), a["amount"])
        for a in amounts
        if a["amount"] is not None and a["table_id"] in tables
    ]


def score(golden: list[Key], extracted: list[Key]) -> Score:
    expected, found = Counter(golden), Counter(extracted)
    matched = expected & found
    return Score(
        expected=sum(expected.values()),
        extracted=sum(found.values()),
        matched=sum(matched.values()),
        missing=sorted((expected - found).elements()),
        unexpected=sorted((found - expected).elements()),
    )
