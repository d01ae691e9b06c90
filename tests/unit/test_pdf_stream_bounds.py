"""The stream scan with bounds (pdf_stream_scan.streams_within_limits decodes a Flate stream
only when 1032 times its length could pass a limit) gives the answer of the scan that
decoded every stream, on the fixture corpus at limits around each file's own sizes, on made
files that pass each limit, and the bound holds for the most compressible deflate data."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest

from yusuan.core import limits as limits_module
from yusuan.core.errors import LimitExceededError
from yusuan.core.limits import Limits
from yusuan.extract import pdf_stream_scan
from yusuan.extract.pdf_stream_scan import (
    DEFLATE_MAX_RATIO,
    DICTIONARY_REACH,
    FILTER_NAMES,
    STREAM_START,
    _decode,
    last_head_end,
    streams_within_limits,
)

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"


def every_stream_decoded(path: Path, limits: Limits) -> bool:
    """What the scan computed before the bounds: every stream decoded, in the file's order."""
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


def decoded_sizes(path: Path) -> list[int]:
    """The decoded size of every stream the scan checks (at the default limits)."""
    sizes: list[int] = []
    data = path.read_bytes()
    for start, end, filters in pdf_stream_scan._limited_streams(data):
        size = _decode(data[start:end], filters)
        sizes.append(size or 0)
    return sizes


def both(path: Path, limits: Limits) -> tuple[bool, bool]:
    with limits_module.using(limits):
        return streams_within_limits(path, limits), every_stream_decoded(path, limits)


def limits_around(sizes: list[int]) -> list[Limits]:
    """Limits just under, at and just over a file's largest stream and its total, and a few
    between: each side of every answer."""
    largest, total = max(sizes), sum(sizes)
    found = [Limits()]
    for stream in (largest - 1, largest, largest + 1, 10 * largest):
        for decoded in (total - 1, total, total + 1, total // 2, 2 * total, 10**9):
            found.append(Limits().but(max_stream_bytes=max(stream, 1), max_decoded_bytes=max(decoded, 1)))
    return found


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*/*.pdf")), ids=lambda path: path.parent.name)
def test_fixture_files_give_the_answer_of_every_stream_decoded(path: Path) -> None:
    sizes = decoded_sizes(path)
    if not sizes:
        assert both(path, Limits()) == (True, True)
        return
    answers = set()
    for limits in limits_around(sizes):
        new, old = both(path, limits)
        assert new == old, (path, limits.max_stream_bytes, limits.max_decoded_bytes)
        answers.add(new)
    assert answers == {True, False}


def made_pdf(tmp_path: Path, bodies: list[tuple[bytes, bytes]]) -> Path:
    """A file of numbered stream objects, each (filters, body): enough for the scan."""
    parts = [b"%PDF-1.7\n"]
    for number, (filters, body) in enumerate(bodies, start=1):
        parts.append(b"%d 0 obj\n<< /Length %d /Filter %s >>\nstream\n" % (number, len(body), filters) + body + b"\nendstream\nendobj\n")
    path = tmp_path / "made.pdf"
    path.write_bytes(b"".join(parts) + b"%%EOF\n")
    return path


def test_made_files_at_each_side_of_the_limits(tmp_path: Path) -> None:
    rng = random.Random(27)
    for _ in range(60):
        bodies = []
        for _ in range(rng.randint(1, 6)):
            plain = bytes(rng.choice(b"\0ab") for _ in range(rng.randint(0, 5000))) * rng.randint(1, 40)
            kind = rng.choice([b"/FlateDecode", b"[/FlateDecode]", b"/Fl", b"[/ASCIIHexDecode /FlateDecode]"])
            body = zlib.compress(plain, rng.choice([1, 9]))
            if kind.startswith(b"[/ASCIIHex"):
                body = body.hex().encode() + b">"
            if rng.random() < 0.15:
                body = body[: rng.randint(0, len(body))]  # truncated: decoded in part or not at all
            bodies.append((kind, body))
        path = made_pdf(tmp_path, bodies)
        sizes = decoded_sizes(path)
        for limits in limits_around(sizes or [0]):
            assert both(path, limits)[0] == both(path, limits)[1], (bodies, limits)


def test_a_stream_over_its_own_limit_is_found_when_the_total_fits(tmp_path: Path) -> None:
    plain = b"\0" * 2_000_000
    path = made_pdf(tmp_path, [(b"/FlateDecode", zlib.compress(plain, 9))])
    assert both(path, Limits().but(max_stream_bytes=1_999_999)) == (False, False)
    assert both(path, Limits().but(max_stream_bytes=2_000_000, max_decoded_bytes=2_000_000)) == (True, True)
    assert both(path, Limits().but(max_decoded_bytes=1_999_999)) == (False, False)


def test_the_current_limits_bound_a_stream_too(tmp_path: Path) -> None:
    """``inflate`` stops at the current limits' max_stream_bytes, whatever the limits passed:
    a stream past them is not within, bound or not."""
    path = made_pdf(tmp_path, [(b"/FlateDecode", zlib.compress(b"x" * 100_000, 9))])
    with limits_module.using(Limits().but(max_stream_bytes=50_000)):
        assert streams_within_limits(path, Limits()) is False
        assert every_stream_decoded(path, Limits()) is False


@pytest.mark.parametrize("level", [1, 6, 9])
def test_the_most_compressible_data_stays_under_the_ratio(level: int) -> None:
    for plain in (b"\0" * 10_000_000, b"a" * 1_000_000, b"ab" * 500_000, b""):
        packed = zlib.compress(plain, level)
        assert len(plain) <= DEFLATE_MAX_RATIO * len(packed)


def test_zlibs_densest_output_stays_under_the_ratio() -> None:
    """One byte repeated at level 9: zlib's densest output, about 1030 bytes per byte."""
    plain = b"\0" * 50_000_000
    packed = zlib.compress(plain, 9)
    assert 1000 * len(packed) < len(plain) <= DEFLATE_MAX_RATIO * len(packed)
