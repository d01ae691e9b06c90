"""Row types of the package resources, generated from schemas/ by scripts/row_types.py:
do not edit by hand (the tests check that it is up to date)."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict


class DocumentRow(TypedDict, total=False):
    """The publication (document)."""

    document_id: str | None
    issuer: str | None
    issuer_id: str | None
    region: str | None
    division_code: str | None
    government_level: str | None
    department_issuer_id: str | None
    fiscal_year: int | None
    kind: str | None
    kind_id: str | None
    phase: str | None
    issuer_printed: str | None
    fiscal_year_printed: int | None
    kind_printed: str | None
    metadata_source: str | None
    title_printed: str | None
    page_count: int | None
    quality_status: str | None
    status_reason: str | None


class SourceFilesRow(TypedDict, total=False):
    """Source files (source_files)."""

    document_id: str | None
    file_name: str | None
    file_role: str | None
    sha256: str | None
    page_count: int | None


class UnitsRow(TypedDict, total=False):
    """Units covered (units)."""

    document_id: str | None
    unit_number: int | None
    unit_name: str | None
    unit_issuer_id: str | None
    file_name: str | None
    sha256: str | None
    page: int | None
    line: int | None


class SourceTablesRow(TypedDict, total=False):
    """Tables found (source_tables)."""

    document_id: str | None
    table_sequence: int | None
    table_id: str | None
    table_title_zh: str | None
    table_title_en: str | None
    title_printed: str | None
    table_label: str | None
    unit_printed: str | None
    unit: str | None
    unit_basis: str | None
    compiled_by: str | None
    classification: str | None
    fund_scope: str | None
    row_count: int | None
    amount_count: int | None
    table_status: str | None
    status_reason: str | None
    file_name: str | None
    sha256: str | None
    page: int | None


class AmountsRow(TypedDict, total=False):
    """Amounts (tidy) (amounts)."""

    document_id: str | None
    table_sequence: int | None
    row_number: int | None
    column_number: int | None
    table_id: str | None
    item_name_printed: str | None
    item_name: str | None
    budget_unit: str | None
    row_role: str | None
    item_level: int | None
    is_of_which: bool | None
    parent_row_number: int | None
    is_leaf: bool | None
    classification: str | None
    subject_code: str | None
    subject_code_source: str | None
    subject_level: str | None
    class_code: str | None
    section_code: str | None
    item_code: str | None
    function_code: str | None
    economic_code: str | None
    government_economic_code: str | None
    code_edition: str | None
    current_code: str | None
    code_changed: bool | None
    cofog_division: str | None
    row_attributes: str | None
    side: str | None
    column_group: str | None
    measure: str | None
    period: str | None
    column_header: str | None
    fund_scope: str | None
    phase: str | None
    value_printed: str | None
    unit_printed: str | None
    unit: str | None
    amount: Decimal | None
    amount_yuan: Decimal | None
    is_blank: bool | None
    quality_flag: str | None
    check_flag: str | None
    file_name: str | None
    sha256: str | None
    page: int | None
    line: int | None


class NarrativeSectionsRow(TypedDict, total=False):
    """Narrative sections (narrative_sections)."""

    document_id: str | None
    section_number: int | None
    part: str | None
    heading: str | None
    text: str | None
    file_name: str | None
    sha256: str | None
    page: int | None
    line: int | None


class GlossaryRow(TypedDict, total=False):
    """Glossary (glossary)."""

    document_id: str | None
    term_number: int | None
    term: str | None
    definition: str | None
    file_name: str | None
    sha256: str | None
    page: int | None
    line: int | None


class NarrativeFiguresRow(TypedDict, total=False):
    """Figures stated in the text (narrative_figures)."""

    document_id: str | None
    figure_number: int | None
    part: str | None
    heading: str | None
    subject: str | None
    topic: str | None
    figure_kind: str | None
    value_printed: str | None
    value: Decimal | None
    unit_printed: str | None
    amount_yuan: Decimal | None
    count_unit: str | None
    sentence: str | None
    file_name: str | None
    sha256: str | None
    page: int | None
    line: int | None


class PerformanceTargetsRow(TypedDict, total=False):
    """Project performance targets (performance_targets)."""

    document_id: str | None
    project_number: int | None
    target_level: str | None
    project_name: str | None
    funds_total_yuan: Decimal | None
    funds_fiscal_yuan: Decimal | None
    funds_other_yuan: Decimal | None
    unit_printed: str | None
    goal: str | None
    file_name: str | None
    sha256: str | None
    page: int | None
    line: int | None


class PerformanceIndicatorsRow(TypedDict, total=False):
    """Performance indicators (performance_indicators)."""

    document_id: str | None
    project_number: int | None
    indicator_number: int | None
    level1: str | None
    level2: str | None
    level3: str | None
    target_printed: str | None
    comparator: str | None
    target_value: Decimal | None
    target_unit: str | None
    file_name: str | None
    sha256: str | None
    page: int | None
    line: int | None


class ChecksRow(TypedDict, total=False):
    """Check results (checks)."""

    document_id: str | None
    check_number: int | None
    check_id: str | None
    status: str | None
    severity: str | None
    table_sequence: int | None
    table_id: str | None
    row_number: int | None
    row: str | None
    subject_code: str | None
    measure: str | None
    field: str | None
    expected: str | None
    actual: str | None
    difference: str | None
    tolerance: str | None
    count: int | None
    unit_printed: str | None
    message: str | None
    file_name: str | None
    page: int | None


class CheckRowsRow(TypedDict, total=False):
    """Rows touched by each check (check_rows)."""

    document_id: str | None
    check_number: int | None
    table_sequence: int | None
    row_number: int | None
    check_role: str | None


class FunctionClassificationRow(TypedDict, total=False):
    """Function classification (支出功能分类科目) (function_classification)."""

    code: str | None
    level: str | None
    parent_code: str | None
    name_zh: str | None
    name_en: str | None
    name_en_source: str | None
    cofog: str | None
    confidence: str | None
    name_source: str | None


class EconomicClassificationRow(TypedDict, total=False):
    """Departmental economic classification (部门预算支出经济分类科目) (economic_classification)."""

    code: str | None
    level: str | None
    parent_code: str | None
    name_zh: str | None
    name_en: str | None
    name_en_source: str | None
    gfs: str | None
    confidence: str | None
    name_source: str | None


class GovernmentEconomicClassificationRow(TypedDict, total=False):
    """Government economic classification (政府预算支出经济分类科目) (government_economic_classification)."""

    code: str | None
    level: str | None
    parent_code: str | None
    name_zh: str | None
    name_en: str | None
    name_en_source: str | None
    gfs: str | None
    confidence: str | None
    name_source: str | None


class CodeConcordanceRow(TypedDict, total=False):
    """Code concordance across editions (code_concordance)."""

    classification: str | None
    edition: str | None
    code: str | None
    name_zh: str | None
    current_code: str | None
    current_name_zh: str | None
    change_kind: str | None
    code_changed: bool | None
    confidence: str | None
    note: str | None


class CofogWeightsRow(TypedDict, total=False):
    """Function codes to COFOG divisions (weighted) (cofog_weights)."""

    code: str | None
    division: str | None
    weight: Decimal | None


ROW_TYPES: dict[str, type] = {
    "document": DocumentRow,
    "source_files": SourceFilesRow,
    "units": UnitsRow,
    "source_tables": SourceTablesRow,
    "amounts": AmountsRow,
    "narrative_sections": NarrativeSectionsRow,
    "glossary": GlossaryRow,
    "narrative_figures": NarrativeFiguresRow,
    "performance_targets": PerformanceTargetsRow,
    "performance_indicators": PerformanceIndicatorsRow,
    "checks": ChecksRow,
    "check_rows": CheckRowsRow,
    "function_classification": FunctionClassificationRow,
    "economic_classification": EconomicClassificationRow,
    "government_economic_classification": GovernmentEconomicClassificationRow,
    "code_concordance": CodeConcordanceRow,
    "cofog_weights": CofogWeightsRow,
}
