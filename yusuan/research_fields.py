"""The fields researchers need on each package (issue 10): hierarchy of amount rows, code
editions and COFOG, a check flag per row, stable issuer ids.

Each step lives in its own module; this one only applies them to a document's resources so
the pipeline makes one call per stage.
"""

from __future__ import annotations

from typing import Any

from yusuan.cofog import add_cofog, cofog_weight_rows
from yusuan.editions import add_code_fields, concordance_rows
from yusuan.hierarchy import add_hierarchy
from yusuan.issuers import identify, unit_issuer_id
from yusuan.model import SourceDocument
from yusuan.schemas import Registry
from yusuan.three_public import add_three_public_measures

Row = dict[str, Any]
FLAG_ORDER = {"warning": 1, "error": 2}


def add_row_fields(amounts: list[Row], document: SourceDocument, registry: Registry) -> None:
    """Hierarchy and code fields of the amount rows (before the checks run)."""
    add_hierarchy(amounts)
    add_code_fields(amounts, document.fiscal_year)
    add_cofog(amounts)


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
    as printed: the check flag of each row and the 三公 measures."""
    flag_checked_rows(amounts, checks, check_rows)
    add_three_public_measures(amounts, registry)


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
