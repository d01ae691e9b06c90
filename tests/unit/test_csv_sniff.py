"""csv_sniff.sniff gives the dialect csv.Sniffer gives — or the same error — on the staged
files of real packages and on generated samples that reach every branch of the guesses
(quoted fields, ties between delimiters, ragged lines, several chunks of lines)."""

from __future__ import annotations

import csv
import random
from itertools import islice

import pytest

from yusuan.checks import csv_sniff
from yusuan.checks.schema_proof import SAMPLE_LINES, SNIFFED_DELIMITERS
from yusuan.package.writer import write_package


def dialect(sniffer: csv.Sniffer, sample: str, delimiters: str | None):
    try:
        found = sniffer.sniff(sample, delimiters)
    except csv.Error as exc:
        return ("error", str(exc))
    return (found.delimiter, found.quotechar, found.doublequote, found.skipinitialspace, found.lineterminator, found.quoting, found.escapechar)


def same(sample: str) -> None:
    for delimiters in (SNIFFED_DELIMITERS, None):
        assert dialect(csv_sniff.Sniffer(), sample, delimiters) == dialect(csv.Sniffer(), sample, delimiters), repr(sample[:200])
        assert csv_sniff.Sniffer()._guess_delimiter(sample, delimiters) == csv.Sniffer()._guess_delimiter(sample, delimiters)


def test_the_copies_apply_to_this_python():
    assert csv_sniff.copies_apply()  # else the library's own Sniffer runs: right, but slow


@pytest.mark.parametrize("document_id", ["fj-quanzhou-12345-2026-dwys", "js-renda-2019-bmys", "js-shengweiban-2018-bmys"])
def test_staged_files_of_real_packages(processed, tmp_path, document_id):
    package = write_package(processed[document_id], tmp_path)
    files = sorted(package.glob("*.csv"))
    assert len(files) > 10
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            same("".join(islice(handle, SAMPLE_LINES)))


def generated(rng: random.Random) -> str:
    """CSV-like lines: a few columns, some quoted (with doubled quotes), delimiters mixed in,
    ragged widths, empty lines, spaces after delimiters."""
    delimiter = rng.choice(",;\t|: ")
    lines = []
    for _ in range(rng.randint(0, 45)):
        cells = []
        for _ in range(rng.randint(1, 6)):
            cell = "".join(rng.choice("ab1,;. \t|:-中'") for _ in range(rng.randint(0, 6)))
            if rng.random() < 0.2:
                quote = rng.choice("\"'")
                cell = quote + cell.replace(quote, quote * 2) + quote
            cells.append(cell)
        lines.append((delimiter + (" " if rng.random() < 0.1 else "")).join(cells))
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n"])


def test_generated_samples():
    rng = random.Random(14)
    for _ in range(1500):
        same(generated(rng))
    for _ in range(1500):
        same("".join(rng.choice("ab1 ,;\t|:\"'\n中") for _ in range(rng.randint(0, 160))))


def test_the_library_sniffer_when_the_copies_do_not_apply(monkeypatch):
    monkeypatch.setattr(csv_sniff, "copies_apply", lambda: False)
    calls = []
    monkeypatch.setattr(csv_sniff.Sniffer, "sniff", lambda *a: calls.append(a))
    assert csv_sniff.sniff("a,b\n1,2\n", SNIFFED_DELIMITERS).delimiter == ","
    assert not calls
