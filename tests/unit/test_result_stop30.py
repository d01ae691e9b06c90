"""The result stage's shortcuts of stop 30 (issue 14) give the answers of the code before
them: the code before each change is kept here as the oracle and run on real fixture
publications (a text publication with performance tables and budget units, a 上海 and a
江苏 PDF) and on edge cases.

* a row's cell texts in one comprehension (``texts_of``, ``printed_texts``,
  ``as_printed_row``), not a call per cell;
* ``column_map``'s nearest rule without a call per pair;
* ``check_two_sides`` asking the side of the printed totals only;
* a measure's header rejected by one alternation of every header pattern;
* a performance table's unit cell remembered, its fund labels rejected at once;
* ``clean_cell`` its own memo;
* a table's unit, code and label columns found once for ``_unit_named``;
* a touched row's key made once (``touched_rows``).
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from tests.unit.fixture_publications import CORPUS, fixture_document
from yusuan.checks import table_rules
from yusuan.checks.engine import CheckRun, touched_rows
from yusuan.checks.select import row_side
from yusuan.core.model import (
    COVERED_ABOVE,
    COVERED_LEFT,
    Grid,
    RawTable,
)
from yusuan.core.numbers import (
    clean_cell,
    find_unit,
    looks_like_amount,
    nfkc,
    parse_amount,
    to_yuan,
)
from yusuan.core.schemas import HEADER_NOISE, load_registry, normalize_label
from yusuan.core.vocabulary import word
from yusuan.extract import document_to_blocks
from yusuan.interpret import normalize, performance
from yusuan.interpret.budget_units import organisation_key
from yusuan.layout.cells import (
    CODE,
    MARKERS,
    as_printed,
    as_printed_row,
    indexed_texts,
    printed_texts,
    text_of,
    texts_of,
)
from yusuan.layout.columns import column_map
from yusuan.layout.tables import read_tables, text_grids_to_lines
from yusuan.package.process import extracted_to_result

PUBLICATIONS = [
    "00_fj-quanzhou-12345-2026-dwys",  # performance tables, budget units named in a column
    "12_sh-putuo-wanli-2024-bmys",  # 类 | 款 | 项 columns, several amount columns to a row
    "02_js-renda-2018-bmys",  # 收入 | 支出 sides beside each other
]
REGISTRY = load_registry()
EDGE_CELLS = [
    None,
    "",
    " ",
    "\n",
    COVERED_LEFT,
    COVERED_ABOVE,
    "a",
    " a ",
    "a\nb",
    " 一、 \n 支出 ",
    "1,234.50",
    "—",
    "\t",
]


@pytest.fixture(scope="module")
def read() -> dict[str, Any]:
    """Each publication's blocks (grids as read) and its result."""
    out = {}
    for folder in PUBLICATIONS:
        extracted = document_to_blocks(fixture_document(folder))
        grids = [b for b in extracted.blocks if isinstance(b, Grid)]
        blocks = text_grids_to_lines(list(extracted.blocks), REGISTRY)
        tables = read_tables(blocks, REGISTRY)[0]
        out[folder] = {
            "grids": grids,
            "tables": tables,
            "result": extracted_to_result(extracted, REGISTRY),
        }
    return out


def _rows_of(read: dict[str, Any]) -> list[list[Any]]:
    rows = [row for pub in read.values() for grid in pub["grids"] for row in grid.rows]
    rows += [
        row for pub in read.values() for table in pub["tables"] for row in table.header + table.body
    ]
    return rows + [EDGE_CELLS, list(reversed(EDGE_CELLS)), []]


# -- a row's cell texts ----------------------------------------------------------------------
def test_the_row_helpers_read_each_cell_as_the_cell_helpers(read):
    rows = _rows_of(read)
    assert sum(len(r) for r in rows) > 5000
    for row in rows:
        assert texts_of(row) == [text_of(c) for c in row], row
        assert printed_texts(row) == [text_of(c) for c in row if text_of(c)], row
        assert indexed_texts(row) == [(j, text_of(c)) for j, c in enumerate(row) if text_of(c)], row
        assert as_printed_row(row) == [as_printed(c) for c in row], row
        assert [(j, c) for j, c in enumerate(row) if c and c not in MARKERS] == [
            (j, text_of(c)) for j, c in enumerate(row) if text_of(c)
        ]


def test_the_row_helpers_keep_the_markers_and_none_as_before():
    assert as_printed_row([None, COVERED_LEFT, COVERED_ABOVE, " x\n y "]) == [
        None,
        COVERED_LEFT,
        COVERED_ABOVE,
        "xy",
    ]
    assert texts_of([None, COVERED_LEFT, COVERED_ABOVE, "", " x "]) == ["", "", "", "", " x "]
    assert printed_texts([None, COVERED_LEFT, "", " ", "x"]) == [" ", "x"]
    assert indexed_texts([None, COVERED_LEFT, "", " ", "x"]) == [(3, " "), (4, "x")]


# -- column_map -------------------------------------------------------------------------------
def _column_map_before(bounds, target):
    if len(bounds) != len(target):
        return column_map(bounds, target)  # the other branch is unchanged
    mapping = []
    for x0, _x1 in bounds:
        nearest = min(range(len(target)), key=lambda k: abs(target[k][0] - x0), default=None)
        if nearest is None:
            return None
        t0, t1 = target[nearest]
        if abs(t0 - x0) > max(3.0, 0.5 * (t1 - t0)) and not t0 - 3 <= x0 < t1:
            return None
        mapping.append(nearest)
    return mapping


def test_column_map_finds_the_nearest_rule_as_before():
    rng = random.Random(30)
    for _ in range(20_000):
        n = rng.randint(0, 7)
        lefts = sorted(
            rng.choice([rng.uniform(0, 600), float(rng.randint(0, 12) * 50)]) for _ in range(n)
        )
        target = [(x, x + rng.choice([2.0, 30.0, 50.0, 80.0])) for x in lefts]
        shift = rng.choice([0.0, 1.5, 3.0, 25.0, -25.0, rng.uniform(-60, 60)])
        bounds = [(x + shift + rng.choice([0.0, 0.5, -0.5]), x + 40) for x in lefts]
        if rng.random() < 0.2 and bounds:  # ties: a column midway between two rules
            bounds[0] = ((target[0][0] + target[-1][0]) / 2, 0.0)
        assert column_map(bounds, target) == _column_map_before(bounds, target), (bounds, target)


# -- check_two_sides --------------------------------------------------------------------------
def _two_sides_before(run: CheckRun, rows: list[dict]) -> None:
    totals = {
        side: sorted(
            (
                r
                for r in rows
                if row_side(r) == side and r["row_role"] == "total" and r["amount"] is not None
            ),
            key=lambda r: (r["measure"] == "total", r["row_number"]),
        )
        for side in ("revenue", "expenditure")
    }
    if totals["revenue"] and totals["expenditure"]:
        run.compare(
            "revenue_equals_expenditure",
            totals["revenue"][-1],
            [totals["expenditure"][-1]],
            "total revenue = total expenditure",
            structural=False,
        )


def _by_table(amounts: list[dict]) -> dict[int, list[dict]]:
    tables: dict[int, list[dict]] = {}
    for row in amounts:
        tables.setdefault(row["table_sequence"], []).append(row)
    return tables


def test_check_two_sides_compares_the_same_totals(read):
    compared = 0
    for pub in read.values():
        for rows in _by_table(pub["result"].resources["amounts"]).values():
            got, expected = CheckRun("d"), CheckRun("d")
            table_rules.check_two_sides(got, rows)
            _two_sides_before(expected, rows)
            assert got._entries == expected._entries
            compared += len(got._entries)
    assert compared >= 4


def test_check_two_sides_on_edge_rows():
    def row(number, name, side="", role="total", amount="1", measure="total"):
        value = parse_amount(amount)
        return {
            "table_sequence": 1,
            "row_number": number,
            "item_name": name,
            "side": side,
            "row_role": role,
            "measure": measure,
            "amount": value,
            "amount_yuan": None if value is None else to_yuan(value, "元"),
            "unit_printed": "元",
            "value_printed": amount,
            "table_id": "t",
            "column_header": "",
        }

    cases = [
        [row(1, "收入总计"), row(2, "支出总计")],
        [row(1, "收入总计", amount="2"), row(2, "支出总计")],
        [row(1, "收入总计", amount=""), row(2, "支出总计")],
        [row(1, "收入支出总计"), row(2, "支出总计", role="item")],
        [
            row(3, "x", side="revenue"),
            row(1, "y", side="revenue", measure="other"),
            row(2, "z", side="expenditure"),
        ],
        [],
    ]
    for rows in cases:
        got, expected = CheckRun("d"), CheckRun("d")
        table_rules.check_two_sides(got, rows)
        _two_sides_before(expected, rows)
        assert got._entries == expected._entries


# -- a measure's header -----------------------------------------------------------------------
def _measure_before(registry, header: str):
    text = HEADER_NOISE.sub("", normalize_label(header))
    return next((m for m in registry.measures if any(p.fullmatch(text) for p in m.headers)), None)


def test_a_measure_is_found_as_by_scanning_every_pattern(read):
    registry = load_registry.__wrapped__()  # a registry of its own: nothing remembered yet
    assert registry._any_measure is not None  # the alternation is asked, not skipped
    texts = {text_of(c) for row in _rows_of(read) for c in row}
    texts |= {
        part
        for pub in read.values()
        for t in pub["tables"]
        for row in t.header
        for c in row
        for part in text_of(c).split(" / ")
    }
    texts |= {
        "",
        " ",
        "合计",
        "本年支出合计",
        "一般公共预算财政拨款",
        "基本支出",
        "项目支出",
        "（单位：万元）",
        "2024年预算数",
    }
    found = 0
    for text in sorted(texts):
        expected = _measure_before(registry, text)
        assert registry.measure(text) is expected, text
        found += expected is not None
    assert found > 20


# -- performance tables -----------------------------------------------------------------------
def _unit_before(rows: list[list[str]]) -> str:
    return next(
        (
            u
            for r in rows
            for u in map(
                find_unit,
                [normalize_label(c).replace("(", word("unit_label")).replace(")", "") for c in r],
            )
            if u
        ),
        "",
    )


def _read_funds_before(norm: list[str], unit: str, project: dict) -> None:
    for index, cell in enumerate(norm):
        key = cell.rstrip(":：")
        for label, field in performance.FUNDS.items():
            if key.endswith(label) and index + 1 < len(norm) and looks_like_amount(norm[index + 1]):
                amount = parse_amount(norm[index + 1])
                if amount is not None and unit in performance.UNIT_MULTIPLIERS:
                    project[field] = to_yuan(amount, unit)


def _performance_tables(read) -> list[RawTable]:
    specs = [(t, REGISTRY.by_id.get(t.table_id)) for pub in read.values() for t in pub["tables"]]
    return [t for t, spec in specs if spec is not None and spec.kind == "performance_target"]


def test_a_performance_tables_unit_and_funds_as_before(read):
    tables = _performance_tables(read)
    assert tables
    labels = list(performance.FUNDS)
    extra = [
        [""],
        [f"{labels[0]}（万元）", "12.5"],
        [f"{labels[0]}:", "1,000"],
        [labels[-1], "x"],
        ["金额单位：元", labels[0], "3"],
        [labels[0]],
    ]
    for table in tables:
        rows = [texts_of(r) for r in table.header + table.body]
        for cut in range(
            len(rows) + 1
        ):  # the unit found in the first row that declares one, or none
            got = next(
                filter(None, map(performance._cell_unit, (c for r in rows[cut:] for c in r))), ""
            )
            assert got == _unit_before(rows[cut:])
        for cells in rows + extra:
            norm = [normalize_label(c) for c in cells]
            for unit in ("万元", "元", ""):
                got, expected = {}, {}
                performance._read_funds(norm, unit, got)
                _read_funds_before(norm, unit, expected)
                assert got == expected


# -- clean_cell -------------------------------------------------------------------------------
def test_clean_cell_is_its_formula():
    for text in [*EDGE_CELLS, "１２３", "（一）　支出", "a\u3000b\u00a0c", "，；：", "ｶﾞ"]:
        expected = "" if text is None else "".join(nfkc(text).split())
        assert clean_cell(text) == expected
        assert clean_cell(text) == expected  # asked again: the memo's answer
    assert clean_cell.__wrapped__(None) == ""


# -- _unit_named ------------------------------------------------------------------------------
def _unit_named_before(cells, columns, organisations, registry) -> str:
    if any(c.role == "code" and CODE.match(clean_cell(cells[c.index - 1])) for c in columns):
        return ""
    for column in columns:
        text = cells[column.index - 1].strip()
        if column.unit_column and text:
            return (
                text
                if registry.row_role(normalize.split_label(text, registry)[0]) == "item"
                else ""
            )
    keys = {organisation_key(o) for o in organisations if o}
    labels = [
        cells[c.index - 1] for c in columns if c.role == "label" and cells[c.index - 1].strip()
    ]
    return labels[0].strip() if len(labels) == 1 and organisation_key(labels[0]) in keys else ""


def test_the_unit_a_row_names_as_before(read):
    asked = named = 0
    for folder, pub in read.items():
        issuer = json.loads((CORPUS / folder / "source.json").read_text(encoding="utf-8"))["issuer"]
        for table in pub["tables"]:
            if (
                REGISTRY.by_id.get(table.table_id) is None
                or REGISTRY.by_id[table.table_id].kind != "amounts"
            ):
                continue
            columns = normalize.classify_columns(table, REGISTRY)
            for organisations in ({table.compiled_by, issuer}, {"", issuer}, {table.compiled_by}):
                where = normalize.UnitColumns.of(columns, organisations)
                for row in table.body:
                    cells = [c or "" for c in row + [""] * (len(columns) - len(row))]
                    cells = [c if c not in MARKERS else "" for c in cells]
                    got = normalize._unit_named(cells, where, REGISTRY)
                    assert got == _unit_named_before(cells, columns, organisations, REGISTRY)
                    asked += 1
                    named += bool(got)
    assert asked > 500 and named > 0


# -- touched_rows -----------------------------------------------------------------------------
def _touched_before(document_id, check_number, entries):
    roles = {}
    for entry in entries:
        for sequence, number, role in entry.get("_touches", []):
            if roles.get((sequence, number)) in (None, "subject") or role == "total":
                roles[(sequence, number)] = role
    return [
        {
            "document_id": document_id,
            "check_number": check_number,
            "table_sequence": s,
            "row_number": n,
            "check_role": role,
        }
        for (s, n), role in roles.items()
    ]


def test_touched_rows_as_before():
    rng = random.Random(7)
    for _ in range(3000):
        entries = [
            {
                "_touches": [
                    (rng.randint(1, 2), rng.randint(1, 4), rng.choice(["total", "part", "subject"]))
                    for _ in range(rng.randint(0, 5))
                ]
            }
            if rng.random() < 0.9
            else {}
            for _ in range(rng.randint(0, 4))
        ]
        assert touched_rows("d", 3, entries) == _touched_before("d", 3, entries)
