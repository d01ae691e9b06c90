"""Cell selectors: how schemas/checks.yaml names a figure of a table.

A selector is a mapping; every key narrows the cells of a document's amount tables:

``table``       table id(s) (schemas/source_tables.yaml), tried in order
``side``        revenue / expenditure (a total row without a printed side takes the side
                its label names: 收入总计 is revenue)
``row_role``    total / subtotal / item, in order of preference
``measure``     the column's measure(s) (schemas/columns.yaml), in order of preference
``row_measure`` the measure the row label names (一般公共预算拨款收入 -> gpb_appropriation,
                人员经费合计 -> personnel_expenses, 公务接待费 -> official_reception)
``code``        subject code(s); ``subject_level``: class / section / item
``label``       a regular expression searched in the row label (enumerator removed)
``column_group`` by_function / by_purpose
``sum``         true: the sum of every matching cell (else the first in print order);
                ``measures``: the first printed cell of each measure listed, summed (the
                columns of a group: 一般公共预算 | 政府性基金预算 under 财政拨款收入)

A list of selectors is tried in order (the first that finds a printed cell wins). Cells are
matched by table id, measure, row role and codes, never by a document's wording of a title.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from yusuan.checks.engine import Row, Term, combine
from yusuan.core.schemas import Registry, comparison_phases, normalize_label
from yusuan.core.vocabulary import pattern, word

TOTAL_SUFFIX = pattern("total_suffix")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


@dataclass
class Found:
    """The cells a selector found (one, or several to be added)."""

    rows: list[Row]
    term: Term

    @property
    def table_id(self) -> str:
        return self.rows[0]["table_id"]


class Tables:
    """The amount rows of one document, by table, for the selectors."""

    def __init__(self, rows: list[Row], registry: Registry):
        self.registry = registry
        self.by_sequence: dict[int, list[Row]] = defaultdict(list)
        beside = comparison_phases()
        for row in rows:
            # the year compared across tables, and of a final account its outturn, not the
            # budgets printed beside it (年初预算数, 全年预算数)
            if row.get("period", "current") == "current" and row.get("phase", "") not in beside:
                self.by_sequence[row["table_sequence"]].append(row)
        self.sequences: dict[str, list[int]] = defaultdict(list)
        for sequence, table_rows in self.by_sequence.items():
            self.sequences[table_rows[0]["table_id"]].append(sequence)
        self._row_measures: dict[int, str] = {}
        self._roles: dict[int, tuple[list[Row], dict[str, list[Row]]]] = {}  # id of a table's rows -> (them, by row_role)

    def has(self, table_id: str) -> bool:
        return table_id in self.sequences

    def first(self, table_id: str) -> list[Row]:
        """The rows of the first table with this id ([] when the document has none)."""
        sequences = self.sequences.get(table_id)
        return self.by_sequence[sequences[0]] if sequences else []

    def row_measure(self, row: Row) -> str:
        """The measure a row label names ('' when none)."""
        key = id(row)
        if key not in self._row_measures:
            name = normalize_label(row.get("item_name") or "")
            measure = self.registry.measure(name) if name else None
            if measure is None and TOTAL_SUFFIX.search(name):
                stripped = TOTAL_SUFFIX.sub("", name)
                measure = self.registry.measure(stripped) if stripped else None
            self._row_measures[key] = measure.id if measure else ""
        return self._row_measures[key]

    def select(self, spec: dict[str, Any] | list[dict[str, Any]]) -> Found | None:
        """The printed cell(s) a selector names, or None."""
        for one in spec if isinstance(spec, list) else [spec]:
            found = self._select_one(one)
            if found is not None:
                return found
        return None

    def tables_of(self, spec: dict[str, Any] | list[dict[str, Any]]) -> list[str]:
        return [t for one in (spec if isinstance(spec, list) else [spec]) for t in _as_list(one.get("table"))]

    def _select_one(self, spec: dict[str, Any]) -> Found | None:
        for table_id in _as_list(spec.get("table")):
            rows = self.first(table_id)
            if not rows:
                continue
            found = self._in_table(rows, spec)
            if found is not None:
                return found
        return None

    def _in_table(self, rows: list[Row], spec: dict[str, Any]) -> Found | None:
        side = spec.get("side")
        codes = {str(c) for c in _as_list(spec.get("code"))}
        levels = set(_as_list(spec.get("subject_level")))
        groups = set(_as_list(spec.get("column_group")))
        row_measures = set(_as_list(spec.get("row_measure")))
        label = re.compile(spec["label"]) if spec.get("label") else None
        of_which = spec.get("of_which", False)  # asked once, not for every row (issue 14)
        roles = _as_list(spec.get("row_role"))
        candidates: list[Row] = []
        # the rows of the first preferred role that has a match: each role's rows are filtered
        # in print order, as filtering every row and then preferring a role did (issue 14)
        for pool in (self._role_rows(rows, role) for role in roles) if roles else [rows]:
            candidates = [
                r for r in pool
                if (not side or row_side(r) == side)
                and (label is None or label.search(normalize_label(r["item_name"])))
                and (not codes or r["subject_code"] in codes)
                and (not levels or r["subject_level"] in levels)
                and (not groups or r["column_group"] in groups)
                and (not row_measures or self.row_measure(r) in row_measures)
                and (of_which or not r["is_of_which"])
            ]
            if candidates:
                break
        if spec.get("sum") == "measures":  # one cell of each measure named, summed (a group's columns)
            chosen = [r for r in (_first_printed(candidates, m) for m in _as_list(spec.get("measure"))) if r is not None]
            if not chosen:
                return None
            return Found(chosen, combine([t for t in (Term.of(r) for r in chosen) if t is not None]))
        candidates = _prefer(candidates, "measure", _as_list(spec.get("measure")))
        printed = [r for r in candidates if r["amount"] is not None]
        if not printed:
            return None
        chosen = printed if spec.get("sum") else [printed[0]]
        terms = [t for t in (Term.of(r) for r in chosen) if t is not None]
        return Found(chosen, combine(terms))

    def _role_rows(self, rows: list[Row], role: str) -> list[Row]:
        """The rows of a table with this ``row_role``, in print order; a table's rows are
        sorted by role once, on the first selector that prefers a role (no check changes a
        row's role)."""
        known = self._roles.get(id(rows))
        if known is None or known[0] is not rows:
            by_role: dict[str, list[Row]] = defaultdict(list)
            for row in rows:
                by_role[row["row_role"]].append(row)
            known = self._roles[id(rows)] = (rows, by_role)
        return known[1].get(role, [])


def _first_printed(rows: list[Row], measure: str) -> Row | None:
    return next((r for r in rows if r["measure"] == measure and r["amount"] is not None), None)


def _prefer(rows: list[Row], key: str, values: list[str]) -> list[Row]:
    """The rows with the first value of ``values`` that any row has ([] if none has one)."""
    if not values:
        return rows
    for value in values:
        matching = [r for r in rows if r[key] == value]
        if matching:
            return matching
    return []


def row_side(row: Row) -> str:
    """The printed side, or the side a label names (收入总计, 支出合计) when none is printed."""
    if row.get("side"):
        return row["side"]
    name = row.get("item_name") or ""
    revenue, expenditure = word("revenue"), word("expenditure")
    if revenue in name and expenditure not in name:
        return "revenue"
    if expenditure in name and revenue not in name:
        return "expenditure"
    return ""
