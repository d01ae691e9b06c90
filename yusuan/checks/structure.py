"""Tables against themselves: a table that could not be parsed, a note that contradicts
its table ("本表为空表" under a filled table, a 国有资本 table whose note speaks of
政府性基金)."""

from __future__ import annotations

from typing import Any

from yusuan.checks.engine import CheckRun, Row
from yusuan.core.model import RawTable
from yusuan.core.numbers import clean_cell, looks_like_amount
from yusuan.core.schemas import Registry
from yusuan.core.vocabulary import mapping, pattern, word

EMPTY_NOTE = pattern("empty_note")
# fund scopes whose own table may carry a note naming them (fields.yaml fund_scope)
FUND_WORDS = mapping("fund_scope_words")


def check_tables(run: CheckRun, tables: list[RawTable], amounts: list[Row], registry: Registry) -> None:
    by_sequence: dict[int, list[Row]] = {}
    for row in amounts:
        by_sequence.setdefault(row["table_sequence"], []).append(row)
    for table in tables:
        spec = registry.by_id.get(table.table_id)
        if spec is None or spec.kind != "amounts":
            continue
        rows = by_sequence.get(table.sequence, [])
        check_parsed(run, table, rows)
        check_empty_note(run, table, rows)
        check_note_fund(run, table, spec.fund_scope)


def _where(table: RawTable) -> dict[str, Any]:
    return {"table_id": table.table_id, "table_sequence": table.sequence, "page": table.origin.page, "file_name": table.origin.file}


def check_parsed(run: CheckRun, table: RawTable, rows: list[Row]) -> None:
    """A standard amount table whose body prints numbers but gave no amount could not be parsed."""
    # the body's numbers are counted only when no amount was read: they are the failure's message
    numbers = 0 if rows else sum(1 for cells in table.body for c in cells if c and looks_like_amount(c) and any(ch in clean_cell(c) for ch in ".,"))
    run.count_checked("table_parsed")
    if numbers and not rows:
        run.add("table_parsed", "failed", None, f"the table prints {numbers} amounts but none could be read (no amount column identified)", actual=str(numbers), **_where(table))
    elif not table.body and not table.notes and not table.declared_empty:
        if _prints_blank_rows(table):
            # a blank form (上海: one printed row, every cell empty): empty as printed, said as a note
            run.add("table_parsed", "failed", None, "the table prints only blank rows and no note saying it is empty", severity="info", **_where(table))
        else:
            run.add("table_parsed", "failed", None, "the table has a header but no rows and no note saying it is empty", severity="warning", **_where(table))


def _prints_blank_rows(table: RawTable) -> bool:
    """The table's rows below its header words are printed with every cell empty (the rows
    are read into the header, as there is nothing to tell them from it)."""
    return len(table.header) > 1 and not any(c and c.strip() for c in table.header[-1])


def check_empty_note(run: CheckRun, table: RawTable, rows: list[Row]) -> None:
    """A note saying the table is empty under a table that prints amounts other than 0."""
    notes = [n for n in table.notes if EMPTY_NOTE.search(clean_cell(n))] + ([table.declared_empty] if table.declared_empty else [])
    if not notes:
        return
    filled = [r for r in rows if r["amount"] not in (None,) and r["amount"] != 0]
    run.count_checked("empty_table_note_matches_table")
    if filled:
        first = filled[0]
        run.add(
            "empty_table_note_matches_table", "failed", first,
            f"the note says the table is empty ({notes[0]}) but it prints {len(filled)} amounts other than 0",
            expected="0", actual=first["value_printed"], field="note",
        )


def check_note_fund(run: CheckRun, table: RawTable, fund_scope: str) -> None:
    """The note of a fund's table speaks of another fund (a note copied from the table before)."""
    own = FUND_WORDS.get(fund_scope)
    if own is None:
        return
    run.count_checked("note_names_own_fund")
    for note in table.notes:
        text = clean_cell(note)
        if word("keeps_empty_format") in text:
            continue  # the template's instruction, printed above the real note
        others = [word for scope, word in FUND_WORDS.items() if scope != fund_scope and word in text]
        if others and own not in text:
            run.add(
                "note_names_own_fund", "failed", None,
                f"the note of this {own} table speaks of {others[0]}: {note}",
                expected=own, actual=others[0], field="note", **_where(table),
            )
