"""One publication -> the rows of every resource of its package, with check results.

This is the library's whole path for a document; the CLI and the Prefect flow call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yusuan import codelists
from yusuan.checks import add_findings, run_checks, validate_resources
from yusuan.errors import ExtractionError
from yusuan.extract import document_to_blocks
from yusuan.identity import PrintedIdentity, read_identity
from yusuan.model import ExtractedDocument, Finding, RawTable, SourceDocument, TextLine
from yusuan.narrative import figure_rows, glossary_rows, lines_to_sections, sections_to_rows
from yusuan.normalize import raw_table_to_rows
from yusuan.performance import performance_table_to_rows
from yusuan.quality import quality_status_of
from yusuan.schemas import Registry, load_registry, normalize_label, package_metadata
from yusuan.tables import blocks_to_raw_tables, text_grids_to_lines

Row = dict[str, Any]


@dataclass
class DocumentResult:
    document: SourceDocument
    resources: dict[str, list[Row]]
    findings: list[Finding] = field(default_factory=list)

    @property
    def quality_status(self) -> str:
        return self.resources["document"][0]["quality_status"]

    @property
    def is_blocked(self) -> bool:
        return self.quality_status == "blocked"

    def summary(self) -> dict[str, Any]:
        checks = self.resources["checks"]
        return {
            "document_id": self.document.document_id,
            "tables": len(self.resources["source_tables"]),
            "amounts": len(self.resources["amounts"]),
            "checks_passed": sum(c["status"] == "passed" for c in checks),
            "checks_failed": sum(c["status"] == "failed" for c in checks),
            "checks_not_run": sum(c["status"] == "not_run" for c in checks),
            "quality_status": self.quality_status,
        }


def process_document(document: SourceDocument, registry: Registry | None = None) -> DocumentResult:
    """Extract, normalise and check one publication. Raises ExtractionError for unreadable input."""
    registry = registry or load_registry()
    extracted = document_to_blocks(document)
    return extracted_to_result(extracted, registry)


def extracted_to_result(extracted: ExtractedDocument, registry: Registry) -> DocumentResult:
    document = extracted.document
    extracted.blocks = text_grids_to_lines(extracted.blocks, registry)
    tables, findings = blocks_to_raw_tables(extracted.blocks, registry)
    amount_tables = [t for t in tables if _kind(t, registry) == "amounts"]
    if not any(not t.table_id.startswith("unidentified") for t in amount_tables):
        names = ", ".join(f.name for f in document.files)
        if extracted.pages_without_text and len(extracted.pages_without_text) == extracted.page_count:
            pages = ", ".join(f"{file} page {page}" for file, page in extracted.pages_without_text)
            raise ExtractionError(names, f"no page has a text layer (scanned images; OCR is not enabled): {pages}")
        raise ExtractionError(names, "no budget table found (is this a budget publication? scanned pages need OCR)")
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
    amounts: list[Row] = []
    for table in amount_tables:
        rows, table_findings = raw_table_to_rows(table, registry.by_id.get(table.table_id), document, registry)
        amounts += rows
        findings += table_findings
    performance, indicators = _performance(tables, document.document_id)
    lines = [b for b in extracted.blocks if isinstance(b, TextLine) and not b.role]
    sections = lines_to_sections(lines, registry)
    printed = read_identity([b for b in extracted.blocks if isinstance(b, TextLine)], tables)
    findings += identity_findings(document, printed)
    figures = figure_rows(sections, document.document_id, registry)
    check_run = run_checks(amounts, registry, document.document_id, tables=amount_tables, figures=figures, fiscal_year=document.fiscal_year)
    add_findings(check_run, findings)
    checks = check_run.results
    resources = {
        "document": [_document_row(document, extracted, checks, printed)],
        "source_files": [_file_row(document, f, extracted) for f in document.files],
        "units": _unit_rows(tables, document.document_id, registry),
        "source_tables": [_table_row(t, amounts, document.document_id, registry) for t in tables if _kind(t, registry) == "amounts"],
        "amounts": amounts,
        "narrative_sections": sections_to_rows(sections, document.document_id),
        "glossary": glossary_rows(sections, document.document_id),
        "narrative_figures": figures,
        "performance_targets": performance,
        "performance_indicators": indicators,
        "checks": checks,
        "function_classification": codelists.function_rows(amounts),
        "economic_classification": codelists.economic_rows(amounts),
    }
    validate_resources(check_run, resources)  # Frictionless: types, constraints, keys
    resources["checks"] = check_run.results
    resources["document"][0]["quality_status"] = quality_status(resources["checks"])
    return DocumentResult(document, resources, findings)


def _kind(table: RawTable, registry: Registry) -> str:
    spec = registry.by_id.get(table.table_id)
    return spec.kind if spec else "amounts"


def _performance(tables: list[RawTable], document_id: str) -> tuple[list[Row], list[Row]]:
    projects: list[Row] = []
    indicators: list[Row] = []
    for table in (t for t in tables if t.table_id == "performance_target"):
        project, rows = performance_table_to_rows(table, len(projects) + 1, document_id)
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
        "phase": "actual" if "决算" in document.kind else "budget",
        "issuer_printed": printed.issuer,
        "fiscal_year_printed": printed.fiscal_year,
        "kind_printed": printed.kind,
        "title_printed": cover,
        "page_count": extracted.page_count,
        "quality_status": quality_status(checks),
    }


def _file_row(document: SourceDocument, source: Any, extracted: ExtractedDocument) -> Row:
    pages = {b.origin.page for b in extracted.blocks if b.origin.file == source.name and b.origin.page}
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
        for cells, origin in zip(table.body, table.body_origins, strict=True):
            name = next((c for c in reversed(cells) if c and not c.isdigit()), "")
            if name:
                rows.append({
                    "document_id": document_id, "unit_number": len(rows) + 1, "unit_name": name,
                    "file_name": origin.file, "sha256": origin.sha256, "page": origin.page, "line": origin.line,
                })
    return rows


def _table_row(table: RawTable, amounts: list[Row], document_id: str, registry: Registry) -> Row:
    spec = registry.by_id.get(table.table_id)
    own = [a for a in amounts if a["table_sequence"] == table.sequence]
    return {
        "document_id": document_id,
        "table_sequence": table.sequence,
        "table_id": table.table_id,
        "table_title_zh": spec.title_zh if spec else "",
        "table_title_en": spec.title_en if spec else "",
        "title_printed": table.title,
        "table_label": table.label,
        "unit_printed": table.unit_text,
        "compiled_by": table.compiled_by,
        "classification": spec.classification if spec else "none",
        "fund_scope": spec.fund_scope if spec else "none",
        "row_count": len(table.body),
        "amount_count": sum(a["amount"] is not None for a in own),
        "file_name": table.origin.file,
        "sha256": table.origin.sha256,
        "page": table.origin.page,
    }
