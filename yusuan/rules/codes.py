"""Classification codes against the code lists of schemas/codelists/.

The lists were compiled by the project and may be stale: a code they lack or a name that
differs is reported (the document's name is kept, never overwritten). A code printed at a
level that does not fit its place in the table is reported too.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache

from yusuan.rules.engine import CheckRun, Row
from yusuan.schemas import codelist_path, normalize_label, resource_specs

CODE_FIELDS = {"function": "function_classification", "economic": "economic_classification"}
EXPECTED_LENGTHS = {"function": (3, 5, 7), "economic": (3, 5)}


@cache
def reference(classification: str) -> dict[str, str]:
    """code -> name_zh of the compiled list for a classification."""
    spec = next(s for s in resource_specs() if s["name"] == CODE_FIELDS[classification])
    with codelist_path(spec["codelist"]).open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name_zh"] for row in csv.DictReader(handle)}


def comparable_name(name: str) -> str:
    """Names compared without spaces, quotes, bracket width and a trailing 支出."""
    text = normalize_label(name).replace("（", "(").replace("）", ")")
    return text[:-2] if text.endswith("支出") and len(text) > 4 else text


def check_codes(run: CheckRun, amounts: list[Row]) -> None:
    first: dict[tuple[str, str], Row] = {}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in amounts:
        if row["subject_code"] and row["classification"] in CODE_FIELDS:
            key = (row["classification"], row["subject_code"])
            first.setdefault(key, row)
            counts[key] += 1
    for (classification, code), row in first.items():
        names = reference(classification)
        if len(code) not in EXPECTED_LENGTHS[classification]:
            continue  # reported by code_level_position
        run.count_checked("code_in_codelist")
        if code not in names:
            known_class = code[:3] in names
            run.add(
                "code_in_codelist", "failed", row,
                f"{classification} code {code} ({row['item_name']}) is not in the compiled code list"
                + ("; its 类 is, so the list may be stale" if known_class else "; neither is its 类 " + code[:3]),
                expected="a code of the list", actual=code, severity="info" if known_class else "warning",
                count=counts[(classification, code)], field="subject_code",
            )
            continue
        printed = row["item_name"]
        run.count_checked("code_name_matches_codelist")
        if printed and comparable_name(printed) != comparable_name(names[code]):
            run.add(
                "code_name_matches_codelist", "failed", row,
                f"{code} is printed as {printed!r}; the compiled list names it {names[code]!r} (the printed name is kept)",
                expected=names[code], actual=printed, count=counts[(classification, code)], field="item_name",
            )
    check_code_levels(run, amounts)


def check_code_levels(run: CheckRun, amounts: list[Row]) -> None:
    """A code of a length its classification does not have (a class printed as "7"), or,
    in a table that prints the hierarchy, a code without its parent (a 7-digit 项 under a
    3-digit 类 without its 5-digit 款)."""
    tables: dict[int, list[Row]] = defaultdict(list)
    for row in amounts:
        if row["subject_code"] and row["classification"] in CODE_FIELDS:
            tables[row["table_sequence"]].append(row)
    for rows in tables.values():
        classification = rows[0]["classification"]
        first: dict[str, Row] = {}
        for row in sorted(rows, key=lambda r: (r["row_number"], r["column_number"])):
            first.setdefault(row["subject_code"], row)
        lengths = {len(c) for c in first}
        hierarchical = len(lengths & set(EXPECTED_LENGTHS[classification])) > 1
        for code, row in first.items():
            run.count_checked("code_level_position")
            if len(code) not in EXPECTED_LENGTHS[classification]:
                run.add(
                    "code_level_position", "failed", row,
                    f"code {code!r} has {len(code)} digits; {classification} codes have {'/'.join(map(str, EXPECTED_LENGTHS[classification]))}",
                    expected="/".join(f"{n} digits" for n in EXPECTED_LENGTHS[classification]), actual=code, field="subject_code",
                )
                continue
            if not hierarchical or len(code) == 3:
                continue
            parent = code[:-2]
            if parent in first:
                continue
            above = [c for c in first if len(c) < len(code) and code.startswith(c)]
            where = f" printed under {above[-1]}" if above else ""
            run.add(
                "code_level_position", "failed", row,
                f"{code} ({row['item_name']}){where} without its parent {parent} in a table that prints the hierarchy",
                expected=parent, actual=code, field="subject_code",
            )
