"""Web pages (HTML) with inline tables: block text -> text lines, <table> -> grids.

The page is decoded from its bytes: a byte-order mark, else UTF-8 when the bytes are valid
UTF-8 (a page that is valid UTF-8 is UTF-8 whatever it declares), else the charset declared in
a <meta> tag or XML declaration (GB2312 and GBK read as their superset GB18030), else GB18030.
A declared Western single-byte charset (ISO-8859-1, windows-1252) is tried after GB18030. It is
parsed with lxml's forgiving HTML parser. Scripts, styles, the <head>, form controls and
elements hidden with the ``hidden`` attribute or ``display:none`` / ``visibility:hidden`` are not
read.

Text of headings, paragraphs, list items, divisions, <br>-separated lines is one text line per
block. A table holding another table is a layout table: its cells are read as blocks of the
page, in order. Every other table is a grid: its <caption> is a text line above it, rows come
from <thead>, then <tbody> (or bare rows), then <tfoot>; a cell's colspan and rowspan leave
COVERED_LEFT / COVERED_ABOVE markers in the cells they cover; the lines of a cell are joined
with line breaks. A table of one row or one column is read as text lines (a frame or a unit
line).

A web page has no printed pages: as for text exports, the origin of a line has page None (each
text line is a whole paragraph, not a wrapped piece of one) and line = the line of the page
source where its element starts.

A page that is a PDF converted to absolutely positioned text runs and border-drawn rules in
fixed-size page containers (no <table> at all) is read page by page like a born-digital PDF
instead, by ``yusuan/extract/html_positioned.py``: its origins have page numbers.
"""

from __future__ import annotations

import codecs
import re

from yusuan.core.errors import ExtractionError
from yusuan.core.limits import current
from yusuan.core.model import (
    COVERED_ABOVE,
    COVERED_LEFT,
    Block,
    FileExtract,
    Grid,
    Origin,
    SourceFile,
    TextLine,
)
from yusuan.extract.grid_blocks import rows_to_blocks
from yusuan.extract.html_positioned import read_positioned

SKIPPED = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object", "embed", "svg", "math", "select", "option", "button", "input", "textarea", "map", "area", "audio", "video", "canvas"}
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
    "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "ul", "caption",
}
CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE)
HIDDEN_STYLE = re.compile(r"(display\s*:\s*none|visibility\s*:\s*hidden)", re.IGNORECASE)
SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
GB = {"gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb_2312-80", "euc-cn", "csgb2312", "iso-ir-58", "chinese", "gb18030"}
WESTERN = {"iso8859-1", "cp1252", "ascii", "latin-1", "iso8859-15"}
MAX_SPAN = 1000


def html_to_blocks(source: SourceFile) -> FileExtract:
    import lxml.etree
    import lxml.html

    data = source.path.read_bytes()
    text = decode_html(data, source.name)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    if "\x00" in text:
        raise ExtractionError(source.name, "binary content in an HTML file")
    if not text.strip():
        raise ExtractionError(source.name, "no text in the page")
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ExtractionError(source.name, f"not a readable HTML page ({type(exc).__name__}: {exc})") from exc
    reader = _PageReader(source)
    reader.container(root)
    reader.flush()
    positioned = read_positioned(root, source, flow_chars=_characters(reader.blocks))
    if positioned is not None:
        return positioned
    if not reader.blocks:
        raise ExtractionError(source.name, "no text in the page (a picture of a table is not read)")
    # a page has no printed pages: hidden text is skipped but cannot be reported per page
    return FileExtract(blocks=reader.blocks)


def _characters(blocks: list[Block]) -> int:
    """Characters of text the flow reader found (to tell a converted PDF from a web page
    with a positioned banner)."""
    count = 0
    for block in blocks:
        if isinstance(block, Grid):
            count += sum(len(c) for row in block.rows for c in row if c and c not in (COVERED_LEFT, COVERED_ABOVE))
        else:
            count += len(block.text)
    return count


def decode_html(data: bytes, name: str) -> str:
    """Text of a page: BOM, else valid UTF-8, else the declared charset, else GB18030."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ExtractionError(name, f"not a readable {encoding} page ({exc.reason})") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    order = (declared, "gb18030")
    if declared in WESTERN:
        order = ("gb18030", declared)  # a Chinese page is not in a Western single-byte charset
    for encoding in dict.fromkeys(e for e in order if e):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ExtractionError(name, f"not a UTF-8 or GB18030 page (declared charset: {declared or 'none'})")


def declared_charset(data: bytes) -> str | None:
    """The charset a <meta> tag or the XML declaration names (GB2312/GBK as GB18030)."""
    head = data[:4096]
    match = XML_ENCODING.search(head) or CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").strip().lower()
    if name in GB:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _span(value: str | None) -> int:
    digits = re.match(r"\s*\"?(\d+)", value or "")
    return min(int(digits.group(1)), MAX_SPAN) if digits else 1


def _is_hidden(element) -> bool:
    return element.get("hidden") is not None or bool(HIDDEN_STYLE.search(element.get("style") or ""))


class _PageReader:
    def __init__(self, source: SourceFile, depth: int = 0):
        self.source = source
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.line = 0
        self.depth = depth  # elements open around the one being read (bounded: max_depth)
        self.limits = current()

    def origin(self, line: int | None) -> Origin:
        return Origin(self.source.name, self.source.sha256, None, line or self.line or 1)

    def add_text(self, text: str | None, line: int | None) -> None:
        if text and text.strip(" \t\r\n\f\v\xa0"):
            if not self.pieces:
                self.line = line or self.line
            self.pieces.append(text)
        elif text and self.pieces:
            self.pieces.append(" ")

    def flush(self) -> None:
        text = SPACES.sub(" ", "".join(self.pieces)).strip(" \u3000")
        if text:
            self.blocks.append(TextLine(text, self.origin(self.line)))
        self.pieces = []

    def container(self, element) -> None:
        """Read the children of an element (and their tails) as flow content."""
        self.add_text(element.text, element.sourceline)
        for child in element:
            self.node(child)
            self.add_text(child.tail, child.sourceline)

    def node(self, element) -> None:
        self.depth += 1
        try:
            self.limits.check("max_depth", self.depth, self.source.name, what="levels of nested elements")
            self._node(element)
        finally:
            self.depth -= 1

    def _node(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if not tag or tag in SKIPPED:
            return  # comments, processing instructions, scripts …
        if _is_hidden(element):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            self.table(element)
            return
        if tag == "pre":
            self.flush()
            for number, part in enumerate((element.text_content() or "").split("\n")):
                if part.strip():
                    self.blocks.append(TextLine(part.strip(), self.origin((element.sourceline or 0) + number)))
            return
        block = tag in BLOCKS or tag in ("tr", "td", "th", "thead", "tbody", "tfoot")
        if block:
            self.flush()
        self.container(element)
        if block:
            self.flush()

    def table(self, table) -> None:
        if any(True for _ in table.iterdescendants("table")):
            self.container(table)  # a layout table: its cells are parts of the page
            self.flush()
            return
        for caption in table.findall("caption"):
            self.container(caption)
            self.flush()
        rows = _table_rows(table)
        grid: dict[tuple[int, int], str] = {}
        slots = 0
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                    continue
                while (r, c) in grid:
                    c += 1
                colspan = _span(cell.get("colspan"))
                rowspan = _span(cell.get("rowspan"))
                if cell.get("rowspan", "").strip() == "0":
                    rowspan = len(rows) - r
                rowspan = min(rowspan, len(rows) - r)
                slots += rowspan * colspan
                self.limits.check("max_cells_per_table", slots, self.source.name, what=f"slots in a table (colspan × rowspan expanded; table at line {table.sourceline})")
                grid[(r, c)] = self.cell_text(cell)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if dr or dc:
                            grid.setdefault((r + dr, c + dc), COVERED_LEFT if dr == 0 else COVERED_ABOVE)
                c += colspan
        if not grid:
            return
        width = max(c for _r, c in grid) + 1
        self.limits.check("max_cells_per_table", width * len(rows), self.source.name, what=f"slots in a table (rows × columns; table at line {table.sourceline})")
        cells = [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]
        origins = [self.origin(tr.sourceline) for tr in rows]
        self.blocks.extend(rows_to_blocks(cells, origins))

    def cell_text(self, cell) -> str:
        inner = _PageReader(self.source, self.depth)
        inner.container(cell)
        inner.flush()
        return "\n".join(b.text for b in inner.blocks if isinstance(b, TextLine))


def _table_rows(table) -> list:
    """Rows of a table in display order: header group, body groups and bare rows, footer group."""
    head, body, foot = [], [], []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            body.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows = [tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[tag].extend(rows)
    return [tr for tr in head + body + foot if not _is_hidden(tr)]
