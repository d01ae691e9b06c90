"""The shape of the schemas/ files, checked when they are loaded (pydantic).

A misspelt key, an unknown scope or severity, or a check naming a table id or measure id that
schemas/source_tables.yaml and schemas/columns.yaml do not define is an error naming the file
and the place, instead of a rule that silently never runs. Checked once per process, when the
file is first loaded (:func:`yusuan.core.schemas._load`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from yusuan.core.errors import SchemaError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldSpec(_Strict):
    type: Literal["string", "integer", "number", "boolean", "date", "array", "object"]
    title: str
    title_zh: str
    description: str
    description_zh: str
    columnType: str | None = None  # noqa: N815  (Frictionless spelling)
    constraints: dict[str, Any] | None = None
    decimal: bool | None = None
    scale: int | None = None

    @field_validator("constraints")
    @classmethod
    def _known_constraints(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        unknown = set(value or {}) - {"required", "enum", "minimum", "maximum", "pattern", "unique", "minLength", "maxLength"}
        if unknown:
            raise ValueError(f"unknown constraint(s) {sorted(unknown)}")
        return value


class FieldsFile(_Strict):
    fields: dict[str, FieldSpec]


class ForeignKey(_Strict):
    fields: list[str]
    resource: str
    reference: list[str]


class ResourceSpec(_Strict):
    name: str
    title: str
    title_zh: str
    description: str
    description_zh: str
    fields: list[str]
    primary_key: list[str]
    codelist: str | None = None
    foreign_keys: list[ForeignKey] | None = None


class ResourcesFile(_Strict):
    resources: list[ResourceSpec]


class CheckRule(_Strict):
    id: str
    scope: Literal["row", "table", "across_tables", "narrative", "codes", "document", "package"]
    severity: Literal["error", "warning", "info"]
    tolerance: Literal["exact", "rounding", "text"]
    description: str
    description_zh: str
    not_run_severity: Literal["error", "warning", "info"] | None = None
    compare: list[dict[str, Any]] | None = None
    pairs: Literal["first", "all"] | None = None
    targets: dict[str, list[dict[str, Any] | list[dict[str, Any]]]] | None = None  # YAML aliases nest lists


class ChecksFile(_Strict):
    rules: list[CheckRule] = Field(min_length=1)


SELECTOR_KEYS = frozenset({"table", "measure", "row_role", "row_measure", "side", "sum", "code", "subject_level", "label", "of_which", "column_group"})
PAIR_KEYS = frozenset({"actual", "expected", "match", "relation", "name"})


def _where(error: ValidationError) -> str:
    first = error.errors()[0]
    place = ".".join(str(p) for p in first["loc"])
    return f"{place}: {first['msg']}"


def validate_file(name: str, data: Any) -> None:
    """Raise SchemaError naming ``schemas/<name>`` and the place of the first problem."""
    model = {"fields.yaml": FieldsFile, "resources.yaml": ResourcesFile, "checks.yaml": ChecksFile}.get(name)
    if model is None:
        return
    try:
        model.model_validate(data)
    except ValidationError as exc:
        raise SchemaError(f"schemas/{name}: {_where(exc)}") from None


def check_references(fields: dict[str, Any], resources: list[dict[str, Any]], rules: list[dict[str, Any]], table_ids: set[str], measure_ids: set[str], topics: set[str]) -> list[str]:
    """Ids that one schemas file uses and another does not define (empty when all agree)."""
    problems = []
    for resource in resources:
        for name in resource["fields"] + resource["primary_key"]:
            if name not in fields:
                problems.append(f"resources.yaml: {resource['name']}: field {name!r} is not in fields.yaml")
    seen = set()
    for rule in rules:
        if rule["id"] in seen:
            problems.append(f"checks.yaml: rule id {rule['id']!r} is used twice")
        seen.add(rule["id"])
        where = f"checks.yaml: {rule['id']}"
        for pair in rule.get("compare") or []:
            problems.extend(f"{where}: unknown key {k!r} in a comparison" for k in sorted(set(pair) - PAIR_KEYS))
            for side in ("actual", "expected"):
                selectors = pair.get(side) or []
                for selector in _flat(selectors if isinstance(selectors, list) else [selectors]):
                    problems.extend(_selector_problems(selector, where, table_ids, measure_ids))
        for topic, selectors in (rule.get("targets") or {}).items():
            if topic not in topics and topic not in measure_ids:
                problems.append(f"{where}: target {topic!r} is neither a topic of narrative.yaml nor a measure of columns.yaml")
            for selector in _flat(selectors):
                problems.extend(_selector_problems(selector, where, table_ids, measure_ids))
    return problems


def _flat(items: list[Any]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for item in items:
        flat.extend(_flat(item) if isinstance(item, list) else [item])
    return flat


def _selector_problems(selector: dict[str, Any], where: str, table_ids: set[str], measure_ids: set[str]) -> list[str]:
    problems = [f"{where}: unknown selector key {k!r}" for k in sorted(set(selector) - SELECTOR_KEYS)]
    tables = selector.get("table")
    for table in [tables] if isinstance(tables, str) else tables or []:
        if table not in table_ids:
            problems.append(f"{where}: unknown table id {table!r} (not in source_tables.yaml)")
    for key in ("measure", "row_measure"):
        for measure in selector.get(key) or []:
            if measure not in measure_ids:
                problems.append(f"{where}: unknown measure id {measure!r} (not in columns.yaml)")
    return problems
