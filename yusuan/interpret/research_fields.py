"""The fields researchers need on each package (issue 10): hierarchy of amount rows, code
editions and COFOG, a check flag per row, stable issuer ids.

Each step lives in its own module; this one only applies them to a document's resources so
the pipeline makes one call per stage.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from yusuan.core.cofog import cofog_weight_rows, primary_division
from yusuan.core.editions import CODE_FIELDS, concordance_rows, edition_of, translate
from yusuan.core.model import SourceDocument
from yusuan.core.schemas import Registry
from yusuan.interpret.fund_parts import add_fund_part_measures
from yusuan.interpret.hierarchy import add_hierarchy
from yusuan.interpret.issuers import identify, unit_issuer_id
from yusuan.interpret.three_public import add_three_public_measures

Row = dict[str, Any]
FLAG_ORDER = {"warning": 1, "error": 2}
# what a row's code fields and COFOG division depend on: its subject code and its three code fields
CODE_KEY_FIELDS = ("subject_code", *CODE_FIELDS.values())
CodeKey = tuple[Any, ...]
CodeAnswer = tuple[str, str, bool | None, str]


def add_row_fields(amounts: list[Row], document: SourceDocument, registry: Registry) -> None:
    """Hierarchy and code fields of the amount rows (before the checks run)."""
    add_hierarchy(amounts)
    add_code_fields_and_cofog(amounts, document.fiscal_year)


def add_code_fields_and_cofog(amounts: list[Row], fiscal_year: int | None) -> None:
    """What :func:`add_code_fields` then :func:`add_cofog` set (code_edition, current_code,
    code_changed, cofog_division, in that order), in one pass over the rows: the four fields
    depend on the row's subject code and its three code fields alone, so they are found once
    per distinct set of these (a publication prints each code in many rows, one per amount
    column; issue 14: two passes and a COFOG share's ``max`` for every row)."""
    found: dict[CodeKey, CodeAnswer] = {}
    key_of = itemgetter(*CODE_KEY_FIELDS)
    for row in amounts:
        try:
            key = key_of(row)
        except KeyError:  # a row without some code field: read as add_code_fields and add_cofog do
            key = tuple(row.get(field) for field in CODE_KEY_FIELDS)
        fields = found.get(key)
        if fields is None:
            fields = found[key] = _code_and_cofog_fields(key, fiscal_year)
        row["code_edition"], row["current_code"], row["code_changed"], row["cofog_division"] = fields


def _code_and_cofog_fields(key: CodeKey, fiscal_year: int | None) -> CodeAnswer:
    """The four fields of a row whose ``CODE_KEY_FIELDS`` are ``key`` (the rules of
    :func:`add_code_fields` and :func:`add_cofog`)."""
    subject_code, *code_fields = key
    code = subject_code or ""
    classification = next((c for c, value in zip(CODE_FIELDS, code_fields, strict=True) if value == code), "") if code else ""
    if classification:
        edition = edition_of(classification, fiscal_year)
        current_code, changed = translate(classification, edition, code)
    else:
        edition, current_code, changed = "", "", None
    function_code = code_fields[0] or ""
    if function_code and current_code and subject_code == function_code:
        function_code = current_code
    return edition, current_code, changed, primary_division(function_code) if function_code else ""


def add_publication_fields(publication: Row, units: list[Row], document: SourceDocument) -> None:
    """issuer_id, division_code, government_level and the department of a unit; the
    issuer id of every unit a department lists."""
    identity = identify(document.issuer, document.region, document.kind)
    publication.update(
        issuer_id=identity.issuer_id, division_code=identity.division_code,
        government_level=identity.government_level, department_issuer_id=identity.department_issuer_id,
    )
    for unit in units:
        unit["unit_issuer_id"] = unit_issuer_id(unit["unit_name"], identity)


def after_checks(amounts: list[Row], checks: list[Row], check_rows: list[Row], registry: Registry) -> None:
    """What needs the checks' results, or must wait for the checks to have read the table
    as printed: the check flag of each row, the 三公 measures and the measures of a balance
    carried over split by fund."""
    flag_checked_rows(amounts, checks, check_rows)
    add_three_public_measures(amounts, registry)
    add_fund_part_measures(amounts, registry)


def flag_checked_rows(amounts: list[Row], checks: list[Row], check_rows: list[Row]) -> None:
    """check_flag: the worst failed error or warning that touches each amount row.

    A check about a whole table (no row) flags no row: the table's status says it. Rounding
    notes (severity info) flag nothing."""
    severity = {c["check_number"]: c["severity"] for c in checks if c["status"] == "failed" and c["severity"] in FLAG_ORDER}
    worst: dict[tuple[int, int], str] = {}
    for link in check_rows:
        flag = severity.get(link["check_number"])
        key = (link["table_sequence"], link["row_number"])
        if flag and FLAG_ORDER[flag] > FLAG_ORDER.get(worst.get(key, ""), 0):
            worst[key] = flag
    for row in amounts:
        row["check_flag"] = worst.get((row["table_sequence"], row["row_number"]), "")


__all__ = ["add_publication_fields", "add_row_fields", "after_checks", "cofog_weight_rows", "concordance_rows", "flag_checked_rows"]
