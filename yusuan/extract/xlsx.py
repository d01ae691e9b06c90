"""Spreadsheet workbooks: XLSX (openpyxl) and XLS (xlrd), each sheet's rows -> text lines and grids.

Every visible sheet is read in workbook order. A row with a single cell of text is a text
line (a title, 单位：万元, a note) unless it sits in a table: one of its cells has a border, it
lies under a merged cell of the table, or, in a sheet without any border, it lies between two
rows of several cells; a lone cell merged across the used width is always a text line. Rows
with several cells of text follow each other as a grid (an empty row ends it, unless it has
borders: an empty row of the table). A merged range is kept as its first cell followed by
COVERED_LEFT markers (same row) and COVERED_ABOVE markers (rows below). A grid of a single
row (编制单位：…  单位：万元) is a text line, as in the text reader.

Numbers stored as numbers come back as the text a reader of the sheet sees: the stored
value (the shortest decimal that round-trips the binary double, so 1182.0400000000002 is
what was stored, not what is shown) is rounded with Decimal to the decimals of the cell's
number format, half away from zero as Excel does, with its thousands separators, percent,
literal text and negative section. Hidden rows, columns and sheets are not read; the number
of characters they hold is reported per sheet (``hidden_chars``). The origin of a row is
page = sheet number (1-based, hidden sheets counted) and line = row number in the sheet.

Files are told apart by their first bytes, not their name: an ``.xls`` that is really an
XLSX (or the reverse) is read all the same, and a "spreadsheet" that is an HTML page (a
common export of web portals) goes to the HTML reader.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
from yusuan.core.vocabulary import words
from yusuan.extract.grid_blocks import OLE_MAGIC, ZIP_MAGIC, rows_to_blocks
from yusuan.extract.ooxml_scan import check_workbook

Cell = str | None


@dataclass
class Sheet:
    """What a workbook library found in one sheet, 1-based rows and columns."""

    name: str
    number: int
    hidden: bool = False
    texts: dict[tuple[int, int], str] = field(default_factory=dict)  # cells with text, as displayed
    bordered: set[tuple[int, int]] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first col, last row, last col
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)


def xlsx_to_blocks(source: SourceFile) -> FileExtract:
    """An XLSX or XLS workbook (told apart by content), or an HTML page saved as one."""
    head = _head(source)
    if head.startswith(OLE_MAGIC):
        return sheets_to_extract(_xls_sheets(source), source)
    if head.startswith(ZIP_MAGIC):
        return sheets_to_extract(_xlsx_sheets(source), source)
    raise ExtractionError(source.name, "not a readable workbook (neither XLSX nor XLS content)")


def _head(source: SourceFile) -> bytes:
    with source.path.open("rb") as handle:
        return handle.read(2048)


# ---------------------------------------------------------------- sheets -> blocks


def sheets_to_extract(sheets: list[Sheet], source: SourceFile) -> FileExtract:
    found = FileExtract(blocks=[], page_count=len(sheets))
    for sheet in sheets:
        blocks, hidden = sheet_to_blocks(sheet, source)
        found.blocks.extend(blocks)
        if hidden:
            found.hidden_chars[sheet.number] = hidden
    if not found.blocks:
        raise ExtractionError(source.name, "no cell with text in any visible sheet (a picture of a table is not read)")
    return found


def sheet_to_blocks(sheet: Sheet, source: SourceFile) -> tuple[list[Block], int]:
    """Text lines and grids of one sheet, and the characters of its hidden cells."""
    if sheet.hidden:
        return [], sum(len(t) for t in sheet.texts.values())
    limits = current()
    merged_area = sum((last_row - first_row + 1) * (last_col - first_col + 1) for first_row, first_col, last_row, last_col in sheet.merges)
    limits.check("max_merged_area", merged_area, source.name, page=sheet.number, what=f"cells covered by merged ranges in sheet {sheet.name!r}")
    texts = dict(sheet.texts)
    covered: dict[tuple[int, int], tuple[str, int]] = {}  # covered cell -> marker, row of the range's text
    for first_row, first_col, last_row, last_col in sheet.merges:
        rows = [r for r in range(first_row, last_row + 1) if r not in sheet.hidden_rows]
        cols = [c for c in range(first_col, last_col + 1) if c not in sheet.hidden_columns]
        text = texts.get((first_row, first_col), "")
        for r in range(first_row, last_row + 1):
            for c in range(first_col, last_col + 1):
                texts.pop((r, c), None)  # covered cells show nothing
        if not rows or not cols:
            if text:
                texts[(first_row, first_col)] = text  # all hidden: counted below
            continue
        if text:
            texts[(rows[0], cols[0])] = text  # the text of a range shows in its visible part
        for r in rows:
            for c in cols:
                if (r, c) != (rows[0], cols[0]):
                    covered[(r, c)] = (COVERED_LEFT if r == rows[0] else COVERED_ABOVE, rows[0])
    hidden = sum(len(t) for (r, c), t in texts.items() if r in sheet.hidden_rows or c in sheet.hidden_columns)
    visible = {(r, c): t for (r, c), t in texts.items() if r not in sheet.hidden_rows and c not in sheet.hidden_columns}
    if not visible:
        return [], hidden
    used = sorted({c for _r, c in visible} | {c for _r, c in covered})
    columns = [c for c in range(used[0], used[-1] + 1) if c not in sheet.hidden_columns]
    full_width = {(m[0], m[1]) for m in sheet.merges if m[1] <= columns[0] and m[3] >= columns[-1]}
    row_numbers = sorted({r for r, _c in visible} | {r for r, _c in covered})
    limits.check("max_cells_per_table", len(row_numbers) * len(columns), source.name, page=sheet.number, what=f"slots (used rows × used columns) in sheet {sheet.name!r}")
    counts = {r: sum(1 for c in columns if (r, c) in visible) for r in row_numbers}
    kinds: dict[int, str] = {}
    for index, r in enumerate(row_numbers):
        if counts[r] == 0:
            anchors = {covered[(r, c)][1] for c in columns if (r, c) in covered}
            kinds[r] = "grid" if any(kinds.get(a) == "grid" for a in anchors if a != r) else "skip"
        elif counts[r] > 1:
            kinds[r] = "grid"
        elif next((r, c) for c in columns if (r, c) in visible) in full_width:
            kinds[r] = "line"
        elif any((r, c) in sheet.bordered for c in columns):
            kinds[r] = "grid"
        elif any(covered.get((r, c), ("", r))[1] != r and kinds.get(covered[(r, c)][1]) == "grid" for c in columns):
            kinds[r] = "grid"  # under a merged cell of the table
        elif not sheet.bordered and _between_grid_rows(index, row_numbers, kinds, counts):
            kinds[r] = "grid"
        else:
            kinds[r] = "line"
    blocks: list[Block] = []
    rows_: list[list[Cell]] = []
    origins: list[Origin] = []
    previous: int | None = None
    for r in row_numbers:
        origin = Origin(source.name, source.sha256, sheet.number, r)
        # an empty row ends a grid, unless it is hidden or has borders (an empty row of the table)
        continues = previous is not None and all(
            h in sheet.hidden_rows or any((h, c) in sheet.bordered for c in columns) for h in range(previous + 1, r)
        )
        if rows_ and not (kinds[r] == "grid" and continues):
            blocks.extend(rows_to_blocks(rows_, origins))
            rows_, origins = [], []
        if kinds[r] == "grid":
            rows_.append([visible.get((r, c)) or covered.get((r, c), ("",))[0] for c in columns])
            origins.append(origin)
        elif kinds[r] == "line":
            text = next(visible[(r, c)] for c in columns if (r, c) in visible)
            blocks.extend(TextLine(part.strip(), origin) for part in text.split("\n") if part.strip())
        previous = r if kinds[r] == "grid" else None
    if rows_:
        blocks.extend(rows_to_blocks(rows_, origins))
    return blocks, hidden


def _between_grid_rows(index: int, row_numbers: list[int], kinds: dict[int, str], counts: dict[int, int]) -> bool:
    """A lone cell directly between two rows of several cells (a sheet without borders)."""
    if index == 0 or index + 1 >= len(row_numbers):
        return False
    before, r, after = row_numbers[index - 1], row_numbers[index], row_numbers[index + 1]
    return before == r - 1 and after == r + 1 and kinds.get(before) == "grid" and counts[after] > 1


# ---------------------------------------------------------------- XLSX (openpyxl)


def _xlsx_sheets(source: SourceFile) -> list[Sheet]:
    import openpyxl

    try:
        check_workbook(source.path, source.name, current())  # before openpyxl builds every cell
    except LimitExceededError:
        raise
    except Exception:  # a damaged zip: openpyxl says what is wrong with it below
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about every extension it does not read
            # from the bytes: openpyxl refuses a file by its name (an XLSX saved as .xls)
            book = openpyxl.load_workbook(io.BytesIO(source.path.read_bytes()), data_only=True)
    except Exception as exc:  # zipfile, openpyxl and the XML parsers raise many types for damaged files
        raise ExtractionError(source.name, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    sheets = []
    try:
        for number, ws in enumerate(book.worksheets, start=1):
            sheet = Sheet(ws.title, number, hidden=ws.sheet_state != "visible")
            # only the cells the file stores (iter_rows would create every cell of the used range)
            for (r, c), cell in ws._cells.items():
                text = _xlsx_text(cell)
                if text:
                    sheet.texts[(r, c)] = text
                if cell.has_style and _has_border(cell.border):
                    sheet.bordered.add((r, c))
            sheet.merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
            sheet.hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
            for dim in ws.column_dimensions.values():
                if dim.hidden and dim.min and dim.max:
                    sheet.hidden_columns.update(range(dim.min, dim.max + 1))
            sheets.append(sheet)
    finally:
        book.close()
    return sheets


def _has_border(border) -> bool:
    return border is not None and any(getattr(getattr(border, side), "style", None) for side in ("left", "right", "top", "bottom"))


def _xlsx_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return format_number(value, cell.number_format or "General")
    if isinstance(value, (datetime, date, time, timedelta)):
        return format_date(value)
    text = str(value)
    if "_x" in text:
        from openpyxl.utils.escape import unescape

        text = unescape(text)  # OOXML escapes control characters: _x000D_ is a carriage return
    return _lines(text)


def _lines(text: str) -> str:
    """A cell's text with its line breaks as \n, stripped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# ---------------------------------------------------------------- XLS (xlrd)


def _xls_sheets(source: SourceFile) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(source.path, formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error … for damaged files
        raise ExtractionError(source.name, f"not a readable XLS workbook ({type(exc).__name__}: {exc})") from exc
    sheets = []
    try:
        for index in range(book.nsheets):
            try:
                ws = book.sheet_by_index(index)
            except Exception as exc:
                raise ExtractionError(source.name, f"cannot read sheet {index + 1} ({type(exc).__name__}: {exc})", page=index + 1) from exc
            sheet = Sheet(ws.name, index + 1, hidden=ws.visibility != 0)
            current().check("max_cells_per_sheet", ws.nrows * ws.ncols, source.name, page=index + 1, what=f"cells (rows × columns) in sheet {ws.name!r}")
            for r in range(ws.nrows):
                for c in range(ws.ncols):
                    xf = book.xf_list[ws.cell_xf_index(r, c)]
                    text = _xls_text(book, ws.cell(r, c), xf)
                    if text:
                        sheet.texts[(r + 1, c + 1)] = text
                    border = xf.border
                    if border.top_line_style or border.bottom_line_style or border.left_line_style or border.right_line_style:
                        sheet.bordered.add((r + 1, c + 1))
            sheet.merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in ws.merged_cells]
            sheet.hidden_rows = {r + 1 for r, info in ws.rowinfo_map.items() if info.hidden}
            sheet.hidden_columns = {c + 1 for c, info in ws.colinfo_map.items() if info.hidden}
            sheets.append(sheet)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sheets


def _xls_text(book, cell, xf) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return _lines(str(cell.value))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return format_date(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except Exception:
            return format_number(cell.value, "General")
    fmt = book.format_map.get(xf.format_key)
    return format_number(cell.value, fmt.format_str if fmt else "General")


# ---------------------------------------------------------------- number formats

_QUOTED = re.compile(r'"[^"]*"')
_BRACKET = re.compile(r"\[[^\]]*\]")
_PATTERN = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")
GENERAL = frozenset(words("spreadsheet_general_formats"))


def format_number(value: float | int | Decimal, fmt: str) -> str:
    """A stored number as an Excel cell with this number format shows it.

    Supported: General, text (@), digits with optional thousands separators and decimals
    (0, 0.00, #,##0.00, #,##0.0_ ), percent, scaling commas (#,##0,), literal text in
    quotes or after a backslash, colours and locale/currency tags ([Red], [$¥-804]), and
    sections for positive;negative;zero. Scientific and fraction formats fall back to General.
    """
    number = _stored(value)
    if number is None:
        return str(value)
    sections = _split_sections(fmt or "General")
    negative = number < 0
    if negative and len(sections) >= 2:
        section, sign, number = sections[1], "", -number
    elif number == 0 and len(sections) >= 3:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if negative else ""
        number = abs(number)
    if not section and len(sections) > 1:
        return ""  # an empty section hides the value (;;; formats)
    literal_section = _BRACKET.sub(lambda m: _currency(m.group(0)), section)
    bare = _QUOTED.sub("", literal_section).strip()
    if (bare.lower() in GENERAL and not _QUOTED.search(literal_section)) or "E+" in bare.upper() or "E-" in bare.upper() or "/" in bare:
        return sign + general(number)
    percent = "%" in _QUOTED.sub("", literal_section).replace("\\%", "")
    if percent:
        number *= 100
    tokens = _tokens(literal_section)
    pattern_index = next((i for i, (kind, text) in enumerate(tokens) if kind == "pattern"), None)
    if pattern_index is None:  # only literal text: shown as it is
        return "".join(text for _kind, text in tokens)
    pattern = tokens[pattern_index][1]
    integer_part, _, decimal_part = pattern.partition(".")
    scale_commas = len(integer_part) - len(integer_part.rstrip(","))
    integer_part = integer_part.rstrip(",")
    number = number / (Decimal(1000) ** scale_commas)
    max_decimals = sum(ch in "0#?" for ch in decimal_part)
    min_decimals = len(decimal_part) - len(decimal_part.lstrip("0")) if decimal_part else 0
    rounded = number.quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)
    digits = f"{rounded:f}"
    whole, _, fraction = digits.partition(".")
    fraction = fraction[:max_decimals]
    while len(fraction) > min_decimals and fraction.endswith("0"):
        fraction = fraction[:-1]
    min_integer = integer_part.count("0")
    whole = whole.lstrip("0").rjust(min_integer, "0")
    if "," in integer_part:
        whole = f"{int(whole):,}" if whole else ""
    body = whole + ("." + fraction if "." in pattern else "")
    if rounded == 0:
        sign = "" if sign == "-" else sign  # -0.001 shown with 0.00 is 0.00
    out = [text for _kind, text in tokens[:pattern_index]] + [body] + [text for _kind, text in tokens[pattern_index + 1 :]]
    return (sign + "".join(out)).strip()


def _stored(value: float | int | Decimal) -> Decimal | None:
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def general(number: Decimal) -> str:
    """General format: at most 15 significant digits (Excel's precision), no exponent."""
    if number == 0:
        return "0"
    if number.adjusted() >= 15:
        return f"{number.quantize(Decimal(1)):f}"
    rounded = round(number, 14 - number.adjusted())
    text = f"{rounded.normalize():f}"
    return text


def _split_sections(fmt: str) -> list[str]:
    sections, current, quoted, escaped = [], [], False, False
    for ch in fmt:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            current.append(ch)
            escaped = True
        elif ch == '"':
            quoted = not quoted
            current.append(ch)
        elif ch == ";" and not quoted:
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
    sections.append("".join(current))
    return sections


def _currency(tag: str) -> str:
    """[$¥-804] shows ¥; colours and conditions ([Red], [>=100]) show nothing."""
    if tag.startswith("[$"):
        symbol = tag[2:-1].split("-")[0]
        return f'"{symbol}"' if symbol else ""
    return ""


def _tokens(section: str) -> list[tuple[str, str]]:
    """Literal text and the one digit pattern of a format section."""
    tokens: list[tuple[str, str]] = []
    i = 0
    seen_pattern = False
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("literal", section[i + 1 : end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            tokens.append(("literal", section[i + 1]))
            i += 2
        elif ch in "_*" and i + 1 < len(section):
            i += 2  # padding to the width of a character, or a fill: no text
        elif ch in "0#?." and not seen_pattern:
            match = _PATTERN.match(section, i)
            if match and match.group(0) != ".":
                tokens.append(("pattern", match.group(0)))
                seen_pattern = True
                i = match.end()
            else:
                tokens.append(("literal", ch))
                i += 1
        elif ch in "0#?,":
            i += 1  # digit placeholders after the pattern (a second pattern) are not supported
        else:
            tokens.append(("literal", ch))
            i += 1
    return tokens


def format_date(value: datetime | date | time | timedelta) -> str:
    """Dates as ISO 8601 (the cell's own date format is not followed)."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)
