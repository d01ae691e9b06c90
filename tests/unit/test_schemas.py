"""schemas/ is the single source of truth: everything it names must exist and build."""

import re

import pytest
from frictionless import Schema

from yusuan.core.resource_format import frictionless_field
from yusuan.core.schemas import check_rules, field_dictionary, load_registry, resource_specs


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
        assert table.kind in {"amounts", "unit_list", "performance_target", "contents"}
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
        # labels of many families, printed before, after or run into the title (corpus-wide)
        ("预算 01表 收支总表", "revenue_expenditure_summary"),  # 北京 06
        ("预算表12 项目支出绩效目标表", "performance_target"),  # 北京
        ("预算13表 部门整体支出绩效目标表", "department_performance_target"),  # 北京
        ("表1：2026年市级部门收支预算总表", "revenue_expenditure_summary"),  # 杭州
        ("表12021年部门综合预算收支总表", "revenue_expenditure_summary"),  # 西安, label run into the year
        ("表152021年部门整体支出绩效目标表", "department_performance_target"),  # 西安
        ("2021部门综合预算专项业务经费支出表", "project_expenditure_summary"),  # 西安, year without 年
        ("2021年部综合预算收入总表", "revenue_summary"),  # 西安 49, the title's own typo
        ("２０２１年部门综合预算一般公共预算支出明细表", "gpb_expenditure_by_function"),  # 西安 50
        ("2022年部门综合预算一般公共预算基本支出明细表（按功能科目分）", "gpb_basic_expenditure_by_function"),
        ("2022年部门综合预算政府采购（资产配置、购买服务）预算表（不含上年结转）", "government_procurement"),
        ("2022部门综合预算财政拨款结转资金支出表", "fiscal_appropriation_carryover_expenditure"),
        ("会议费明细表", "meeting_expenses"),  # 西安 53
        # the 情况表 family (重庆, 广东)
        ("2026年部门收支总体情况表", "revenue_expenditure_summary"),
        ("本年支出总体情况表", "expenditure_summary"),
        ("一般公共预算项目支出情况表（按经济分类科目）", "gpb_project_expenditure_by_economic_class"),
        ("财政拨款安排的行政经费及“三公”经费预算表", "three_public_expenses"),
        ("部门预算项目支出及其他支出预算表", "project_expenditure_summary"),
        ("部门预算基本支出预算表", "basic_expenditure_summary"),
        ("2026年政府采购预算明细表", "government_procurement"),
        ("财政拨款政府购买服务明细表", "government_purchased_services"),
        ("2026年预算单位财政拨款项目支出预算表", "fiscal_appropriation_project_expenditure"),
        ("广州市生态环境局2026年部门整体预算绩效目标申报表", "department_performance_target"),
        ("2026年市级重点专项资金绩效目标表（一级项目）", "performance_target"),
        # narrative headings and lists are not titles
        ("财政拨款收支预算总表情况说明", None),
        ("（二）绩效目标表及说明", None),
        ("五、单位预算表", None),
    ],
)
def test_titles_are_identified_from_the_registry(title, table_id):
    spec = load_registry().identify_title(title)
    assert (spec.id if spec else None) == table_id
