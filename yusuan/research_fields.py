"""The fields researchers need on each package (issue 10): hierarchy of amount rows, code
editions and COFOG, a check flag per row, stable issuer ids.

Each step lives in its own module; this one only applies them to a document's resources so
the pipeline makes one call per stage.
"""

from __future__ import annotations

from typing import Any

from yusuan.model import SourceDocument
from yusuan.schemas import Registry

Row = dict[str, Any]


def add_row_fields(amounts: list[Row], document: SourceDocument, registry: Registry) -> None:
    """Hierarchy and code fields of the amount rows (before the checks run)."""


def add_publication_fields(publication: Row, units: list[Row], document: SourceDocument) -> None:
    """issuer_id, division_code, government_level and the department of a unit."""


def flag_checked_rows(amounts: list[Row], checks: list[Row], check_rows: list[Row]) -> None:
    """check_flag: the worst failed error or warning that touches each amount row."""


def concordance_rows() -> list[Row]:
    return []


def cofog_weight_rows() -> list[Row]:
    return []
