"""The units a department's budget covers, read from its narrative when no table lists them.

Most departments print no 预算单位构成 table but say it in the 机构设置 / 单位构成 section:
"纳入本部门2018年部门汇总预算编制范围的预算单位共计一家，具体包括：江苏省人大常委会办公厅部门本级。"
or "具体包括（列示至基层预算单位）：1.上海市普陀区人民政府办公室本部。2.下属事业单位
上海市普陀区交流服务中心不单列预算，并入本部。" A unit that is "not budgeted separately"
(不单列预算, 并入) is no budget unit of its own and is left out: the department's total
already holds its money, and a list of budget units is what one needs to count each yuan
once. The words are vocabulary in schemas/narrative.yaml (unit_list).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from yusuan.schemas import _load, normalize_label

Row = dict[str, Any]


@cache
def _vocabulary() -> dict[str, Any]:
    return _load("narrative.yaml")["unit_list"]


def units_from_narrative(sections: list[Row], document_id: str) -> list[Row]:
    """units rows from the first narrative section that lists the budget units."""
    vocabulary = _vocabulary()
    opener = re.compile(vocabulary["opener"])
    for section in sections:
        text = normalize_label(section["text"])
        match = opener.search(text)
        if not match:
            continue
        names = [n for n in (_unit_name(piece, vocabulary) for piece in _pieces(text[match.end():])) if n]
        return [
            {
                "document_id": document_id, "unit_number": number, "unit_name": name,
                "file_name": section.get("file_name", ""), "sha256": section.get("sha256", ""),
                "page": section.get("page"), "line": section.get("line"),
            }
            for number, name in enumerate(dict.fromkeys(names), start=1)
        ]
    return []


def _pieces(text: str) -> list[str]:
    """The list after the opener: enumerated items, else names separated by 、 up to the
    end of the sentence."""
    item = re.compile(_vocabulary()["item_split"])
    if item.match(text):
        return [p for p in item.split(text) if p]
    sentence = re.split(r"[。；;]", text, maxsplit=1)[0]
    return re.split(r"[、，,]", sentence)


def _unit_name(piece: str, vocabulary: dict[str, Any]) -> str:
    piece = re.split(r"[。；;]", piece, maxsplit=1)[0].strip()
    if any(word in piece for word in vocabulary["not_separate"]):
        return ""
    for prefix in vocabulary["prefixes"]:
        piece = re.sub(f"^{prefix}", "", piece)
    piece = piece.strip("：:，, ")
    return piece if 2 < len(piece) <= 40 else ""
