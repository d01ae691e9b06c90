"""The text-showing operators of a page's content, in content order, read without pdfminer's
interpreter: for the text objects PDFium's text page leaves out.

PDFium's text page leaves out a text object whose glyph boxes have no width
(``CPDF_TextPage::ProcessTextObject``). For a font that is not embedded the glyph is a
substitute's, and a code the substitute has no glyph for has an empty box, like a space:
the object may be a space or a character (北 of FZXiaoBiaoSong-B05S), and PDFium gives no
character code of an object it left out (``FPDFTextObj_GetText`` reads the text page).
The codes are in the page's content stream. PDFium makes **one text object per
text-showing operator** (``CPDF_StreamContentParser``: ``Tj``, ``'`` and ``"`` with a
non-empty string, ``TJ`` with at least one non-empty string; none without a font), in
content order, a Form XObject's at its ``Do``. So the k-th text object of the page (in the
order of its page objects, forms walked where they stand) is the k-th such operator.

``text_shows`` lists those operators with what they show (the strings), the font's resource
name and size, and the text state a character's box depends on (horizontal scaling). It
reads only what it must: a tokenizer of one regular expression (strings, hex strings,
names, numbers, arrays, operators; the same tokens read in C where the extension
``_pdf_content`` was built, pdf_content_native, which also hands back only the operators
acted on here, each with its operands: ``operations``; and which, since stop 25, also
interprets them as ``_operator`` does: ``shows``), the graphics-state stack for the
text state, ``Do`` of Form XObjects. Anything it does not read with certainty — an inline image, a font set by an
ExtGState, an unbalanced string, a form nested deeper than PDFium walks — returns None, and
the page is handed to the pdfplumber reader as before. The caller proves the alignment:
the number of operators must be the number of PDFium's text objects, and every object's
font must be the operator's (``pdfium_missing``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from yusuan.extract import pdf_content_native

# PDF white space and delimiters (ISO 32000-1, 7.2.2)
_TOKEN = re.compile(
    rb"""
      (?P<space>[\x00\t\n\x0c\r ]+)
    | (?P<comment>%[^\r\n]*)
    | (?P<open>\()
    | (?P<dict><<|>>)
    | (?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)
    | (?P<array>[\[\]])
    | (?P<brace>[{}])
    | (?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
    | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+))(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])
    | (?P<word>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
    """,
    re.VERBOSE,
)
_STRING_STOP = re.compile(rb"[()\\]")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
_OCTAL = re.compile(rb"[0-7]{1,3}")
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
MAX_FORM_DEPTH = 16  # as the reader walks PDFium's forms
_OPERAND_WORDS = frozenset((b"true", b"false", b"null"))
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def name_key(raw_name: bytes) -> str | bytes:
    """A name as pdfminer keys a dictionary with it: ``#xx`` escapes decoded, a str when
    the bytes are UTF-8, else the bytes."""
    decoded = _NAME_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), raw_name)
    try:
        return decoded.decode("utf-8")
    except UnicodeDecodeError:
        return decoded


class Unreadable(Exception):
    """Content this reader does not read with certainty."""


class Resources(Protocol):
    """What the operators need of a resource dictionary (pdfium_fonts.DictFonts)."""

    def form(self, resources: Any, name: str | bytes) -> tuple[bytes, Any] | None:
        """A Form XObject's content and resources (None: another XObject)."""

    def sets_font(self, resources: Any, name: str | bytes) -> bool:
        """The ExtGState of this name sets a font (or is not read)."""


@dataclass(frozen=True)
class Show:
    """One text-showing operator that makes a PDFium text object."""

    font: str | bytes | None  # the font's resource name (Tf), None when no font was set
    resources: Any  # the resource dictionary the name is looked up in
    size: float
    strings: tuple[bytes, ...]  # the strings shown, in order (a TJ's numbers left out)
    kerned: bool  # a TJ with a number between or before its strings
    scaling: float  # Tz, percent
    char_space: float
    word_space: float
    # the character spacing of the operator before (times its horizontal scaling, as both
    # readers apply it), when this one draws on from where that one ended (no BT, Td, TD,
    # Tm, T* between): pdfminer adds Tc between characters only, PDFium after every one, so
    # the two place this operator's first character that far apart; 0 when it was placed anew
    carried_char_space: float = 0.0
    leading_number: bool = False  # a TJ that opens with a number (pdfminer adds Tc after it)
    # what the operator shows, in order: strings and a TJ's numbers (thousandths of the font
    # size, moving the next character back), for the positions of characters between others
    items: tuple[bytes | float, ...] = ()


@dataclass
class _State:
    font: str | bytes | None = None
    resources: Any = None
    size: float = 0.0
    scaling: float = 100.0
    char_space: float = 0.0
    word_space: float = 0.0

    def copy(self) -> _State:
        return _State(self.font, self.resources, self.size, self.scaling, self.char_space, self.word_space)


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """The literal string opening at ``start`` (after its "("), decoded, and the position
    after its closing parenthesis."""
    out = bytearray()
    depth, at = 1, start
    while True:
        found = _STRING_STOP.search(data, at)
        if found is None:
            raise Unreadable("an unbalanced string")
        out += data[at : found.start()]
        mark = data[found.start() : found.start() + 1]
        at = found.end()
        if mark == b"\\":
            following = data[at : at + 1]
            if not following:
                raise Unreadable("a string ends with a backslash")
            octal = _OCTAL.match(data, at)
            if octal is not None:
                out.append(int(octal.group(), 8) & 0xFF)
                at = octal.end()
            elif following in _ESCAPES:
                out += _ESCAPES[following]
                at += 1
            elif following == b"\r":
                at += 2 if data[at + 1 : at + 2] == b"\n" else 1
            elif following == b"\n":
                at += 1
            else:
                out += following
                at += 1
        elif mark == b"(":
            depth += 1
            out += mark
        else:
            depth -= 1
            if depth == 0:
                return bytes(out), at
            out += mark


def _hex(token: bytes) -> bytes:
    digits = _NOT_HEX.sub(b"", token[1:-1])
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def tokens(data: bytes) -> Iterator[tuple[str, Any]]:
    """The tokens of a content stream: ("operand", value) for numbers (float), strings
    (bytes), names (str, without "/"), ("[", None) and ("]", None), and ("op", name)."""
    at, end = 0, len(data)
    match = _TOKEN.match
    while at < end:
        found = match(data, at)
        if found is None:
            raise Unreadable(f"an unreadable token at byte {at}")
        kind = found.lastgroup
        at = found.end()
        if kind == "space" or kind == "comment":
            continue
        if kind == "open":
            value, at = _literal(data, at)
            yield "operand", value
        elif kind == "hex":
            yield "operand", _hex(found.group())
        elif kind == "number":
            yield "operand", float(found.group())
        elif kind == "name":
            yield "operand", name_key(found.group()[1:])
        elif kind == "array":
            yield found.group().decode(), None
        elif kind == "word":
            word = found.group()
            if word in _OPERAND_WORDS:
                yield "operand", None
            else:
                yield "op", word.decode("latin-1")
        else:  # dictionaries (marked content) and braces: not read by the operators used here
            yield "other", None


def python_tokens(data: bytes) -> tuple[list[tuple[str, Any]], str | None]:
    """``tokens`` up to the first error, and its message: what the C tokenizer's ``tokens``
    returns (pdf_content_native), for comparing the two."""
    found: list[tuple[str, Any]] = []
    try:
        found.extend(tokens(data))
    except Unreadable as exc:
        return found, str(exc)
    return found, None


def text_shows(content: bytes, resources: Any, lookup: Resources, depth: int = 0, state: _State | None = None) -> list[Show]:
    """The text-showing operators of ``content`` that make PDFium text objects, forms
    included where they are drawn (``lookup`` reads the resources). Raises Unreadable.
    Interpreted in C where the extension was built (``native_text_shows``), else in Python
    (``python_text_shows``, the oracle): the same shows, the same error."""
    state = state.copy() if state is not None else _State()
    state.resources = state.resources if state.resources is not None else resources
    if pdf_content_native.enabled():
        return native_text_shows(content, resources, lookup, depth, state)
    return python_text_shows(content, resources, lookup, depth, state)


def native_text_shows(content: bytes, resources: Any, lookup: Resources, depth: int, state: _State) -> list[Show]:
    """``text_shows`` with the operators read and interpreted in C (pdf_content_native.shows):
    only the ExtGStates and the forms are looked up here, each ExtGState once per content."""
    sets: dict[str | bytes, bool] = {}

    def sets_font(name: str | bytes) -> bool:
        known = sets.get(name)
        if known is None:
            known = sets[name] = bool(lookup.sets_font(resources, name))
        return known

    def form(name: str | bytes, font: str | bytes | None, font_resources: Any, size: float, scaling: float, char_space: float, word_space: float) -> list[Show] | None:
        found = lookup.form(resources, name)
        if found is None:
            return None
        if depth + 1 >= MAX_FORM_DEPTH:
            raise Unreadable("forms nested deeper than the reader walks")
        form_content, form_resources = found
        inner = _State(font, font_resources, size, scaling, char_space, word_space)
        return text_shows(form_content, form_resources if form_resources is not None else resources, lookup, depth + 1, inner)

    start = (state.font, state.resources, state.size, state.scaling, state.char_space, state.word_space)
    shows, error = pdf_content_native.shows(content, start, resources, sets_font, form, Show)
    if error is not None:
        raise Unreadable(error)
    return shows


def python_text_shows(content: bytes, resources: Any, lookup: Resources, depth: int, state: _State) -> list[Show]:
    """``text_shows`` in Python: the operators (``operations``) interpreted by ``_operator``."""
    shows: list[Show] = []
    stack: list[_State] = []
    carried = [0.0]  # see Show.carried_char_space
    found, error = operations(content)
    for op, operands in found:
        _operator(op, operands, state, stack, shows, resources, lookup, depth, carried)
    if error is not None:  # after every operator before it, as the tokens were read in turn
        raise Unreadable(error)
    return shows


def operations(content: bytes) -> tuple[list[tuple[str, list[Any]]], str | None]:
    """The operators ``_operator`` acts on (``OPERATORS``), each with its operands, in content
    order, up to the first error, and the error's message (None: read to the end). The C
    tokenizer when built (pdf_content_native), else ``python_operations``: the same lists."""
    if pdf_content_native.enabled():
        return pdf_content_native.operations(content, OPERATORS)
    return python_operations(content)


def python_operations(content: bytes, wanted: frozenset[str] | None = None) -> tuple[list[tuple[str, list[Any]]], str | None]:
    """``operations`` read by ``tokens`` (the oracle of the C reader): an array's operands
    in a list, dictionaries and braces as None among the operator's operands, a nested
    array, a "]" without "[" or an operator inside an array an error. ``wanted``:
    ``OPERATORS`` unless given."""
    wanted = OPERATORS if wanted is None else wanted
    found: list[tuple[str, list[Any]]] = []
    operands: list[Any] = []
    array: list[Any] | None = None
    try:
        for kind, value in tokens(content):
            if kind == "operand":
                (array if array is not None else operands).append(value)
                continue
            if kind == "[":
                if array is not None:
                    raise Unreadable("a nested array")
                array = []
                continue
            if kind == "]":
                if array is None:
                    raise Unreadable("an unbalanced array")
                operands.append(array)
                array = None
                continue
            if kind == "other":
                operands.append(None)
                continue
            if array is not None:
                raise Unreadable(f"operator {value} inside an array")
            if value in wanted:
                found.append((value, operands))
            operands = []
    except Unreadable as exc:
        return found, str(exc)
    return found, None


def _number(operands: list[Any], index: int) -> float:
    value = operands[index] if -len(operands) <= index < len(operands) else None
    if not isinstance(value, float):
        raise Unreadable("an operator without its number")
    return value


PLACING = frozenset(("BT", "Td", "TD", "Tm", "T*", "'", '"'))
# every operator ``_operator`` acts on; the others (paths, colours, marked content, ...) only
# end their operands
OPERATORS = PLACING | frozenset(("q", "Q", "Tf", "Tz", "Tc", "Tw", "Tj", "TJ", "Do", "BI", "ID", "EI", "gs"))


def _operator(op: str, operands: list[Any], state: _State, stack: list[_State], shows: list[Show], resources: Any, lookup: Resources, depth: int, carried: list[float]) -> None:
    if op in PLACING:
        carried[0] = 0.0
    if op == "q":
        stack.append(state.copy())
    elif op == "Q":
        if stack:  # PDFium ignores an unbalanced Q
            restored = stack.pop()
            state.font, state.size, state.scaling = restored.font, restored.size, restored.scaling
            state.char_space, state.word_space, state.resources = restored.char_space, restored.word_space, restored.resources
    elif op == "Tf":
        if len(operands) < 2 or not isinstance(operands[-2], (str, bytes)):
            raise Unreadable("Tf without a font name")
        state.font, state.size, state.resources = operands[-2], _number(operands, -1), resources
    elif op == "Tz":
        state.scaling = _number(operands, -1)
    elif op == "Tc":
        state.char_space = _number(operands, -1)
    elif op == "Tw":
        state.word_space = _number(operands, -1)
    elif op in ("Tj", "'"):
        _show(state, shows, [operands[-1]] if operands else [], carried)
    elif op == '"':
        state.word_space, state.char_space = _number(operands, -3), _number(operands, -2)
        _show(state, shows, [operands[-1]], carried)
    elif op == "TJ":
        if not operands or not isinstance(operands[-1], list):
            raise Unreadable("TJ without an array")
        _show(state, shows, operands[-1], carried)
    elif op == "Do":
        name = operands[-1] if operands else None
        if not isinstance(name, (str, bytes)):
            raise Unreadable("Do without a name")
        form = lookup.form(resources, name)
        if form is not None:
            if depth + 1 >= MAX_FORM_DEPTH:
                raise Unreadable("forms nested deeper than the reader walks")
            content, form_resources = form
            inner = state.copy()
            shows.extend(text_shows(content, form_resources if form_resources is not None else resources, lookup, depth + 1, inner))
    elif op in ("BI", "ID", "EI"):
        raise Unreadable("an inline image")
    elif op == "gs":
        name = operands[-1] if operands else None
        if not isinstance(name, (str, bytes)) or lookup.sets_font(resources, name):
            raise Unreadable("an ExtGState that sets the font")


def _show(state: _State, shows: list[Show], items: list[Any], carried: list[float]) -> None:
    strings = tuple(item for item in items if isinstance(item, bytes) and item)
    if any(not isinstance(item, (bytes, float)) for item in items):
        raise Unreadable("a text operand that is neither a string nor a number")
    if not strings or state.font is None:
        # PDFium makes no object: no non-empty string, or no font (the alignment check
        # catches a difference)
        return
    kerned = any(isinstance(item, float) for item in items)
    leading = bool(items) and isinstance(items[0], float)
    shows.append(Show(state.font, state.resources, state.size, strings, kerned, state.scaling, state.char_space, state.word_space, carried[0], leading, tuple(items)))
    carried[0] = state.char_space * (state.scaling * 0.01)  # pdfminer's charspace
