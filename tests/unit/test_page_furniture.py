"""Running headers and footers repeated at page edges become page furniture; table lines do not."""

from __future__ import annotations

from yusuan.core.model import Origin, TextLine
from yusuan.core.schemas import load_registry
from yusuan.layout.page_furniture import mark_page_furniture

REGISTRY = load_registry()


def line(text: str, page: int, number: int) -> TextLine:
    return TextLine(text, Origin("budget.pdf", "0" * 64, page, number))


def pages_with(header: str, count: int = 4) -> list[TextLine]:
    blocks = []
    for page in range(1, count + 1):
        body = ["主要职责是拟订全市水务发展规划。", "负责保障水资源的合理开发利用。", "组织实施水利工程建设与管理。", "指导水文工作和防汛抗旱工作。"]
        blocks += [line(header, page, 1), *(line(body[(page + i) % 4], page, 2 + i) for i in range(3)), line(f"— {page} —", page, 5)]
    return blocks


def test_a_header_on_every_page_is_furniture():
    blocks = pages_with("苏州市水务局2026年度单位预算公开")
    claims = mark_page_furniture(blocks, REGISTRY)
    assert [claims.role(b) for b in blocks if b.text.startswith("苏州市水务局")] == ["page_furniture"] * 4
    assert all(claims.role(b) == "" for b in blocks if b.text != "苏州市水务局2026年度单位预算公开")


def test_a_table_title_repeated_on_every_page_is_not_furniture():
    blocks = pages_with("一般公共预算支出功能分类预算表")
    claims = mark_page_furniture(blocks, REGISTRY)
    assert all(claims.role(b) == "" for b in blocks)


def test_a_unit_line_repeated_on_every_page_is_not_furniture():
    blocks = pages_with("单位：万元")
    claims = mark_page_furniture(blocks, REGISTRY)
    assert all(claims.role(b) == "" for b in blocks if b.text == "单位：万元")


def test_a_short_document_has_no_furniture():
    blocks = pages_with("苏州市水务局2026年度单位预算公开", count=2)
    claims = mark_page_furniture(blocks, REGISTRY)
    assert all(claims.role(b) == "" for b in blocks)


def test_the_lines_themselves_are_not_changed():
    blocks = pages_with("苏州市水务局2026年度单位预算公开")
    before = [(b.text, b.origin, b.continues, b.words) for b in blocks]
    claims = mark_page_furniture(blocks, REGISTRY)
    assert [(b.text, b.origin, b.continues, b.words) for b in blocks] == before
    assert len(claims) == 4 and len(claims.unclaimed(blocks)) == len(blocks) - 4
