"""Characters hidden by their text object's clip path are not read (yusuan/extract/pdfium_clip.py).

The golden values were read off the pages rendered by PDFium (scale 2 and 6), not from the
parser: tests/fixtures/clipped/xa-qixiang-2022-bmys-p19.pdf (西安 2022 部门综合预算收入总表,
corpus-wide 51 p.19) prints the unit name of row 4 clipped at its cell's right border
("西安市人工影响天气服务保", the 保 cut in half) and 1839311.66 in 合计; the text layer holds the
whole name, whose last three characters "障中心" were read into 合计 ("障中18心39311.66").
tests/fixtures/clipped/bj-lvhua-2026-bmys-p7.pdf (北京 绿化 2026 tables p.7) prints an empty
table (科目编码 / 科目名称 / 合 计 …); its text layer also holds HTML/CSS residue
("space: nowrap;text-overflow:ellipsis; overflow:hidden; display: inline-block;…") clipped to
a box above it, which prints nothing.
tests/fixtures/corpus-wide-pages/xa-qixiang-2022-bmys-p30.pdf (西安 气象局 2022 表13, corpus-wide
51 p.30) prints its narrow 序号 header cell as 序 and the left half of 号, cut at the cell's rule
(the object 序号 ends at x 42.0, its clip box at 38.88: 号's centre, 39.1, is outside).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from yusuan.extract import pdfium_native
from yusuan.extract.pdfium import PdfiumPage
from yusuan.extract.pdfium_clip import python_exceeds_clip, within_clip

CLIPPED = Path(__file__).parents[1] / "fixtures" / "clipped"
XIAN = CLIPPED / "xa-qixiang-2022-bmys-p19.pdf"
BEIJING = CLIPPED / "bj-lvhua-2026-bmys-p7.pdf"
XIAN_HEADER = Path(__file__).parents[1] / "fixtures" / "corpus-wide-pages" / "xa-qixiang-2022-bmys-p30.pdf"


def _page(path: Path, monkeypatch: pytest.MonkeyPatch, native: bool = True) -> PdfiumPage:
    monkeypatch.setenv("YUSUAN_NATIVE", "1" if native else "0")
    document = pypdfium2.PdfDocument(path)
    try:
        return PdfiumPage(document, 1, 0.0)
    finally:
        document.close()


@pytest.mark.parametrize("native", [True, False], ids=["c", "python"])
def test_a_label_clipped_at_its_cell_border_stays_out_of_the_next_cell(native: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if native and not pdfium_native.built():
        pytest.skip("the C extension was not built")
    page = _page(XIAN, monkeypatch, native)
    text = "".join(char["text"] for char in page.chars)
    assert "西安市人工影响天气服务" in text
    assert "障" not in text and "保障中心" not in text
    # 合计 and 小计 of row 4 print 1839311.66, nothing else
    amounts = [word["text"] for word in page.extract_words() if "1839311" in word["text"]]
    assert amounts == ["1839311.66", "1839311.66"]


@pytest.mark.parametrize("native", [True, False], ids=["c", "python"])
def test_css_residue_clipped_out_of_view_is_not_read(native: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if native and not pdfium_native.built():
        pytest.skip("the C extension was not built")
    page = _page(BEIJING, monkeypatch, native)
    text = "".join(char["text"] for char in page.chars)
    for residue in ("overflow", "display", "nowrap", "span", "width:100%"):
        assert residue not in text
    assert "科目编码" in text and "科目名称" in text and "合" in text and "计" in text


@pytest.mark.skipif(not pdfium_native.built(), reason="the C extension was not built")
@pytest.mark.parametrize("path", [XIAN, BEIJING, XIAN_HEADER], ids=lambda path: path.name)
def test_the_c_and_python_walks_keep_the_same_characters(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def seen(page: PdfiumPage) -> list[tuple[Any, ...]]:
        return [(char["text"], char["x0"], char["top"], char["x1"], char["bottom"]) for char in page.chars]

    assert seen(_page(path, monkeypatch, native=True)) == seen(_page(path, monkeypatch, native=False))


@pytest.mark.parametrize("native", [True, False], ids=["c", "python"])
def test_a_header_cut_at_its_cell_rule_keeps_the_characters_in_view(native: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if native and not pdfium_native.built():
        pytest.skip("the C extension was not built")
    page = _page(XIAN_HEADER, monkeypatch, native)
    header = [char["text"] for char in page.chars if char["x0"] < 45 and 140 < char["top"] < 160]
    assert header == ["序", "单"]  # 号 is cut in half at the rule; 单位编码 begins in the next cell


def _objects(handles: Any) -> Any:
    for handle in handles:
        yield handle
        if pypdfium2.raw.FPDFPageObj_GetType(handle) == pypdfium2.raw.FPDF_PAGEOBJ_FORM:
            yield from _objects(pypdfium2.raw.FPDFFormObj_GetObject(handle, i) for i in range(pypdfium2.raw.FPDFFormObj_CountObjects(handle)))


@pytest.mark.skipif(not pdfium_native.built(), reason="the C extension was not built")
@pytest.mark.parametrize("path", [XIAN, BEIJING, XIAN_HEADER], ids=lambda path: path.name)
def test_the_c_clip_box_is_the_python_one_for_every_object(path: Path) -> None:
    document = pypdfium2.PdfDocument(path)
    try:
        page = pypdfium2.raw.FPDF_LoadPage(document.raw, 0)
        handles = [pypdfium2.raw.FPDFPage_GetObject(page, i) for i in range(pypdfium2.raw.FPDFPage_CountObjects(page))]
        boxes = [(pdfium_native.exceeds_clip(handle), python_exceeds_clip(handle)) for handle in _objects(handles)]
        pypdfium2.raw.FPDF_ClosePage(page)
    finally:
        document.close()
    assert all(c == python for c, python in boxes)
    assert any(python is not None for _c, python in boxes)  # each page has objects reaching outside their clip


def _char(x0: float, y0: float, x1: float, y1: float) -> dict[str, float]:
    return {"x0": x0, "y0": y0, "x1": x1, "y1": y1}


def test_a_character_is_kept_where_its_centre_is_inside_the_clip_box() -> None:
    box = (100.0, 200.0, 150.0, 220.0)
    inside = _char(140.0, 205.0, 150.0, 215.0)  # centre 145, 210
    half_out = _char(146.0, 205.0, 156.0, 215.0)  # centre 151: more than half past the border
    below = _char(120.0, 190.0, 130.0, 199.0)
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    assert within_clip([inside, half_out, below], box, identity, 0.0) == [inside]


def test_the_centre_is_taken_back_to_the_clip_paths_space() -> None:
    # a page turned by /Rotate 90 (pdfium.rotation_matrix of a 600 x 800 MediaBox): user
    # (x, y) is shown at (y, 600 - x); the MediaBox's x0 offsets pdfplumber's x
    turned = (0.0, -1.0, 1.0, 0.0, 0.0, 600.0)
    box = (100.0, 200.0, 150.0, 220.0)  # user space
    shown = _char(205.0 + 10.0, 600.0 - 150.0, 215.0 + 10.0, 600.0 - 140.0)  # user centre (145, 210)
    hidden = _char(205.0 + 10.0, 600.0 - 170.0, 215.0 + 10.0, 600.0 - 160.0)  # user centre (165, 210)
    assert within_clip([shown, hidden], box, turned, 10.0) == [shown]


def test_a_clip_whose_paths_do_not_meet_hides_everything() -> None:
    empty = (100.0, 200.0, 90.0, 180.0)  # left > right: the paths' boxes do not overlap
    assert within_clip([_char(90.0, 180.0, 100.0, 200.0)], empty, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0.0) == []


def test_a_header_clipped_in_print_keeps_its_measure() -> None:
    """西安 民政局 2021 p.42 prints the header 对附属单位上缴收入 clipped in its narrow cell
    ("对附/属单/位上/缴收", the 入 hidden below the border); read as printed, it is still the
    remittances from affiliated units (schemas/columns.yaml)."""
    from yusuan.core.schemas import load_registry
    from yusuan.interpret.normalize import _measure

    registry = load_registry()
    assert _measure(["部门预算", "对附属单位上缴收"], registry) == "revenue_from_affiliated_units"
    assert _measure(["部门预算", "对附属单位上缴收入"], registry) == "revenue_from_affiliated_units"
