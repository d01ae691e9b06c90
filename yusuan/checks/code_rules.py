"""Classification codes against the code lists of schemas/codelists/.

The lists were compiled by the project and may be stale: a code they lack or a name that
differs is reported (the document's name is kept, never overwritten). A code printed at a
level that does not fit its place in the table is reported too.
"""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter

from yusuan.checks.engine import CheckRun, Row
from yusuan.core.codelists import CODE_LISTS as CODE_FIELDS
from yusuan.core.codelists import comparable_name, reference
from yusuan.core.schemas import load_registry, normalize_label


def expected_lengths(classification: str) -> tuple[int, ...]:
    return load_registry().classifications[classification]["lengths"]


CODE_COLUMNS = {"function": "function_code", "economic": "economic_code", "government_economic": "government_economic_code"}
CODE_COLUMN_ITEMS = tuple(CODE_COLUMNS.items())
PRINTED_ORDER = itemgetter("row_number", "column_number")  # a sort key: the rows as printed, top to bottom, left to right


def printed_codes(row: Row) -> dict[str, tuple[str, str]]:
    """classification -> (code, name printed with it) of a row: its subject, and the codes
    printed beside it in a table with several classifications."""
    found = {}
    if row["subject_code"] and row["classification"] in CODE_FIELDS:
        found[row["classification"]] = (row["subject_code"], row["item_name"])
    for classification, column in CODE_COLUMNS.items():
        code = row.get(column)
        if code and classification not in found:
            name = (row.get("_code_names") or {}).get(classification, "")
            found[classification] = (code, normalize_label(name))
    return found


def printed_code_keys(row: Row) -> list[tuple[str, str]]:
    """(classification, code) of each code of :func:`printed_codes`, in its order, without
    the names: only the first row printing a code has its name read (issue 14)."""
    keys = []
    subject = row["classification"] if row["subject_code"] and row["classification"] in CODE_FIELDS else None
    if subject is not None:
        keys.append((subject, row["subject_code"]))
    for classification, column in CODE_COLUMNS.items():
        code = row.get(column)
        if code and classification != subject:
            keys.append((classification, code))
    return keys


def check_codes(run: CheckRun, amounts: list[Row]) -> None:
    first, counts = _first_rows_of_codes(amounts)
    for (classification, code), row in first.items():
        printed = printed_codes(row)[classification][1]
        names = reference(classification)
        if len(code) not in expected_lengths(classification):
            continue  # reported by code_level_position
        run.count_checked("code_in_codelist")
        if code not in names:
            known_class = code[:3] in names
            run.add(
                "code_in_codelist", "failed", row,
                f"{classification} code {code} ({printed}) is not in the compiled code list"
                + ("; its 类 is, so the list may be stale" if known_class else "; neither is its 类 " + code[:3]),
                expected="a code of the list", actual=code, severity="info" if known_class else "warning",
                count=counts[(classification, code)], field="subject_code",
            )
            continue
        run.count_checked("code_name_matches_codelist")
        if printed and comparable_name(printed) != comparable_name(names[code]):
            run.add(
                "code_name_matches_codelist", "failed", row,
                f"{code} is printed as {printed!r}; the compiled list names it {names[code]!r} (the printed name is kept)",
                expected=names[code], actual=printed, count=counts[(classification, code)], field="item_name",
            )
    check_code_levels(run, amounts)


def _first_rows_of_codes(amounts: list[Row]) -> tuple[dict[tuple[str, str], Row], dict[tuple[str, str], int]]:
    """The first row printing each (classification, code) of :func:`printed_code_keys`, in
    the order they are met, and how many rows print each. ``printed_code_keys`` inline: no
    call and no list for each amount row (issue 14)."""
    first: dict[tuple[str, str], Row] = {}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in amounts:
        code = row["subject_code"]
        subject = row["classification"] if code and row["classification"] in CODE_FIELDS else None
        if subject is not None:
            key = (subject, code)
            if key not in first:
                first[key] = row
            counts[key] += 1
        for classification, column in CODE_COLUMN_ITEMS:
            other = row.get(column)
            if other and classification != subject:
                key = (classification, other)
                if key not in first:
                    first[key] = row
                counts[key] += 1
    return first, counts


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
        for row in sorted(rows, key=PRINTED_ORDER):
            first.setdefault(row["subject_code"], row)
        # the table prints the hierarchy when some code is printed with its parent
        hierarchical = any(len(c) > 3 and c[:-2] in first for c in first)
        for code, row in first.items():
            run.count_checked("code_level_position")
            if len(code) not in expected_lengths(classification):
                run.add(
                    "code_level_position", "failed", row,
                    f"code {code!r} has {len(code)} digits; {classification} codes have {'/'.join(map(str, expected_lengths(classification)))}",
                    expected="/".join(f"{n} digits" for n in expected_lengths(classification)), actual=code, field="subject_code",
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
