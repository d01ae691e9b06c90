"""``csv.Sniffer().sniff(sample, delimiters)`` with the same answer at less CPU (issue 14).

The proof of a staged file (yusuan/checks/schema_proof.py) sniffs the dialect of its first 100
lines exactly as Frictionless does, with ``csv.Sniffer``; that was about 40 % of the proof's
reading of a file. Two of the Sniffer's steps do work whose result is known or can be had
with fewer calls, and :class:`Sniffer` only changes those two:

- ``_guess_quote_and_delimiter`` looks for a quoted field with four regular expressions; each
  needs a quote character (``"`` or ``'``) to match, so in a sample without either its answer
  is "nothing found" (``('', False, None, 0)``) and the expressions are not run (about half of
  the staged files have no quoted cell among their first lines).
- ``_guess_delimiter`` builds, for each of the 127 ASCII characters, the frequencies of its
  count per line (``line.count(char)`` 127 times per line, zero for most). Here only the
  characters a line holds are counted; the lines a character is absent from are added to its
  count of zeros when it next appears or when a chunk of lines ends, before the table is read,
  so every character's table holds the same counts **in the same order of first appearance**
  (which decides the mode when two frequencies tie). What follows — modes, consistency,
  preferred delimiters — is the standard library's code, copied unchanged.

The copies are used only while the standard library's methods are the ones they were made
from (CPython 3.11–3.13; their source text is compared, by sha256); otherwise, or without the
source, the standard library's own Sniffer is used. ``tests/unit/test_csv_sniff.py`` compares
both on staged files of real packages and on thousands of generated samples.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import inspect
from typing import Any

_ASCII = [chr(c) for c in range(127)]  # the characters csv.Sniffer counts (7-bit ASCII but DEL)
_ASCII_SET = frozenset(_ASCII)
# sha256 of the source text of the standard library's methods the copies below were made from
_KNOWN = {
    "_guess_delimiter": "8044d3982129e2f1da646a0831f2434953214f5cc6f73e0ff6ca0cb919a6f53f",
    "_guess_quote_and_delimiter": "919926a0c8395a6bd28ed137c67ae5c4ab8d1c9814608ca237950afcb98f95ef",
}
_QUOTES = ('"', "'")


class Sniffer(csv.Sniffer):
    """csv.Sniffer with the two steps above done with fewer calls; the same dialects."""

    def _guess_quote_and_delimiter(self, data: str, delimiters: Any) -> Any:
        if not any(quote in data for quote in _QUOTES):
            return ("", False, None, 0)  # no pattern can match: each needs a quote character
        return super()._guess_quote_and_delimiter(data, delimiters)

    def _guess_delimiter(self, data: str, delimiters: Any) -> Any:  # noqa: C901 - the standard library's shape, kept to compare
        data = list(filter(None, data.split("\n")))  # type: ignore[assignment]

        # build frequency tables
        chunkLength = min(10, len(data))  # noqa: N806 - the standard library's names
        iteration = 0
        charFrequency: dict[str, dict[int, int]] = {}  # noqa: N806
        modes: dict[str, Any] = {}
        delims: dict[str, Any] = {}
        start, end = 0, chunkLength
        seen: dict[str, dict[int, int]] = {}  # a character's frequencies, once it has appeared
        counted_to: dict[str, int] = {}  # the lines counted into seen[char]
        lines = 0  # the lines read so far
        while start < len(data):
            iteration += 1
            for line in data[start:end]:
                for char in _ASCII_SET.intersection(line):
                    frequencies = seen.get(char)
                    if frequencies is None:
                        frequencies = seen[char] = {0: lines} if lines else {}
                    elif counted_to[char] < lines:  # lines without it since: zeros, in their place
                        frequencies[0] = frequencies.get(0, 0) + lines - counted_to[char]
                    freq = line.count(char)
                    frequencies[freq] = frequencies.get(freq, 0) + 1
                    counted_to[char] = lines + 1
                lines += 1
            for char, frequencies in seen.items():  # the zeros of the chunk's last lines
                if counted_to[char] < lines:
                    frequencies[0] = frequencies.get(0, 0) + lines - counted_to[char]
                    counted_to[char] = lines
            charFrequency = {char: seen.get(char) or {0: lines} for char in _ASCII}  # noqa: N806

            # from here on, the standard library's code
            for char in charFrequency:
                items = list(charFrequency[char].items())
                if len(items) == 1 and items[0][0] == 0:
                    continue
                # get the mode of the frequencies
                if len(items) > 1:
                    modes[char] = max(items, key=lambda x: x[1])
                    # adjust the mode - subtract the sum of all
                    # other frequencies
                    items.remove(modes[char])
                    modes[char] = (modes[char][0], modes[char][1] - sum(item[1] for item in items))
                else:
                    modes[char] = items[0]

            # build a list of possible delimiters
            modeList = modes.items()  # noqa: N806
            total = float(min(chunkLength * iteration, len(data)))
            # (rows of consistent data) / (number of rows) = 100%
            consistency = 1.0
            # minimum consistency threshold
            threshold = 0.9
            while len(delims) == 0 and consistency >= threshold:
                for k, v in modeList:
                    if v[0] > 0 and v[1] > 0 and (v[1] / total) >= consistency and (delimiters is None or k in delimiters):
                        delims[k] = v
                consistency -= 0.01

            if len(delims) == 1:
                delim = list(delims.keys())[0]
                skipinitialspace = data[0].count(delim) == data[0].count("%c " % delim)  # noqa: UP031
                return (delim, skipinitialspace)

            # analyze another chunkLength lines
            start = end
            end += chunkLength

        if not delims:
            return ("", 0)

        # if there's more than one, fall back to a 'preferred' list
        if len(delims) > 1:
            for d in self.preferred:
                if d in delims:
                    skipinitialspace = data[0].count(d) == data[0].count("%c " % d)  # noqa: UP031
                    return (d, skipinitialspace)

        # nothing else indicates a preference, pick the character that
        # dominates(?)
        ranked = [(v, k) for (k, v) in delims.items()]
        ranked.sort()
        delim = ranked[-1][1]

        skipinitialspace = data[0].count(delim) == data[0].count("%c " % delim)  # noqa: UP031
        return (delim, skipinitialspace)


@functools.cache
def copies_apply() -> bool:
    """Are the standard library's methods those the copies were made from?"""
    try:
        return all(hashlib.sha256(inspect.getsource(getattr(csv.Sniffer, name)).encode()).hexdigest() == digest for name, digest in _KNOWN.items())
    except (OSError, TypeError):  # no source text: nothing to compare, the library's own is used
        return False


def sniff(sample: str, delimiters: str | None = None) -> Any:
    """``csv.Sniffer().sniff(sample, delimiters)``: the same dialect, or the same csv.Error."""
    sniffer = Sniffer() if copies_apply() else csv.Sniffer()
    return sniffer.sniff(sample, delimiters)
