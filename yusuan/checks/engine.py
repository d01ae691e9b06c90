"""Comparing printed amounts and recording the result of every check.

Amounts are compared in yuan (``amount_yuan``; the printed unit when it is unknown) with an
allowance for rounding that depends on how each term was printed (see ``allowance`` and
docs/checks.md). A comparison has one of three outcomes:

* the values agree exactly: ``passed``;
* they differ by no more than the rounding of the printed figures: a rounding note
  (``failed`` with severity ``info``), clustered per rule and table into one result;
* they differ by more: ``failed`` with the rule's severity.

A check that fails is a property of the document; it never changes an amount.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from yusuan.core.numbers import CELL_MEMO, UNIT_MULTIPLIERS, clean_cell
from yusuan.core.schemas import check_rules
from yusuan.core.vocabulary import word

Row = dict[str, Any]
ZERO = Decimal(0)
CHECK_FIELDS = (
    "document_id", "check_number", "check_id", "status", "severity", "table_sequence", "table_id", "row_number", "row", "subject_code",
    "measure", "field", "expected", "actual", "difference", "tolerance", "count", "unit_printed",
    "message", "file_name", "page",
)
_DECIMALS = re.compile(r"\.(\d+)")
DISPLAY_MEMO = 2048  # displayed figures remembered (most repeat within a publication; under 1 MB)


def printed_places(printed: str | None) -> int:
    """Decimal places of a number as printed ("1,234.50" -> 2, "25" -> 0)."""
    return 0 if printed is None else _places(printed)


@lru_cache(maxsize=CELL_MEMO)
def _places(printed: str) -> int:
    """printed_places of a string, remembered: a cell takes part in several comparisons, and
    printed figures repeat (issue 14)."""
    match = _DECIMALS.search(clean_cell(printed))
    return len(match.group(1)) if match else 0


def multiplier(unit: str) -> Decimal:
    return UNIT_MULTIPLIERS.get(unit, Decimal(1))


@dataclass(frozen=True)
class Term:
    """One printed figure taking part in a comparison.

    ``value`` is in yuan when the unit is known (else in the printed unit). ``source`` is
    ``table`` for a table cell and ``text`` for a figure of the narrative.
    """

    value: Decimal
    unit: str
    places: int
    source: str = "table"
    row: Row | None = None

    @classmethod
    def of(cls, row: Row) -> Term | None:
        """A table cell (an ``amounts`` row); None when it is blank."""
        if row.get("amount") is None:
            return None
        unit = row.get("unit_printed") or ""
        known = unit in UNIT_MULTIPLIERS and row.get("amount_yuan") is not None
        value = row["amount_yuan"] if known else row["amount"]
        return _term(value, unit if known else "", printed_places(row.get("value_printed")), "table", row)

    @classmethod
    def text(cls, figure: Row) -> Term | None:
        """A money figure of the narrative (a ``narrative_figures`` row)."""
        if figure.get("amount_yuan") is None:
            return None
        return _term(figure["amount_yuan"], figure.get("unit_printed") or "", printed_places(figure.get("value_printed")), "text", figure)

    def scaled(self, value: Decimal) -> Term:
        return replace(self, value=value)

    def display(self, value: Decimal | None = None, extra_places: int | None = None) -> str:
        """A value (default: this term's) in this term's printed unit, as a plain decimal
        (rounded to ``extra_places`` more places than printed when given)."""
        if extra_places is None:
            figure = self.value if value is None else value
            return _display(figure, figure.is_signed(), self.unit, self.places)
        number = (self.value if value is None else value) / multiplier(self.unit)
        return format(number.quantize(Decimal(1).scaleb(-(self.places + extra_places))).normalize(), "f")


@lru_cache(maxsize=DISPLAY_MEMO)
def _display(value: Decimal, signed: bool, unit: str, places: int) -> str:
    """``Term.display`` of a value in a unit to its printed places, remembered: a comparison
    displays its total, and most totals and sums are figures displayed before (issue 14).
    Equal values display alike whatever their exponent (rounded to the places, or
    normalised), but -0 keeps its sign: the key holds the sign (``signed``)."""
    number = value / multiplier(unit)
    rounded = number.quantize(Decimal(1).scaleb(-places))
    return format(rounded if rounded == number else number.normalize(), "f")


def _term(value: Decimal, unit: str, places: int, source: str, row: Row | None) -> Term:
    """``Term(value, unit, places, source, row)``, its fields set in the instance's dict
    directly: the frozen dataclass's ``__init__`` sets each through ``object.__setattr__``
    (~2 µs a term here, 1.5 of them saved; a term is made for every cell compared, issue
    14). The term is the same: equal, the same fields in the same order."""
    term = _new_object(Term)
    fields = term.__dict__
    fields["value"] = value
    fields["unit"] = unit
    fields["places"] = places
    fields["source"] = source
    fields["row"] = row
    return term


_new_object = object.__new__


@lru_cache(maxsize=1024)
def _tolerance_display(tolerance: Decimal, unit: str, places: int) -> str:
    """A comparison's tolerance as its total term displays it (two places more than the
    term's), remembered: a tolerance is one of a few sums of half units, and equal
    tolerances display alike whatever their exponent, as the figure is normalised (issue 14)."""
    return Term(tolerance, unit, places).display(tolerance, extra_places=2)


def _same_figure(one: Decimal, other: Decimal) -> bool:
    """The two values display alike in any term: equal, and of the same sign (-0 displays
    with its sign). Equal values of different exponents display alike (``Term.display``
    rounds to the term's places, or normalises)."""
    return one == other and one.is_signed() == other.is_signed()


@lru_cache(maxsize=1024)
def _zero_display(unit: str, places: int) -> str:
    """How a term of this unit and places displays zero (a difference of a comparison that
    agrees, most of them), remembered (issue 14)."""
    return Term(ZERO, unit, places).display()


def allowance(terms: Iterable[Term], text_units: Decimal = Decimal(1)) -> Decimal:
    """How far a comparison of these terms may be off by rounding alone (in yuan).

    A table cell may be off by half a unit of its table's last printed place: the places
    are those of the most precise term of the same unit in the comparison, since a table
    prints bare integers ("25", "0") at the same precision as its other cells. An amount
    printed in 元 to the fen is exact (money has no smaller unit). A figure of the
    narrative may be off by a whole unit of its last printed place (texts round or
    truncate).

    Most comparisons compare table cells of one unit: their allowance is that of
    :func:`_table_allowance`, remembered; any other is summed term by term.
    """
    terms = list(terms)
    if terms and terms[0].source == "table":
        unit = terms[0].unit
        top = 0
        for term in terms:
            if term.source != "table" or term.unit != unit:
                break
            if term.places > top:
                top = term.places
        else:
            return _table_allowance(top, unit, len(terms))
    places: dict[str, int] = {}  # a unit missing has places 0
    for term in terms:
        if term.source == "table" and term.places > places.get(term.unit, 0):
            places[term.unit] = term.places
    yuan = word("yuan")
    total = ZERO
    for term in terms:
        if term.source == "text":
            total += _text_rounding(text_units, term.places, term.unit)
            continue
        digits = places.get(term.unit, 0)
        if digits >= 2 and term.unit == yuan:
            continue
        total += _half_unit(digits, term.unit)
    return total


@lru_cache(maxsize=1024)
def _table_allowance(places: int, unit: str, count: int) -> Decimal:
    """The allowance of ``count`` table cells of one unit whose most precise prints
    ``places`` decimals, summed term by term as :func:`allowance` sums them (the same value
    and exponent), remembered: a few (places, unit, count) recur in every comparison (issue 14)."""
    if places >= 2 and unit == word("yuan"):
        return ZERO  # to the fen in yuan: exact
    total = ZERO
    for _ in range(count):
        total += _half_unit(places, unit)
    return total


@lru_cache(maxsize=1024)
def _text_rounding(text_units: Decimal, places: int, unit: str) -> Decimal:
    """``text_units`` units of the last printed place of a text figure, in yuan; remembered,
    as the few (places, unit) pairs recur in every comparison (issue 14)."""
    return text_units * Decimal(1).scaleb(-places) * multiplier(unit)


@lru_cache(maxsize=1024)
def _half_unit(places: int, unit: str) -> Decimal:
    """Half a unit of the last printed place of a table cell, in yuan; remembered (issue 14)."""
    return Decimal(5).scaleb(-(places + 1)) * multiplier(unit)


def agrees(total: Row, parts: list[Row], term_of: Callable[[Row], Term | None] = Term.of) -> bool:
    """Whether a printed total equals the sum of printed parts within the rounding of the
    printed figures (no result is recorded). ``term_of`` reads a cell (``CheckRun.term_of``
    remembers them)."""
    actual = term_of(total)
    if actual is None:
        return True
    terms = [t for t in map(term_of, parts) if t is not None]
    return abs(actual.value - sum((t.value for t in terms), ZERO)) <= allowance([actual, *terms])


def combine(terms: list[Term]) -> Term:
    """Several cells read as one figure (their sum), keeping the first as provenance."""
    first = terms[0]
    return replace(first, value=sum((t.value for t in terms), ZERO), places=max(t.places for t in terms))


def describe(row: Row | None) -> str:
    if not row:
        return ""
    if "figure_number" in row:
        return row.get("subject") or row.get("heading") or f"figure {row['figure_number']}"
    # " ".join of the code and the printed name that are not empty, without a generator (issue 14)
    code, name = row.get("subject_code"), row.get("item_name_printed")
    if code and name:
        return " ".join((code, name))
    return code or name or f"row {row.get('row_number')}"


class CheckRun:
    """Collects the results of the checks of one document."""

    def __init__(self, document_id: str, rules: dict[str, dict[str, Any]] | None = None):
        self.document_id = document_id
        self.rules = rules if rules is not None else check_rules()
        self._entries: list[Row] = []
        self._checked: dict[str, int] = defaultdict(int)
        self.touched_rows: list[Row] = []  # check_rows of the last ``results``
        self._terms: dict[int, tuple[Row, Term | None]] = {}  # id -> (cell, its term): term_of's memo
        self._made: EntryResults | None = None  # the rows of the entries, as last made

    def fork(self) -> CheckRun:
        """A copy to add results to, leaving this run as it is: the package's validation adds
        its result to a fork each time a package is written (results never change entries)."""
        other = CheckRun(self.document_id, self.rules)
        other._entries = list(self._entries)
        other._checked = defaultdict(int, self._checked)
        other._made = self._made  # the same entries: their rows are made already
        return other

    # -- rules ---------------------------------------------------------------------------
    def rule(self, check_id: str) -> dict[str, Any]:
        if check_id in self.rules:
            return self.rules[check_id]
        if check_id.startswith("frictionless_") and "frictionless" in self.rules:
            return self.rules["frictionless"]
        raise KeyError(f"rule {check_id!r} is not in schemas/checks.yaml")

    def ran(self, check_id: str) -> bool:
        return any(e["check_id"] == check_id for e in self._entries) or self._checked[check_id] > 0

    # -- comparisons ---------------------------------------------------------------------
    def term_of(self, row: Row) -> Term | None:
        """``Term.of`` a cell, remembered for the run: a cell takes part in several
        comparisons (the total of one, a part of others, under each reading of a row's
        totals) and no check changes a cell (issue 14). The cell is kept beside its term, so
        an id is never taken for another cell's."""
        known = self._terms.get(id(row))
        if known is not None and known[0] is row:
            return known[1]
        term = Term.of(row)
        self._terms[id(row)] = (row, term)
        return term

    def compare(self, check_id: str, total: Row, parts: list[Row], message: str, *, structural: bool = True) -> str | None:
        """Within one table: the printed total equals the sum of the printed parts."""
        actual = self.term_of(total)
        if actual is None:
            return None  # the total is not printed here (blank is not zero): nothing to compare
        terms = [t for t in map(self.term_of, parts) if t is not None]
        entry = self.compare_terms(check_id, actual, terms, message, cluster=total.get("table_sequence"))
        if structural:
            self._largest_part(total, actual, terms, message)
        return outcome(entry)

    def compare_terms(
        self,
        check_id: str,
        actual: Term,
        expected: list[Term],
        message: str,
        *,
        relation: str = "equal",
        cluster: Any = None,
        tolerance: Decimal | None = None,
        agreement: Decimal | None = None,
        field: str = "",
    ) -> Row:
        """Record ``actual`` against the sum of ``expected``; returns the result (see ``outcome``).

        A difference up to ``agreement`` passes (default: none for table cells; half a unit
        of a text figure's last place, the text having rounded correctly), one up to
        ``tolerance`` is a rounding note, a larger one fails.
        """
        expected_value = sum((t.value for t in expected), ZERO)
        difference = actual.value - expected_value
        rule = self.rule(check_id)
        exact = rule["tolerance"] == "exact"
        terms = [actual, *expected]
        if tolerance is None:
            tolerance = ZERO if exact else allowance(terms)
        if agreement is None:
            texts = not exact and any(t.source == "text" for t in terms)
            agreement = allowance(terms, Decimal("0.5")) if texts else ZERO
        if relation == "at_most":
            off = max(difference, ZERO)
        elif relation == "at_least":
            off = max(-difference, ZERO)
        else:
            off = abs(difference)
        shown = actual.display()
        entry = self._comparison_entry(
            check_id, rule, actual.row or {}, message,
            shown if _same_figure(expected_value, actual.value) else actual.display(expected_value),
            shown,
            _zero_display(actual.unit, actual.places) if _same_figure(difference, ZERO) else actual.display(difference),
            _tolerance_display(tolerance, actual.unit, actual.places) if tolerance else "0",
            field,
            _comparison_touches(actual.row, expected),
        )
        if off <= agreement:
            pass
        elif off <= tolerance:
            entry["status"] = "failed"
            entry["severity"] = "info"
            entry["message"] = f"within rounding: {message}"
            entry["_cluster"] = (check_id, "rounding", cluster if cluster is not None else entry["table_id"])
        else:
            entry["status"] = "failed"
        self._entries.append(entry)
        return entry

    def _largest_part(self, total: Row, actual: Term, parts: list[Term], message: str) -> None:
        """A total below its largest part, all parts non-negative, contradicts the parse."""
        self._checked["total_not_below_largest_part"] += 1
        if not parts or any(p.value < 0 for p in parts):
            return
        largest = max(parts, key=lambda p: p.value)
        # the allowance is never negative: a total not below its largest part needs none
        if actual.value < largest.value and actual.value < largest.value - allowance([actual, largest]):
            self._entries.append(self._entry(
                "total_not_below_largest_part", "failed", total,
                f"{describe(total)} ({actual.display()}) is smaller than its part {describe(largest.row)} ({largest.display(largest.value)}); {message}",
                expected=f">= {actual.display(largest.value)}", actual=actual.display(), difference=actual.display(actual.value - largest.value),
                _touches=_touches([(total, "total"), (largest.row, "part")]),
            ))

    # -- other results -------------------------------------------------------------------
    def add(
        self,
        check_id: str,
        status: str,
        row: Row | None,
        message: str,
        expected: Any = "",
        actual: Any = "",
        difference: Any = "",
        *,
        table_id: str = "",
        table_sequence: int | None = None,
        page: int | None = None,
        file_name: str = "",
        severity: str = "",
        field: str = "",
        subject_code: str = "",
        count: int = 1,
        cluster: Any = None,
    ) -> Row:
        entry = self._entry(check_id, status, row, message, expected=str(expected), actual=str(actual), difference=str(difference), field=field)
        if severity:
            entry["severity"] = severity
        if not row:
            entry.update(table_id=table_id, table_sequence=table_sequence, page=page, file_name=file_name)
        if subject_code:
            entry["subject_code"] = subject_code
        entry["count"] = count
        if cluster is not None:
            entry["_cluster"] = (check_id, status, cluster)
        self._entries.append(entry)
        return entry

    def not_run(self, check_id: str, message: str, *, table_id: str = "", cluster: Any = None) -> Row:
        """The rule could not run (a table or figure it needs is missing): never a pass."""
        severity = self.rule(check_id).get("not_run_severity", "info")
        return self.add(check_id, "not_run", None, message, table_id=table_id, severity=severity, cluster=cluster)

    def count_checked(self, check_id: str, n: int = 1) -> None:
        """Comparisons made by a rule that records only its failures."""
        self._checked[check_id] += n

    def _entry(self, check_id: str, status: str, row: Row | None, message: str, **values: Any) -> Row:
        """A result about ``row`` (a cell or a figure; None: the document), its public fields
        and its private ones (``_cluster``, ``_touches``); ``values`` set fields. The rows
        it touches are those given as ``_touches``, else ``row`` as its subject (a
        comparison names its own: they are not found twice, issue 14)."""
        rule = self.rule(check_id)
        row = row or {}
        field = values.pop("field", "")
        entry = _public_fields(self.document_id, check_id, status, rule["severity"], row, message, field, "", "", "", "")
        touches = values.pop("_touches", None)
        entry.update(values)
        entry["_touches"] = _touches([(row, "subject")]) if touches is None else touches
        return entry

    def _comparison_entry(
        self, check_id: str, rule: dict[str, Any], row: Row, message: str,
        expected: str, actual: str, difference: str, tolerance: str, field: str, touches: list[tuple[int, int, str]],
    ) -> Row:
        """A comparison's entry, as ``_entry(check_id, "passed", row, message, _cluster=None,
        expected=..., actual=..., difference=..., tolerance=..., field=..., _touches=...)``
        makes it (the same fields in the same order, the private ones last), without a
        keyword dict or an update, the rule found once (issue 14)."""
        entry = _public_fields(self.document_id, check_id, "passed", rule["severity"], row, message, field, expected, actual, difference, tolerance)
        entry["_cluster"] = None
        entry["_touches"] = touches
        return entry

    # -- results -------------------------------------------------------------------------
    @property
    def results(self) -> list[Row]:
        """The check rows: clustered results merged, one passed row for rules that record
        only failures and found none, numbered in order.

        The rows of the entries (and their check_rows) are made once for a list of entries
        and copied on every later call: a fork's results, taken again each time a package is
        written, add only the rows of the rules counted since (issue 14). An entry is not
        changed once the results are taken (the checks change an entry only as they make it)."""
        made = self._entry_results()
        out = [dict(row) for row in made.rows]
        self.touched_rows = [dict(link) for link in made.links]
        for check_id, n in self._checked.items():
            if n and check_id not in made.recorded:
                row = _public(self._entry(check_id, "passed", None, f"{n} comparisons, none failed", count=n))
                row["check_number"] = len(out) + 1
                out.append(row)  # touches no row: no check_rows
        return out

    def _entry_results(self) -> EntryResults:
        """The rows of this run's entries, made again only when entries were added since."""
        made = self._made
        if made is not None and made.entries == len(self._entries) and (not self._entries or made.last is self._entries[-1]):
            return made
        self._made = made = entry_results(self.document_id, self._entries)
        return made


@dataclass(frozen=True)
class EntryResults:
    """The check rows of a run's entries, numbered from 1, and the check_rows they touch."""

    entries: int  # how many entries they were made of
    last: Row | None  # the last of them
    rows: list[Row]
    links: list[Row]
    recorded: set[str]  # the rules with an entry


def entry_results(document_id: str, entries: list[Row]) -> EntryResults:
    """Clustered entries merged into one row where the cluster is first met, the others
    made public as they are; each row numbered and its touched rows listed."""
    groups: dict[Any, list[Row]] = defaultdict(list)
    for entry in entries:
        if entry.get("_cluster") is not None:
            groups[entry["_cluster"]].append(entry)
    rows: list[Row] = []
    sources: list[list[Row]] = []
    seen: set[Any] = set()
    for entry in entries:
        key = entry.get("_cluster")
        if key is None:
            rows.append(_public(entry))
            sources.append([entry])
        elif key not in seen:
            seen.add(key)
            rows.append(_merge(groups[key]))
            sources.append(groups[key])
    links: list[Row] = []
    for number, (row, touched_by) in enumerate(zip(rows, sources, strict=True), start=1):
        row["check_number"] = number
        links += touched_rows(document_id, number, touched_by)
    return EntryResults(len(entries), entries[-1] if entries else None, rows, links, {e["check_id"] for e in entries})


def _touches(rows: list[tuple[Row | None, str]]) -> list[tuple[int, int, str]]:
    """(table_sequence, row_number, role) of the amount rows among ``rows`` (figures of the
    narrative have no row in a table)."""
    return [
        (row["table_sequence"], row["row_number"], role)
        for row, role in rows
        if row and "figure_number" not in row and row.get("table_sequence") is not None and row.get("row_number") is not None
    ]


def _public_fields(
    document_id: str, check_id: str, status: str, severity: str, row: Row, message: str,
    field: str, expected: str, actual: str, difference: str, tolerance: str,
) -> Row:
    """An entry's public fields, in ``CHECK_FIELDS``' order, made as one literal (issue 14):
    the start of every entry (``CheckRun._entry``, ``CheckRun._comparison_entry``)."""
    return {
        "document_id": document_id,
        "check_number": 0,
        "check_id": check_id,
        "status": status,
        "severity": severity,
        "table_sequence": row.get("table_sequence"),
        "table_id": row.get("table_id", ""),
        "row_number": row.get("row_number") if "figure_number" not in row else None,
        "row": describe(row),
        "subject_code": row.get("subject_code", "") or "",
        "measure": row.get("measure", "") or "",
        "field": field or row.get("column_header", "") or row.get("figure_kind", "") or "",
        "expected": expected,
        "actual": actual,
        "difference": difference,
        "tolerance": tolerance,
        "count": 1,
        "unit_printed": row.get("unit_printed", "") or "",
        "message": message,
        "file_name": row.get("file_name", "") or "",
        "page": row.get("page"),
    }


def _comparison_touches(total: Row | None, parts: list[Term]) -> list[tuple[int, int, str]]:
    """``_touches([(total, "total")] + [(t.row, "part") for t in parts])`` without the list of
    pairs (issue 14)."""
    touches = []
    if total and "figure_number" not in total and total.get("table_sequence") is not None and total.get("row_number") is not None:
        touches.append((total["table_sequence"], total["row_number"], "total"))
    for term in parts:
        row = term.row
        if row and "figure_number" not in row and row.get("table_sequence") is not None and row.get("row_number") is not None:
            touches.append((row["table_sequence"], row["row_number"], "part"))
    return touches


def touched_rows(document_id: str, check_number: int, entries: list[Row]) -> list[Row]:
    """The check_rows of one result: each amount row its comparisons touched, once (a row
    that is the total of one comparison and a part of another is listed as total)."""
    roles: dict[tuple[int, int], str] = {}
    for entry in entries:
        for sequence, number, role in entry.get("_touches", []):
            key = (sequence, number)
            if role == "total" or roles.get(key) in (None, "subject"):
                roles[key] = role
    return [
        {"document_id": document_id, "check_number": check_number, "table_sequence": s, "row_number": n, "check_role": role}
        for (s, n), role in roles.items()
    ]


def outcome(entry: Row) -> str:
    """passed, rounding (within the rounding of the printed figures) or failed."""
    if entry["status"] == "failed" and entry.get("_cluster") is not None and entry["_cluster"][1] == "rounding":
        return "rounding"
    return entry["status"]


def _public(entry: Row) -> Row:
    """The check row of an entry: its public fields, in ``CHECK_FIELDS``' order
    (``{k: entry[k] for k in CHECK_FIELDS}``). Not a copy of the entry without its private
    fields: a copy keeps the entry's larger table, and the rows of a package are kept until it
    is written (+5 MiB of peak memory a pass, measured). One literal (a test holds it to
    ``CHECK_FIELDS``): its table is sized once, the size ``dict(zip(...))`` grew to in three
    steps (2.0 -> 1.2 µs a row; issue 14)."""
    return {
        "document_id": entry["document_id"],
        "check_number": entry["check_number"],
        "check_id": entry["check_id"],
        "status": entry["status"],
        "severity": entry["severity"],
        "table_sequence": entry["table_sequence"],
        "table_id": entry["table_id"],
        "row_number": entry["row_number"],
        "row": entry["row"],
        "subject_code": entry["subject_code"],
        "measure": entry["measure"],
        "field": entry["field"],
        "expected": entry["expected"],
        "actual": entry["actual"],
        "difference": entry["difference"],
        "tolerance": entry["tolerance"],
        "count": entry["count"],
        "unit_printed": entry["unit_printed"],
        "message": entry["message"],
        "file_name": entry["file_name"],
        "page": entry["page"],
    }


def _merge(entries: list[Row]) -> Row:
    """One result for a cluster of results of the same rule, cause and table."""
    if len(entries) == 1:
        return _public(entries[0])

    def size(entry: Row) -> Decimal:
        try:
            return abs(Decimal(entry["difference"]))
        except ArithmeticError:
            return ZERO

    largest = max(entries, key=size)
    merged = _public(largest)
    count = sum(e.get("count", 1) for e in entries)
    rows = "; ".join(e["row"] for e in entries[:5] if e["row"]) + ("; …" if len(entries) > 5 else "")
    if entries[0]["status"] == "failed" and entries[0]["severity"] == "info":
        merged["message"] = f"{count} comparisons differ by no more than the rounding of the printed amounts (largest: {largest['difference']} at {largest['row']}): {rows}"
    elif entries[0]["status"] == "not_run":
        reasons = list(dict.fromkeys(e["message"] for e in entries))
        merged["message"] = f"{count} not run: " + "; ".join(reasons[:5]) + ("; …" if len(reasons) > 5 else "")
    else:
        merged["message"] = f"{count} results like: {largest['message']} ({rows})"
    merged["count"] = count
    return merged

