"""The stream scan's object head found from the end (pdf_stream_scan.last_head_end) is the
end of the last match of the pattern it replaced, on edge cases, random bytes and the
fixture corpus's streams."""

from __future__ import annotations

import random
from pathlib import Path

from yusuan.extract.pdf_stream_scan import (
    DICTIONARY_REACH,
    OBJECT_HEAD,
    STREAM_START,
    last_head_end,
)

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"


def pattern_end(before: bytes) -> int:
    """What the scan computed before: the end of the last match, 0 for none."""
    heads = list(OBJECT_HEAD.finditer(before))
    return heads[-1].end() if heads else 0


def test_edge_cases_of_the_head():
    samples = {
        b"": 0,
        b"obj": 0,
        b"1 0 obj": 7,
        b"1 0 obj<<>>": 7,
        b"1 0 objx": 0,  # no word boundary after obj
        b"1 0 obj_": 0,
        b"1 0 obj/": 7,
        b"10obj": 0,  # white space is needed before obj
        b"1 0obj": 0,
        b" 0 obj": 0,  # two numbers
        b"x12 0 obj": 9,  # no boundary before the first number
        b"12\r\n\t0\x0b\x0cobj\n": 11,
        b"1 0 obj 2 0 obj": 15,
        b"1 0 obj 2 0 objx": 7,  # the last one that is a head
        b"1 0 obj 2 x obj": 7,
        b"1\xa00 obj": 0,  # not white space in a bytes pattern
        b"objobj 1 0 obj obj": 14,
    }
    for before, end in samples.items():
        assert pattern_end(before) == end, before
        assert last_head_end(before) == end, before


def test_random_bytes_give_the_pattern_end():
    pieces = [
        b"0",
        b"1",
        b"9",
        b" ",
        b"\n",
        b"\r",
        b"\t",
        b"\x0b",
        b"\x0c",
        b"obj",
        b"ob",
        b"j",
        b"o",
        b"x",
        b"_",
        b"<<",
        b"/",
        b"\xa0",
        b"12 0 obj",
    ]
    rng = random.Random(14)
    for _ in range(20_000):
        before = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert last_head_end(before) == pattern_end(before), before


def test_the_fixture_corpus_streams_give_the_pattern_end():
    found = 0
    for path in sorted(CORPUS.glob("*/*.pdf")):
        data = path.read_bytes()
        for match in STREAM_START.finditer(data):
            before = data[max(0, match.start() - DICTIONARY_REACH) : match.start()]
            assert last_head_end(before) == pattern_end(before), (path, match.start())
            found += 1
    assert found > 100
