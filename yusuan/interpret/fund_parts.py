"""A balance carried over, split by fund: the measure of the group, the fund as its scope.

A 收入总表 prints 上年结转结余 over the funds it came from (杭州 公安局 2026 表2: 总计 | 本年收入
(小计 | 一般公共预算 | …) | 上年结转结余 (小计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算 | …)).
The leaf header names a fund, whose measure is the year's appropriation (gpb_appropriation);
under 上年结转结余 the amount is that fund's part of the balance carried over, not an
appropriation of the year. Its measure is the group's (prior_year_balance) and the fund its
``fund_scope``, as for 深圳's 三公 items over funds (interpret/three_public.py). Which group
measures are split so is data (schemas/columns.yaml ``fund_split_measures``).

Applied after the checks, which read the table as printed, like the 三公 measures.
"""

from __future__ import annotations

from typing import Any

from yusuan.core.schemas import Registry, fund_measures, fund_split_measures, normalize_label

Row = dict[str, Any]


def group_measure(column_header: str, registry: Registry) -> str | None:
    """The measure the nearest header part above the leaf names, None when none does."""
    for part in reversed(column_header.split(" / ")[:-1]):
        measure = registry.measure(normalize_label(part))
        if measure is not None:
            return measure.id
    return None


def add_fund_part_measures(amounts: list[Row], registry: Registry) -> None:
    """An amount of a fund's column under a split group takes the group's measure and the fund
    as its ``fund_scope``."""
    funds, split = fund_measures(), fund_split_measures()
    found: dict[str, str | None] = {}
    for row in amounts:
        fund = funds.get(row["measure"])
        if fund is None:
            continue
        header = row.get("column_header") or ""
        if header not in found:
            found[header] = group_measure(header, registry)
        if found[header] in split:
            row["measure"], row["fund_scope"] = found[header], fund
