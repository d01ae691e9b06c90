"""Amounts and units as printed -> exact decimals in yuan."""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from yusuan.core.vocabulary import money_units, pattern

_BLANK = {"", "-", "—", "－", "–", "——", "/", "—-"}
_NUMBER = re.compile(r"^[-+]?\(?\d[\d,]*(\.\d+)?\)?%?$")
CELL_MEMO = 1 << 13  # cleaned cells remembered: labels and headers repeat on every page and table (amounts rarely do: a larger memo only holds them, ~0.5 MB per 1,000 entries)

UNIT_MULTIPLIERS: dict[str, Decimal] = money_units()  # 元 1, 万元 10000 … (schemas/vocabulary.yaml)
_UNIT = pattern("unit_line")
FEN = Decimal("0.01")  # yuan are exact to the fen


@functools.lru_cache(maxsize=CELL_MEMO)
def clean_cell(text: str | None) -> str:
    """NFKC-normalise a printed cell (full-width digits, spaces) and drop line breaks.

    Remembered: the same labels are cleaned hundreds of thousands of times a run (profile of
    issue 14), and the result depends on the string alone; the memo is asked directly, not
    through a Python call (300,000 a pass). Splitting on whitespace drops what ``\\s+``
    matches (both ask ``str.isspace``)."""
    return "" if text is None else "".join(nfkc(text).split())


# the full-width punctuation of Chinese prose, each with its compatibility decomposition
_COMMON_WIDE = tuple((wide, unicodedata.normalize("NFKD", wide)) for wide in "，（）；：．…％")


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster for the usual text (issue 14).

    A sentence of Chinese prose is not NFKC only for its full-width punctuation, and NFKC
    rebuilds the whole string for it (a few µs a line). Each of these marks is first replaced
    by its compatibility decomposition, which leaves the text's NFKD, and so its NFKC, as it
    was; a text NFKC then leaves alone is its NFKC, anything else is normalised as before."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    for wide, narrow in _COMMON_WIDE:
        text = text.replace(wide, narrow)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def is_blank(text: str | None) -> bool:
    return clean_cell(text) in _BLANK


def looks_like_amount(text: str | None) -> bool:
    value = clean_cell(text)
    return bool(_NUMBER.match(value)) and not value.endswith("%")


def parse_amount(text: str | None) -> Decimal | None:
    """Parse a printed amount; None for blank cells. Raises ValueError for non-numbers.

    Handles thousands separators, full-width digits, parenthesised and minus negatives.
    """
    value = clean_cell(text)
    if value in _BLANK:
        return None
    if not _NUMBER.match(value) or value.endswith("%"):
        raise ValueError(f"not an amount: {text!r}")
    negative = value.startswith("-") or (value.startswith("(") and value.endswith(")"))
    digits = value.strip("+-()").replace(",", "")
    try:
        number = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise ValueError(f"not an amount: {text!r}") from exc
    return -number if negative else number


def to_yuan(amount: Decimal, unit: str) -> Decimal:
    """Convert an amount in a printed unit to yuan, exact to the fen (0.01)."""
    return (amount * UNIT_MULTIPLIERS[unit]).quantize(FEN)


def find_unit(text: str) -> str | None:
    """The money unit declared in a line such as '单位：万元' (None if there is none)."""
    match = _UNIT.search(nfkc(text).replace(" ", ""))
    return match.group(1) if match else None
