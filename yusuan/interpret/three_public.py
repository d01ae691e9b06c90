"""Measures of the 三公 table that say what each amount is, whatever the layout.

Two layouts hide it: Jiangsu prints one row with columns 合计 | “三公”经费 … | 会议费 | 培训费,
so its 合计 (measure ``total``) is three times the 三公 total; Fujian prints one column
(预算数, measure ``total``) with the items as rows (1、因公出国（境）费用 …), so the items differ
only by their Chinese labels. After the checks have run on the table as printed (they read
the column's measure and the row's label), each amount of a three_public_expenses table
gets the measure its row or column names: the item's (outbound_travel …) when the row
label names one, else ``three_public_total`` for the 三公 total, or
``three_public_meetings_training_total`` when the table also holds 会议费/培训费.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from typing import Any

from yusuan.core.schemas import Registry, _load, normalize_label

Row = dict[str, Any]
TABLE = "three_public_expenses"
# the measures a row of a 三公 table may name; 机关运行经费 (广东: 行政经费) is printed as a row of the
# same table (财政拨款安排的行政经费及“三公”经费预算表) and is not part of the 三公 total
ITEMS = {"three_public_total", "outbound_travel", "official_vehicles", "vehicle_purchase", "vehicle_operation", "official_reception", "meetings", "training", "operating_expenses"}


@cache
def _total_suffix() -> re.Pattern[str]:
    return re.compile(_load("columns.yaml")["total_suffix"])


def row_measure(name: str, registry: Registry) -> str:
    """The 三公 measure a row label names ('' when none)."""
    text = normalize_label(name)
    measure = registry.measure(text) if text else None
    suffix = _total_suffix()
    if measure is None and suffix.search(text):
        stripped = suffix.sub("", text)
        measure = registry.measure(stripped) if stripped else None
    return measure.id if measure and measure.id in ITEMS else ""


def add_three_public_measures(amounts: list[Row], registry: Registry) -> None:
    tables: dict[int, list[Row]] = defaultdict(list)
    read_as_three_public = registry.tables_read_as(TABLE)
    for row in amounts:
        if row["table_id"] in read_as_three_public:
            tables[row["table_sequence"]].append(row)
    for rows in tables.values():
        named = {id(r): row_measure(r.get("item_name") or "", registry) for r in rows}
        with_others = any(r["measure"] in ("meetings", "training") or named[id(r)] in ("meetings", "training") for r in rows)
        total = "three_public_meetings_training_total" if with_others else "three_public_total"
        for row in rows:
            if row["measure"] != "total":
                continue
            row["measure"] = named[id(row)] or total
