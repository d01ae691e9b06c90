"""Every example of docs/research.md runs as written on a release of real publications, and
its result matches the numbers printed in the documents.

Expected values are typed from the documents (万元 × 10,000 = yuan): js-renda-2019
tables.pdf p.1 (收支预算总表), p.7 (一般公共预算支出预算表（功能科目）), p.8 (基本支出（经济科目）),
p.9 (“三公”经费); js-renda-2018 bmys.pdf p.8 and p.13; js-renda-2017 bmys.pdf p.9 and p.16;
fj-quanzhou-12345-2026 publication.txt lines 105 and 258-265 (收支总表, 三公); sh-putuo-zhengfuban
2025 bmys.pdf p.8 and dwys.pdf p.8 (元).
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "research.md").read_text(encoding="utf-8")
QUERIES = dict(re.findall(r"<!-- query: (\w+) -->\n```sql\n(.*?)```", DOC, re.S))
PYTHON_EXAMPLES = re.findall(r"```python\n(.*?)```", DOC, re.S)


def wan(text: str) -> Decimal:
    """An amount printed in 万元, in yuan."""
    return Decimal(text.replace(",", "")) * 10000


@pytest.fixture(scope="module")
def release(release_packages):
    from yusuan.release import build_release

    build_release(release_packages)
    con = duckdb.connect(str(release_packages / "release" / "yusuan.duckdb"), read_only=True)
    yield con
    con.close()


def run(con, name: str) -> list[dict]:
    result = con.sql(QUERIES[name])
    return [dict(zip(result.columns, row, strict=True)) for row in result.fetchall()]


def test_the_document_has_every_example_the_issue_asks_for():
    assert set(QUERIES) == {
        "totals_per_publication", "expenditure_by_class", "expenditure_by_cofog", "year_on_year_by_issuer",
        "economic_classification", "three_public_by_item", "leaf_sums_equal_totals", "department_and_unit_once",
    }


def test_totals_per_publication(release):
    rows = {r["document_id"]: r for r in run(release, "totals_per_publication")}
    assert rows["js-renda-2019-bmys"]["revenue_total_yuan"] == wan("18,330.37")
    assert rows["js-renda-2019-bmys"]["expenditure_total_yuan"] == wan("18,330.37")
    assert rows["js-renda-2018-bmys"]["expenditure_total_yuan"] == wan("15897.44")
    assert rows["js-renda-2017-bmys"]["revenue_total_yuan"] == wan("13,649.07")
    assert rows["fj-quanzhou-12345-2026-dwys"]["expenditure_total_yuan"] == wan("1182.04")
    assert rows["sh-putuo-zhengfuban-2025-bmys"]["expenditure_total_yuan"] == Decimal("91016775.35")
    assert isinstance(rows["sh-putuo-zhengfuban-2025-bmys"]["expenditure_total_yuan"], Decimal)


def test_expenditure_by_class_sums_leaves_not_every_level(release):
    rows = {(r["fiscal_year"], r["class_code"]): r for r in run(release, "expenditure_by_class")}
    assert rows[(2019, "201")]["amount_yuan"] == wan("13,907.78")
    assert rows[(2019, "208")]["amount_yuan"] == wan("1,121.39")
    assert rows[(2019, "221")]["amount_yuan"] == wan("3,301.20")
    assert rows[(2019, "201")]["name_en"] == "General public services"
    assert rows[(2017, "201")]["amount_yuan"] == wan("10,528.33")
    assert rows[(2018, "221")]["amount_yuan"] == wan("2,122.38")
    # the department and its unit both print 2025: the class sums both (see the last example)
    assert rows[(2025, "201")]["publications"] == 2
    assert rows[(2025, "201")]["amount_yuan"] == 2 * Decimal("82096797.42")


def test_expenditure_by_cofog_division_shares_out_every_leaf_once(release):
    rows = {(r["fiscal_year"], r["division"]): r["amount_yuan"] for r in run(release, "expenditure_by_cofog")}
    # 201 一般公共服务 -> 01; 208 (20805 离退休) -> 10; 221 住房保障 (22102) maps to 06 and 10, half each
    assert rows[(2019, "01")] == wan("13,907.78")
    assert rows[(2019, "10")] == wan("1,121.39") + wan("3,301.20") / 2
    assert rows[(2019, "06")] == wan("3,301.20") / 2
    assert sum(v for (year, _), v in rows.items() if year == 2019) == wan("18,330.37")


def test_year_on_year_change_for_the_same_issuer(release):
    rows = [r for r in run(release, "year_on_year_by_issuer") if r["class_code"] == "201" and r["fiscal_year"] in (2017, 2018, 2019)]
    renda = [r for r in rows if r["kind_id"] == "department_budget" and r["amount_yuan"] in (wan("10,528.33"), wan("12,706.28"), wan("13,907.78"))]
    assert [r["fiscal_year"] for r in renda] == [2017, 2018, 2019]
    assert len({r["issuer_key"] for r in renda}) == 1  # one issuer across the three years
    assert renda[1]["change_yuan"] == wan("12,706.28") - wan("10,528.33")
    assert renda[2]["change_yuan"] == wan("13,907.78") - wan("12,706.28")
    assert renda[2]["previous_year"] == 2018 and renda[0]["change_yuan"] is None


def test_economic_classification_across_publications(release):
    rows = {(r["document_id"], r["economic_code"]): r for r in run(release, "economic_classification")}
    assert rows[("js-renda-2019-bmys", "301")]["amount_yuan"] == wan("6,481.41")
    assert rows[("js-renda-2019-bmys", "302")]["amount_yuan"] == wan("1,642.08")
    assert rows[("js-renda-2019-bmys", "303")]["amount_yuan"] == wan("1,189.41")
    assert rows[("js-renda-2019-bmys", "301")]["name_en"]
    assert rows[("js-renda-2017-bmys", "302")]["amount_yuan"] == wan("1,585.96")


def test_three_public_expenses_by_item(release):
    rows = {r["document_id"]: r for r in run(release, "three_public_by_item")}
    renda = rows["js-renda-2019-bmys"]  # 会议费 1,469.73 and 培训费 363.38 are not 三公
    assert renda["three_public_total"] == wan("767.60")
    assert renda["outbound_travel"] == wan("199.25")
    assert renda["official_vehicles"] == wan("183.60")
    assert renda["vehicle_operation"] == wan("183.60")
    assert renda["vehicle_purchase"] is None  # the cell is blank in the document
    assert renda["official_reception"] == wan("384.75")
    fujian = rows["fj-quanzhou-12345-2026-dwys"]  # items in rows, told apart by their labels
    assert fujian["three_public_total"] == wan("1.00")
    assert fujian["official_reception"] == wan("1.00")
    assert fujian["outbound_travel"] == Decimal("0.00") and fujian["vehicle_purchase"] == Decimal("0.00")


def test_leaf_sums_equal_the_printed_totals(release):
    rows = run(release, "leaf_sums_equal_totals")
    by_key = {(r["document_id"], r["measure"]): r for r in rows}
    assert by_key[("js-renda-2019-bmys", "total")]["printed_total"] == wan("18,330.37")
    assert by_key[("js-renda-2019-bmys", "total")]["leaf_sum"] == wan("18,330.37")
    assert by_key[("js-renda-2017-bmys", "total")]["leaf_sum"] == wan("13,649.07")
    assert by_key[("sh-putuo-zhengfuban-2025-bmys", "project_expenditure")]["leaf_sum"] == Decimal("66410000.00")
    assert {r["document_id"] for r in rows} >= {"js-renda-2018-bmys", "fj-quanzhou-12345-2026-dwys"}
    assert all(r["difference"] == 0 for r in rows)  # these documents add up


def test_department_and_unit_are_counted_once(release):
    rows = {r["fiscal_year"]: r for r in run(release, "department_and_unit_once")}
    # sh-putuo-zhengfuban 2025: 部门预算 and its own 单位预算 both print 支出总计 91,016,775.35
    assert rows[2025]["publications"] == 1
    assert rows[2025]["expenditure_total_yuan"] == Decimal("91016775.35")
    assert rows[2019]["expenditure_total_yuan"] == wan("18,330.37")


def test_the_python_examples_run_as_written(release, release_packages):
    previous = Path.cwd()
    os.chdir(release_packages.parent)  # the examples open output/release
    try:
        for example in PYTHON_EXAMPLES:
            exec(compile(example, "docs/research.md", "exec"), {})
    finally:
        os.chdir(previous)
