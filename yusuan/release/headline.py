"""Headline figures of one publication, by the rules of ``schemas/release.yaml``.

A figure is read from the first source that has it: an amount cell of a named table (by
measure, row role and side, or by a row label that names a measure, for tables that list the
三公 items in rows), else a figure the narrative states under a topic. Every figure keeps the
key of what it was read from (``document_id, table_sequence, row_number, column_number`` or
``figure_number``), so a researcher can check it against the amounts and the page. Nothing is
summed or derived: a figure the publication does not print has no row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yusuan.core.schemas import comparison_phases, load_registry, release_schema
from yusuan.core.vocabulary import word

Row = dict[str, Any]
CURRENT_PERIODS = ("current", "")


def headline_rows(document_id: str, fiscal_year: int, amounts: list[Row], figures: list[Row]) -> list[Row]:
    """The headline figures of one publication from its amount rows and narrative figures."""
    cells = sorted(
        (
            a for a in amounts
            if not a.get("is_blank") and a.get("amount_yuan") is not None and (a.get("period") or "") in CURRENT_PERIODS
            and (a.get("phase") or "") not in comparison_phases()  # a final account's outturn, not the budgets beside it
        ),
        key=lambda a: (a["table_sequence"], a["row_number"], a["column_number"]),
    )
    stated = sorted(figures, key=lambda f: f["figure_number"])
    rows = []
    for rule in release_schema()["headline_figures"]:
        for source in rule["sources"]:
            row = _from_table(source, cells) if "table" in source else _from_narrative(source, stated)
            if row is not None:
                rows.append({"document_id": document_id, "fiscal_year": fiscal_year, "figure_id": rule["id"], "figure_en": rule["en"], "figure_zh": rule["zh"]} | row)
                break
    return rows


def _from_table(source: Row, cells: list[Row]) -> Row | None:
    registry = load_registry()
    excluded = {c["table_sequence"] for c in cells if c.get("measure") in source.get("unless_measures", ())}
    for cell in cells:
        if cell["table_id"] not in source["table"] or cell["table_sequence"] in excluded:
            continue
        if "row_role" in source and cell.get("row_role") != source["row_role"]:
            continue
        if "side" in source and cell.get("side") != source["side"]:
            continue
        if "measure" in source and cell.get("measure") != source["measure"]:
            continue
        if "label_measure" in source:
            named = registry.measure(cell.get("item_name") or "")
            if cell.get("measure") != "total" or named is None or named.id != source["label_measure"]:
                continue
        return {
            "figure_value": cell["amount_yuan"], "figure_unit": word("yuan"), "figure_source": "table", "table_id": cell["table_id"],
            "table_sequence": cell["table_sequence"], "row_number": cell["row_number"], "column_number": cell["column_number"],
            "figure_number": None, "file_name": cell.get("file_name"), "sha256": cell.get("sha256"), "page": cell.get("page"),
        }
    return None


def _from_narrative(source: Row, figures: list[Row]) -> Row | None:
    for figure in figures:
        if figure.get("topic") != source["narrative"] or figure.get("figure_kind") != source["figure_kind"]:
            continue
        if source["figure_kind"] == "count":
            value, unit = figure.get("value"), figure.get("count_unit") or ""
        else:
            value, unit = figure.get("amount_yuan"), word("yuan")
        if value is None:
            continue
        return {
            "figure_value": Decimal(value), "figure_unit": unit, "figure_source": "narrative", "table_id": None,
            "table_sequence": None, "row_number": None, "column_number": None, "figure_number": figure["figure_number"],
            "file_name": figure.get("file_name"), "sha256": figure.get("sha256"), "page": figure.get("page"),
        }
    return None
