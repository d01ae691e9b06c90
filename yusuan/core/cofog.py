"""Function codes to UN COFOG 1999 divisions, weighted.

The compiled function list (schemas/codelists/functional_classification.csv, column
``cofog``) maps a code to one or more COFOG groups or divisions (``04.4;04.3;04.6``); most
项 carry no mapping of their own (行政运行 is administration of whatever its 款 does), so a
code without one takes its 款's, then its class's. A code mapped to several groups is
split in equal shares (no official China-COFOG crosswalk exists; SOURCES.md), and the
shares are summed per division. The primary division of a row is the one with the largest
share (the first listed on a tie), so that researchers can either sum by the primary
division or weight amounts by ``cofog_weights``.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from typing import Any

from yusuan.core.resource_rows import SharedRows, shared_rows
from yusuan.core.schemas import codelist_path

Row = dict[str, Any]
FUNCTION_LIST = "functional_classification.csv"


@cache
def _mappings() -> dict[str, list[str]]:
    """code -> its own COFOG tokens (groups or divisions) as compiled."""
    with codelist_path(FUNCTION_LIST).open(encoding="utf-8", newline="") as handle:
        return {r["code"]: [t.strip() for t in r["cofog"].split(";") if t.strip()] for r in csv.DictReader(handle)}


def _tokens(code: str) -> list[str]:
    """The COFOG tokens of a code, inherited from its 款 or class when it has none."""
    mappings = _mappings()
    for length in (7, 5, 3):
        if len(code) >= length and mappings.get(code[:length]):
            return mappings[code[:length]]
    return []


@cache
def weights(code: str) -> tuple[tuple[str, Decimal], ...]:
    """(division, weight) of a function code in order of first mention; empty when unmapped.
    Weights are exact decimals that sum to 1 (the last takes the remainder of rounding)."""
    tokens = _tokens(code)
    if not tokens:
        return ()
    counts: dict[str, int] = {}
    for token in tokens:
        division = token.split(".")[0].zfill(2)
        counts[division] = counts.get(division, 0) + 1
    shares = [(d, (Decimal(n) / len(tokens)).quantize(Decimal("0.0001"))) for d, n in counts.items()]
    remainder = Decimal(1) - sum(s for _, s in shares[:-1])
    return (*shares[:-1], (shares[-1][0], remainder.quantize(Decimal("0.0001"))))


def primary_division(code: str) -> str:
    shares = weights(code)
    if not shares:
        return ""
    largest = max(s for _, s in shares)
    return next(d for d, s in shares if s == largest)


@cache
def cofog_weight_rows() -> SharedRows:
    """The cofog_weights resource: every code of the compiled list with its divisions, made
    once per process and shared by every package (rows no one can change, so the package
    writer reuses what it made of them: issue 14; a publication's worker finds them made by
    the fork server's warm-up)."""
    return shared_rows({"code": code, "division": d, "weight": w} for code in _mappings() for d, w in weights(code))


def add_cofog(amounts: list[Row]) -> None:
    """cofog_division of every row with a function code (today's code when it moved)."""
    for row in amounts:
        code = row.get("function_code") or ""
        if code and row.get("current_code") and row.get("subject_code") == code:
            code = row["current_code"]
        row["cofog_division"] = primary_division(code) if code else ""
