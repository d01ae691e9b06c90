"""The result stage's shortcuts of stop 31 (issue 14) give the answers of the code before
them: the code before each change is kept here as the oracle and run on real fixture
publications and on edge cases.

* a printed amount and its yuan remembered by the printed text (``_printed_amount``);
* a row's attributes read from the table's attribute columns, found once per table;
* the codes of other classifications looked at only when a row prints some;
* ``check_enumerated_items`` finding the children's level once per parent;
* a selector that prefers a row role filtering the rows of that role only.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from tests.unit.fixture_publications import fixture_document
from yusuan.checks import table_rules
from yusuan.checks.engine import CheckRun, Term, combine
from yusuan.checks.select import Found, Tables, _as_list, _prefer, row_side
from yusuan.core.model import COVERED_ABOVE, COVERED_LEFT
from yusuan.core.numbers import UNIT_MULTIPLIERS, parse_amount, to_yuan
from yusuan.core.schemas import check_rules, load_registry, normalize_label
from yusuan.extract import document_to_blocks
from yusuan.interpret import normalize
from yusuan.interpret.dimensions import classify_dimension_columns
from yusuan.layout.tables import read_tables, text_grids_to_lines
from yusuan.package.process import extracted_to_result

PUBLICATIONS = [
    "00_fj-quanzhou-12345-2026-dwys",  # performance tables, budget units named in a column
    "12_sh-putuo-wanli-2024-bmys",  # 类 | 款 | 项 columns, several amount columns to a row
    "02_js-renda-2018-bmys",  # 收入 | 支出 sides beside each other
]
REGISTRY = load_registry()
EDGE_AMOUNTS = [
    "", " ", "-", "—", "0", "0.00", "-0", "-0.00", "(0)", "(1.50)", "+3", "1,234.50", "１２３．４５",
    "12.5%", "abc", "1.2.3", "12\n34", "-1,000", "0.005", "99999999999.99",
]


@pytest.fixture(scope="module")
def read() -> dict[str, Any]:
    """Each publication's tables as read and its result."""
    out = {}
    for folder in PUBLICATIONS:
        document = fixture_document(folder)
        extracted = document_to_blocks(document)
        blocks = text_grids_to_lines(list(extracted.blocks), REGISTRY)
        out[folder] = {
            "document": document,
            "tables": read_tables(blocks, REGISTRY)[0],
            "result": extracted_to_result(extracted, REGISTRY),
        }
    return out


# -- a printed amount ------------------------------------------------------------------------
def _amount_before(printed: str, unit: str) -> tuple[Decimal | None, Decimal | None, bool] | str:
    try:
        amount = parse_amount(printed)
    except ValueError:
        return "error"
    yuan = to_yuan(amount, unit) if amount is not None and unit in UNIT_MULTIPLIERS else None
    return amount, yuan, amount is None


def _amount_now(printed: str, unit: str) -> tuple[Decimal | None, Decimal | None, bool] | str:
    findings: list = []
    table = SimpleNamespace(table_id="t", sequence=1)
    column = SimpleNamespace(header="h")
    origin = SimpleNamespace(page=1, file="f")
    got = normalize._amount(printed, unit, table, column, origin, findings)
    if findings:
        assert got == (None, None, False) and len(findings) == 1
        assert findings[0].check_id == "amount_cells_numeric"
        return "error"
    return got


def _same(one: Any, other: Any) -> bool:
    """Equal, and Decimals of the same digits, exponent and sign (as written out)."""
    if isinstance(one, tuple):
        return len(one) == len(other) and all(_same(a, b) for a, b in zip(one, other, strict=True))
    return one == other and str(one) == str(other)


def test_a_printed_amount_is_read_as_before(read):
    cells = [
        (row["value_printed"], row["unit_printed"])
        for pub in read.values()
        for row in pub["result"].resources["amounts"]
    ]
    assert len(cells) > 1000
    units = [*UNIT_MULTIPLIERS, "", "个", None]
    cells += [(text, unit) for text in EDGE_AMOUNTS for unit in units]
    for _ in range(2):  # the second time from the memo
        for printed, unit in cells:
            assert _same(_amount_now(printed, unit), _amount_before(printed, unit)), (printed, unit)


def test_zeros_and_negatives_keep_their_digits_and_sign():
    for unit in [*UNIT_MULTIPLIERS, ""]:
        for printed in ("0", "0.00", "-0", "-0.00", "(0)", "-1.5", "(1.5)"):
            assert _same(_amount_now(printed, unit), _amount_before(printed, unit))


def test_a_cell_that_is_no_number_is_a_finding_every_time():
    for _ in range(3):
        assert _amount_now("abc", "元") == "error"


# -- a row's attributes and other codes ------------------------------------------------------
def _attributes_before(columns, printed_cells: list[str]) -> str:
    return "; ".join(
        f"{c.header}: {printed_cells[c.index - 1]}"
        for c in columns
        if c.role in ("attribute", "fallback_label") and printed_cells[c.index - 1]
    )


def test_a_rows_attributes_are_read_as_before(read):
    compared = with_attributes = 0
    for pub in read.values():
        document = pub["document"]
        for table in pub["tables"]:
            columns = normalize.classify_columns(table, REGISTRY, document.fiscal_year)
            spec = REGISTRY.by_id.get(table.table_id)
            classify_dimension_columns(
                columns, table.body, REGISTRY, spec.classification if spec else "none"
            )
            attribute_columns = normalize._attribute_columns(columns)
            for cells in [*table.body, ["x"] * len(columns), [""] * len(columns)]:
                printed = [
                    c or "" for c in (cells + [""] * (len(columns) - len(cells)))[: len(columns)]
                ]
                got = "; ".join(
                    [f"{header}: {printed[j]}" for header, j in attribute_columns if printed[j]]
                )
                assert got == _attributes_before(columns, printed)
                compared += 1
                with_attributes += bool(got)
    assert compared > 500 and with_attributes > 0


def _other_codes_before(row, codes, registry, code_classes):
    for own, field_name in normalize.CODE_FIELDS.items():
        other = codes.get(own, "")
        if not row[field_name] and other and normalize._code_class(other, registry, code_classes) == own:
            row[field_name] = other


def test_other_codes_are_added_as_before():
    rng = random.Random(31)
    codes_seen = ["", "201", "20101", "2010101", "301", "30101", "501", "50101", "1", "2"]
    fields = list(normalize.CODE_FIELDS.values())
    for _ in range(2000):
        row = {f: rng.choice([None, "", "201", "301"]) for f in fields}
        codes = {c: rng.choice(codes_seen) for c in rng.sample(list(normalize.CODE_FIELDS), rng.randint(0, 3))}
        got, expected = dict(row), dict(row)
        if codes:
            normalize._add_other_codes(got, codes, REGISTRY, {})
        _other_codes_before(expected, codes, REGISTRY, {})
        assert got == expected


# -- enumerated items --------------------------------------------------------------------------
def _enumerated_before(run: CheckRun, rows: list[dict]) -> None:
    """check_enumerated_items as it was before stop 31 (the children's level found again
    for every row after the parent)."""
    for column in table_rules._label_groups(rows).values():
        items = [r for r in column if r["item_level"] and not r["is_of_which"]]
        if not items:
            continue
        top_level = min(r["item_level"] for r in items)
        for index, parent in enumerate(column):
            if parent["item_level"] != top_level or parent["is_of_which"]:
                continue
            children = []
            for row in column[index + 1 :]:
                if row["is_of_which"]:
                    continue
                if row["item_level"] <= top_level:
                    break
                if not row["is_of_which"] and row["item_level"] == min(
                    r["item_level"] for r in column[index + 1 :] if r["item_level"] > top_level
                ):
                    children.append(row)
            if children:
                run.compare("enumerated_children_sum_to_parent", parent, children, f"{parent['item_name']} = Σ its sub-items")
        first_sum = next((r for r in column if r["row_role"] in ("subtotal", "total")), None)
        if first_sum is None:
            continue
        tops = [r for r in column if r["item_level"] == top_level and not r["is_of_which"] and r["row_number"] < first_sum["row_number"]]
        if not tops:
            after = [r for r in column if r["row_number"] > first_sum["row_number"]]
            if first_sum["item_level"]:  # stop 33's rule (an enumerated sum above its parts), not a refactor
                tops = table_rules._parts_below(first_sum, after)
            else:
                end = next((r["row_number"] for r in after if r["row_role"] != "item"), None)
                tops = [r for r in after if r["item_level"] == top_level and not r["is_of_which"] and (end is None or r["row_number"] < end)]
        if tops or not first_sum["item_level"]:
            run.compare("total_equals_top_level_rows", first_sum, tops, f"{first_sum['item_name']} = Σ top-level items")
        if first_sum["row_role"] == "subtotal":
            total = next((r for r in column if r["row_role"] == "total" and r["row_number"] > first_sum["row_number"]), None)
            if total is not None:
                between = [r for r in column if first_sum["row_number"] < r["row_number"] < total["row_number"] and r["row_role"] == "item" and not r["is_of_which"]]
                if between:
                    outer = first_sum["item_level"] or min(r["item_level"] for r in between)
                    between = [r for r in between if r["item_level"] == outer]
                run.compare("total_equals_subtotal_plus_balances", total, [first_sum, *between], f"{total['item_name']} = {first_sum['item_name']} + the rows between")


def _by_table(amounts: list[dict]) -> dict[int, list[dict]]:
    tables: dict[int, list[dict]] = {}
    for row in amounts:
        tables.setdefault(row["table_sequence"], []).append(row)
    return tables


def test_enumerated_items_are_compared_as_before(read):
    compared = 0
    for pub in read.values():
        for rows in _by_table(pub["result"].resources["amounts"]).values():
            got, expected = CheckRun("d"), CheckRun("d")
            table_rules.check_enumerated_items(got, rows)
            _enumerated_before(expected, rows)
            assert got._entries == expected._entries
            compared += len(got._entries)
    assert compared >= 5


def _random_row(rng: random.Random, number: int) -> dict:
    amount = rng.choice(["", "1.00", "2.00", "3.50", "0"])
    value = parse_amount(amount)
    code = rng.choice(["", "", "", "201"])
    return {
        "table_sequence": 1, "table_id": "t", "row_number": number, "column_number": rng.choice([2, 3]),
        "item_name": f"r{number}", "item_name_printed": f"r{number}", "subject_code": code, "subject_level": "class" if code else "",
        "subject_code_source": rng.choice(["", "inferred_from_name"]), "item_level": rng.choice([0, 1, 1, 2, 2, 3]),
        "is_of_which": rng.random() < 0.15, "row_role": rng.choice(["item", "item", "item", "subtotal", "total"]),
        "amount": value, "amount_yuan": None if value is None else to_yuan(value, "元"), "unit_printed": "元",
        "value_printed": amount, "measure": "total", "column_header": "h", "file_name": "f", "page": 1,
    }


def test_enumerated_items_on_random_columns():
    rng = random.Random(3100)
    compared = 0
    for _ in range(400):
        rows = [_random_row(rng, n) for n in rng.sample(range(1, 40), rng.randint(0, 25))]
        got, expected = CheckRun("d"), CheckRun("d")
        table_rules.check_enumerated_items(got, rows)
        _enumerated_before(expected, rows)
        assert got._entries == expected._entries
        compared += len(got._entries)
    assert compared > 200


def test_the_markers_are_no_amounts():
    for marker in (COVERED_ABOVE, COVERED_LEFT):
        assert _amount_now(marker, "元") == _amount_before(marker, "元")


# -- a selector's cells ------------------------------------------------------------------------
def _in_table_before(tables: Tables, rows: list[dict], spec: dict) -> Found | None:
    """Tables._in_table as it was before stop 31 (every row filtered, then a role preferred)."""
    side = spec.get("side")
    codes = {str(c) for c in _as_list(spec.get("code"))}
    levels = set(_as_list(spec.get("subject_level")))
    groups = set(_as_list(spec.get("column_group")))
    row_measures = set(_as_list(spec.get("row_measure")))
    label = re.compile(spec["label"]) if spec.get("label") else None
    candidates = [
        r for r in rows
        if (not side or row_side(r) == side)
        and (label is None or label.search(normalize_label(r["item_name"])))
        and (not codes or r["subject_code"] in codes)
        and (not levels or r["subject_level"] in levels)
        and (not groups or r["column_group"] in groups)
        and (not row_measures or tables.row_measure(r) in row_measures)
        and (spec.get("of_which", False) or not r["is_of_which"])
    ]
    candidates = _prefer(candidates, "row_role", _as_list(spec.get("row_role")))
    if spec.get("sum") == "measures":  # stop 33's selector (a group's columns summed), not a refactor
        chosen = [r for m in _as_list(spec.get("measure")) for r in [next((c for c in candidates if c["measure"] == m and c["amount"] is not None), None)] if r is not None]
        return Found(chosen, combine([t for t in (Term.of(r) for r in chosen) if t is not None])) if chosen else None
    candidates = _prefer(candidates, "measure", _as_list(spec.get("measure")))
    printed = [r for r in candidates if r["amount"] is not None]
    if not printed:
        return None
    chosen = printed if spec.get("sum") else [printed[0]]
    terms = [t for t in (Term.of(r) for r in chosen) if t is not None]
    return Found(chosen, combine(terms))


def _specs(rng: random.Random) -> list[dict]:
    """Every selector of schemas/checks.yaml and random ones (roles in any order, sums)."""
    specs: list[dict] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "table" in value and isinstance(value["table"], str | list):
                specs.append(value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(check_rules())
    roles, measures = ["total", "subtotal", "item", "unlabelled", "nothing"], ["total", "basic_expenditure", "project_expenditure", "gpb_appropriation"]
    for _ in range(300):
        spec: dict[str, Any] = {}
        if rng.random() < 0.7:
            spec["row_role"] = rng.sample(roles, rng.randint(1, 3))
        if rng.random() < 0.5:
            spec["measure"] = rng.sample(measures, rng.randint(1, 2))
        if rng.random() < 0.4:
            spec["side"] = rng.choice(["revenue", "expenditure"])
        if rng.random() < 0.2:
            spec["of_which"] = True
        if rng.random() < 0.2:
            spec["sum"] = True
        if rng.random() < 0.1:
            spec["label"] = rng.choice(["合计", "支出", "收入"])
        specs.append(spec)
    return specs


def _same_found(one: Found | None, other: Found | None) -> bool:
    if one is None or other is None:
        return one is other
    return len(one.rows) == len(other.rows) and all(a is b for a, b in zip(one.rows, other.rows, strict=True)) and one.term == other.term


def test_a_selector_finds_the_cells_it_found_before(read):
    rng = random.Random(31)
    specs = _specs(rng)
    assert len(specs) > 320
    found = 0
    for pub in read.values():
        tables = Tables(pub["result"].resources["amounts"], REGISTRY)
        for sequence, rows in tables.by_sequence.items():
            for spec in specs:
                got = tables._in_table(rows, spec)
                assert _same_found(got, _in_table_before(tables, rows, spec)), (sequence, spec)
                found += got is not None
    assert found > 100


# -- covered cells -----------------------------------------------------------------------------
def _resolve_before(cells, above, columns):
    resolved = []
    for j, cell in enumerate(cells):
        if cell == COVERED_ABOVE and columns[j].role in ("label", "code", "fallback_label"):
            resolved.append(above[j])
        else:
            resolved.append(None if cell in (COVERED_ABOVE, COVERED_LEFT) else cell)
    return resolved


def test_covered_cells_are_resolved_as_before(read):
    rng = random.Random(310)
    compared = covered = 0
    for pub in read.values():
        for table in pub["tables"]:
            columns = normalize.classify_columns(table, REGISTRY, pub["document"].fiscal_year)
            above: list = [None] * len(columns)
            bodies = [*table.body]
            bodies += [
                [rng.choice([COVERED_ABOVE, COVERED_LEFT, "", None, "x", "1.00"]) for _ in columns]
                for _ in range(5)
            ]
            for raw in bodies:
                cells = (raw + [""] * (len(columns) - len(raw)))[: len(columns)]
                got = normalize.resolve_covered(cells, above, columns)
                assert got == _resolve_before(cells, above, columns)
                assert got is not cells
                covered += COVERED_ABOVE in cells or COVERED_LEFT in cells
                above = got
                compared += 1
    assert compared > 500 and covered > 50


# -- a total's parts ---------------------------------------------------------------------------
def _parts_before(components, by_measure, registry):
    parts = []
    for component in components:
        if component in by_measure:
            parts.append(by_measure[component])
            continue
        measure = registry.measure_by_id(component)
        if measure is not None and measure.components:
            parts += [by_measure[c] for c in measure.components if c in by_measure]
    return parts


def test_a_totals_parts_are_found_as_before(read):
    rng = random.Random(31)
    measures = [m for m in REGISTRY.measures if m.components]
    ids = [m.id for m in REGISTRY.measures] + ["unknown"]
    rows_by_measure: list[dict] = []
    for pub in read.values():
        cells: dict[tuple, dict] = {}
        for row in pub["result"].resources["amounts"]:
            cells.setdefault((row["table_sequence"], row["row_number"], row["side"], row["column_group"]), {})[row["measure"]] = row
        rows_by_measure += cells.values()
    rows_by_measure += [{m: {"measure": m} for m in rng.sample(ids, rng.randint(0, 12))} for _ in range(500)]
    compared = 0
    for measure in measures:
        expansion = table_rules._expansion(measure.components, REGISTRY)
        for by_measure in rows_by_measure:
            got = table_rules._expanded_parts(expansion, by_measure)
            expected = _parts_before(measure.components, by_measure, REGISTRY)
            assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected, strict=True))
            compared += bool(expected)
    assert compared > 500


def test_an_amount_rows_printed_cell_fields_come_last_in_order(read):
    tail = ["row_attributes", "value_printed", "unit_printed", "unit", "amount", "amount_yuan", "is_blank", "quality_flag", "file_name", "sha256", "page", "line"]
    rows = [row for pub in read.values() for row in pub["result"].resources["amounts"]]
    assert rows
    for row in rows:
        keys = list(row)
        start = keys.index("row_attributes")
        assert keys[start : start + len(tail)] == tail
        assert keys[start - 2 : start] == ["_code_names", "subject_code_source"]
