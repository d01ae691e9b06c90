"""QuickSniffer against csv.Sniffer, the oracle: the same dialect of every sample.

On every staged file of a real package (its first 100 lines, as the proof sniffs them, and
shorter prefixes), and on samples made to reach each branch of the two guesses: quotes or
none, each candidate delimiter, inconsistent lines, several candidates (the preferred list and
the sorted fallback), spaces after the delimiter, no delimiter at all, no ``delimiters``.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path
from typing import Any

import pytest

from yusuan.checks import schema_proof
from yusuan.checks.schema_proof import QuickSniffer
from yusuan.package.writer import write_package

DELIMITERS = schema_proof.SNIFFED_DELIMITERS
DOC = "fj-quanzhou-12345-2026-dwys"


def sniffed(sniffer: csv.Sniffer, sample: str, delimiters: str | None) -> Any:
    """What a sniff gives: the dialect's attributes, or the error it raises."""
    try:
        d = sniffer.sniff(sample, delimiters)
    except csv.Error as exc:
        return ("error", str(exc))
    return (
        d.delimiter,
        d.quotechar,
        d.doublequote,
        d.skipinitialspace,
        d.lineterminator,
        d.quoting,
        d.escapechar,
    )


def assert_same(sample: str, delimiters: str | None = DELIMITERS) -> None:
    assert sniffed(QuickSniffer(), sample, delimiters) == sniffed(
        csv.Sniffer(), sample, delimiters
    ), sample[:200]


@pytest.fixture(scope="module")
def package(tmp_path_factory, processed) -> Path:
    return write_package(processed[DOC], tmp_path_factory.mktemp("sniff"))


def test_every_staged_file_sniffs_the_same(package):
    files = sorted(package.glob("*.csv"))
    assert len(files) >= 17
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for count in sorted({1, 2, 3, 10, 11, 25, schema_proof.SAMPLE_LINES}):
            assert_same("".join(lines[:count]))


def test_the_proof_sniffs_with_the_quick_sniffer(package, monkeypatch):
    """frictionless_dialect gives the dialect stock csv.Sniffer gives inside it."""
    for path in sorted(package.glob("*.csv")):
        sample = path.read_text(encoding="utf-8").splitlines(keepends=True)[
            : schema_proof.SAMPLE_LINES
        ]
        quick = schema_proof.frictionless_dialect(sample)
        with monkeypatch.context() as patched:
            patched.setattr(schema_proof, "QuickSniffer", csv.Sniffer)
            stock = schema_proof.frictionless_dialect(sample)
        assert vars(quick) == vars(stock), path.name


SAMPLES = [
    "",
    "\n\n",
    "a,b,c\n1,2,3\n",
    "a;b;c\n1;2;3\n4;5;6\n",
    "a\tb\tc\n1\t2\t3\n",
    "a|b|c\n1|2|3\n",
    "a, b, c\n1, 2, 3\n",
    "a,b;c\n1,2;3\n4,5;6\n",  # two candidates: the preferred list
    "a|b;c\n1|2;3\n",  # two candidates, neither preferred: the sorted fallback
    "a|b|c\n1|2\n3|4|5|6\n7\n",  # inconsistent counts
    "abc\ndef\nghi\n",  # no delimiter at all
    "单列\n没有分隔符\n",
    "a,b\n" + "1,2\n" * 9 + "1;2;3\n" * 11,  # a second chunk of ten lines
    "a,b\n" + "".join(f"{i},{i}\n" if i % 3 else f"{i};{i}\n" for i in range(40)),
    'a,b\n"x, y",2\n',
    "a,b\n'x, y',2\n",
    'a;b\n"x; y";2\n',
    '"only"\n"quoted"\n',
    'a,b\n"he said ""hi""",2\n',
    "it's,a\nfile's,b\n",
    'a,"b\nc",d\n',
    "a,b,c",  # no line end
    "x:y:z\n1:2:3\n",  # a delimiter not among the candidates
    "a b c\n1 2 3\n",
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_made_samples_sniff_the_same(sample):
    assert_same(sample)
    assert_same(sample, None)  # without delimiters: csv.Sniffer's own guess
    assert_same(sample, ",;")


@pytest.mark.parametrize(
    ("sample", "delimiters"),
    [
        ("a|b#c#d\n1|2#3#4\n", "|#"),  # '#' has the larger mode, '|' the larger character
        ("a#b|c|d\n1#2|3|4\n", "|#"),
        ("a#b|c\n1#2|3\n", "#|"),  # equal modes: the larger character
    ],
)
def test_two_candidates_neither_preferred(sample, delimiters):
    """The last fallback of the delimiter guess: the candidate with the largest mode."""
    assert_same(sample, delimiters)


def test_without_a_quote_the_quote_guess_is_not_run():
    """The shortcut: a sample without quote characters answers as no pattern matching."""
    assert QuickSniffer()._guess_quote_and_delimiter(
        "a,b\n1,2\n", DELIMITERS
    ) == csv.Sniffer()._guess_quote_and_delimiter("a,b\n1,2\n", DELIMITERS)


QUOTED_SAMPLES = [
    'a,b\n"x, y",2\n"z",3\n',
    'a, "b", "c"\n1, "2", "3"\n',  # a space after the delimiter
    '"a","b"\n"1","2"\n',  # quotes at the start of the sample
    "a,'b','c'\n'1','2',3\n",
    'a;"b;c";d\n1;"2";3\n',
    'x,ab"c"d"e,y\n',  # three quotes between delimiters, but not the doubled-quote pattern
    'a,"he said ""hi""",b\n',
    'a,"""",b\n',
    '"only"\n"quoted"\n',  # the fourth pattern
    '"a"b,c\n',  # the second pattern
    'a,"b"\n',  # the third pattern
    '"unclosed,a\nb,c\n',
    "it's,a\nfile's,b\n",
    'a|"b|c"|d\n1|"2"|3\n',
    '中,"文,字",末\n"一","二",三\n',
    ',"",\n,"",\n',
]


@pytest.mark.parametrize("sample", QUOTED_SAMPLES)
def test_quoted_samples_guess_the_same(sample):
    for delimiters in (DELIMITERS, None, ",;"):
        assert schema_proof.guess_quote_and_delimiter(
            sample, delimiters
        ) == csv.Sniffer()._guess_quote_and_delimiter(sample, delimiters)
    assert_same(sample)
    assert_same(sample, None)


def random_samples(count: int, seed: int) -> list[str]:
    """Short texts of the characters the quote guess turns on: quotes, delimiters, spaces,
    line feeds, word characters."""
    chance = random.Random(seed)
    alphabet = "ab,,;|\t \"'\n中"
    return [
        "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 40))) for _ in range(count)
    ]


def test_the_first_pattern_is_found_where_findall_finds_it():
    regexp = schema_proof.QUOTED_PATTERNS[0]
    for sample in random_samples(4000, 29):
        assert schema_proof.delimited_quotes(regexp, sample) == regexp.findall(sample), sample


@pytest.mark.parametrize("delim", [",", ";", "|", "\t", "", " ", "]", "^", "\\"])
def test_the_doubled_quote_search_is_csv_sniffers(delim):
    for quote in ('"', "'"):
        stock = re.compile(
            r"(({delim})|^)\W*{quote}[^{delim}\n]*{quote}[^{delim}\n]*{quote}\W*(({delim})|$)".format(
                delim=re.escape(delim), quote=quote
            ),
            re.MULTILINE,
        )
        for sample in random_samples(1500, 14):
            sample = sample.replace(",", delim) if delim else sample
            assert schema_proof.doubled_quote(sample, quote, delim) == (
                stock.search(sample) is not None
            ), sample


def test_random_samples_sniff_the_same():
    for sample in random_samples(2000, 7):
        assert_same(sample)
        assert_same(sample, None)
