"""Stable issuer ids, division codes and the department-unit relation, so that one can
count each yuan once. Unit lists typed from the pages: sh-putuo-wanli-2024 p4 and
sh-putuo-zhengfuban-2025 p4 (机构设置)."""

from __future__ import annotations

from yusuan.issuers import identify


def _publication(processed, document_id):
    return processed[document_id].resources["document"][0]


def test_an_issuer_keeps_its_id_across_years_and_name_variants(processed):
    ids = {_publication(processed, d)["issuer_id"] for d in ("js-renda-2018-bmys", "js-renda-2019-bmys")}
    assert ids == {"js-renda"}
    assert identify("江苏省人大办公厅", "江苏省", "部门预算").issuer_id == "js-renda"  # the 2017 file's name
    first = _publication(processed, "js-renda-2018-bmys")
    assert (first["division_code"], first["government_level"], first["department_issuer_id"]) == ("320000", "province", "")


def test_a_department_and_its_own_unit_budget_are_told_apart_and_linked(processed):
    department = _publication(processed, "sh-putuo-zhengfuban-2025-bmys")
    unit = _publication(processed, "sh-putuo-zhengfuban-2025-dwys")
    assert department["issuer"] == unit["issuer"]  # the same name on both
    assert department["issuer_id"] != unit["issuer_id"]
    assert unit["department_issuer_id"] == department["issuer_id"]
    assert (department["division_code"], department["government_level"]) == ("310107", "district")
    # p4: 具体包括（列示至基层预算单位）：1.上海市普陀区人民政府办公室本部。2.下属事业单位上海市普陀区交流服务中心不单列预算，并入本部。
    units = processed["sh-putuo-zhengfuban-2025-bmys"].resources["units"]
    assert [u["unit_name"] for u in units] == ["上海市普陀区人民政府办公室本部"]
    assert units[0]["unit_issuer_id"] == unit["issuer_id"]  # the unit budget is the department's own level


def test_a_multi_unit_department_lists_its_units(processed):
    units = processed["sh-putuo-wanli-2024-bmys"].resources["units"]
    assert [u["unit_name"] for u in units] == [
        "上海市普陀区人民政府万里街道办事处(本部)",
        "上海市普陀区万里街道社区事务受理服务中心",
        "上海市普陀区万里街道社区党群服务中心",
        "上海市普陀区万里街道城市运行管理中心",
        "上海市普陀区万里街道经济发展服务中心",
        "上海市普陀区万里街道综合行政执法队",
    ]
    ids = [u["unit_issuer_id"] for u in units]
    assert ids[0] == "sh-putuo-wanli-own" and len(set(ids)) == 6
    assert all(i.startswith("310107-") for i in ids[1:])


def test_a_unit_named_with_its_own_level_suffix_belongs_to_its_department():
    unit = identify("泉州市公安局（本级）", "福建省泉州市", "单位预算")
    department = identify("泉州市公安局", "福建省泉州市", "部门预算")
    assert unit.department_issuer_id == department.issuer_id and unit.issuer_id != department.issuer_id
    assert (unit.division_code, unit.government_level) == ("350500", "city")
    assert identify("昆明市审计局（汇总）", "云南省昆明市", "部门预算").issuer_id == identify("昆明市审计局", "云南省昆明市", "部门预算").issuer_id


def test_fund_names_do_not_make_actuals_budget(processed):
    """sh-putuo-shegongbu-2024 部门决算 p10 (财政拨款收入支出决算总表): the 一般公共预算财政拨款
    column holds 264.87 (万元) of actual 一般公共服务支出; every amount of a 决算 table whose
    header names no 预算数 is an actual."""
    rows = processed["sh-putuo-shegongbu-2024-bmjs"].resources["amounts"]
    cell = next(
        a for a in rows
        if a["table_id"] == "fiscal_appropriation_summary" and a["item_name"] == "一般公共服务支出" and a["column_header"].endswith("一般公共预算财政拨款")
    )
    assert str(cell["amount"]) == "264.87"
    assert cell["phase"] == "actual"
    assert {a["phase"] for a in rows} == {"actual"}


def test_a_unit_listed_under_the_department_name_is_its_own_level():
    from yusuan.issuers import unit_issuer_id

    department = identify("苏州市审计局", "江苏省苏州市", "部门预算")
    assert department.issuer_id.startswith("320500-")
    assert unit_issuer_id("苏州市审计局", department) == f"{department.issuer_id}-own"
    assert unit_issuer_id("苏州市审计局（本级）", department) == f"{department.issuer_id}-own"
    assert identify("苏州市审计局", "江苏省苏州市", "单位预算").issuer_id == f"{department.issuer_id}-own"
