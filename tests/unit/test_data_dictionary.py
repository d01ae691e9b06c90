"""The bilingual data dictionary: complete, generated from schemas/, and the page up to date."""

from __future__ import annotations

import re
from pathlib import Path

from yusuan.core.schemas import load_registry
from yusuan.release import dictionary
from yusuan.release.tables import release_tables

ROOT = Path(__file__).resolve().parents[2]


def test_the_page_is_up_to_date():
    page = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert page == dictionary.markdown(), "docs/data-dictionary.md is out of date: run python scripts/data_dictionary.py"


def test_every_enumerated_value_and_topic_has_an_english_and_a_chinese_label():
    assert dictionary.missing_labels() == []
    for row in dictionary.value_rows():
        assert row["label_en"].strip() and row["label_zh"].strip(), row


def test_every_table_and_field_of_the_release_is_described_in_both_languages():
    tables = {r["release_table"] for r in dictionary.table_rows()}
    assert tables == {t.name for t in release_tables()}
    assert {"amounts", "headline_figures", "dictionary_values", "function_classification"} <= tables
    for row in dictionary.field_rows():
        assert row["title_en"] and row["title_zh"], row
    amounts = {r["release_field"]: r for r in dictionary.field_rows() if r["release_table"] == "amounts"}
    assert amounts["amount_yuan"]["is_decimal"] and amounts["fiscal_year"]["field_type"] == "integer"
    assert amounts["measure"]["value_list"] == "measure" and amounts["row_role"]["value_list"] == "row_role"


def test_value_lists_cover_measures_table_ids_topics_roles_and_statuses():
    values = {(r["value_list"], r["list_value"]): r for r in dictionary.value_rows()}
    registry = load_registry()
    assert {m.id for m in registry.measures} <= {v for (name, v) in values if name == "measure"}
    assert {t.id for t in registry.tables} <= {v for (name, v) in values if name == "table_id"}
    assert {t["topic"] for t in registry.topics} <= {v for (name, v) in values if name == "topic"}
    assert values[("measure", "outbound_travel")]["label_zh"] == "因公出国（境）费"
    assert values[("table_id", "three_public_expenses")]["label_en"]
    assert values[("row_role", "total")]["label_zh"] == "合计"
    assert values[("table_status", "in_doubt")]["label_en"] == "In doubt"
    assert values[("status", "not_run")]["label_zh"] == "未执行"
    assert values[("figure_id", "vehicles_held")]["label_zh"] == "车辆保有量"


def _github_anchor(heading: str) -> str:
    """The id GitHub (and most Markdown renderers) give a heading: lower case, punctuation
    other than hyphens and underscores dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_value_list_link_leads_to_its_heading():
    page = dictionary.markdown()
    anchors = {_github_anchor(m) for m in re.findall(r"^#{1,6} (.+)$", page, flags=re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", page)
    assert links
    assert [link for link in links if link not in anchors] == []
