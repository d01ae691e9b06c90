"""The bilingual data dictionary of the release, generated from ``schemas/`` only.

Three tables (every table; every field of every table; every value of every value list, in
English and Chinese) go into the release, and the same content is the Markdown page
``docs/data-dictionary.md`` (written by ``scripts/data_dictionary.py``, checked up to date by
a test). Value lists come from where they are defined: measures from ``columns.yaml``, table
ids from ``source_tables.yaml``, headline figures and the labels of enumerated fields and
topics from ``release.yaml``.
"""

from __future__ import annotations

from typing import Any

from yusuan.core.errors import SchemaError
from yusuan.core.schemas import load_registry, release_schema
from yusuan.release.tables import all_fields, release_tables

Row = dict[str, Any]
# Fields whose values are a list defined in another schema file.
LISTED_FIELDS = {"measure": "measure", "table_id": "table_id", "topic": "topic", "figure_id": "figure_id"}


def value_list_of(field: str) -> str:
    """The value list a field takes its values from ('' for free text, codes, numbers)."""
    if field in LISTED_FIELDS:
        return LISTED_FIELDS[field]
    return field if all_fields()[field].get("constraints", {}).get("enum") is not None else ""


def table_rows() -> list[Row]:
    return [
        {"release_table": t.name, "title_en": t.spec["title"], "title_zh": t.spec["title_zh"], "description_en": t.spec["description"], "description_zh": t.spec["description_zh"]}
        for t in release_tables()
    ]


def field_rows() -> list[Row]:
    fields = all_fields()
    rows = []
    for table in release_tables():
        for name in table.columns:
            spec = fields[name]
            rows.append({
                "release_table": table.name, "release_field": name, "field_type": spec["type"], "is_decimal": bool(spec.get("decimal")),
                "title_en": spec["title"], "title_zh": spec["title_zh"], "description_en": spec.get("description", ""),
                "description_zh": spec.get("description_zh", ""), "value_list": value_list_of(name),
            })
    return rows


def value_rows() -> list[Row]:
    """Every value list used by a field of the release, in the order of first use."""
    registry = load_registry()
    labels = release_schema()["value_labels"]
    generated = {
        "measure": [(m.id, m.en, m.zh) for m in registry.measures],
        "table_id": [(t.id, t.title_en, t.title_zh) for t in registry.tables],
        "figure_id": [(f["id"], f["en"], f["zh"]) for f in release_schema()["headline_figures"]],
    }
    rows = []
    for name in dict.fromkeys(r["value_list"] for r in field_rows() if r["value_list"]):
        values = generated.get(name) or [(value, en, zh) for value, (en, zh) in labels.get(name, {}).items()]
        rows.extend({"value_list": name, "list_value": value, "label_en": en, "label_zh": zh} for value, en, zh in values)
    return rows


def missing_labels() -> list[str]:
    """Values a field or the narrative topics can take that have no label (should be none)."""
    labels = release_schema()["value_labels"]
    missing = []
    for name, spec in all_fields().items():
        for value in spec.get("constraints", {}).get("enum") or []:
            if name not in LISTED_FIELDS and value not in labels.get(name, {}):
                missing.append(f"{name}={value!r}")
    missing += [f"topic={t['topic']!r}" for t in load_registry().topics if t["topic"] not in labels.get("topic", {})]
    return sorted(set(missing))


def check_labels() -> None:
    missing = missing_labels()
    if missing:
        raise SchemaError(f"release.yaml value_labels lacks labels for {', '.join(missing)}")


def markdown() -> str:
    """docs/data-dictionary.md: the same content as the three dictionary tables."""
    lines = [
        "# Data dictionary / 数据字典",
        "",
        "<!-- Generated from schemas/ by scripts/data_dictionary.py; do not edit (a test checks it is up to date). -->",
        "",
        "Every table of the research release (`yusuan release`, see `docs/research.md`), every field and every",
        "value list, in English and Chinese. The release carries the same content as the tables",
        "`dictionary_tables`, `dictionary_fields` and `dictionary_values`. Per-publication packages have the",
        "same tables and fields, without `fiscal_year` on each row and without the release's own tables.",
        "",
        "## Tables / 数据表",
        "",
        "| table | title | 标题 | description | 说明 |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| `{r['release_table']}` | {_cell(r['title_en'])} | {_cell(r['title_zh'])} | {_cell(r['description_en'])} | {_cell(r['description_zh'])} |" for r in table_rows()]
    by_table: dict[str, list[Row]] = {}
    for row in field_rows():
        by_table.setdefault(row["release_table"], []).append(row)
    for table, rows in by_table.items():
        lines += ["", f"## `{table}`", "", "| field | type | title | 标题 | description | 说明 | values |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for r in rows:
            kind = r["field_type"] + (" (decimal)" if r["is_decimal"] else "")
            values = f"[{r['value_list']}](#value-list-{r['value_list']})" if r["value_list"] else ""
            lines.append(f"| `{r['release_field']}` | {kind} | {_cell(r['title_en'])} | {_cell(r['title_zh'])} | {_cell(r['description_en'])} | {_cell(r['description_zh'])} | {values} |")
    lines += ["", "## Value lists / 取值表"]
    current = None
    for r in value_rows():
        if r["value_list"] != current:
            current = r["value_list"]
            lines += ["", f"### Value list `{current}`", "", "| value | meaning | 含义 |", "| --- | --- | --- |"]
        lines.append(f"| `{r['list_value']}` | {_cell(r['label_en'])} | {_cell(r['label_zh'])} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
