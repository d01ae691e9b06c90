"""Word documents (DOCX): paragraphs -> text lines, tables -> grids, in document order.

The body is read from its XML (python-docx opens the package): a paragraph is one text line
(a manual line break starts a new one), with the label Word draws for an automatically
numbered paragraph (一、 1. (1) …) put back in front of its text. A table is a grid: a cell
spanning columns (gridSpan) is followed by COVERED_LEFT markers, a cell continuing a vertical
merge (vMerge) is COVERED_ABOVE; the paragraphs of a cell are joined with line breaks. A table
of a single row or a single column is a frame around text, read as text lines. Deleted text of
tracked changes, hidden text (vanish) and the fallback copies of drawings are not read; text
boxes are read as lines before the paragraph that anchors them. Headers and footers (page
numbers) are not read.

A DOCX has no fixed pages: the origin of a line has page None, and line = the number of the
paragraph or table row in the body (1-based, in document order).
"""

from __future__ import annotations

import unicodedata

from yusuan.core.errors import ExtractionError, LimitExceededError
from yusuan.core.limits import current
from yusuan.core.model import (
    COVERED_ABOVE,
    COVERED_LEFT,
    Block,
    FileExtract,
    Origin,
    SourceFile,
    TextLine,
)
from yusuan.core.vocabulary import word, words
from yusuan.extract.grid_blocks import OLE_MAGIC, rows_to_blocks
from yusuan.extract.ooxml_scan import check_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
WRAPPERS = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag", f"{W}ins", f"{W}moveTo", f"{W}hyperlink", f"{W}fldSimple", f"{MC}AlternateContent", f"{MC}Choice"}
SKIPPED = {f"{W}del", f"{W}moveFrom", f"{MC}Fallback", f"{W}pPr", f"{W}rPr", f"{W}sdtPr", f"{W}sdtEndPr", f"{W}tblPr", f"{W}trPr", f"{W}tcPr", f"{W}tblGrid", f"{W}sectPr"}


def docx_to_blocks(source: SourceFile) -> FileExtract:
    with source.path.open("rb") as handle:
        head = handle.read(2048)
    if head.startswith(OLE_MAGIC):
        raise ExtractionError(source.name, "a Word 97-2003 (.doc) file: not read, save it as .docx")
    if head.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError(source.name, "an RTF file: not read, save it as .docx")
    import docx

    try:
        check_document(source.path, source.name, current())  # before python-docx builds every paragraph
    except LimitExceededError:
        raise
    except Exception:  # a damaged zip: python-docx says what is wrong with it below
        pass
    try:
        document = docx.Document(str(source.path))
        body = document.element.body
        numbering = Numbering(document)
    except Exception as exc:  # python-docx raises PackageNotFoundError, KeyError, ValueError, lxml errors …
        raise ExtractionError(source.name, f"not a readable DOCX document ({type(exc).__name__}: {exc})") from exc
    reader = _BodyReader(source, numbering)
    reader.read(body)
    if not reader.blocks:
        raise ExtractionError(source.name, "no text in the document (a picture of a table is not read)")
    return FileExtract(blocks=reader.blocks)


class _BodyReader:
    def __init__(self, source: SourceFile, numbering: Numbering):
        self.source = source
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.line = 0
        self.limits = current()

    def deeper(self, depth: int) -> int:
        """Nesting of wrappers and tables read so far, bounded (max_depth)."""
        self.limits.check("max_depth", depth + 1, self.source.name, what="levels of nested elements")
        return depth + 1

    def origin(self) -> Origin:
        self.line += 1
        return Origin(self.source.name, self.source.sha256, None, self.line)

    def read(self, element, depth: int = 0) -> None:
        depth = self.deeper(depth)
        for child in element:
            tag = child.tag
            if tag == f"{W}p":
                origin = self.origin()
                boxes: list[str] = []
                text = self.numbering.label(child) + paragraph_text(child, boxes)
                for box in boxes:
                    self.blocks.extend(TextLine(part.strip(), origin) for part in box.split("\n") if part.strip())
                self.blocks.extend(TextLine(part.strip(), origin) for part in text.split("\n") if part.strip())
            elif tag == f"{W}tbl":
                self.table(child)
            elif tag in WRAPPERS:
                self.read(child, depth)

    def table(self, table) -> None:
        rows: list[list[str | None]] = []
        origins: list[Origin] = []
        slots = 0
        for tr in _children(table, f"{W}tr"):
            row: list[str | None] = []
            props = tr.find(f"{W}trPr")
            before, after = _int_val(props, "gridBefore"), _int_val(props, "gridAfter")
            slots += max(before, 0) + max(after, 0)
            self.limits.check("max_cells_per_table", slots, self.source.name, what="slots in a table (column spans expanded)")
            row += [""] * before
            for tc in _children(tr, f"{W}tc"):
                tc_props = tc.find(f"{W}tcPr")
                span = max(_int_val(tc_props, "gridSpan", 1), 1)
                slots += span
                self.limits.check("max_cells_per_table", slots, self.source.name, what="slots in a table (column spans expanded)")
                v_merge = tc_props.find(f"{W}vMerge") if tc_props is not None else None
                h_merge = tc_props.find(f"{W}hMerge") if tc_props is not None else None
                if v_merge is not None and v_merge.get(f"{W}val") in (None, "continue"):
                    row += [COVERED_ABOVE] * span
                elif h_merge is not None and h_merge.get(f"{W}val") in (None, "continue"):
                    row += [COVERED_LEFT] * span
                else:
                    row += [self.cell_text(tc)] + [COVERED_LEFT] * (span - 1)
            row += [""] * after
            rows.append(row)
            origins.append(self.origin())
        if rows:
            self.blocks.extend(rows_to_blocks(rows, origins))

    def cell_text(self, tc) -> str:
        lines: list[str] = []
        self._cell_lines(tc, lines, 0)
        return "\n".join(line.strip() for line in lines if line.strip())

    def _cell_lines(self, element, lines: list[str], depth: int) -> None:
        depth = self.deeper(depth)
        for child in element:
            if child.tag == f"{W}p":
                boxes: list[str] = []
                lines.append(self.numbering.label(child) + paragraph_text(child, boxes))
                lines.extend(boxes)
            elif child.tag in (f"{W}tbl", f"{W}tr", f"{W}tc") or child.tag in WRAPPERS:
                self._cell_lines(child, lines, depth)  # a table nested in a cell: its text, cell by cell


def _children(element, tag: str):
    """Children with this tag, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in WRAPPERS:
            yield from _children(child, tag)


def _int_val(props, name: str, default: int = 0) -> int:
    if props is None:
        return default
    found = props.find(f"{W}{name}")
    if found is None:
        return default
    try:
        return int(found.get(f"{W}val", default))
    except ValueError:
        return default


def paragraph_text(paragraph, boxes: list[str]) -> str:
    """The visible text of a paragraph; the text of its text boxes goes to ``boxes``."""
    out: list[str] = []
    _inline(paragraph, out, boxes)
    return "".join(out).replace("\t", " ")


def _inline(element, out: list[str], boxes: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag == f"{W}r":
            props = child.find(f"{W}rPr")
            if props is not None and _is_on(props.find(f"{W}vanish")):
                continue  # hidden text
            _inline(child, out, boxes)
        elif tag == f"{W}t":
            out.append(child.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag == f"{W}txbxContent":
            lines: list[str] = []
            for p in child.iter(f"{W}p"):
                lines.append(paragraph_text(p, boxes))
            boxes.append("\n".join(lines))
        else:
            _inline(child, out, boxes)


def _is_on(flag) -> bool:
    return flag is not None and flag.get(f"{W}val", "true") not in ("0", "false", "off")


# ---------------------------------------------------------------- automatic numbering

CHINESE_DIGITS = word("chinese_digits")
LEGAL_DIGITS = word("legal_digits")
HEAVENLY_STEMS = word("heavenly_stems")
EARTHLY_BRANCHES = word("earthly_branches")
TEN, HUNDRED = words("chinese_ten_hundred")
LEGAL_TEN, LEGAL_HUNDRED = words("legal_ten_hundred")


def chinese_number(n: int, digits: str = CHINESE_DIGITS, ten: str = TEN, hundred: str = HUNDRED) -> str:
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else (digits[0] + digits[rest] if rest < 10 else (digits[1] if rest < 20 else "") + chinese_number(rest, digits, ten, hundred))
        return digits[n // 100] + hundred + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


# Counting in Chinese numerals (一 … 十一 … 一百): LibreOffice Writer saves its Chinese numbering
# (NUMBER_LOWER_ZH) as taiwaneseCountingThousand, Word as chineseCounting.
CHINESE_COUNTING_FORMATS = frozenset(
    ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting")
)


def format_counter(n: int, fmt: str) -> str:
    """The label text of counter value ``n`` in a numFmt of WordprocessingML (decimal if unknown)."""
    if fmt in CHINESE_COUNTING_FORMATS:
        return chinese_number(n)
    if fmt == "chineseLegalSimplified":
        return chinese_number(n, LEGAL_DIGITS, LEGAL_TEN, LEGAL_HUNDRED)
    if fmt == "ideographDigital":
        return "".join(CHINESE_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return HEAVENLY_STEMS[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return EARTHLY_BRANCHES[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """Draws the labels of automatically numbered paragraphs, counting in document order."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str, str, bool]]] = {}  # abstract -> level -> start, format, text, suffix, legal
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> abstract, start overrides
        self.style_numbering: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            root = None
        if root is not None:
            for abstract in root.iter(f"{W}abstractNum"):
                levels = {}
                for lvl in abstract.iter(f"{W}lvl"):
                    levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                        _int_val(lvl, "start", 1),
                        _val(lvl, "numFmt", "decimal"),
                        _val(lvl, "lvlText", ""),
                        _val(lvl, "suff", "tab"),
                        _is_on(lvl.find(f"{W}isLgl")),
                    )
                self.levels[abstract.get(f"{W}abstractNumId", "")] = levels
            for num in root.iter(f"{W}num"):
                overrides = {}
                for override in num.iter(f"{W}lvlOverride"):
                    start = override.find(f"{W}startOverride")
                    if start is not None:
                        overrides[int(override.get(f"{W}ilvl", "0"))] = int(start.get(f"{W}val", "1"))
                self.nums[num.get(f"{W}numId", "")] = (_val(num, "abstractNumId", ""), overrides)
        try:
            styles = document.part.styles.element
        except Exception:
            styles = None
        if styles is not None:
            based_on = {}
            own = {}
            for style in styles.iter(f"{W}style"):
                style_id = style.get(f"{W}styleId", "")
                based_on[style_id] = _val(style, "basedOn", "")
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    own[style_id] = (_val(num_pr, "numId", None), _int_or_none(_val(num_pr, "ilvl", None)))
            for style_id in based_on:
                seen, current = set(), style_id
                while current and current not in own and current not in seen:
                    seen.add(current)
                    current = based_on.get(current, "")
                if current in own:
                    self.style_numbering[style_id] = own[current]

    def label(self, paragraph) -> str:
        props = paragraph.find(f"{W}pPr")
        num_id, level = None, None
        if props is not None:
            style = props.find(f"{W}pStyle")
            if style is not None:
                num_id, level = self.style_numbering.get(style.get(f"{W}val", ""), (None, None))
            num_pr = props.find(f"{W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr, "numId", num_id)
                level = _int_or_none(_val(num_pr, "ilvl", None)) if num_pr.find(f"{W}ilvl") is not None else level
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        level = level or 0
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        start, fmt, text, suffix, _legal = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet":
            return ""
        label = text
        for k in range(level, -1, -1):
            k_start, k_fmt, _t, _s, _l = levels.get(k, (1, "decimal", "", "", False))
            value = counters.get(k, k_start)
            label = label.replace(f"%{k + 1}", format_counter(value, "decimal" if (_legal and k < level) else k_fmt))
        return label + label_gap(label, suffix) if label else ""


def label_gap(label: str, suffix: str) -> str:
    """The text between a drawn label and the paragraph: a space for a tab or space suffix.

    Not after ideographic punctuation (一、 （一） ①．): Chinese text never puts a space there,
    the tab Word and LibreOffice draw after 一、 only aligns the heading (Writer saves every list
    with the default tab suffix), so 一、收支预算总表 reads as typed. 1. keeps its space.
    """
    if suffix == "nothing":
        return ""
    last = label[-1]
    if unicodedata.category(last).startswith("P") and unicodedata.east_asian_width(last) in ("W", "F"):
        return ""
    return " "


def _val(element, name: str, default):
    found = element.find(f"{W}{name}")
    return default if found is None else found.get(f"{W}val", default)


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None
