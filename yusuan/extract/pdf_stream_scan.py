"""Bounded decoding before PDFium: does any stream of a PDF inflate past the limits?

PDFium decodes streams in C, where yusuan/extract/pdf_streams.py cannot bound them. So the
PDFium reader first finds every stream in the file's bytes (a stream is never inside an
object stream, so every one is visible in the file) and decodes its Flate and LZW filters
with the same bounded decoders pdfminer uses in yusuan (``inflate``, ``lzw_decode``),
stopping at ``max_stream_bytes`` per stream and ``max_decoded_bytes`` per file. Image
streams are skipped, as neither reader decodes them. The cost is one inflate of the
file's streams: milliseconds for a publication.

A file past a limit is not read by PDFium: the caller hands it to the pdfplumber reader,
whose bounded decoders raise the error naming the page, as before.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from pathlib import Path

from yusuan.core.errors import LimitExceededError
from yusuan.core.limits import Limits
from yusuan.extract.pdf_streams import inflate, inflate_corrupted, lzw_decode

# "stream" not preceded by a letter (not "endstream"), then its end of line. The literal
# comes first so that the regex engine searches for it as a literal (a lookbehind in front
# made it try every byte of the file: 40 times slower over the corpora, the same matches)
STREAM_START = re.compile(rb"stream(?<![A-Za-z]stream)(?:\r\n|\n|\r)")
OBJECT_HEAD = re.compile(rb"\d+\s+\d+\s+obj\b")
FILTER_NAMES = re.compile(rb"/(FlateDecode|Fl|LZWDecode|LZW|ASCII85Decode|A85|ASCIIHexDecode|AHx)(?![A-Za-z0-9])")
DICTIONARY_REACH = 4096  # bytes before "stream" searched for the object's head
# ``\s`` and ``\w`` of a bytes pattern (ASCII only), for OBJECT_HEAD read backwards
WHITE = frozenset(b" \t\n\r\x0b\x0c")
DIGITS = frozenset(b"0123456789")
WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def streams_within_limits(path: Path, limits: Limits) -> bool:
    """True when every Flate/LZW stream of the file stays within the stream limits."""
    data = path.read_bytes()
    total = 0
    for match in STREAM_START.finditer(data):
        before = data[max(0, match.start() - DICTIONARY_REACH) : match.start()]
        dictionary = before[last_head_end(before) :]
        if b"/Image" in dictionary:
            continue
        filters = FILTER_NAMES.findall(dictionary)
        if not any(name in (b"FlateDecode", b"Fl", b"LZWDecode", b"LZW") for name in filters):
            continue
        end = data.find(b"endstream", match.end())
        body = data[match.end() : end if end >= 0 else len(data)]
        try:
            decoded = _decode(body, filters)
        except LimitExceededError:
            return False
        if decoded is None:
            continue
        if decoded > limits.max_stream_bytes:
            return False
        total += decoded
        if total > limits.max_decoded_bytes:
            return False
    return True


def last_head_end(before: bytes) -> int:
    """Where the last object head (``OBJECT_HEAD``, "12 0 obj") of ``before`` ends, 0 for
    none: the end of the last match of ``OBJECT_HEAD.finditer(before)``, found from the end.

    Searching the whole 4 KiB before every stream from its start was half of the scan's time
    (each digit starts a try). The last match always ends at the last "obj" that the pattern
    accepts there: what precedes a head's "obj" is digits and white space only, so no earlier
    match can run into it, and the scan reaches it. So the "obj"s are tried from the end,
    each by the pattern's parts read backwards (``_head_ends_at``)."""
    at = len(before)
    while (at := before.rfind(b"obj", 0, at)) >= 0:
        if _head_ends_at(before, at):
            return at + 3
    return 0


def _head_ends_at(data: bytes, at: int) -> bool:
    """``OBJECT_HEAD`` has a match whose "obj" starts at ``at``: a word boundary after it,
    and before it white space, digits, white space and a digit, each at least once."""
    if at + 3 < len(data) and data[at + 3] in WORD:
        return False
    for kind in (WHITE, DIGITS, WHITE, DIGITS):
        start = at
        while at > 0 and data[at - 1] in kind:
            at -= 1
        if at == start:
            return False
    return True


def _decode(body: bytes, filters: list[bytes]) -> int | None:
    """Decoded size of a stream through its filters (None when it cannot be decoded: PDFium
    then meets the damage itself). Raises LimitExceededError past max_stream_bytes."""
    data = body
    for name in filters:
        try:
            if name in (b"FlateDecode", b"Fl"):
                try:
                    data = inflate(data)
                except zlib.error:
                    data = inflate_corrupted(data)
            elif name in (b"LZWDecode", b"LZW"):
                data = lzw_decode(data)
            elif name in (b"ASCII85Decode", b"A85"):
                text = data.strip()
                text = text[2:] if text.startswith(b"<~") else text
                data = base64.a85decode(text.split(b"~>")[0], adobe=False, ignorechars=b" \t\n\r\x0c\x00")
            else:
                digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">")[0])
                data = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
        except LimitExceededError:
            raise
        except Exception:
            return None
    return len(data)
