"""Bounded decoding before PDFium: does any stream of a PDF inflate past the limits?

PDFium decodes streams in C, where yusuan/extract/pdf_streams.py cannot bound them. So the
PDFium reader first finds every stream in the file's bytes (a stream is never inside an
object stream, so every one is visible in the file) and decodes its Flate and LZW filters
with the same bounded decoders pdfminer uses in yusuan (``inflate``, ``lzw_decode``),
stopping at ``max_stream_bytes`` per stream and ``max_decoded_bytes`` per file. Image
streams are skipped, as neither reader decodes them. A stream filtered by Flate alone is
decoded only when the most it can inflate to (1032 times its length) could pass a limit:
in a publication, few or none are (inflating them all was most of the scan's time).

A file past a limit is not read by PDFium: the caller hands it to the pdfplumber reader,
whose bounded decoders raise the error naming the page, as before.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from yusuan.core.errors import LimitExceededError
from yusuan.core.limits import Limits
from yusuan.core.limits import current as current_limits
from yusuan.extract.pdf_streams import inflate, inflate_corrupted, lzw_decode

# "stream" not preceded by a letter (not "endstream"), then its end of line. The literal
# comes first so that the regex engine searches for it as a literal (a lookbehind in front
# made it try every byte of the file: 40 times slower over the corpora, the same matches)
STREAM_START = re.compile(rb"stream(?<![A-Za-z]stream)(?:\r\n|\n|\r)")
OBJECT_HEAD = re.compile(rb"\d+\s+\d+\s+obj\b")
FILTER_NAMES = re.compile(rb"/(FlateDecode|Fl|LZWDecode|LZW|ASCII85Decode|A85|ASCIIHexDecode|AHx)(?![A-Za-z0-9])")
FLATE = (b"FlateDecode", b"Fl")
# Inflating makes at most 1032 bytes of one byte of deflate data (zlib's FAQ): every symbol
# takes at least one bit, a match (at most 258 bytes) a length and a distance code, so two
# bits at least; 258 bytes per 2 bits is 1032 per byte. Stored blocks make one per byte.
DEFLATE_MAX_RATIO = 1032
DICTIONARY_REACH = 4096  # bytes before "stream" searched for the object's head
# ``\s`` and ``\w`` of a bytes pattern (ASCII only), for OBJECT_HEAD read backwards
WHITE = frozenset(b" \t\n\r\x0b\x0c")
DIGITS = frozenset(b"0123456789")
WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def streams_within_limits(path: Path, limits: Limits) -> bool:
    """True when every Flate/LZW stream of the file stays within the stream limits.

    The same answer as decoding every such stream and checking each size and their sum in
    the file's order (what the scan did before stop 27), with less inflating: a stream whose only filter is Flate
    cannot inflate past ``DEFLATE_MAX_RATIO`` times its length, so it is decoded only when
    that bound could pass a limit (``_sum_within``)."""
    data = path.read_bytes()
    stream_limit = min(limits.max_stream_bytes, current_limits().max_stream_bytes)
    bounded: list[tuple[int, int, int, list[bytes]]] = []
    known = 0
    for start, end, filters in _limited_streams(data):
        bound = _inflated_bound(end - start, filters)
        if bound is not None and bound <= stream_limit:
            bounded.append((bound, start, end, filters))
            continue
        size = _checked_size(data[start:end], filters, limits)
        if size is None:
            return False
        known += size
        if known > limits.max_decoded_bytes:
            return False
    return _sum_within(data, bounded, known, limits)


def _limited_streams(data: bytes) -> Iterator[tuple[int, int, list[bytes]]]:
    """Every stream of the file the limits apply to (a Flate or LZW filter, not an image):
    where its body starts and ends, and its filters' names in order."""
    for match in STREAM_START.finditer(data):
        before = data[max(0, match.start() - DICTIONARY_REACH) : match.start()]
        dictionary = before[last_head_end(before) :]
        if b"/Image" in dictionary:
            continue
        filters = FILTER_NAMES.findall(dictionary)
        if not any(name in (b"FlateDecode", b"Fl", b"LZWDecode", b"LZW") for name in filters):
            continue
        end = data.find(b"endstream", match.end())
        yield match.end(), end if end >= 0 else len(data), filters


def _inflated_bound(length: int, filters: list[bytes]) -> int | None:
    """The most bytes ``_decode`` can make of a body of this length: ``DEFLATE_MAX_RATIO``
    times it when Flate is its only filter (``inflate`` and ``inflate_corrupted`` give what
    one inflater makes of the body, nothing more); None for other filters (LZW has no such
    small bound)."""
    return length * DEFLATE_MAX_RATIO if len(filters) == 1 and filters[0] in FLATE else None


def _checked_size(body: bytes, filters: list[bytes], limits: Limits) -> int | None:
    """The decoded size of a stream (0 when it cannot be decoded), None when it passes
    ``max_stream_bytes``."""
    try:
        decoded = _decode(body, filters)
    except LimitExceededError:
        return None
    if decoded is None:
        return 0
    return None if decoded > limits.max_stream_bytes else decoded


def _sum_within(data: bytes, bounded: list[tuple[int, int, int, list[bytes]]], known: int, limits: Limits) -> bool:
    """The decoded sizes ``known`` plus those of the ``bounded`` streams (none of which can
    pass ``max_stream_bytes``) stay within ``max_decoded_bytes``. The largest bounds are
    replaced by the sizes decoded until the bounds left fit: most files need none decoded."""
    bounded.sort(key=lambda stream: stream[0], reverse=True)
    remaining = sum(stream[0] for stream in bounded)
    for bound, start, end, filters in bounded:
        if known + remaining <= limits.max_decoded_bytes:
            return True
        remaining -= bound
        size = _checked_size(data[start:end], filters, limits)
        if size is None:  # past its bound: not deflate as zlib reads it (never seen)
            return False
        known += size
        if known > limits.max_decoded_bytes:
            return False
    return known <= limits.max_decoded_bytes


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
