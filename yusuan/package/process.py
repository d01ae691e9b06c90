"""One publication -> the rows of every resource of its package, with check results.

This is the library's whole path for a document; the CLI and the Prefect flow call it.
One check is not made here: the Frictionless validation of the package's files, which runs
on the files themselves when the package is written (yusuan/package/staged_validation.py,
``check_unpublished`` for a result that is not written).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from yusuan.checks.engine import CheckRun
from yusuan.checks.quality import quality_status_of
from yusuan.checks.run import add_findings, run_checks
from yusuan.core import codelists
from yusuan.core.collector import fewer_collections
from yusuan.core.errors import ExtractionError
from yusuan.core.model import ExtractedDocument, Finding, RawTable, SourceDocument, TextLine
from yusuan.core.numbers import UNIT_MULTIPLIERS
from yusuan.core.resource_rows import SharedRows, check_row_keys, shared_rows
from yusuan.core.schemas import Registry, load_registry, normalize_label, package_metadata
from yusuan.core.vocabulary import word
from yusuan.extract import document_to_blocks
from yusuan.interpret.identity import PrintedIdentity, read_identity
from yusuan.interpret.narrative import (
    figure_rows,
    glossary_rows,
    lines_to_sections,
    sections_to_rows,
)
from yusuan.interpret.performance_list import performance_table_to_projects
from yusuan.interpret.publication_rows import tables_to_rows
from yusuan.interpret.research_fields import (
    add_publication_fields,
    add_row_fields,
    after_checks,
    cofog_weight_rows,
    concordance_rows,
)
from yusuan.interpret.unit_inference import apply_unit, infer_unit
from yusuan.interpret.unit_lists import units_from_narrative
from yusuan.layout.contents_declarations import empty_declarations, mark_declared_empty
from yusuan.layout.page_furniture import mark_page_furniture
from yusuan.layout.tables import read_tables, text_grids_to_lines
from yusuan.package.page_attachments import unread_attachment_findings

Row = dict[str, Any]


@dataclass
class DocumentResult:
    document: SourceDocument
    resources: dict[str, list[Row]]
    findings: list[Finding] = field(default_factory=list)
    # the checks made so far; the package's validation adds its result to a fork of it
    check_run: CheckRun | None = field(default=None, repr=False)
    # the performance target tables read (not published: a table that lists projects gives
    # several performance_targets rows, and benchmarks/corpus.py counts tables)
    performance_tables: int = 0

    @property
    def quality_status(self) -> str:
        return self.resources["document"][0]["quality_status"]

    @property
    def is_blocked(self) -> bool:
        return self.quality_status == "blocked"

    def summary(self) -> dict[str, Any]:
        """The counts of the check rows by status (the failed by severity), counted in one walk
        over the rows (they were seven generator passes, and the summary is asked twice a
        published package: its descriptor and the run's outcome; stop 35)."""
        checks = self.resources["checks"]
        passed = failed = errors = warnings = notes = not_run = 0
        for check in checks:
            status = check["status"]
            if status == "failed":
                failed += 1
                severity = check["severity"]  # read of the failed only, as before
                if severity == "error":
                    errors += 1
                elif severity == "warning":
                    warnings += 1
                else:  # of the failed: errors and warnings are findings; info results are notes
                    notes += 1
            elif status == "passed":
                passed += 1
            elif status == "not_run":
                not_run += 1
        return {
            "document_id": self.document.document_id,
            "tables": len(self.resources["source_tables"]),
            "amounts": len(self.resources["amounts"]),
            "checks_passed": passed,
            "checks_failed": failed,
            "checks_errors": errors,
            "checks_warnings": warnings,
            "checks_notes": notes,
            "checks_not_run": not_run,
            "quality_status": self.quality_status,
        }


def process_document(document: SourceDocument, registry: Registry | None = None) -> DocumentResult:
    """Extract, normalise and check one publication. Raises ExtractionError for unreadable input."""
    registry = registry or load_registry()
    extracted = document_to_blocks(document)
    return extracted_to_result(extracted, registry)


@fewer_collections()  # a publication's rows hold no cycles either (core/collector.py)
def extracted_to_result(extracted: ExtractedDocument, registry: Registry) -> DocumentResult:
    document = extracted.document
    declared_empty = empty_declarations(extracted.blocks, registry)  # read before the contents grid becomes text
    extracted.blocks = text_grids_to_lines(extracted.blocks, registry)
    furniture = mark_page_furniture(extracted.blocks, registry)
    tables, findings, claims = read_tables(furniture.without(extracted.blocks, "page_furniture"), registry)
    claims.update(furniture)
    mark_declared_empty(tables, declared_empty, registry)
    amount_tables = [t for t in tables if _kind(t, registry) == "amounts"]
    names = ", ".join(f.name for f in document.files)
    if extracted.pages_without_text and len(extracted.pages_without_text) == extracted.page_count:
        pages = ", ".join(f"{file} page {page}" for file, page in extracted.pages_without_text)
        raise ExtractionError(names, f"no page has a text layer (scanned images; OCR is not enabled): {pages}")
    findings += [
        Finding("page_has_text", "warning", "page has no text layer (image only?): not read", page=page, file=file)
        for file, page in extracted.pages_without_text
    ]
    findings += [
        Finding("page_has_text", "info", "blank page (nothing printed)", page=page, file=file)
        for file, page in extracted.blank_pages
    ]
    findings += [
        Finding("hidden_text_ignored", "info", f"{count} characters printed outside the page (invisible) were not read", page=page, file=file)
        for file, page, count in extracted.hidden_chars
    ]
    findings += document.findings  # found by the ingest stage (a page's attachments)
    findings += unread_attachment_findings(document)
    by_table, table_findings = tables_to_rows(amount_tables, document, registry)
    findings += table_findings
    performance, indicators = _performance(tables, document.document_id, registry)
    lines = claims.unclaimed(extracted.blocks)
    sections = lines_to_sections(lines, registry)
    printed = read_identity([b for b in extracted.blocks if isinstance(b, TextLine)], tables)
    findings += identity_findings(document, printed)
    figures = figure_rows(sections, document.document_id, registry)
    units = table_units(amount_tables, by_table, figures, findings)
    amounts = [row for table in amount_tables for row in by_table[table.sequence]]
    if not tables:
        if not figures:
            raise ExtractionError(names, "neither a budget table nor a budget narrative (no table grid, no amount in the text): is this a budget publication?")
        findings.append(Finding("publication_has_tables", "warning", f"no budget table in {names}: the package holds the narrative and its {len(figures)} figures only"))
    add_row_fields(amounts, document, registry)
    check_run = run_checks(amounts, registry, document.document_id, tables=amount_tables, figures=figures, fiscal_year=document.fiscal_year)
    add_findings(check_run, findings)
    checks = check_run.results
    doubts = table_doubts(checks)
    for row in amounts:
        if row["table_sequence"] in doubts:
            row["quality_flag"] = "in_doubt"
    printed_in = printed_counts(amounts)
    resources = {
        "document": [_document_row(document, extracted, checks, printed)],
        "source_files": [_file_row(document, f, extracted) for f in document.files],
        "units": _unit_rows(tables, document.document_id, registry),
        "source_tables": [_table_row(t, printed_in, document.document_id, registry, doubts, units) for t in amount_tables],
        "amounts": amounts,
        "narrative_sections": sections_to_rows(sections, document.document_id),
        "glossary": glossary_rows(sections, document.document_id),
        "narrative_figures": figures,
        "performance_targets": performance,
        "performance_indicators": indicators,
        "checks": checks,
        "function_classification": codelists.function_rows(amounts),
        "economic_classification": codelists.economic_rows(amounts),
        "government_economic_classification": codelists.government_economic_rows(amounts),
        "check_rows": check_run.touched_rows,
        "code_concordance": shared_concordance_rows(),
        "cofog_weights": cofog_weight_rows(),
    }
    if not resources["units"]:
        resources["units"] = units_from_narrative(resources["narrative_sections"], document.document_id)
    add_publication_fields(resources["document"][0], resources["units"], document)
    after_checks(amounts, resources["checks"], resources["check_rows"], registry)
    result = DocumentResult(document, resources, findings, check_run, sum(_kind(t, registry) == "performance_target" for t in tables))
    conclude_checks(result, check_run, results=checks)  # the run has not changed since ``checks``
    check_row_keys(resources)  # a misspelt key is a bug, not an empty column
    return result


@cache
def shared_concordance_rows() -> SharedRows:
    """The code_concordance resource, made once per process from the compiled concordance and
    shared by every package (rows no one can change: the writer reuses what it made of them,
    issue 14)."""
    return shared_rows(concordance_rows())


def conclude_checks(result: DocumentResult, run: CheckRun, results: list[Row] | None = None) -> None:
    """The check rows and their links from ``run``, and the document's status and its reason
    that follow from them. Again when the package's validation adds its result
    (yusuan/package/staged_validation.py): its rows link no amount row and come after the
    results the amounts' check flags point to, so the flags stay as they are.

    ``results``: ``run.results`` already taken by the caller, when nothing has added to the
    run or changed those rows since (``run.touched_rows`` are then theirs too); computing
    them again gives rows equal to these (stop 25)."""
    resources = result.resources
    resources["checks"] = run.results if results is None else results
    resources["check_rows"] = run.touched_rows
    names = ", ".join(f.name for f in result.document.files)
    resources["document"][0]["quality_status"] = quality_status(resources["checks"])
    resources["document"][0]["status_reason"] = status_reason(resources["source_tables"], resources["checks"], names)


def table_units(tables: list[RawTable], by_table: dict[int, list[Row]], figures: list[Row], findings: list[Finding]) -> dict[int, tuple[str, str]]:
    """table_sequence -> (unit, basis) of every amount table: as printed, or inferred from the
    document's evidence for a table that prints none (yusuan/interpret/unit_inference.py)."""
    units: dict[int, tuple[str, str]] = {}
    printed = [r for t in tables if t.unit_text in UNIT_MULTIPLIERS for r in by_table[t.sequence]]
    for table in tables:
        rows = by_table[table.sequence]
        if table.unit_text in UNIT_MULTIPLIERS:
            units[table.sequence] = (table.unit_text, "printed")
            continue
        units[table.sequence] = ("", "")
        if not any(r["amount"] is not None for r in rows):
            continue
        inferred = infer_unit(rows, printed, figures)
        where = (table.table_id, table.origin.page, table.origin.file)
        if inferred is None:
            findings.append(Finding("unit_declared", "error", "no money unit (单位：元/万元) is printed for this table and none could be inferred from the other tables or the narrative; amounts are not converted to yuan", *where, table_sequence=table.sequence))
            continue
        apply_unit(rows, inferred)
        units[table.sequence] = (inferred.unit, inferred.basis)
        findings.append(Finding("unit_declared", "warning", f"no money unit is printed for this table; read in {inferred.unit} ({inferred.basis}: {inferred.evidence}); its rows are flagged unit_inferred", *where, table_sequence=table.sequence, actual=inferred.unit))
    return units


def table_doubts(checks: list[Row]) -> dict[int, list[str]]:
    """table_sequence -> the reasons its reading is in doubt (failed checks of severity error)."""
    doubts: dict[int, list[str]] = {}
    for check in checks:
        if check["status"] == "failed" and check["severity"] == "error" and check.get("table_sequence") is not None:
            reasons = doubts.setdefault(check["table_sequence"], [])
            if check["check_id"] not in (r.split(":")[0] for r in reasons):
                reasons.append(f"{check['check_id']}: {check['message']}")
    return doubts


def status_reason(tables: list[Row], checks: list[Row], names: str) -> str:
    """One line: what is in doubt, or why the publication has no tables."""
    parts = []
    if not tables:
        parts.append(f"no budget table in {names}: narrative only")
    doubtful = [t for t in tables if t["table_status"] == "in_doubt"]
    if doubtful:
        listed = "; ".join(f"{t['table_id']} p{t['page']} ({t['status_reason'].split(':')[0]})" for t in doubtful[:6])
        parts.append(f"{len(doubtful)} of {len(tables)} tables in doubt, their rows flagged: {listed}" + ("; …" if len(doubtful) > 6 else ""))
    package_errors = [c for c in checks if c["status"] == "failed" and c["severity"] == "error" and c.get("table_sequence") is None]
    if package_errors:
        parts.append("the package is invalid: " + "; ".join(c["message"] for c in package_errors[:3]))
    return "; ".join(parts)


def _kind(table: RawTable, registry: Registry) -> str:
    spec = registry.by_id.get(table.table_id)
    return spec.kind if spec else "amounts"


def _performance(tables: list[RawTable], document_id: str, registry: Registry) -> tuple[list[Row], list[Row]]:
    projects: list[Row] = []
    indicators: list[Row] = []
    for table in (t for t in tables if _kind(t, registry) == "performance_target"):
        for project, rows in performance_table_to_projects(table, len(projects) + 1, document_id):
            project["target_level"] = "department" if table.table_id == "department_performance_target" else "project"
            projects.append(project)
            indicators += rows
    return projects, indicators


def quality_status(checks: list[Row]) -> str:
    """blocked (a failed error), warnings (a failed or not-run warning), else passed."""
    return quality_status_of(checks)


def identity_findings(document: SourceDocument, printed: PrintedIdentity) -> list[Finding]:
    """The manifest against the document's own words: year and kind must agree."""
    findings = []
    if printed.fiscal_year is not None and printed.fiscal_year != document.fiscal_year:
        findings.append(Finding("identity_matches_manifest", "warning", f"the document is for {printed.fiscal_year}, the manifest says {document.fiscal_year}", field="fiscal_year", expected=str(document.fiscal_year), actual=str(printed.fiscal_year)))
    if printed.kind and printed.kind != document.kind:
        findings.append(Finding("identity_matches_manifest", "warning", f"the document is a {printed.kind}, the manifest says {document.kind}", field="kind", expected=document.kind, actual=printed.kind))
    if printed.issuer and normalize_label(printed.issuer) != normalize_label(document.issuer):
        findings.append(Finding("identity_matches_manifest", "info", f"the document names its issuer {printed.issuer!r}, the manifest {document.issuer!r}", field="issuer", expected=document.issuer, actual=printed.issuer))
    return findings


def _document_row(document: SourceDocument, extracted: ExtractedDocument, checks: list[Row], printed: PrintedIdentity) -> Row:
    meta = package_metadata()
    cover = next((b.text for b in extracted.blocks if isinstance(b, TextLine) and document.kind in b.text.replace(" ", "")), "")
    return {
        "document_id": document.document_id,
        "issuer": document.issuer,
        "region": document.region,
        "fiscal_year": document.fiscal_year,
        "kind": document.kind,
        "kind_id": meta["kind_id"][document.kind],
        "phase": "actual" if word("actual_kind") in document.kind else "budget",
        "issuer_printed": printed.issuer,
        "fiscal_year_printed": printed.fiscal_year,
        "kind_printed": printed.kind,
        "metadata_source": document.metadata_source,
        "title_printed": cover,
        "page_count": extracted.page_count,
        "quality_status": quality_status(checks),
        "status_reason": "",
    }


def _file_row(document: SourceDocument, source: Any, extracted: ExtractedDocument) -> Row:
    name = source.name  # a property of a path: asked once, not once per block (issue 14)
    pages = {b.origin.page for b in extracted.blocks if b.origin.file == name and b.origin.page}
    return {
        "document_id": document.document_id,
        "file_name": source.name,
        "file_role": source.role,
        "sha256": source.sha256,
        "page_count": max(pages, default=0),
    }


def _unit_rows(tables: list[RawTable], document_id: str, registry: Registry) -> list[Row]:
    rows: list[Row] = []
    for table in (t for t in tables if _kind(t, registry) == "unit_list"):
        column = _unit_name_column(table, registry)
        for cells, origin in zip(table.body, table.body_origins, strict=True):
            if column is not None and column < len(cells):
                name = (cells[column] or "").strip()
            else:
                name = next((c for c in reversed(cells) if c and not c.isdigit()), "")
            if name:
                rows.append({
                    "document_id": document_id, "unit_number": len(rows) + 1, "unit_name": name,
                    "file_name": origin.file, "sha256": origin.sha256, "page": origin.page, "line": origin.line,
                })
    return rows


def _unit_name_column(table: RawTable, registry: Registry) -> int | None:
    """The column of a list of units that names them (单位名称), beside its number, headcount
    or kind columns; None when no header names it."""
    for row in table.header:
        for j, cell in enumerate(row):
            if cell and any(p.fullmatch(normalize_label(cell)) for p in registry.unit_headers):
                return j
    return None


def printed_counts(amounts: list[Row]) -> Counter[int]:
    """table_sequence -> how many of its amount rows print an amount, counted in one pass
    over the amounts (issue 14: each table's row scanned them all)."""
    return Counter(a["table_sequence"] for a in amounts if a["amount"] is not None)


def _empty_because(table: RawTable) -> str:
    """Why an empty table is empty, in the publication's words: its own note, else the
    contents page's declaration."""
    if table.notes:
        return f" (note: {table.notes[0]})"
    return f" ({table.declared_empty})" if table.declared_empty else ""


def _table_row(table: RawTable, printed_by_table: Counter[int], document_id: str, registry: Registry, doubts: dict[int, list[str]], units: dict[int, tuple[str, str]]) -> Row:
    spec = registry.by_id.get(table.table_id)
    printed = printed_by_table[table.sequence]
    if table.sequence in doubts:
        status, reason = "in_doubt", "; ".join(doubts[table.sequence])
    elif not printed:
        status, reason = "empty", "the table prints no amount" + _empty_because(table)
    else:
        status, reason = "read", ""
    return {
        "document_id": document_id,
        "table_sequence": table.sequence,
        "table_id": table.table_id,
        "table_title_zh": spec.title_zh if spec else "",
        "table_title_en": spec.title_en if spec else "",
        "title_printed": table.title,
        "table_label": table.label,
        "unit_printed": table.unit_text,
        "unit": units.get(table.sequence, ("", ""))[0],
        "unit_basis": units.get(table.sequence, ("", ""))[1],
        "compiled_by": table.compiled_by,
        "classification": spec.classification if spec else "none",
        "fund_scope": spec.fund_scope if spec else "none",
        "row_count": len(table.body),
        "amount_count": printed,
        "table_status": status,
        "status_reason": reason,
        "file_name": table.origin.file,
        "sha256": table.origin.sha256,
        "page": table.origin.page,
    }
