"""schemas/ is the single source of truth: everything it names must exist and build."""

import re

import pytest
from frictionless import Schema

from yusuan.package import frictionless_field
from yusuan.schemas import check_rules, field_dictionary, load_registry, resource_specs


def test_every_field_has_bilingual_titles_and_descriptions():
    for name, field in field_dictionary().items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        for key in ("title", "title_zh", "description", "description_zh"):
            assert field.get(key), f"{name} has no {key}"


def test_every_resource_is_bilingual_and_builds_a_valid_table_schema():
    names = {spec["name"] for spec in resource_specs()}
    for spec in resource_specs():
        for key in ("title", "title_zh", "description", "description_zh"):
            assert spec.get(key), f"{spec['name']} has no {key}"
        descriptor = {"fields": [frictionless_field(f) for f in spec["fields"]], "primaryKey": spec["primary_key"]}
        assert Schema.validate_descriptor(descriptor).valid, spec["name"]
        for fk in spec.get("foreign_keys", []):
            assert fk["resource"] in names
            assert set(fk["fields"]) <= set(spec["fields"])


def test_table_registry_and_checks_are_consistent():
    registry = load_registry()
    ids = [t.id for t in registry.tables]
    assert len(ids) == len(set(ids))
    for table in registry.tables:
        assert table.title_zh and table.title_en
        assert table.kind in {"amounts", "unit_list", "performance_target"}
    rules = check_rules()
    for rule in rules.values():
        assert rule["severity"] in {"error", "warning", "info"}
        assert rule["description"] and rule["description_zh"]


@pytest.mark.parametrize(
    ("title", "table_id"),
    [
        ("2026年度收支预算总表", "revenue_expenditure_summary"),
        ("公开01表 收支预算总表", "revenue_expenditure_summary"),
        ("公开01表：收支预算总表", "revenue_expenditure_summary"),
        ("2025年部门财务收支预算总表", "revenue_expenditure_summary"),
        ("财政拨款收支预算总表", "fiscal_appropriation_summary"),
        ("2026年度一般公共预算拨款支出预算表", "gpb_expenditure_by_function"),
        ("一般公共预算支出预算表（功能科目）", "gpb_expenditure_by_function"),
        ("2025年预算单位一般公共预算支出功能分类预算表", "gpb_expenditure_by_function"),
        ("一般公共预算基本支出预算表（经济科目）", "gpb_basic_expenditure_by_economic_class"),
        ("2026年度一般公共预算基本支出经济分类情况表", "gpb_basic_expenditure_by_economic_class"),
        ("2026年度一般公共预算支出经济分类情况表", "gpb_expenditure_by_economic_class"),
        ("“三公”经费、会议费、培训费支出预算表", "three_public_expenses"),
        ('2026年度一般公共预算"三公"经费支出预算表', "three_public_expenses"),
        ("财政拨款政府性基金支出预算表", "government_fund_expenditure"),
        ("2019年政府采购预算表", "government_procurement"),
        ("话务场地租赁费用项目绩效目标表", "performance_target"),
        ("2026年度单位预算", None),
        ("第二部分 2026 年度单位预算表", None),
    ],
)
def test_titles_are_identified_from_the_registry(title, table_id):
    spec = load_registry().identify_title(title)
    assert (spec.id if spec else None) == table_id
