"""The sniff's first quote pattern found in C (``delimited_quotes`` of
yusuan/core/_resource_columns.c) where the regular expression finds it: the same groups as
``schema_proof.delimited_quotes_python`` (the oracle) and as ``findall`` of csv.Sniffer's
pattern, on the staged files of real packages, made samples and random ones."""

from __future__ import annotations

import random

import pytest

from yusuan.checks import schema_proof
from yusuan.core import resource_columns as rc
from yusuan.core.resource_columns import resource_columns
from yusuan.core.resource_format import csv_file_bytes, resource_csv_cells
from yusuan.core.schemas import resource_specs

PATTERN = schema_proof.QUOTED_PATTERNS[0]

needs_extension = pytest.mark.skipif(
    rc._native is None or not rc.native_enabled(),
    reason="the C extension was not built (no compiler at install; test_extension_built_where_required guards CI) or is turned off",
)


def assert_same(sample: str) -> None:
    expected = PATTERN.findall(sample)
    assert schema_proof.delimited_quotes_python(PATTERN, sample) == expected, sample
    assert schema_proof.delimited_quotes(PATTERN, sample) == expected, sample
    made = rc.delimited_quotes(sample)
    if made is not None:
        assert made == expected, sample


MADE = [
    "",
    '"',
    ',"',
    ',""',
    ',"",',
    'a,"b,c",d\n',
    'a, "b,c", d\n',
    'a,  "b",c\n',  # two spaces: the optional space takes one, the quote is not next
    '_"x"_',  # _ is a word character
    '1"x"1',
    '一"x"一',  # a CJK ideograph is a word character
    '٣"x"٣',  # an Arabic-Indic digit
    '²"x"²',  # a superscript digit (not decimal, a digit)
    '\u00a0"x"\u00a0',  # a no-break space is not a word character
    '\t"x"\t',
    '\n"x"\n',  # a line feed cannot be the delimiter
    '""x"",',
    ",'a',b,'c',\n",
    ',"a\',"b",',
    ', "a\nb", "c"\n',
    ',"never closed\nand more\n',
    '|"a"|"b"|"c"|',
    '," ",',
    ', " ",',
    ',"x" ,',
    "," + '"' * 9 + ",",
    '中,"中,文",中\n',
    '\U0001f600"x"\U0001f600',  # an emoji is not a word character
    'a,"b"c",d',
]


@pytest.mark.parametrize("sample", MADE, ids=range(len(MADE)))
def test_made_samples(sample):
    assert_same(sample)


@needs_extension
def test_the_extension_answers_for_a_str():
    assert rc.delimited_quotes('a,"b",c') == [(",", "", '"')]
    assert rc.delimited_quotes("no quote") == []


class Text(str):
    """A str subclass: left to Python."""


@needs_extension
def test_what_is_left_to_python():
    assert rc._native.delimited_quotes(Text('a,"b",c')) is None
    assert rc._native.delimited_quotes(b'a,"b",c') is None


def test_turned_off_it_is_the_regular_expression(monkeypatch):
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert rc.delimited_quotes('a,"b",c') is None
    assert schema_proof.delimited_quotes(PATTERN, 'a,"b",c') == PATTERN.findall('a,"b",c')


def test_random_samples():
    chance = random.Random(33)
    alphabet = 'ab_1,,;;|\t  ""\'\n中٣²\u00a0'
    for _ in range(6_000):
        length = chance.choice([5, 20, 80, 300])
        assert_same("".join(chance.choice(alphabet) for _ in range(chance.randint(0, length))))


def test_random_csv_like_samples():
    chance = random.Random(34)
    cells = ["a", "b c", '"q"', '"a,b"', "'x'", "", " ", '"', '""', "中文", "1,2", "_", "x\ny"]
    for _ in range(2_000):
        lines = [",".join(chance.choice(cells) for _ in range(chance.randint(1, 6))) for _ in range(chance.randint(1, 8))]
        assert_same("\n".join(lines) + chance.choice(["", "\n"]))


@pytest.mark.parametrize("spec", resource_specs(), ids=lambda s: s["name"])
def test_the_staged_files_of_a_real_package(processed, spec):
    for doc in ("fj-quanzhou-12345-2026-dwys", "js-renda-2019-bmys"):
        rows = processed[doc].resources[spec["name"]]
        columns = resource_columns(rows, spec["fields"])
        data = csv_file_bytes(columns.names, resource_csv_cells(columns)).decode("utf-8")
        sample = "".join(data.splitlines(keepends=True)[: schema_proof.SAMPLE_LINES])
        assert_same(sample)
        assert_same(data)
