"""Code-list editions: which edition a document's codes belong to, and today's code.

The classification changes between years (schemas/codelists/editions.yaml); a code read in
a 2017 budget may mean something else today (30311 was 住房公积金, it is 代缴社会保险费
now). Every amount row therefore carries the edition of its code, today's code through the
concordance (schemas/codelists/concordance.csv) and whether the meaning changed, so that
comparisons across years join on ``current_code``. Names printed in a document are never
replaced: the edition's names are used only to find codes and to describe the list.
"""

from __future__ import annotations

import csv
from functools import cache
from typing import Any

import yaml

from yusuan.core.codelists import reference
from yusuan.core.schemas import codelist_path

Row = dict[str, Any]
CODE_FIELDS = {"function": "function_code", "economic": "economic_code", "government_economic": "government_economic_code"}


@cache
def _editions() -> dict[str, list[dict[str, Any]]]:
    with codelist_path("editions.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def edition_of(classification: str, fiscal_year: int | None) -> str:
    """The edition a document of ``fiscal_year`` uses (today's when the year is unknown)."""
    editions = _editions().get(classification, [])
    for edition in editions:
        if fiscal_year is not None and edition.get("until") is not None and fiscal_year <= edition["until"]:
            return str(edition["edition"])
    return str(editions[-1]["edition"]) if editions else ""


def current_edition(classification: str) -> str:
    return edition_of(classification, None)


@cache
def concordance() -> dict[tuple[str, str, str], Row]:
    """(classification, edition, code) -> the concordance row of a code that changed."""
    with codelist_path("concordance.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["code_changed"] = row["code_changed"] == "true"
    return {(r["classification"], r["edition"], r["code"]): r for r in rows}


def concordance_rows() -> list[Row]:
    """The code_concordance resource."""
    return [dict(r) for r in concordance().values()]


@cache
def edition_names(classification: str, edition: str) -> dict[str, str]:
    """code -> name_zh of the edition: today's list with the edition's own names and codes
    (a code that ended or moved keeps its old name under its old code)."""
    names = dict(reference(classification))
    for (own, listed, code), row in concordance().items():
        if own == classification and listed == edition:
            names[code] = row["name_zh"]
    return names


def former_names(classification: str) -> dict[str, str]:
    """code -> a former name of a code that was renamed in place (same code today): some
    documents print the old name after the change (the Jiangsu 2019 budget prints
    资源勘探信息等支出)."""
    return {
        row["code"]: row["name_zh"]
        for (own, _, _), row in concordance().items()
        if own == classification and row["change_kind"] == "renamed" and row["current_code"] == row["code"]
    }


def translate(classification: str, edition: str, code: str) -> tuple[str, bool]:
    """(today's code, whether the meaning changed) of a code of ``edition``."""
    row = concordance().get((classification, edition, code))
    if row is None:
        return code, False
    return row["current_code"], row["code_changed"]


def add_code_fields(amounts: list[Row], fiscal_year: int | None) -> None:
    """code_edition, current_code and code_changed of each row's subject code. A code's
    three fields are found once per classification and code of the call: a publication
    prints each code in many rows, one per amount column (issue 14)."""
    found: dict[tuple[str, str], tuple[str, str, bool]] = {}
    for row in amounts:
        code = row.get("subject_code") or ""
        classification = _classification_of(row, code)
        if not classification:
            row["code_edition"], row["current_code"], row["code_changed"] = "", "", None
            continue
        fields = found.get((classification, code))
        if fields is None:
            edition = edition_of(classification, fiscal_year)
            fields = found[(classification, code)] = (edition, *translate(classification, edition, code))
        row["code_edition"], row["current_code"], row["code_changed"] = fields


def _classification_of(row: Row, code: str) -> str:
    """The classification whose code field holds the row's subject code ('' for none)."""
    if code:
        for classification, field in CODE_FIELDS.items():
            if row.get(field) == code:
                return classification
    return ""
