"""The staged file's lines as the proof reads them, a block at a time, are the lines split
after each line feed and decoded one by one — at every block size, with a line longer than
a block, characters of several bytes cut by a block's end, and no final line feed; a carriage
return or a byte that is not UTF-8 stops the reading wherever it is."""

from __future__ import annotations

import io

import pytest

from yusuan.checks import schema_proof

TEXT = 'a,b,c\n1,"x\ny",中文\n\n2,\u2028 sep,\x85 nel\x0b\x0c\n' + "长" * 40 + ",3,4\n" + "last line, no feed"


def line_by_line(data: bytes) -> list[str]:
    return [raw.decode("utf-8") for raw in io.BytesIO(data)]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64, 1 << 14, 1 << 20])
@pytest.mark.parametrize("text", [TEXT, TEXT + "\n", "", "\n", "one"])
def test_lines_are_those_of_the_file_split_line_by_line(monkeypatch, size, text):
    monkeypatch.setattr(schema_proof, "BLOCK_BYTES", size)
    data = text.encode("utf-8")
    assert list(schema_proof._text_lines(io.BytesIO(data))) == line_by_line(data)


@pytest.mark.parametrize("size", [1, 4, 1 << 20])
def test_a_carriage_return_or_a_bad_byte_is_doubt(monkeypatch, size):
    monkeypatch.setattr(schema_proof, "BLOCK_BYTES", size)
    with pytest.raises(schema_proof._Doubt):
        list(schema_proof._text_lines(io.BytesIO(b"a,b\n1,2\r\n3,4\n")))
    with pytest.raises(UnicodeDecodeError):
        list(schema_proof._text_lines(io.BytesIO(TEXT.encode("utf-8") + b"\n\xe4\xb8,x\n")))
    with pytest.raises(UnicodeDecodeError):  # a character cut at the end of the file
        list(schema_proof._text_lines(io.BytesIO("a\n中".encode()[:-1])))
