"""Web pages that are a PDF converted to positioned boxes (yusuan/extract/html_positioned.py):
pages, text lines with word positions, ruled grids with merged cells, provenance, limits.

The pages here are written by hand, without the class names converters use, so that the
page is recognised by its structure alone.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pdfplumber.table import cells_to_tables as pdfplumber_cells_to_tables
from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

from yusuan.core.errors import ExtractionError
from yusuan.core.hashing import sha256_of
from yusuan.core.model import COVERED_ABOVE, COVERED_LEFT, Grid, Origin, SourceFile, TextLine, Word
from yusuan.extract import file_to_blocks, html_positioned
from yusuan.extract.html_positioned import cells_to_tables, smallest_cells

L, U = COVERED_LEFT, COVERED_ABOVE


def run(left: float, top: float, text: str, size: float = 10, unit: str = "pt") -> str:
    return f'<div style="position:absolute;left:{left}{unit};top:{top}{unit};font-size:{size}{unit};width:auto">{text}</div>'


def h_rule(x0: float, x1: float, y: float) -> str:
    return f'<div style="position:absolute;left:{x0}pt;top:{y}pt;width:{x1 - x0}pt;height:0pt;border-bottom:0.5pt solid #000000;"> </div>'


def v_rule(x: float, y0: float, y1: float) -> str:
    return f'<div style="position:absolute;left:{x}pt;top:{y0}pt;width:0pt;height:{y1 - y0}pt;border-right:0.5pt solid #000000;"> </div>'


def page(*content: str, width: float = 400, height: float = 300) -> str:
    return f'<div style="width:{width}pt;height:{height}pt;overflow:hidden;position:relative">{"".join(content)}</div>'


def write(tmp_path: Path, body: str, name: str = "p.html") -> SourceFile:
    path = tmp_path / name
    path.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>不读</title></head><body>{body}</body></html>', encoding="utf-8")
    return SourceFile(path, "full", sha256_of(path))


# A 3-column table: 项目 spans the two header rows, 预算数 spans two columns.
#   x: 20 | 120 | 220 | 320      y: 60 / 80 / 100 / 120
TABLE_RULES = [
    h_rule(20, 320, 60), h_rule(120, 320, 80), h_rule(20, 320, 100), h_rule(20, 320, 120),
    v_rule(20, 60, 120), v_rule(120, 60, 120), v_rule(220, 80, 120), v_rule(320, 60, 120),
]
TABLE_TEXT = [
    run(40, 72, "项目"), run(240, 64, "预算数"),
    run(150, 84, "基本"), run(250, 84, "项目"),
    run(40, 104, "合计"), run(150, 104, "1.00"), run(250, 104, "2.00"),
]
FIRST_PAGE = page(
    run(100, 20, "收支总体情况表", 12),
    run(20, 40, "部门：测试局"), run(300, 40, "单位：万元"),
    *TABLE_RULES, *TABLE_TEXT,
    run(20, 130, "注：本表为测试。"),
)
SECOND_PAGE = page(run(20, 20, "一、情况说明", 12), run(500, 20, "看不见"), run(20, 50, "本年收入合计 3.00 万元。"))
PORTAL = '<div class="crumbs">首页 &gt; 财政预算</div>'


def test_positioned_pages_are_read_like_a_pdf(tmp_path):
    source = write(tmp_path, PORTAL + FIRST_PAGE + SECOND_PAGE + page())
    found = file_to_blocks(source)

    def origin(page: int, line: int) -> Origin:
        return Origin("p.html", source.sha256, page, line)

    assert found.page_count == 3
    assert found.blank_pages == [3]
    assert found.hidden_chars == {2: 3}  # 看不见 lies right of the page
    texts = [(b.text, b.origin) for b in found.blocks if isinstance(b, TextLine)]
    assert texts == [
        ("收支总体情况表", origin(1, 1)),
        ("部门：测试局 单位：万元", origin(1, 2)),
        ("注：本表为测试。", origin(1, 4)),
        ("一、情况说明", origin(2, 1)),
        ("本年收入合计 3.00 万元。", origin(2, 2)),
    ]  # the portal's breadcrumbs are not part of the publication
    unit_line = found.blocks[1]
    assert isinstance(unit_line, TextLine)
    assert unit_line.words == (Word(20, 80, "部门：测试局"), Word(300, 350, "单位：万元"))
    grid = found.blocks[2]
    assert isinstance(grid, Grid)
    assert grid.rows == [
        ["项目", "预算数", L],
        [U, "基本", "项目"],
        ["合计", "1.00", "2.00"],
    ]
    assert grid.column_bounds == [(20, 120), (120, 220), (220, 320)]
    assert grid.row_origins == [origin(1, 3)] * 3


def test_words_split_at_white_space_and_wide_gaps(tmp_path):
    source = write(tmp_path, page(*TABLE_RULES, *TABLE_TEXT, run(20, 200, "合\u3000计"), run(60, 200, "1,234.00"), run(102, 200, "5.00")))
    line = next(b for b in file_to_blocks(source).blocks if isinstance(b, TextLine))
    # 合 and 计 are an em apart; 1,234.00 ends at 100, 2 pt before 5.00: one word, no space
    assert line.text == "合 计 1,234.005.00"
    assert line.words == (Word(20, 30, "合"), Word(40, 50, "计"), Word(60, 122, "1,234.005.00"))


@pytest.mark.parametrize(
    "cell",
    [
        'border:0.75px solid black',  # every cell a box, in px
        'border-style:solid;border-width:1pt',
        'border-top:1pt solid #000;border-left:1pt solid #000;border-right:1pt solid #000;border-bottom:1pt solid #000',
    ],
)
def test_cells_drawn_as_boxes_give_the_same_grid(tmp_path, cell):
    boxes = [(20, 60, 120, 100), (120, 60, 320, 80), (120, 80, 220, 100), (220, 80, 320, 100), (20, 100, 120, 120), (120, 100, 220, 120), (220, 100, 320, 120)]
    rules = [
        f'<div style="position:absolute;left:{x0 / 0.75}px;top:{top / 0.75}px;width:{(x1 - x0) / 0.75}px;height:{(bottom - top) / 0.75}px;{cell}"></div>'
        for x0, top, x1, bottom in boxes
    ]
    found = file_to_blocks(write(tmp_path, page(*rules, *TABLE_TEXT)))
    grid = next(b for b in found.blocks if isinstance(b, Grid))
    assert grid.rows == [["项目", "预算数", L], [U, "基本", "项目"], ["合计", "1.00", "2.00"]]
    assert grid.column_bounds == [(20, 120), (120, 220), (220, 320)]


def test_borders_that_are_not_drawn_are_no_rules(tmp_path):
    # no border style (CSS draws nothing), style none, width 0: the page has no ruling
    undrawn = [
        '<div style="position:absolute;left:20pt;top:60pt;width:300pt;height:60pt;border:1pt #000"></div>',
        '<div style="position:absolute;left:20pt;top:60pt;width:300pt;height:60pt;border:1pt none #000"></div>',
        '<div style="position:absolute;left:20pt;top:60pt;width:300pt;height:60pt;border:0 solid #000"></div>',
    ]
    found = file_to_blocks(write(tmp_path, page(*undrawn, *TABLE_TEXT, h_rule(20, 320, 200), v_rule(20, 200, 220))))
    assert not any(isinstance(b, Grid) for b in found.blocks)
    assert found.blocks[0].origin.page == 1  # still read as a converted page (two rules drawn)


def test_a_one_row_box_drawn_around_words_of_a_line_is_text(tmp_path):
    box = [h_rule(80, 150, 198), h_rule(80, 150, 212), v_rule(80, 198, 212), v_rule(115, 198, 212), v_rule(150, 198, 212)]
    found = file_to_blocks(write(tmp_path, page(*TABLE_RULES, *TABLE_TEXT, *box, run(20, 200, "本年预算总额"), run(85, 200, "100.00"), run(152, 200, "万元"))))
    grids = [b for b in found.blocks if isinstance(b, Grid)]
    assert len(grids) == 1  # the ruled table only
    assert [b.text for b in found.blocks if isinstance(b, TextLine)] == ["本年预算总额 100.00 万元"]


def test_a_web_page_with_a_small_positioned_box_is_read_as_before(tmp_path):
    banner = page(run(10, 10, "通知"), run(60, 10, "公告"), run(110, 10, "下载"), h_rule(0, 200, 30), v_rule(100, 0, 30), width=200, height=80)
    article = "<h1>2026年部门预算</h1>" + "".join(f"<p>第{i}段：本部门2026年预算收入合计1,234.56万元，与上年相比有所增加。</p>" for i in range(6))
    found = file_to_blocks(write(tmp_path, banner + article))
    assert found.page_count == 0
    assert all(b.origin.page is None for b in found.blocks)
    assert "2026年部门预算" in [b.text for b in found.blocks if isinstance(b, TextLine)]


def test_page_order_and_rules_without_text_on_a_page(tmp_path):
    # the second page has only ruling: nothing printed, a blank page; a picture page has no text layer
    picture = page('<img src="scan.png" style="position:absolute;left:0;top:0;width:400pt;height:300pt">')
    found = file_to_blocks(write(tmp_path, FIRST_PAGE + page(*TABLE_RULES) + picture + SECOND_PAGE))
    assert found.page_count == 4
    assert found.blank_pages == [2]
    assert found.pages_without_text == [3]
    assert sorted({b.origin.page for b in found.blocks}) == [1, 4]


def test_wrapped_lines_of_a_justified_paragraph_go_on(tmp_path):
    lines = [
        run(48, 150, "（一）收入预算：2026年收入预算35,874.49万元，其中：一般公共预算"),  # to the margin
        run(20, 174, "收入28,467.65万元，政府性基金预算收入218万元，事业收入1,429.17万"),  # short: digits
        run(20, 198, "元，其他收入1,154.15万元。"),  # ends the paragraph
        run(48, 222, "（二）支出预算：2026年支出预算35,874.49万元。"),
    ]
    found = file_to_blocks(write(tmp_path, page(*lines, *TABLE_RULES, width=400, height=300)))
    flags = [(b.text[:6], b.continues) for b in found.blocks if isinstance(b, TextLine)]
    assert flags == [("（一）收入预", True), ("收入28,4", True), ("元，其他收入", False), ("（二）支出预", False)]


def test_too_many_positioned_elements_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(html_positioned, "MAX_ELEMENTS", 10)
    with pytest.raises(ExtractionError, match=r"^p\.html: more than 10 positioned elements"):
        file_to_blocks(write(tmp_path, FIRST_PAGE))


def test_too_many_ruling_crossings_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(html_positioned, "MAX_CROSSINGS", 10)
    with pytest.raises(ExtractionError, match=r"^p\.html, page 1: more than 10 crossings of ruling lines"):
        file_to_blocks(write(tmp_path, FIRST_PAGE))


def test_a_large_page_stays_fast(tmp_path):
    """40 columns x 150 rows of ruled cells with a number in each: linear work, a few seconds at most."""
    import time

    columns, rows = 40, 150
    parts = [h_rule(10, 10 + 20 * columns, 10 + 5 * r) for r in range(rows + 1)]
    parts += [v_rule(10 + 20 * c, 10, 10 + 5 * rows) for c in range(columns + 1)]
    parts += [run(12 + 20 * c, 10.5 + 5 * r, str(r * columns + c), size=3) for r in range(rows) for c in range(columns)]
    source = write(tmp_path, page(*parts, width=1000, height=1000))
    start = time.perf_counter()
    grid = next(b for b in file_to_blocks(source).blocks if isinstance(b, Grid))
    assert time.perf_counter() - start < 10
    assert len(grid.rows) == rows and grid.rows[-1][-1] == str(rows * columns - 1)


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0, "height": bottom - top, "orientation": "h" if top == bottom else "v", "object_type": "line"}


@pytest.mark.parametrize("seed", range(20))
def test_cells_and_tables_are_pdfplumbers(seed):
    """On random broken lattices (missing pieces of rules, merged cells, separate tables), the
    cells and tables found are exactly those of pdfplumber's own functions."""
    rng = random.Random(seed)
    xs = sorted(rng.sample(range(0, 400, 10), 8))
    ys = sorted(rng.sample(range(0, 400, 10), 9))
    edges = []
    for y in ys:
        for a, b in zip(xs, xs[1:], strict=False):
            if rng.random() < 0.8:
                edges.append(_edge(a, y, b, y))
    for x in xs:
        for a, b in zip(ys, ys[1:], strict=False):
            if rng.random() < 0.8:
                edges.append(_edge(x, a, x, b))
    merged = merge_edges(edges, 3, 3, 3, 3)
    intersections = edges_to_intersections(merged, 3, 3)
    expected = intersections_to_cells(intersections)
    assert smallest_cells(intersections, "x", 1) == expected
    ours = [sorted(t) for t in cells_to_tables(expected)]
    theirs = [sorted(t) for t in pdfplumber_cells_to_tables(expected)]
    assert ours == theirs


def test_cells_drawn_as_bordered_boxes_holding_their_text(tmp_path):
    cells = [
        (20, 60, 120, 100, "项目"), (120, 60, 320, 80, "预算数"), (120, 80, 220, 100, "基本"), (220, 80, 320, 100, "项目"),
        (20, 100, 120, 120, "合计"), (120, 100, 220, 120, "1.00"), (220, 100, 320, 120, "2.00"),
    ]
    boxes = [
        f'<div style="position:absolute;left:{x0}pt;top:{top}pt;width:{x1 - x0}pt;height:{bottom - top}pt;border:0.5pt solid #000;font-size:10pt">{text}</div>'
        for x0, top, x1, bottom, text in cells
    ]
    grid = next(b for b in file_to_blocks(write(tmp_path, page(*boxes))).blocks if isinstance(b, Grid))
    assert grid.rows == [["项目", "预算数", L], [U, "基本", "项目"], ["合计", "1.00", "2.00"]]


def test_odd_lengths_are_ignored_not_fatal(tmp_path):
    odd = [
        '<div style="position:absolute;left:99999999999999999999999999999999999999pt;top:1pt">远</div>',
        '<div style="position:absolute;left:1e9pt;top:NaNpt">怪</div>',
        '<div style="position:absolute;left:50%;top:3em;width:-5pt;height:-5pt;border:1pt solid"></div>',
        '<div style="position:absolute;left:20pt;top:250pt;width:-300pt;height:0;border-bottom:1pt solid"></div>',
        '<div style="position:absolute;left:200000pt;top:250pt;width:10pt;height:0;border-bottom:1pt solid"></div>',
    ]
    found = file_to_blocks(write(tmp_path, page(*odd, *TABLE_RULES, *TABLE_TEXT)))
    grids = [b for b in found.blocks if isinstance(b, Grid)]
    assert [g.rows for g in grids] == [[["项目", "预算数", L], [U, "基本", "项目"], ["合计", "1.00", "2.00"]]]
