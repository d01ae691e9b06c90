"""Indicators listed in one cell -> indicator rows.

广州 政务服务和数据管理局 prints each project's indicators in one 绩效指标 cell, numbered items of
level 1, level 2, the indicator and its values separated by ；:
1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。2、…
Each item is read as the indicator columns would be: the level codes (1-, 11-) are dropped, and the
value whose label the header vocabulary ranks first (年度指标值 over 实施周期指标值) is the target.
"""

from __future__ import annotations

from typing import Any

from yusuan.core.model import Origin
from yusuan.core.schemas import normalize_label
from yusuan.core.vocabulary import mapping, pattern
from yusuan.interpret.performance import indicator_row

ITEM_NUMBER = pattern("performance_item_number")
LEVEL_CODE = pattern("performance_level_code")
ITEM_VALUE = pattern("performance_item_value")
SEPARATOR = pattern("performance_item_separator")
LEVELS = 3  # level 1, level 2, the indicator: the parts before the values


def listed_indicators(cell: str, document_id: str, project_number: int, origin: Origin) -> list[dict[str, Any]]:
    """The indicator rows of a cell that lists them as numbered items; [] for any other cell."""
    items = [item for item in ITEM_NUMBER.split(cell.replace("\n", "")) if item.strip()]
    if not ITEM_NUMBER.match(cell.strip()) or not items:
        return []
    rows = []
    for item in items:
        read = _read_item(item)
        if read is not None:
            rows.append(indicator_row(document_id, project_number, len(rows) + 1, read["level1"], read["level2"], read, origin))
    return rows


def _read_item(item: str) -> dict[str, str] | None:
    """level1, level2, level3 and the target of one item; None when it has no three levels."""
    parts = [part.strip() for part in SEPARATOR.split(item.strip())]
    if len(parts) < LEVELS:
        return None
    level1, level2, level3 = (normalize_label(LEVEL_CODE.sub("", part)) for part in parts[:LEVELS])
    return {"level1": level1, "level2": level2, "level3": level3, "target": _target(parts[LEVELS:]), "comparator": "", "unit": ""}


def _target(parts: list[str]) -> str:
    """The value whose label the header vocabulary ranks first (年度指标值 before 实施周期指标值)."""
    vocabulary = mapping("performance_columns")
    rank = {label: index for index, label in enumerate(vocabulary)}
    values = []
    for part in parts:
        match = ITEM_VALUE.match(normalize_label(part))
        if match and vocabulary.get(match.group("label")) == "target":
            values.append((rank[match.group("label")], match.group("value")))
    return min(values)[1] if values else ""
