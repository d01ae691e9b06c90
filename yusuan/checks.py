"""Accounting checks of schemas/checks.yaml over the tidy amount rows of one document.

Every comparison is made in the unit printed for the table, with the rounding tolerance
explained in checks.yaml. A check that fails is a property of the document and is
published with the data; it never changes an amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from yusuan.schemas import Registry, check_rules

Row = dict[str, Any]


def rounding_tolerance(rows: Iterable[Row]) -> Decimal:
    """Half a unit of the last printed decimal place, once per term and once for the total."""
    rows = list(rows)
    places = max((_places(r["value_printed"]) for r in rows if r["amount"] is not None), default=0)
    return Decimal(5).scaleb(-(places + 1)) * len(rows)


def _places(printed: str) -> int:
    text = printed.replace(",", "")
    return len(text.split(".")[1]) if "." in text else 0


def _value(row: Row) -> Decimal:
    return row["amount"] if row["amount"] is not None else Decimal(0)


def _describe(row: Row) -> str:
    return " ".join(p for p in (row["subject_code"], row["item_name_printed"]) if p) or f"row {row['row_number']}"


class CheckRun:
    """Collects results for one document."""

    def __init__(self, document_id: str):
        self.document_id = document_id
        self.results: list[Row] = []
        self.rules = check_rules()

    def compare(self, check_id: str, total: Row, parts: list[Row], message: str) -> None:
        if total["amount"] is None:
            return  # the total is not printed here (blank is not zero): nothing to compare
        expected = sum((_value(p) for p in parts), Decimal(0))
        actual = _value(total)
        tolerance = Decimal(0) if self.rules[check_id]["tolerance"] == "exact" else rounding_tolerance([total, *parts])
        difference = actual - expected
        self.add(check_id, "passed" if abs(difference) <= tolerance else "failed", total, message, expected, actual, difference)

    def add(self, check_id: str, status: str, row: Row | None, message: str, expected: Any = "", actual: Any = "", difference: Any = "", *, table_id: str = "", page: int | None = None, file_name: str = "", severity: str = "") -> None:
        rule = self.rules[check_id]
        self.results.append({
            "document_id": self.document_id,
            "check_number": len(self.results) + 1,
            "check_id": check_id,
            "status": status,
            "severity": severity or rule["severity"],
            "table_id": row["table_id"] if row else table_id,
            "row": _describe(row) if row else "",
            "measure": row["measure"] if row else "",
            "expected": str(expected),
            "actual": str(actual),
            "difference": str(difference),
            "unit_printed": row["unit_printed"] if row else "",
            "message": message,
            "file_name": row["file_name"] if row else file_name,
            "page": row["page"] if row else page,
        })


def run_checks(rows: list[Row], registry: Registry, document_id: str) -> CheckRun:
    run = CheckRun(document_id)
    tables: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        tables[row["table_sequence"]].append(row)
    for table_rows in tables.values():
        check_row_totals(run, table_rows, registry)
        check_code_hierarchy(run, table_rows)
        check_enumerated_items(run, table_rows)
        check_two_sides(run, table_rows)
    if not any(r["check_id"] == "revenue_equals_expenditure" for r in run.results):
        run.add("revenue_equals_expenditure", "not_run", None, "no two-sided summary table with revenue and expenditure totals was found", table_id="revenue_expenditure_summary")
    return run


def check_row_totals(run: CheckRun, rows: list[Row], registry: Registry) -> None:
    """Within one row, total = Σ components (per side and column group)."""
    cells: dict[tuple, dict[str, Row]] = defaultdict(dict)
    for row in rows:
        cells[(row["row_number"], row["side"], row["column_group"])][row["measure"]] = row
    for by_measure in cells.values():
        for measure_id, total in by_measure.items():
            measure = registry.measure_by_id(measure_id)
            if measure is None or not measure.components:
                continue
            parts = [by_measure[c] for c in measure.components if c in by_measure]
            if len(parts) >= 2:
                names = " + ".join(p["measure"] for p in parts)
                run.compare("row_total_equals_components", total, parts, f"{measure_id} = {names}")


def _by_column(rows: list[Row]) -> dict[int, list[Row]]:
    columns: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        columns[row["column_number"]].append(row)
    return columns


def check_code_hierarchy(run: CheckRun, rows: list[Row]) -> None:
    """类 = Σ款, 款 = Σ项 for codes printed in the table; total = Σ top-level codes."""
    for column in _by_column(rows).values():
        coded = [r for r in column if r["subject_level"] and not r["is_of_which"]]
        if not coded:
            continue
        codes = {r["subject_code"] for r in coded}
        for parent in coded:
            children = [r for r in coded if _parent_code(r["subject_code"]) == parent["subject_code"]]
            if children:
                run.compare("children_sum_to_parent", parent, children, f"{parent['subject_code']} = Σ its sub-codes")
        top = [r for r in coded if not _has_ancestor(r["subject_code"], codes)]
        for total in (r for r in column if r["row_role"] == "total" and not r["subject_code"]):
            run.compare("total_equals_top_level_rows", total, top, "total = Σ top-level codes")


def _parent_code(code: str) -> str:
    return code[:-2] if len(code) in (5, 7) else ""


def _has_ancestor(code: str, codes: set[str]) -> bool:
    parent = _parent_code(code)
    while parent:
        if parent in codes:
            return True
        parent = _parent_code(parent)
    return False


def _label_groups(rows: list[Row]) -> dict[tuple, list[Row]]:
    """Rows of one amount column without codes, in order (a side/group of a summary table)."""
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["row_number"]):
        if not row["subject_code"]:
            groups[(row["column_number"],)].append(row)
    return groups


def check_enumerated_items(run: CheckRun, rows: list[Row]) -> None:
    """一、 = Σ its sub-items; before the subtotal (or total), Σ 一、二、… = subtotal;
    total = subtotal + the rows printed between them."""
    for column in _label_groups(rows).values():
        items = [r for r in column if r["item_level"] and not r["is_of_which"]]
        if not items:
            continue
        top_level = min(r["item_level"] for r in items)
        for index, parent in enumerate(column):
            if parent["item_level"] != top_level or parent["is_of_which"]:
                continue
            children = []
            for row in column[index + 1 :]:
                if row["item_level"] <= top_level:
                    break
                if not row["is_of_which"] and row["item_level"] == min(r["item_level"] for r in column[index + 1 :] if r["item_level"] > top_level):
                    children.append(row)
            if children:
                run.compare("enumerated_children_sum_to_parent", parent, children, f"{parent['item_name']} = Σ its sub-items")
        first_sum = next((r for r in column if r["row_role"] in ("subtotal", "total")), None)
        if first_sum is None:
            continue
        tops = [r for r in column if r["item_level"] == top_level and not r["is_of_which"] and r["row_number"] < first_sum["row_number"]]
        if not tops:  # the total is printed first, above its items
            after = [r for r in column if r["row_number"] > first_sum["row_number"]]
            end = next((r["row_number"] for r in after if r["row_role"] != "item"), None)
            tops = [r for r in after if r["item_level"] == top_level and not r["is_of_which"] and (end is None or r["row_number"] < end)]
        run.compare("total_equals_top_level_rows", first_sum, tops, f"{first_sum['item_name']} = Σ top-level items")
        if first_sum["row_role"] == "subtotal":
            total = next((r for r in column if r["row_role"] == "total" and r["row_number"] > first_sum["row_number"]), None)
            if total is not None:
                between = [r for r in column if first_sum["row_number"] < r["row_number"] < total["row_number"] and r["row_role"] == "item"]
                run.compare("total_equals_subtotal_plus_balances", total, [first_sum, *between], f"{total['item_name']} = {first_sum['item_name']} + the rows between")


def check_two_sides(run: CheckRun, rows: list[Row]) -> None:
    totals = {
        side: sorted(
            (r for r in rows if r["side"] == side and r["row_role"] == "total" and r["amount"] is not None),
            key=lambda r: (r["measure"] == "total", r["row_number"]),
        )
        for side in ("revenue", "expenditure")
    }
    if totals["revenue"] and totals["expenditure"]:
        revenue = totals["revenue"][-1]  # the last grand total; a 合计 column before its parts
        expenditure = totals["expenditure"][-1]
        run.compare("revenue_equals_expenditure", revenue, [expenditure], "total revenue = total expenditure")
