"""The checks of tiny tables as printed, for tests of layout families (no publication read)."""

from __future__ import annotations

from yusuan.checks.run import run_checks
from yusuan.core.model import RawTable, SourceDocument
from yusuan.core.schemas import load_registry
from yusuan.interpret.publication_rows import tables_to_rows
from yusuan.interpret.research_fields import add_row_fields


def checks_of(document: SourceDocument, *tables: RawTable) -> list[dict]:
    """The check rows of these tables read as one publication's (no narrative)."""
    registry = load_registry()
    by_table, _ = tables_to_rows(list(tables), document, registry)
    amounts = [row for table in tables for row in by_table[table.sequence]]
    add_row_fields(amounts, document, registry)
    return run_checks(amounts, registry, document.document_id, tables=list(tables), figures=[], fiscal_year=document.fiscal_year).results


def found(checks: list[dict], check_id: str, message: str = "") -> list[tuple[str, str]]:
    """(status, severity) of each check row of ``check_id`` whose message holds ``message``."""
    return [(c["status"], c["severity"]) for c in checks if c["check_id"] == check_id and message in c["message"]]
