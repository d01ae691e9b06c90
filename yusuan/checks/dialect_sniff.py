"""``csv.Sniffer`` with the same answers for less work, for the dialect sniff of the schema proof.

The proof sniffs each staged file's first 100 lines as Frictionless' CSV parser does
(yusuan/checks/schema_proof.py, :func:`~yusuan.checks.schema_proof.frictionless_dialect`),
about 850 samples of 9 KB on the two corpora: 0.6 CPU-s of the path (issue 14). Most of it is
spent on work whose outcome is fixed before it starts:

- ``_guess_quote_and_delimiter`` runs four regular expressions over the sample, each of which
  must match a quote character (``["']``) to match at all. A sample with neither ``"`` nor
  ``'`` (more than half of the staged files: no cell needed quoting) matches none of them, and
  the method then returns ``('', False, None, 0)``: that answer is given without the scans.
- ``_guess_delimiter`` counts each of the 127 ASCII characters on every line, but only a
  character among ``delimiters`` can ever enter its table of candidates (``delims``), and what
  it returns is read from that table alone (the first candidate found, the preferred one, or
  the last in sorted order); the modes of the other characters are computed and never used.
  With ``delimiters`` given, only those characters are counted (in ASCII order, as before).
  Without ``delimiters`` every character can be a candidate, and the method is
  ``csv.Sniffer``'s own.

Everything else (``sniff`` itself, the quote-and-delimiter guess of a sample with a quote) is
``csv.Sniffer``'s code. ``tests/unit/test_dialect_sniff.py`` compares both on every staged
file of the fixture packages and on samples made to reach each branch.
"""

from __future__ import annotations

import csv
from typing import Any

ASCII = [chr(code) for code in range(127)]  # the characters csv.Sniffer._guess_delimiter counts


class QuickSniffer(csv.Sniffer):
    """``csv.Sniffer`` whose guesses skip the work that cannot change their answer."""

    def _guess_quote_and_delimiter(
        self, data: str, delimiters: str | None
    ) -> tuple[str, bool, str | None, Any]:
        """``csv.Sniffer``'s guess; without a quote character in ``data`` none of its patterns
        can match, and its answer is the no-match answer."""
        if '"' not in data and "'" not in data:
            return ("", False, None, 0)
        return super()._guess_quote_and_delimiter(data, delimiters)  # type: ignore[misc]

    def _guess_delimiter(self, data: str, delimiters: str | None) -> tuple[str, Any]:
        """``csv.Sniffer._guess_delimiter`` counting only the characters that may be chosen."""
        if delimiters is None:
            return super()._guess_delimiter(data, delimiters)  # type: ignore[misc]
        return guess_delimiter(data, [char for char in ASCII if char in delimiters], self.preferred)


def guess_delimiter(data: str, candidates: list[str], preferred: list[str]) -> tuple[str, Any]:
    """The body of ``csv.Sniffer._guess_delimiter`` (Python 3.11) with its ``ascii`` list
    replaced by ``candidates``: the same frequency tables, modes and consistency rule for those
    characters, and the same choice among them."""
    lines = list(filter(None, data.split("\n")))
    chunk_length = min(10, len(lines))
    iteration = 0
    char_frequency: dict[str, dict[int, int]] = {}
    modes: dict[str, tuple[int, int]] = {}
    delims: dict[str, tuple[int, int]] = {}
    start, end = 0, chunk_length
    while start < len(lines):
        iteration += 1
        for line in lines[start:end]:
            for char in candidates:
                meta = char_frequency.get(char, {})
                freq = line.count(char)
                meta[freq] = meta.get(freq, 0) + 1
                char_frequency[char] = meta
        for char in char_frequency:
            items = list(char_frequency[char].items())
            if len(items) == 1 and items[0][0] == 0:
                continue
            if len(items) > 1:
                mode = max(items, key=lambda x: x[1])
                items.remove(mode)
                modes[char] = (mode[0], mode[1] - sum(item[1] for item in items))
            else:
                modes[char] = items[0]
        total = float(min(chunk_length * iteration, len(lines)))
        consistency = 1.0
        while len(delims) == 0 and consistency >= 0.9:
            for k, v in modes.items():
                if v[0] > 0 and v[1] > 0 and v[1] / total >= consistency:
                    delims[k] = v
            consistency -= 0.01
        if len(delims) == 1:
            delim = list(delims)[0]
            return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")
        start = end
        end += chunk_length
    if not delims:
        return "", 0
    if len(delims) > 1:
        for d in preferred:
            if d in delims:
                return d, lines[0].count(d) == lines[0].count(f"{d} ")
    delim = sorted(delims.items())[-1][0]
    return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")
