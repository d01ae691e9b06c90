"""pdfminer's reading of a plain PDF object, without its tokenizer's per-byte Python.

The fonts not embedded (pdfium_fonts.DictFonts) open the file with pdfminer's parser to
walk the page tree and read the pages' font dictionaries. Most of that time is pdfminer's
tokenizer (``PSBaseParser``, a state machine in Python) reading objects that are only
dictionaries and arrays of names, numbers and references. ``ScannedDocument`` is
pdfminer's ``PDFDocument`` whose ``_getobj_parse`` reads such an object from the file's
bytes with one regular expression per token (``plain_object``), and hands everything
else to pdfminer: a stream, a string, a comment, a procedure, a keyword other than
``R``/``true``/``false``/``null``, a name with a ``#`` escape or a byte outside printable
ASCII, a head that is not "<number> <number> obj", anything after the object but
``endobj``. What is read is what pdfminer's parser gives (tested on every object of the
fixture PDFs): the same dicts (null values dropped, the last of a repeated key kept),
lists, ``PSLiteral`` names (pdfminer's interned ones), ints, floats, booleans, None in
arrays and ``PDFObjRef``s.
"""

from __future__ import annotations

import re
from typing import Any

from pdfminer.casting import safe_int
from pdfminer.pdfdocument import PDFBaseXRef, PDFDocument, PDFNoValidXRef, PDFXRef, PDFXRefStream
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, int_value
from pdfminer.psparser import LIT, PSEOF, PSLiteral

# "12 0 obj" at an xref offset, after pdfminer's white space (``\s`` of bytes); "obj" must
# end where pdfminer's keyword ends
HEAD = re.compile(rb"\s*(\d+)\s+\d+\s+obj(?=[#/%\[\]()<>{}\s])")
# the tokens of an object, each after pdfminer's white space (``\s`` of bytes): where
# pdfminer's tokens end is what its END_LITERAL, END_NUMBER and END_KEYWORD say (a name
# stops at [#/%[]()<>{} or white space, a number at a non-digit, a keyword at the name
# delimiters); any other byte is a token of its own (the last group), which is not plain
TOKENS = re.compile(
    rb"\s*(?:(<<|\[)|(>>|\])|(/[^/\[\]()<>{}%\s]*)"
    rb"|([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)(?![0-9.])"
    rb"|([A-Za-z][^#/%\[\]()<>{}\s]*)|([\s\S]))"
)
NAME_BYTES = re.compile(rb"/[!-\"$-~]*")  # printable ASCII but "#" (pdfminer's escape)
END_KEYWORD = frozenset(b"#/%[]()<>{} \t\n\r\x0b\x0c")
# a line as pdfminer's ``nextline`` reads it: up to \\r, \\n or \\r\\n (a \\r needs a byte after it)
LINE = re.compile(rb"[^\r\n]*(?:\r\n|\n|\r(?=[\s\S]))")
EOL = re.compile(rb"[\r\n]")
STREAM_END = re.compile(rb"\s*endstream(?=[#/%\[\]()<>{}\s])\s*endobj(?=[#/%\[\]()<>{}\s])")
KEYWORDS: dict[bytes, Any] = {b"true": True, b"false": False, b"null": None}
# pdfminer's names by their token ("/Font"), as ``_name`` made them
_NAMES: dict[bytes, PSLiteral] = {}
MAX_NAMES = 50_000


class NotPlain(Exception):
    """The object is not one ``plain_object`` reads: pdfminer's parser reads it."""


class ScannedDocument(PDFDocument):
    """pdfminer's document, its plain objects read by ``plain_object`` from the file's bytes."""

    def __init__(self, parser: PDFParser, data: bytes) -> None:
        self._data = data
        super().__init__(parser)

    def _getobj_parse(self, pos: int, objid: int) -> object:
        try:
            return plain_object(self._data, pos, objid, self)
        except NotPlain:
            return super()._getobj_parse(pos, objid)

    def read_xref_from(self, parser: PDFParser, start: int, xrefs: list[PDFBaseXRef]) -> None:
        """pdfminer's ``PDFDocument.read_xref_from``, its xref tables read by ``ScannedXRef``."""
        parser.seek(start)
        parser.reset()
        try:
            (pos, token) = parser.nexttoken()
        except PSEOF as err:
            raise PDFNoValidXRef("Unexpected EOF") from err
        if isinstance(token, int):
            parser.seek(pos)
            parser.reset()
            xref: PDFBaseXRef = PDFXRefStream()
            xref.load(parser)
        else:
            if token is parser.KEYWORD_XREF:
                parser.nextline()
            xref = ScannedXRef(self._data)
            xref.load(parser)
        xrefs.append(xref)
        trailer = xref.get_trailer()
        if "XRefStm" in trailer:
            self.read_xref_from(parser, int_value(trailer["XRefStm"]), xrefs)
        if "Prev" in trailer:
            self.read_xref_from(parser, int_value(trailer["Prev"]), xrefs)


class ScannedXRef(PDFXRef):
    """pdfminer's xref table, its lines read from the file's bytes (``LINE``) rather than
    by the parser's ``nextline``; pdfminer's own ``load`` reads a table that ends early."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data

    def load(self, parser: PDFParser) -> None:
        try:
            offsets, trailer_at = xref_offsets(self._data, parser.bufpos + parser.charpos)
        except NotPlain:
            super().load(parser)
            return
        self.offsets.update(offsets)
        parser.seek(trailer_at)
        self.load_trailer(parser)


def xref_offsets(data: bytes, at: int) -> tuple[dict[int, tuple[None, int, int]], int]:
    """pdfminer's ``PDFXRef.load`` from ``at``: the offsets of the objects in use, and where
    the trailer's line starts. Raises NotPlain where pdfminer would raise or read past the
    end of the file (its ``load`` then says so)."""
    offsets: dict[int, tuple[None, int, int]] = {}
    while True:
        pos, line, at = _line(data, at)
        if not line:
            continue
        if line.startswith(b"trailer"):
            return offsets, pos
        fields = line.split(b" ")
        if len(fields) != 2:
            raise NotPlain
        try:
            (start, count) = map(int, fields)
        except ValueError:
            raise NotPlain from None
        for objid in range(start, start + count):
            _pos, line, at = _line(data, at)
            fields = line.split(b" ")
            if len(fields) != 3:
                raise NotPlain
            if fields[2] != b"n":
                continue
            place, genno = safe_int(fields[0]), safe_int(fields[1])
            if place is None or genno is None:
                raise NotPlain  # pdfminer leaves it out, with a warning
            offsets[objid] = (None, place, genno)


def _line(data: bytes, at: int) -> tuple[int, bytes, int]:
    """The line at ``at``, stripped as pdfminer strips it, and where the next starts."""
    found = LINE.match(data, at)
    if found is None:
        raise NotPlain
    return at, found.group().strip(), found.end()


def plain_object(data: bytes, pos: int, objid: int, doc: PDFDocument | None) -> Any:
    """The dictionary, array or stream of object ``objid`` at ``pos`` as pdfminer reads it.
    Raises NotPlain for anything else (the caller asks pdfminer)."""
    head = HEAD.match(data, pos)
    if head is None or int(head.group(1)) != objid:
        raise NotPlain
    end = data.find(b"endobj", head.end())
    stream = data.find(b"stream", head.end(), end if end >= 0 else len(data))
    if stream >= 0:
        return _plain_stream(data, head.end(), stream, doc)
    end += 6
    if end < 6 or end >= len(data) or data[end] not in END_KEYWORD:
        raise NotPlain
    tokens = TOKENS.findall(data, head.end(), end)
    return _one_object(tokens, b"endobj", doc)


def _one_object(tokens: list[tuple[bytes, ...]], last: bytes, doc: PDFDocument | None) -> Any:
    """The dict or list the tokens hold, followed by the keyword ``last`` and nothing else."""
    if len(tokens) < 2 or not tokens[0][0] or tokens[-1][4] != last:
        raise NotPlain
    value, used = _read(tokens, doc)
    if used != len(tokens) - 1:
        raise NotPlain
    return value


def _plain_stream(data: bytes, start: int, keyword: int, doc: PDFDocument | None) -> PDFStream:
    """A stream object as pdfminer's ``PDFParser.do_keyword`` reads it: its dictionary, then
    ``/Length`` bytes after the end of the line of "stream", taken only where "endstream"
    and "endobj" follow them (pdfminer would otherwise look further for its end)."""
    if doc is None or doc._parser is None or doc._parser.fallback or keyword + 6 >= len(data) or data[keyword + 6] not in END_KEYWORD:
        raise NotPlain
    dictionary = _one_object(TOKENS.findall(data, start, keyword + 6), b"stream", doc)
    if not isinstance(dictionary, dict):
        raise NotPlain
    length = int_value(dictionary["Length"]) if "Length" in dictionary else 0
    line_end = EOL.search(data, keyword)
    if line_end is None or length < 0:
        raise NotPlain
    body = line_end.end()
    if data[line_end.start()] == 13:  # "\r": a "\n" after it is in the line, and a byte is needed
        if body >= len(data):
            raise NotPlain
        body += data[body] == 10
    if STREAM_END.match(data, body + length) is None:
        raise NotPlain
    return PDFStream(dictionary, data[body : body + length], doc.decipher)


def _read(tokens: list[tuple[bytes, ...]], doc: PDFDocument | None) -> tuple[Any, int]:
    """The dict or list the first token opens, and how many tokens it takes."""
    outer: list[tuple[bytes, list[Any]]] = []
    opened, items = tokens[0][0], []
    names = _NAMES
    for index in range(1, len(tokens)):
        opening, closing, name, number, word, _other = tokens[index]
        if number:
            items.append(float(number) if b"." in number else int(number))
        elif name:
            literal = names.get(name)
            items.append(literal if literal is not None else _name(name))
        elif word:
            _word(word, items, doc)
        elif opening:
            outer.append((opened, items))
            opened, items = opening, []
        elif closing:
            value = _closed(opened, closing, items)
            if not outer:
                return value, index + 1
            opened, items = outer.pop()
            items.append(value)
        else:
            raise NotPlain
    raise NotPlain


def _closed(opened: bytes, closed: bytes, items: list[Any]) -> Any:
    """The list, or the dict (pdfminer drops null values and keeps a key's last value)."""
    if opened == b"[":
        if closed != b"]":
            raise NotPlain
        return items
    if closed != b">>" or len(items) % 2 or not all(isinstance(key, PSLiteral) for key in items[::2]):
        raise NotPlain
    return {items[i].name: items[i + 1] for i in range(0, len(items), 2) if items[i + 1] is not None}


def _name(raw: bytes) -> Any:
    """pdfminer's interned name (printable ASCII without ``#``, so its text is the bytes')."""
    if NAME_BYTES.fullmatch(raw) is None:
        raise NotPlain
    if len(_NAMES) > MAX_NAMES:
        _NAMES.clear()
    literal = _NAMES[raw] = LIT(raw[1:].decode("ascii"))
    return literal


def _word(word: bytes, items: list[Any], doc: PDFDocument | None) -> None:
    """A keyword: true, false and null are values; ``R`` makes the two ints before it a
    reference (pdfminer pops them and keeps the first as the object number). Only a number
    token makes an int item (a bool is not ``int``)."""
    if word in KEYWORDS:
        items.append(KEYWORDS[word])
    elif word == b"R" and len(items) >= 2 and type(items[-1]) is int and type(items[-2]) is int:
        del items[-1]  # the generation number
        items.append(PDFObjRef(doc, items.pop()))
    else:
        raise NotPlain
