"""A publication's amount tables read into rows, each table in the light of the others.

Tables are read one by one (normalize.raw_table_to_rows). A table that prints its
classification by names only gets its codes from the code list; a name the list lacks stays
without a code. Where the same publication prints that name with its code in another table
(深圳: the summary tables print 信访业务 by name, 表7 prints 2014004 信访业务), the table is read
again with those printed codes (code_inference.PrintedCodes): only tables with an uncoded item
whose name the publication prints with a code are read twice. A table that lists a budget unit
and, below it, a row labelled with the name of another unit the publication lists elsewhere (a
project table: no code shows where a unit starts) is read again knowing the publication's units
(budget_units.units_named_elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from yusuan.core.model import Finding, RawTable, SourceDocument
from yusuan.core.schemas import Registry
from yusuan.interpret.budget_units import may_gain_units, publication_units
from yusuan.interpret.code_inference import PrintedCodes, name_key
from yusuan.interpret.normalize import CODE_FIELDS, raw_table_to_rows

Rows = list[dict[str, Any]]


def tables_to_rows(tables: list[RawTable], document: SourceDocument, registry: Registry) -> tuple[dict[int, Rows], list[Finding]]:
    """Rows by table sequence, and the findings in the order of the tables."""
    read = {table.sequence: raw_table_to_rows(table, registry.by_id.get(table.table_id), document, registry) for table in tables}
    printed = printed_codes(rows for rows, _ in read.values())
    with_printed: set[int] = set()
    if printed:
        for table in tables:
            if _may_gain_codes(read[table.sequence][0], printed):
                read[table.sequence] = raw_table_to_rows(table, registry.by_id.get(table.table_id), document, registry, printed)
                with_printed.add(table.sequence)
    units = publication_units(rows for rows, _ in read.values())
    if units:
        for table in tables:
            if may_gain_units(read[table.sequence][0], units):
                codes = printed if table.sequence in with_printed else None
                read[table.sequence] = raw_table_to_rows(table, registry.by_id.get(table.table_id), document, registry, codes, units)
    return {sequence: rows for sequence, (rows, _) in read.items()}, [f for table in tables for f in read[table.sequence][1]]


def printed_codes(tables: Iterable[Rows]) -> PrintedCodes:
    """The codes printed with a name in the rows of these tables, by classification.

    Each (classification, code, name) is added once: the amount rows of a printed row repeat
    it for every amount column, and adding it again changes nothing (the name is then either
    that code's or ambiguous for good; issue 14)."""
    printed = PrintedCodes()
    added: set[tuple[str, str, str]] = set()
    for rows in tables:
        for row in rows:
            if row["subject_code_source"] == "printed" and row["subject_level"] and row["classification"] in CODE_FIELDS:
                triple = (row["classification"], row["subject_code"], row["item_name"])
                if triple not in added:
                    added.add(triple)
                    printed.add(*triple)
    return printed


def _may_gain_codes(rows: Rows, printed: PrintedCodes) -> bool:
    """Whether the table has an expenditure item of a classification without a code whose
    name the publication prints with a code of that classification (the rows the names are
    inferred for: normalize.raw_table_to_rows, in tables that print no code)."""
    if any(row["subject_code_source"] == "printed" for row in rows):
        return False
    return any(
        not row["subject_code"] and row["row_role"] == "item" and row["item_name"] and row["side"] != "revenue"
        and (row["classification"], name_key(row["item_name"])) in printed.names
        for row in rows
    )
