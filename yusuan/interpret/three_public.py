"""Measures of the 三公 table that say what each amount is, whatever the layout.

Two layouts hide it: Jiangsu prints one row with columns 合计 | “三公”经费 … | 会议费 | 培训费,
so its 合计 (measure ``total``) is three times the 三公 total; Fujian prints one column
(预算数, measure ``total``) with the items as rows (1、因公出国（境）费用 …), so the items differ
only by their Chinese labels. After the checks have run on the table as printed (they read
the column's measure and the row's label), each amount of a three_public_expenses table
gets the measure its row or column names: the item's (outbound_travel …) when the row
label names one, else ``three_public_total`` for the 三公 total, or
``three_public_meetings_training_total`` when the table also holds 会议费/培训费.

深圳 splits each item's column by fund (总计 | 因公出国(境)费 | 公务接待费 | 公务用车购置及运行维护费
(小计 | 公务用车购置费 | 公务用车运行维护费), each over 一般公共预算 | 政府性基金预算 | 国有资本经营预算),
so the leaf header names the fund and the item is a header above it. There the amount takes
the item as its measure and the fund as its ``fund_scope`` (schemas/columns.yaml
``fund_measures``): which money the amount covers, narrower than the table's. Where the item
is a row and the columns are the funds (广东: 公务接待费 | 合计 | 一般公共预算 | 政府性基金预算 …),
the amount takes the row's item as its measure and the column's fund as its ``fund_scope``
the same way (stop 41; before, the measure was the fund's and the fund_scope the table's), so
both layouts give one representation: ``official_reception`` × ``government_fund``. The column
that adds the funds (广东's 合计) covers the fiscal appropriations: ``fiscal_appropriation``, not
the table's ``general_public_budget``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from typing import Any

from yusuan.core.schemas import Registry, _load, fund_measures, normalize_label

Row = dict[str, Any]
TABLE = "three_public_expenses"
FUNDS_TOGETHER = "fiscal_appropriation"  # the fund_scope of a column adding the fund columns of its table
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


def header_item(column_header: str, registry: Registry) -> str | None:
    """The 三公 item a header names above its leaf (公务接待费 / 一般公共预算 -> official_reception),
    the deepest first; ``"total"`` for a total word alone (总计 / 一般公共预算, or the 小计 of a
    group naming no item); None when no part above the leaf names either."""
    parts = column_header.split(" / ")[:-1]
    found_total = False
    for part in reversed(parts):
        item = row_measure(part, registry)
        if item:
            return item
        measure = registry.measure(normalize_label(part))
        found_total = found_total or (measure is not None and measure.id == "total")
    return "total" if found_total else None


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
        funds = fund_measures()
        # a table that splits its amounts by fund columns (广东: 合计 | 一般公共预算 | 政府性基金预算 |
        # 国有资本经营预算): its total column adds those funds, the fiscal appropriations
        by_fund = any(r["measure"] in funds for r in rows)
        for row in rows:
            if row["measure"] in funds:
                item = header_item(row.get("column_header") or "", registry)
                if item:
                    row["measure"], row["fund_scope"] = (total if item == "total" else item), funds[row["measure"]]
                elif named[id(row)]:  # the item is the row (广东): the same measure and fund_scope as 深圳's
                    row["measure"], row["fund_scope"] = named[id(row)], funds[row["measure"]]
                continue
            if row["measure"] != "total":
                continue
            row["measure"] = named[id(row)] or total
            if by_fund:
                row["fund_scope"] = FUNDS_TOGETHER
