"""The checks of schemas/checks.yaml over one document: its amount rows, its tables (for
their notes) and the figures of its narrative.

Every rule is declared in checks.yaml (id, bilingual description, scope, tolerance,
severity); the rules are evaluated by the modules of ``yusuan.rules``. A check that fails is a
property of the document and is published with the data; it never changes an amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from yusuan.model import Finding, RawTable
from yusuan.rules.codes import check_codes
from yusuan.rules.cross import check_across
from yusuan.rules.engine import CheckRun, Term, allowance
from yusuan.rules.narrative import check_narrative
from yusuan.rules.select import Tables
from yusuan.rules.structure import check_tables
from yusuan.rules.tables import check_table
from yusuan.rules.validation import validate_resources
from yusuan.schemas import Registry

Row = dict[str, Any]

__all__ = ["CheckRun", "add_findings", "rounding_tolerance", "run_checks", "validate_resources"]


def rounding_tolerance(rows: Iterable[Row]) -> Decimal:
    """How far the first row (a printed total) may be from the sum of the others by rounding
    alone, in the rows' scale (yuan when their unit is known)."""
    terms = [t for t in (Term.of(r) for r in rows) if t is not None]
    return allowance(terms)


def run_checks(
    rows: list[Row],
    registry: Registry,
    document_id: str,
    *,
    tables: list[RawTable] | None = None,
    figures: list[Row] | None = None,
    fiscal_year: int | None = None,
) -> CheckRun:
    """Every rule that can run on the document; rules that need a missing table or figure
    are recorded as not run."""
    run = CheckRun(document_id)
    by_table: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_table[row["table_sequence"]].append(row)
    index = Tables(rows, registry)
    for table_rows in by_table.values():
        check_table(run, table_rows, registry, index)
    for check_id, table_id in (("revenue_equals_expenditure", "revenue_expenditure_summary"), ("three_public_total_equals_items", "three_public_expenses")):
        if not run.ran(check_id):
            run.not_run(check_id, f"not run: {_absence(table_id, rows, tables)}", table_id=table_id)
    if tables is not None:
        check_tables(run, tables, rows, registry)
    check_across(run, index)
    if figures is not None:
        check_narrative(run, figures, index, registry, fiscal_year)
    check_codes(run, rows)
    return run


def _absence(table_id: str, rows: list[Row], tables: list[RawTable] | None) -> str:
    """Why a table's figures are missing: an empty table and no table are different facts."""
    if any(r["table_id"] == table_id and r["amount"] is not None for r in rows):
        return f"the {table_id} table does not print the figures this rule compares"
    if any(r["table_id"] == table_id for r in rows) or any(t.table_id == table_id for t in tables or []):
        return f"the {table_id} table is printed empty (no amount)"
    return f"no {table_id} table with the figures this rule compares was found"


def add_findings(run: CheckRun, findings: Iterable[Finding]) -> None:
    """What the parser found about the input (unknown unit, unreadable cell …) as check rows."""
    for finding in findings:
        run.add(
            finding.check_id, "failed", None, finding.message, finding.expected, finding.actual,
            table_id=finding.table_id, table_sequence=finding.table_sequence, page=finding.page, file_name=finding.file, severity=finding.severity,
            field=finding.field,
        )
