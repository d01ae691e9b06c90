"""pdfminer's reading of a ToUnicode CMap, without its PostScript parser where it is plain.

Every font pdfminer makes for the PDFium reader (``pdfium_fonts.DictFonts``: fonts not
embedded, the fonts of the content's operators) parses its ``/ToUnicode`` CMap with
pdfminer's ``CMapParser``, a PostScript tokenizer in pure Python (a tenth of a millisecond
per entry; the CMaps of both corpora cost about a second of CPU). Most ToUnicode CMaps are
the same few lines of PostScript around ``beginbfchar``/``beginbfrange`` blocks of hex
strings. ``FastCMapParser`` reads such a CMap with one regular expression per token and the
same stack machine as ``CMapParser.do_keyword`` (the same ``add_cid2unichr`` calls, in the
same order, on a fresh map), and gives the CMap to pdfminer's parser, unchanged, wherever
anything is outside the plain subset: a name with ``#``, a string with a backslash or
parentheses, a number with a sign or a point, braces, ``true``/``false``, a keyword inside
an array or a dictionary, ``usecmap``, ``begincidrange``/``begincidchar`` blocks, an odd hex
string, a ``def`` without two operands, any entry pdfminer would warn about, any error.

The subset's rules are pdfminer's own (pdfminer.six's ``psparser``/``cmapdb``): a token cut
by the end of the data is read as if a line feed followed; a number ends at the first
non-digit; keywords after ``endcmap`` are ignored
until ``begincmap``; other keywords are pushed on the stack. tests/unit/test_pdf_tounicode.py
compares the two on every ToUnicode CMap of the fixture PDFs and on written CMaps, and
``benchmarks/tounicode_equal.py`` on every one of both corpora.
"""

from __future__ import annotations

import re
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import Any, BinaryIO

import pdfminer.pdffont
from pdfminer.cmapdb import CMapBase, CMapParser, FileUnicodeMap
from pdfminer.psparser import KWD, LIT, literal_name
from pdfminer.utils import choplist, nunpack

# one token of the plain subset; the groups name its kind. A keyword, name or number ends
# where pdfminer's tokenizer ends it: at a delimiter, white space or the data's end (pdfminer
# reads a token cut by the end of data as if a line feed followed).
TOKEN = re.compile(
    rb"(?P<space>[ \t\n\r\x0b\x0c]+)"
    rb"|(?P<comment>%[^\r\n]*)"
    rb"|(?P<dict_open><<)"
    rb"|(?P<dict_close>>>)"
    rb"|(?P<hex><(?P<digits>[0-9A-Fa-f \t\n\r\x0b\x0c]*)>)(?!>)"
    rb"|(?P<array_open>\[)"
    rb"|(?P<array_close>\])"
    rb"|(?P<string>\((?P<text>[^()\\]*)\))"
    rb"|(?P<name>/(?P<label>[^#/%\[\]()<>{}\s]*))(?![#])"
    rb"|(?P<number>[0-9]+)(?![.0-9])"
    rb"|(?P<keyword>[A-Za-z][^#/%\[\]()<>{}\s]*)(?![#])"
)
WHITE = re.compile(rb"[ \t\n\r\x0b\x0c]")
# the keywords CMapParser.do_keyword answers: anything else is pushed on the stack
OPENING = frozenset(
    KWD(k)
    for k in (
        b"begincodespacerange",
        b"endcodespacerange",
        b"begincidrange",
        b"begincidchar",
        b"beginbfrange",
        b"beginbfchar",
        b"beginnotdefrange",
        b"endnotdefrange",
    )
)
BEGINCMAP, ENDCMAP, DEF, ENDBFRANGE, ENDBFCHAR = (
    KWD(k) for k in (b"begincmap", b"endcmap", b"def", b"endbfrange", b"endbfchar")
)
NOT_PLAIN = frozenset(KWD(k) for k in (b"usecmap", b"endcidrange", b"endcidchar"))
KEYWORDS_ENDING = (b"true", b"false")
# after beginbfchar/beginbfrange (the stack just emptied): a block of plain hex entries up to
# its end keyword, followed by a character that ends that keyword or by the data's end. A
# block of anything else is read token by token.
_ENDS = rb"(?=[\s/%\[\]()<>{}]|\Z)"
BLOCKS = {
    b"beginbfchar": re.compile(rb"((?:\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>)*)\s*endbfchar" + _ENDS),
    b"beginbfrange": re.compile(
        rb"((?:\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>)*)\s*endbfrange" + _ENDS
    ),
}
HEX_ENTRY = re.compile(rb"<([0-9A-Fa-f]*)>")


class NotPlain(Exception):
    """The CMap is outside the plain subset: pdfminer's parser reads it."""


def read_plain(data: bytes) -> FileUnicodeMap:
    """The ToUnicode map pdfminer's CMapParser makes of ``data``. Raises NotPlain."""
    cmap = FileUnicodeMap()
    machine = _Machine(cmap)
    at, end = 0, len(data)
    while at < end:
        found = TOKEN.match(data, at)
        if found is None:
            raise NotPlain(f"byte {at}")
        kind = found.lastgroup
        at = found.end()
        if kind == "space" or kind == "comment":
            continue
        machine.take(kind, _value(kind, found))
        if kind == "keyword" and machine.in_cmap and not machine.outer:
            block = BLOCKS.get(found.group("keyword"))
            matched = block.match(data, at) if block is not None else None
            if matched is not None:
                machine.entries(found.group("keyword"), matched.group(1))
                at = matched.end()
    return cmap


def _value(kind: str | None, found: re.Match[bytes]) -> Any:
    """The value pdfminer's tokenizer gives the token ``found`` of this kind."""
    if kind == "hex":
        digits = WHITE.sub(b"", found.group("digits"))
        if len(digits) % 2:
            raise NotPlain("an odd hex string")
        return bytes.fromhex(digits.decode("ascii"))
    if kind == "string":
        return found.group("text")
    if kind == "name":
        label = found.group("label")
        try:
            return LIT(str(label, "utf-8"))
        except UnicodeDecodeError:
            return LIT(label)
    if kind == "number":
        return int(found.group("number"))
    if kind == "keyword":
        word = found.group("keyword")
        if word in KEYWORDS_ENDING:
            raise NotPlain("true or false")
        return KWD(word)
    return None


class _Machine:
    """``CMapParser``'s stack (PSStackParser.nextobject) and ``do_keyword`` for the subset."""

    def __init__(self, cmap: FileUnicodeMap) -> None:
        self.cmap = cmap
        self.in_cmap = True
        self.stack: list[Any] = []
        self.outer: list[tuple[str, list[Any]]] = []  # open arrays and dictionaries

    def take(self, kind: str, value: Any) -> None:
        if kind in ("hex", "string", "name", "number"):
            self.stack.append(value)
        elif kind in ("array_open", "dict_open"):
            if self.outer:
                raise NotPlain("nested arrays or dictionaries")
            self.outer.append((kind, self.stack))
            self.stack = []
        elif kind in ("array_close", "dict_close"):
            self._close(kind)
        else:
            if self.outer:
                raise NotPlain("a keyword inside an array or a dictionary")
            self._keyword(value)

    def entries(self, begin: bytes, block: bytes) -> None:
        """A block of plain hex entries (``BLOCKS``) and its end keyword, as the tokens would
        be taken one by one: the strings pushed, then endbfchar or endbfrange."""
        values = []
        for digits in HEX_ENTRY.findall(block):
            if len(digits) % 2:
                raise NotPlain("an odd hex string")
            values.append(bytes.fromhex(digits.decode("ascii")))
        if begin == b"beginbfchar":
            self._bfchar(values)
        else:
            self._bfrange(values)

    def _bfchar(self, objs: list[Any]) -> None:
        """``CMapParser``'s endbfchar: pairs of strings, the first one the code."""
        for cid, code in choplist(2, objs):
            if isinstance(cid, bytes) and isinstance(code, bytes):
                self.cmap.add_cid2unichr(nunpack(cid), code)

    def _close(self, kind: str) -> None:
        if not self.outer or self.outer[-1][0] != kind.replace("close", "open"):
            raise NotPlain("a closing bracket without its opening one")
        objs = self.stack
        self.stack = self.outer.pop()[1]
        if kind == "array_close":
            self.stack.append(objs)
            return
        if len(objs) % 2:
            raise NotPlain("a dictionary of an odd count")
        self.stack.append({literal_name(k): v for (k, v) in choplist(2, objs) if v is not None})

    def _keyword(self, token: Any) -> None:
        if token is BEGINCMAP:
            self.in_cmap = True
            self.stack = []
        elif token is ENDCMAP:
            self.in_cmap = False
        elif not self.in_cmap:
            return
        elif token is DEF:
            if len(self.stack) < 2:
                raise NotPlain("def without two operands")
            key, value = self.stack[-2:]
            del self.stack[-2:]
            self.cmap.set_attr(literal_name(key), value)
        elif token in NOT_PLAIN:
            raise NotPlain(f"{token!r}")
        elif token in OPENING:
            self.stack = []
        elif token is ENDBFRANGE:
            objs, self.stack = self.stack, []
            self._bfrange(objs)
        elif token is ENDBFCHAR:
            objs, self.stack = self.stack, []
            self._bfchar(objs)
        else:
            self.stack.append(token)

    def _bfrange(self, objs: list[Any]) -> None:
        """``CMapParser``'s endbfrange, for entries it takes without a warning."""
        for start_byte, end_byte, code in choplist(3, objs):
            if (
                not isinstance(start_byte, bytes)
                or not isinstance(end_byte, bytes)
                or len(start_byte) != len(end_byte)
            ):
                raise NotPlain("an entry pdfminer warns about")
            start, end = nunpack(start_byte), nunpack(end_byte)
            if isinstance(code, list):
                if len(code) != end - start + 1:
                    raise NotPlain("an entry pdfminer warns about")
                for cid, unicode_value in zip(range(start, end + 1), code, strict=False):
                    self.cmap.add_cid2unichr(cid, unicode_value)
            elif isinstance(code, bytes):
                var = code[-4:]
                base, prefix, vlen = nunpack(var), code[:-4], len(var)
                for i in range(end - start + 1):
                    self.cmap.add_cid2unichr(
                        start + i, prefix + struct.pack(">L", base + i)[-vlen:]
                    )
            else:
                raise NotPlain("a destination that is neither a string nor an array")


class FastCMapParser(CMapParser):
    """``CMapParser`` that reads a plain ToUnicode CMap itself (``read_plain``) into the
    fresh map pdfminer gives it, and hands any other to pdfminer's parser."""

    def __init__(self, cmap: CMapBase, fp: BinaryIO) -> None:
        self._target, self._fp = cmap, fp

    def run(self) -> None:
        target = self._target
        data = self._fp.getvalue() if isinstance(self._fp, BytesIO) else None
        if (
            data is not None
            and type(target) is FileUnicodeMap
            and not target.attrs
            and not target.cid2unichr
        ):
            try:
                made = read_plain(data)
            except Exception:  # NotPlain, or an error pdfminer's parser will raise as it does
                pass
            else:
                target.attrs.update(made.attrs)
                target.cid2unichr.update(made.cid2unichr)
                return
        CMapParser(target, self._fp).run()


# one block at a time: another thread's block could otherwise put back the wrong parser
_SWAP = threading.RLock()


@contextmanager
def fast_tounicode() -> Iterator[None]:
    """pdfminer's fonts made inside this block read their ToUnicode CMaps with
    ``FastCMapParser`` (``pdfminer.pdffont`` names ``CMapParser`` once per font); pdfminer's
    own parser is put back after it."""
    with _SWAP:
        before = pdfminer.pdffont.CMapParser
        pdfminer.pdffont.CMapParser = FastCMapParser  # type: ignore[misc]
        try:
            yield
        finally:
            pdfminer.pdffont.CMapParser = before  # type: ignore[misc]
