"""A header cell printing only a year is a header of its own, not a fragment of a wrapped cell
(yusuan/interpret/normalize.py join_fragments).

西安's 三公 table (表13 of the 2021–2022 部门综合预算, e.g. corpus-wide 51 p.30, fixture
tests/fixtures/corpus-wide-pages/xa-qixiang-2022-bmys-p30.pdf) prints a ruled cell `2021年`
over the columns of that year: 合计 | 一般公共预算拨款安排的“三公”经费预算 (小计 | 因公出国（境）费用 |
…) | 会议费 | 培训费, and the same under `2022年` and `增减变化情况`. The vocabulary strips a leading
year from a header before it looks a header up, so `2021年` alone was unknown while `2021年合计`
was known, and the two were joined as one wrapped cell: the column was published as
`2021年合计` (`2021年一般公共预算拨款安排的“三公”经费预算小计` for the 小计), unlike `增减变化情况 / 合计`.
Read from the page image and its rules: the year's cell is closed by a rule under it.
"""

from __future__ import annotations

from yusuan.core.schemas import load_registry
from yusuan.interpret.normalize import join_fragments

THREE_PUBLIC = "一般公共预算拨款安排的“三公”经费预算"


def test_a_year_cell_over_a_total_stays_a_header_of_its_own():
    registry = load_registry()
    assert join_fragments(["2021年", "合计"], registry) == ["2021年", "合计"]
    assert join_fragments(["2022年", "会议费"], registry) == ["2022年", "会议费"]


def test_a_year_cell_over_a_group_and_its_subtotal_keeps_all_three():
    registry = load_registry()
    assert join_fragments(["2021年", THREE_PUBLIC, "小计"], registry) == ["2021年", THREE_PUBLIC, "小计"]
    assert join_fragments(["2021年", THREE_PUBLIC, "因公出国（境）费用"], registry) == ["2021年", THREE_PUBLIC, "因公出国（境）费用"]


def test_a_year_with_more_words_and_wrapped_cells_are_joined_as_before():
    registry = load_registry()
    # 2024年机关运行经 / 费预算数: one cell wrapped over two grid rows (上海 普陀)
    assert join_fragments(["2024年机关运行经", "费预算数"], registry) == ["2024年机关运行经费预算数"]
    assert join_fragments(["因公出国", "（境）费"], registry) == ["因公出国（境）费"]
