"""Bounded decoding of PDF streams: a 4 MB Flate stream must not inflate to 4 GiB.

pdfminer decodes a stream in ``PDFStream.decode`` with ``zlib.decompress`` (no output
limit), falls back to ``decompress_corrupted`` (one byte at a time, concatenating bytes:
quadratic) and ``lzwdecode`` (joins all output). ``install()`` replaces those three names
in ``pdfminer.pdftypes`` by versions that stop as soon as the output passes
``max_stream_bytes`` (yusuan/core/limits.py), raising LimitExceededError, and wraps
``PDFStream.decode`` to count the decoded bytes of every stream of the file being read
against ``max_decoded_bytes`` (the decoded data stays cached in the document).

What this bounds: every stream pdfminer decodes (page contents, form XObjects, object and
xref streams, fonts) through Flate and LZW, the only filters whose output can be much
larger than their input. RunLength (at most 64× its input), ASCII85/Hex (smaller than
their input) and the predictors (about the size of their input) are bounded by the file
size; image streams (DCT, JBIG2, JPX, raw) are never decoded by the reader. The patch is
process-wide: any pdfminer use in the process gets the same limits, which are read from
yusuan.core.limits.current() at each decode.
"""

from __future__ import annotations

import contextlib
import contextvars
import zlib
from collections.abc import Iterator
from io import BytesIO
from types import SimpleNamespace
from typing import Any

import pdfminer.pdftypes
from pdfminer.lzw import LZWDecoder

from yusuan.core import limits as limits_module
from yusuan.core.errors import LimitExceededError

_ORIGINAL_DECODE = pdfminer.pdftypes.PDFStream.decode
_decoded: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("yusuan_pdf_decoded", default=None)


def _too_large(found: int) -> LimitExceededError:
    limit = limits_module.current().max_stream_bytes
    return LimitExceededError("", "max_stream_bytes", limit, found, what="bytes in one decoded PDF stream (or more)")


def inflate(data: bytes) -> bytes:
    """``zlib.decompress(data)`` that stops past max_stream_bytes (raises zlib.error for a
    damaged or truncated stream, as zlib.decompress does, so that pdfminer's fallback runs)."""
    limit = limits_module.current().max_stream_bytes
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit:
        raise _too_large(len(out))
    if not inflater.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return out


def inflate_corrupted(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted`` (a stream whose checksum is damaged: decode it,
    forgive an error in the last 4 bytes), in linear time and bounded."""
    limit = limits_module.current().max_stream_bytes
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    head, tail = data[: max(len(data) - 4, 0)], data[max(len(data) - 4, 0) :]
    pieces = [(0, head)] + [(len(head) + i, tail[i : i + 1]) for i in range(len(tail))]
    for index, piece in pieces:
        try:
            chunk = inflater.decompress(piece, limit + 1 - size)
            while inflater.unconsumed_tail and size + len(chunk) <= limit:
                chunk += inflater.decompress(inflater.unconsumed_tail, limit + 1 - size - len(chunk))
        except zlib.error:
            if index < len(data) - 3:  # not in the checksum: really damaged
                raise
            break
        size += len(chunk)
        if size > limit:
            raise _too_large(size)
        parts.append(chunk)
    return b"".join(parts)


def lzw_decode(data: bytes) -> bytes:
    """pdfminer's ``lzwdecode``, stopping past max_stream_bytes (LZW can expand ~1000×)."""
    limit = limits_module.current().max_stream_bytes
    parts: list[bytes] = []
    size = 0
    for chunk in LZWDecoder(BytesIO(data)).run():
        size += len(chunk)
        if size > limit:
            raise _too_large(size)
        parts.append(chunk)
    return b"".join(parts)


def _counted_decode(self: Any) -> None:
    _ORIGINAL_DECODE(self)
    counter = _decoded.get()
    if counter is not None and self.data is not None:
        counter[0] += len(self.data)
        limits_module.current().check("max_decoded_bytes", counter[0], "", what="bytes of decoded PDF streams in the file")


@contextlib.contextmanager
def counting_decoded_bytes() -> Iterator[list[int]]:
    """Count the decoded bytes of the streams of one file (against max_decoded_bytes)."""
    token = _decoded.set([0])
    try:
        yield _decoded.get()  # type: ignore[misc]
    finally:
        _decoded.reset(token)


def install() -> None:
    """Put the bounded decoders in place in pdfminer (idempotent)."""
    module = pdfminer.pdftypes
    module.zlib = SimpleNamespace(decompress=inflate, decompressobj=zlib.decompressobj, error=zlib.error)  # type: ignore[assignment]
    module.decompress_corrupted = inflate_corrupted
    module.lzwdecode = lzw_decode
    module.PDFStream.decode = _counted_decode  # type: ignore[method-assign]
