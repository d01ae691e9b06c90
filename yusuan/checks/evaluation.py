"""Compare extracted amounts with golden files typed from the document.

A golden directory (tests/golden/<document_id>/, format in tests/golden/README.md) holds:

* ``amounts.csv``: every printed amount with its table, row code, row label, column header
  and value as printed, and, in a two-sided table whose header serves both halves, the side;
* ``tables.csv``: per table, the money unit printed for it (元, 万元 …);
* ``columns.csv``: per (table, column), the measure the header means (an id of
  schemas/columns.yaml) and the side when the header alone says it.

Matching is a multiset match on (table, code, label, leaf header, value), labels and headers
compared in normalised form, so cell-level precision and recall can be reported per table.
Among the matched cells each meaning field (measure, side, unit, yuan) is then compared on
its own, so a report says "the value is right but the measure is wrong" rather than only
"missed". The golden yuan is computed here from the typed value and unit, never copied.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from yusuan.core.numbers import parse_amount
from yusuan.core.schemas import load_registry, normalize_label
from yusuan.core.vocabulary import money_units

Key = tuple[str, str, str, str, Decimal]
FIELDS = ("measure", "side", "unit", "yuan")
SIDES = {"revenue", "expenditure", ""}
BY_ROW = "row"  # columns.csv side or measure: "the header serves every row alike; amounts.csv says per row"


class GoldenError(ValueError):
    """A golden file that cannot be read as typed (names the file and line)."""


@dataclass(frozen=True)
class Meaning:
    """What a cell means besides its value: the fields compared after the key matches."""

    measure: str
    side: str
    unit: str
    yuan: Decimal | None

    def get(self, name: str) -> Any:
        return getattr(self, name)


@dataclass
class Disagreement:
    """Cells whose key matched but one meaning field differs, grouped by what differs."""

    field: str
    table_id: str
    column: str
    expected: str
    got: str
    count: int


@dataclass
class Score:
    expected: int
    extracted: int
    matched: int
    missing: list[Key]
    unexpected: list[Key]
    # per meaning field: matched cells that agree on it (only when goldens type meaning)
    agreeing: dict[str, int] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    def field_accuracy(self, name: str) -> float:
        """Share of the matched cells whose ``name`` agrees with the golden."""
        return self.agreeing.get(name, 0) / self.matched if self.matched else 1.0


def leaf_header(column_header: str) -> str:
    """The last header cell that is not a grouping word ('其中'): what the column is called."""
    grouping = load_registry().grouping_words
    parts = [normalize_label(p) for p in column_header.split(" / ")]
    parts = [p for p in parts if p and p not in grouping]
    return parts[-1] if parts else ""


def _golden_key(row: dict[str, str]) -> Key:
    return (row["table_id"], row["row_code"].strip(), normalize_label(row["row_name"]), leaf_header(row["column"]), parse_amount(row["value"]))  # type: ignore[return-value]


def golden_keys(path: Path) -> list[Key]:
    """The keys of a golden amounts.csv (the column may print the headers above the leaf)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [_golden_key(r) for r in csv.DictReader(handle)]


def printed_code(amount: dict[str, Any]) -> str:
    """The code as printed: goldens are typed from the page, so an inferred code is ''."""
    return "" if amount.get("subject_code_source") == "inferred_from_name" else amount["subject_code"]


def _extracted_key(a: dict[str, Any]) -> Key:
    return (a["table_id"], printed_code(a), normalize_label(a["item_name_printed"]), leaf_header(a["column_header"]), a["amount"])


def extracted_keys(amounts: list[dict[str, Any]], tables: set[str]) -> list[Key]:
    return [_extracted_key(a) for a in amounts if a["amount"] is not None and a["table_id"] in tables]


# ------------------------------------------------------------------ golden meaning


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(number, row) for number, row in enumerate(csv.DictReader(handle), start=2)]


def _units(path: Path) -> dict[tuple[str, str], str]:
    """(file, table_id) -> unit printed for the table ('' when it prints none), checked
    against the known units."""
    known = money_units()
    units: dict[tuple[str, str], str] = {}
    for line, row in _rows(path):
        if row["unit"] and row["unit"] not in known:
            raise GoldenError(f"{path}:{line}: unit {row['unit']!r} is not one of {sorted(known)} or empty")
        units[(row["file"], row["table_id"])] = row["unit"]
    return units


def _columns(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(table_id, column as typed in amounts.csv) -> (side, measure), ids checked."""
    measures = {m.id for m in load_registry().measures}
    columns: dict[tuple[str, str], tuple[str, str]] = {}
    for line, row in _rows(path):
        if row["measure"] not in measures | {BY_ROW}:
            raise GoldenError(f"{path}:{line}: measure {row['measure']!r} is not an id of schemas/columns.yaml")
        if row["side"] not in SIDES | {BY_ROW}:
            raise GoldenError(f"{path}:{line}: side {row['side']!r} is not revenue, expenditure, {BY_ROW} or empty")
        columns[(row["table_id"], row["column"])] = (row["side"], row["measure"])
    return columns


def _side(path: Path, line: int, column_side: str, row_side: str) -> str:
    if column_side == BY_ROW:
        if row_side not in ("revenue", "expenditure"):
            raise GoldenError(f"{path}:{line}: the column serves both halves; type side revenue or expenditure")
        return row_side
    if row_side:
        raise GoldenError(f"{path}:{line}: side typed on a row whose column already says {column_side!r}")
    return column_side


def _measure(path: Path, line: int, column_measure: str, row_measure: str) -> str:
    """The column's measure, or, where the column says ``row`` (a table whose rows are the
    items: 因公出国（境）费 | 预算数), the measure typed on the row."""
    if column_measure == BY_ROW:
        if row_measure not in {m.id for m in load_registry().measures}:
            raise GoldenError(f"{path}:{line}: the column's rows are items; type the row's measure")
        return row_measure
    if row_measure:
        raise GoldenError(f"{path}:{line}: measure typed on a row whose column already says {column_measure!r}")
    return column_measure


def golden_amounts(directory: Path) -> list[tuple[Key, Meaning]]:
    """Every typed amount of a golden directory with its meaning (measure, side, unit, yuan).

    The yuan is the typed value times the typed unit, exact (no rounding: a printed value
    has at most two decimals); None when the table prints no unit."""
    factors = money_units()
    units = _units(directory / "tables.csv")
    columns = _columns(directory / "columns.csv")
    path = directory / "amounts.csv"
    result = []
    for line, row in _rows(path):
        unit = units.get((row["file"], row["table_id"]))
        meaning = columns.get((row["table_id"], row["column"]))
        if unit is None or meaning is None:
            missing = "tables.csv has no line" if unit is None else "columns.csv has no line"
            raise GoldenError(f"{path}:{line}: {missing} for {row['table_id']} / {row['column']}")
        key = _golden_key(row)
        side = _side(path, line, meaning[0], row.get("side", ""))
        measure = _measure(path, line, meaning[1], row.get("measure", ""))
        yuan = key[4] * factors[unit] if unit else None
        result.append((key, Meaning(measure=measure, side=side, unit=unit, yuan=yuan)))
    return result


def extracted_amounts(amounts: list[dict[str, Any]], tables: set[str]) -> list[tuple[Key, Meaning]]:
    """The parser's amounts of the given tables with the meaning fields it published."""
    return [
        (_extracted_key(a), Meaning(measure=a["measure"], side=a["side"] or "", unit=a["unit_printed"] or "", yuan=a["amount_yuan"]))
        for a in amounts
        if a["amount"] is not None and a["table_id"] in tables
    ]


# ------------------------------------------------------------------ scoring


def score(golden: list[Key], extracted: list[Key]) -> Score:
    """Cell-level match on the key only (table, code, label, leaf header, value)."""
    expected, found = Counter(golden), Counter(extracted)
    matched = expected & found
    return Score(
        expected=sum(expected.values()),
        extracted=sum(found.values()),
        matched=sum(matched.values()),
        missing=sorted((expected - found).elements()),
        unexpected=sorted((found - expected).elements()),
    )


def _text(value: Any) -> str:
    """A field value as compared and reported: decimals by value (1.50 == 1.5), None as ''."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def score_meaning(golden: list[tuple[Key, Meaning]], extracted: list[tuple[Key, Meaning]]) -> Score:
    """The key match of :func:`score`, then each meaning field compared on the matched cells.

    A field agrees on a cell when (key, field value) is in both multisets, so duplicate keys
    (a label printed twice) are paired without guessing which is which."""
    result = score([k for k, _ in golden], [k for k, _ in extracted])
    by_key_golden: dict[Key, list[Meaning]] = defaultdict(list)
    by_key_found: dict[Key, list[Meaning]] = defaultdict(list)
    for key, meaning in golden:
        by_key_golden[key].append(meaning)
    for key, meaning in extracted:
        by_key_found[key].append(meaning)
    grouped: Counter[tuple[str, str, str, str, str]] = Counter()
    for name in FIELDS:
        agreeing = 0
        for key, wanted in by_key_golden.items():
            got = by_key_found.get(key, [])
            pairs = min(len(wanted), len(got))
            want_values, got_values = Counter(_text(m.get(name)) for m in wanted), Counter(_text(m.get(name)) for m in got)
            same = sum((want_values & got_values).values())
            agreeing += min(same, pairs)
            wrong_expected = list((want_values - got_values).elements())
            wrong_got = list((got_values - want_values).elements())
            for expected_value, got_value in list(zip(wrong_expected, wrong_got, strict=False))[: pairs - min(same, pairs)]:
                grouped[(name, key[0], key[3], expected_value, got_value)] += 1
        result.agreeing[name] = agreeing
    result.disagreements = [Disagreement(f, t, c, e, g, n) for (f, t, c, e, g), n in sorted(grouped.items())]
    return result


def summed(scores: Iterable[Score]) -> Score:
    """One score over several documents (counts added; key lists concatenated)."""
    total = Score(expected=0, extracted=0, matched=0, missing=[], unexpected=[])
    for s in scores:
        total.expected += s.expected
        total.extracted += s.extracted
        total.matched += s.matched
        total.missing += s.missing
        total.unexpected += s.unexpected
        for name, count in s.agreeing.items():
            total.agreeing[name] = total.agreeing.get(name, 0) + count
        total.disagreements += s.disagreements
    return total


# ------------------------------------------------------------------ known misses


@dataclass(frozen=True)
class KnownMiss:
    """A parser disagreement the goldens expect, with the reason (tests/golden/known_misses.csv)."""

    document_id: str
    field: str
    table_id: str
    column: str
    expected: str
    got: str
    count: int
    reason: str


def read_known_misses(path: Path) -> list[KnownMiss]:
    misses = []
    for line, row in _rows(path):
        if row["field"] not in FIELDS or not row["reason"].strip():
            raise GoldenError(f"{path}:{line}: field must be one of {FIELDS} and the reason must be given")
        misses.append(KnownMiss(row["document_id"], row["field"], row["table_id"], normalize_label(row["column"]), row["expected"], row["got"], int(row["count"]), row["reason"]))
    return misses


def as_known(document_id: str, disagreements: list[Disagreement]) -> set[tuple[str, str, str, str, str, str, int]]:
    """Disagreements in the comparable form of known misses (without the reason)."""
    return {(document_id, d.field, d.table_id, d.column, d.expected, d.got, d.count) for d in disagreements}
