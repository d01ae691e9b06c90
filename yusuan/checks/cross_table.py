"""Totals across tables: the declarative ``compare`` rules of schemas/checks.yaml, and the
economic-classification tables against each other."""

from __future__ import annotations

from typing import Any

from yusuan.checks.engine import CheckRun, Row, Term, allowance, combine, describe
from yusuan.checks.select import Found, Tables

FULL_ECONOMIC = "gpb_expenditure_by_economic_class"
BASIC_ECONOMIC = "gpb_basic_expenditure_by_economic_class"
GPB_FUNCTION = "gpb_expenditure_by_function"


def check_across(run: CheckRun, tables: Tables) -> None:
    for rule in run.rules.values():
        if "compare" in rule:
            check_compare_rule(run, tables, rule)
    check_economic_tables(run, tables)


def _label(found: Found) -> str:
    row = found.rows[0]
    what = describe(row) if (row.get("item_name") or row.get("subject_code")) else row["row_role"]
    if len(found.rows) > 1:
        what = " + ".join(describe(r) for r in found.rows)
    measures = " + ".join(dict.fromkeys(r["measure"] for r in found.rows))  # one cell of each measure: sum: measures
    return f"{found.table_id} {what} [{measures}]"


def check_compare_rule(run: CheckRun, tables: Tables, rule: dict[str, Any]) -> None:
    """Each pair of the rule compares a figure of one table with one of another; a pair
    whose tables or cells are missing is skipped, and a rule none of whose pairs could run
    is recorded as not run."""
    ran = False
    missing: list[str] = []
    for pair in rule["compare"]:
        actual = tables.select(pair["actual"])
        alternatives = pair["expected"] if pair.get("match") == "any" else [pair["expected"]]
        candidates = [c for c in (tables.select(spec) for spec in alternatives) if c is not None]
        if actual is None or not candidates:
            wanted = tables.tables_of(pair["actual"]) if actual is None else [t for spec in alternatives for t in tables.tables_of(spec)]
            missing.append(" / ".join(dict.fromkeys(wanted)))
            continue
        relation = pair.get("relation", "equal")
        best = min(candidates, key=lambda c: _off(actual.term, c.term, relation))
        name = f"{pair['name']}: " if pair.get("name") else ""
        sign = {"equal": "=", "at_most": "<=", "at_least": ">="}[relation]
        run.compare_terms(rule["id"], actual.term, [best.term], f"{name}{_label(actual)} {sign} {_label(best)}", relation=relation, cluster="across")
        ran = True
        if rule.get("pairs") == "first":
            break
    if not ran:
        run.not_run(rule["id"], "not run: the document prints no " + "; no ".join(dict.fromkeys(missing)) + " figure to compare")


def _off(actual: Term, expected: Term, relation: str) -> Any:
    difference = actual.value - expected.value
    if relation == "at_most":
        return max(difference, 0)
    if relation == "at_least":
        return max(-difference, 0)
    return abs(difference)


def _by_code(rows: list[Row]) -> dict[str, list[Term]]:
    """The printed total cells of each code (several when the code is printed more than once)."""
    found: dict[str, list[Term]] = {}
    for row in rows:
        term = Term.of(row) if row["subject_code"] and row["measure"] == "total" else None
        if term is not None:
            found.setdefault(row["subject_code"], []).append(term)
    return found


def check_economic_tables(run: CheckRun, tables: Tables) -> None:
    """The full economic table (basic + project) against the basic one: every code at least
    its basic part, and the full total = the basic total + the project total."""
    rule = "economic_table_vs_basic_and_project"
    full, basic = tables.first(FULL_ECONOMIC), tables.first(BASIC_ECONOMIC)
    if not full or not basic:
        run.not_run(rule, f"not run: the document prints no {FULL_ECONOMIC if not full else BASIC_ECONOMIC} table")
        return
    # a code may be printed more than once (西安: 30101 under 50101 and again under 50501): its rows add up
    full_by_code, basic_by_code = _by_code(full), _by_code(basic)
    for code, rows in full_by_code.items():
        parts = basic_by_code.get(code)
        if not parts:
            continue
        actual, expected = combine(rows), combine(parts)
        run.compare_terms(rule, actual, [expected], f"{describe(rows[0].row)} (basic + project) >= its basic part in {BASIC_ECONOMIC}", relation="at_least", cluster="economic")
    full_total = tables.select({"table": FULL_ECONOMIC, "row_role": ["total"], "measure": ["total"]})
    basic_total = tables.select({"table": BASIC_ECONOMIC, "row_role": ["total"], "measure": ["total"]})
    project = tables.select({"table": GPB_FUNCTION, "row_role": ["total"], "measure": ["project_expenditure"]})
    if full_total and basic_total and project:
        run.compare_terms(
            rule, full_total.term, [basic_total.term, project.term],
            f"{FULL_ECONOMIC} total = {BASIC_ECONOMIC} total + {GPB_FUNCTION} project_expenditure total",
            cluster="economic", tolerance=allowance([full_total.term, basic_total.term, project.term]),
        )
