"""parent_rows walks the lines above by index and finds the summing rows in one pass: the
parents it gives are those of the rules written as scans of copied lists (kept here as the
reference), on the amount rows of real packages and on generated streams that mix totals,
subtotals, enumerated, coded, 其中 and heading rows."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from yusuan.interpret.hierarchy import (
    CODE_PARENTS,
    FUND_PART,
    FUND_WHOLE,
    Line,
    parent_rows,
    stream_key,
)

HEADING = "经济科目"  # a heading attribute (schemas/columns.yaml heading_attributes)


def reference_parent_rows(lines):
    parents = {}
    for i, line in enumerate(lines):
        if line.role == "total":
            continue
        above = lines[:i]
        parent = reference_structural_parent(line, above) if line.role == "item" else None
        if parent is None:
            parent = reference_summing_row(line, i, lines)
        if parent is not None:
            parents[line.number] = parent.number
    return parents


def reference_structural_parent(line, above):
    if line.of_which:
        return next((a for a in reversed(above) if not a.of_which and a.role != "total"), None)
    if line.code:
        for length in CODE_PARENTS.get(len(line.code), ()):
            parent = next((a for a in reversed(above) if a.code == line.code[:length]), None)
            if parent is not None:
                return parent
    if line.level:
        for k in range(len(above) - 1, -1, -1):
            a = above[k]
            if a.role != "item":
                break
            if a.level and a.level < line.level and not a.of_which:
                return a
            if all(b.level == line.level and not b.of_which for b in above[k + 1 :]) and reference_heads_an_enumeration(a, above[:k]):
                return a
        return None
    if line.fund == FUND_PART and not line.attributes:
        for a in reversed(above):
            if a.role != "item" or a.of_which or a.code:
                return None
            if a.fund == FUND_WHOLE:
                return a
            if a.fund != FUND_PART or a.level or a.attributes:
                return None
        return None
    if line.attributes:
        for a in reversed(above):
            if a.role != "item" or a.code:
                return None
            if a.level:
                return a if line.heads or not any(b.heads for b in above) else None
            if a.heads and not line.heads:
                return a
        return None
    return None


def reference_heads_an_enumeration(a, above):
    if a.level or a.code or a.of_which or a.attributes:
        return False
    for b in reversed(above):
        if b.role != "item":
            return not b.level
        if b.level:
            return False
    return True


def reference_summing_row(line, index, lines):
    for below in lines[index + 1 :]:
        if below.role == "total" or (below.role == "subtotal" and line.role == "item"):
            return below
    return next((a for a in reversed(lines[:index]) if a.role == "total"), None)


@pytest.mark.parametrize("document_id", ["fj-quanzhou-12345-2026-dwys", "js-renda-2019-bmys", "js-shengweiban-2018-bmys"])
def test_real_streams(processed, document_id):
    streams = defaultdict(dict)
    for row in processed[document_id].resources["amounts"]:
        streams[stream_key(row)].setdefault(row["row_number"], Line.of(row))
    assert streams
    for lines in streams.values():
        lines = list(lines.values())
        assert parent_rows(lines) == reference_parent_rows(lines)


def generated_stream(rng: random.Random) -> list[Line]:
    lines = []
    for number in range(1, rng.randint(1, 40)):
        role = rng.choice(["item"] * 6 + ["total", "subtotal"])
        code = rng.choice(["", "", "201", "20101", "2010101", "20102", "202", "2020101"])
        attributes = rng.choice([(), (), (HEADING,), ("采购组织形式",), (HEADING, "采购组织形式")])
        fund = rng.choice([0, 0, 0, FUND_WHOLE, FUND_PART, FUND_PART])
        lines.append(Line(number, role, rng.choice([0, 0, 1, 2, 3]), rng.random() < 0.15, code, attributes, fund))
    return lines


def test_generated_streams():
    rng = random.Random(23)
    found = 0
    for _ in range(5000):
        lines = generated_stream(rng)
        parents = parent_rows(lines)
        assert parents == reference_parent_rows(lines)
        found += len(parents)
    assert found > 10000


def test_long_streams_of_attribute_rows():
    """Rows under heading rows, few rows ending the walk up (the walk of _heading_above is
    found by index): the parents of the reference scans."""
    rng = random.Random(14)
    for _ in range(20):
        lines = []
        for number in range(1, 400):
            role = "subtotal" if rng.random() < 0.01 else "item"
            level = rng.choice([1, 2]) if rng.random() < 0.02 else 0
            code = "201" if rng.random() < 0.01 else ""
            attributes = rng.choice([(HEADING,), ("采购组织形式",), ("采购组织形式",), (HEADING, "采购组织形式")])
            lines.append(Line(number, role, level, rng.random() < 0.05, code, attributes))
        assert parent_rows(lines) == reference_parent_rows(lines)
