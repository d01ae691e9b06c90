"""The money unit of a table that prints none, from the evidence of the document.

A table without a 单位 line (a narrative table, a page whose unit line was lost) is not
dropped. Its unit is inferred, in this order of evidence:

1. the same amounts printed in the document's other tables: a unit under which several of
   its amounts, converted to yuan, are amounts of tables whose unit is printed;
2. the same amounts stated in the narrative (its figures carry their unit);
3. the unit every other table of the document prints, when they all print the same one.

An inferred unit is recorded as such (``unit_basis``), its rows are flagged
(``quality_flag`` unit_inferred) and a warning says what it rests on. A table whose unit
cannot be inferred stays in doubt (check ``unit_declared``, severity error).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yusuan.core.numbers import UNIT_MULTIPLIERS, to_yuan
from yusuan.core.vocabulary import words

Row = dict[str, Any]
CANDIDATES = words("unit_candidates")
MIN_MATCHES = 2


@dataclass(frozen=True)
class InferredUnit:
    unit: str
    basis: str  # inferred_from_tables | inferred_from_narrative | inferred_from_document
    evidence: str


def infer_unit(rows: list[Row], others: list[Row], figures: list[Row]) -> InferredUnit | None:
    """The unit of a table's amount rows, given the rows of the tables whose unit is printed
    and the narrative's money figures; None when the evidence does not decide."""
    amounts = [r["amount"] for r in rows if r["amount"] not in (None, 0)]
    if not amounts:
        return None
    known_tables = {r["amount_yuan"] for r in others if r.get("amount_yuan") not in (None, 0)}
    found = _matches(amounts, known_tables)
    if found:
        unit, count = found
        return InferredUnit(unit, "inferred_from_tables", f"{count} of its {len(amounts)} amounts are printed in other tables when read in {unit}")
    known_text = {f["amount_yuan"] for f in figures if f.get("amount_yuan") not in (None, 0)}
    found = _matches(amounts, known_text)
    if found:
        unit, count = found
        return InferredUnit(unit, "inferred_from_narrative", f"{count} of its {len(amounts)} amounts are stated in the narrative when read in {unit}")
    units = Counter(r["unit_printed"] for r in others if r.get("unit_printed") in UNIT_MULTIPLIERS)
    if len(units) == 1:
        unit = next(iter(units))
        return InferredUnit(unit, "inferred_from_document", f"every other table of the document prints {unit}")
    return None


def _matches(amounts: list[Decimal], known: set[Decimal]) -> tuple[str, int] | None:
    """The candidate unit under which most amounts are known (at least two, or the only
    amount), if exactly one unit does best."""
    counts = {unit: sum(to_yuan(a, unit) in known for a in amounts) for unit in CANDIDATES}
    best = max(counts.values())
    winners = [u for u, n in counts.items() if n == best]
    if best >= min(MIN_MATCHES, len(amounts)) and len(winners) == 1:
        return winners[0], best
    return None


def apply_unit(rows: list[Row], inferred: InferredUnit) -> None:
    """Convert a table's rows with the inferred unit and flag them."""
    for row in rows:
        row["unit"] = inferred.unit
        if row["amount"] is not None:
            row["amount_yuan"] = to_yuan(row["amount"], inferred.unit)
        row["quality_flag"] = row.get("quality_flag") or "unit_inferred"
