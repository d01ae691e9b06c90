"""Figures stated in the narrative, against the tables and against each other.

A statement is a figure with a subject of its own (its head: "一般公共预算拨款支出1182.04万元")
and the figures that follow it in the same section until the next head: its change from
the previous year ("比上年增加51.77万元"), the change in percent ("增长4.58%"), the previous
year's figure ("2023年当年预算执行数为60.13万元") and a restatement of the year's figure
("2024年预算安排25.77万元"). Heads are matched with the tables by topic or measure
(checks.yaml ``targets``), by the function code they print ("2010350-事业运行") or by the
names of 类/款/项 they print ("住房改革支出（款）住房公积金（项）").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from yusuan.checks.engine import (
    ZERO,
    CheckRun,
    Row,
    Term,
    allowance,
    describe,
    multiplier,
    outcome,
    printed_places,
)
from yusuan.checks.select import Found, Tables, row_side
from yusuan.core.numbers import CELL_MEMO, nfkc
from yusuan.core.schemas import Registry, normalize_label
from yusuan.core.vocabulary import mapping, pattern, word, words
from yusuan.interpret.narrative import _topic

HUNDRED = Decimal(100)
HALF = Decimal("0.5")
ASIDE = re.compile(r"[(（][^()（）]{5,}[)）]")
ENUMERATOR = pattern("statement_enumerator")
LEADING_YEAR = pattern("leading_year")
STATED_SUFFIX = pattern("stated_suffix")
COMPARATIVE = pattern("comparative")
COMPARISON_PHRASE = pattern("comparison_phrase")
PROJECT_COUNT = pattern("project_count")
BREAKDOWN = pattern("breakdown_opening")
PREVIOUS = pattern("previous_year_subject")
CURRENT = pattern("current_year_subject")
CHANGE_PERCENT_SUBJECT = pattern("change_percent_subject")
NAMED = pattern("named_level")
# "2010350-事业运行", "201-一般公共服务支出", or a bare 7-digit 项 code
CODE_IN_TEXT = re.compile(r"(?<![\d.,])(?:(?P<code>\d{7}|\d{5}|[23]\d{2})(?![\d.,])\s*[-－—–]|(?P<code7>\d{7})(?![\d.,]))")
# a class code in brackets right after its name (机关工资福利支出（501）2079.07万元): the text names
# the code's row as well as the words before it
OWN_CODE = re.compile(r"(?<=[\u4e00-\u9fff])\((?P<code>[235]\d{2}|\d{5})\)$")
CLAUSE = re.compile(r"[，,。；;（(：:]")
COMPLETION = pattern("completion")
PROCUREMENT_PART = pattern("procurement_part")
PROCUREMENT_PARTS = mapping("procurement_parts")
LEVEL_OF = mapping("level_ids")  # 类 -> class …
SHARE_OF = word("share_of")
OUTTURN_WORDS = words("outturn_words")  # 决算, 执行: a change against last year's outturn
FUNCTION_TABLES = ("gpb_expenditure_by_function", "fiscal_appropriation_expenditure_by_function", "expenditure_summary")
ECONOMIC_TABLES = ("gpb_basic_expenditure_by_economic_class", "fiscal_appropriation_basic_expenditure_by_economic_class", "gpb_expenditure_by_economic_class", "gpb_operating_expenses")
SUMMARY_TABLES = ("revenue_expenditure_summary", "fiscal_appropriation_summary")
FUND_TOTAL_TABLES = ("revenue_expenditure_summary", "fiscal_appropriation_summary", "gpb_expenditure_by_function", "fiscal_appropriation_expenditure_by_function")


@dataclass
class Statement:
    head: Row | None
    change: Row | None = None
    percent: Row | None = None
    previous: Row | None = None
    restated: list[Row] = field(default_factory=list)


def check_narrative(run: CheckRun, figures: list[Row], tables: Tables, registry: Registry, fiscal_year: int | None) -> None:
    figures = [dict(f) for f in figures]  # positions are noted on copies
    locate(figures)
    statements = build_statements(figures, registry, fiscal_year)
    targets = run.rules.get("narrative_amount_vs_table", {}).get("targets", {})
    values = PrintedValues(tables)
    nameable = nameable_rows(tables)
    parts = breakdown_figures(figures)
    for statement in statements:
        if statement.head is not None:
            check_against_tables(run, statement.head, tables, registry, targets, values, nameable, statement.head["figure_number"] in parts)
        check_statement(run, statement)
    check_same_amount_same_change(run, statements, tables)
    check_shares(run, figures, tables, targets)


class PrintedValues:
    """The amounts (in yuan) printed in the tables, as a set made on the first question: only
    a comparison that fails asks, so most documents never need it (issue 14)."""

    def __init__(self, tables: Tables):
        self._tables = tables
        self._values: set[Decimal] | None = None

    def __contains__(self, value: object) -> bool:
        if self._values is None:
            self._values = {r["amount_yuan"] for rows in self._tables.by_sequence.values() for r in rows if r.get("amount_yuan") is not None}
        return value in self._values


# -- reading the figures -------------------------------------------------------------------
def _normalized(text: str | None) -> str:
    """NFKC of a sentence or subject ("" for None)."""
    return "" if text is None else _nfkc(text)


@lru_cache(maxsize=CELL_MEMO)
def _nfkc(text: str) -> str:
    """unicodedata's NFKC, remembered: a sentence is normalised again for each of its
    figures (where it is printed, what precedes it; issue 14)."""
    return nfkc(text)


def clean_subject(subject: str) -> str:
    """The subject without asides in brackets, enumerators, a leading year and 预算/支出 words."""
    text = ASIDE.sub("", normalize_label(subject))
    text = ENUMERATOR.sub("", text)
    text = LEADING_YEAR.sub("", text)
    return text


def is_change_like(subject: str, registry: Registry) -> bool:
    """An amount whose subject says it is a difference ("增加人员经费1408.29万元")."""
    text = normalize_label(subject)
    return bool(COMPARATIVE.search(text)) or any(w in text for w in (*registry.increase_words, *registry.decrease_words))


def classify(figure: Row, registry: Registry, fiscal_year: int | None) -> str:
    """head, previous, current, change_amount, change_percent, share, completion, other."""
    kind = figure["figure_kind"]
    subject = normalize_label(figure["subject"])
    if kind == "change_amount":
        return "change_amount"
    if kind == "change_percent":
        return "change_percent"
    if kind == "percent":
        if COMPLETION.search(subject):
            return "completion"
        if SHARE_OF in subject:
            return "share"
        if CHANGE_PERCENT_SUBJECT.search(subject):
            return "change_percent"
        return "other"
    if kind != "amount":
        return "other"
    stripped = ENUMERATOR.sub("", subject)
    previous = PREVIOUS.match(stripped)
    if previous and not COMPARATIVE.search(stripped):
        year = previous.group("year")
        if year is None or fiscal_year is None or int(year) < fiscal_year:
            return "previous"
    clause = normalize_label(CLAUSE.split(text_before(figure))[-1])
    years = [int(y) for y in pattern("year_mark").findall(clause)]
    if years and fiscal_year is not None and years[-1] < fiscal_year and not COMPARATIVE.search(clause):
        return "previous"  # "（2016年度部门支出预算安排为8,648.07万元）"
    current = CURRENT.match(stripped)
    if current and (current.group("year") is None or fiscal_year is None or int(current.group("year")) == fiscal_year):
        return "current"
    if is_change_like(subject, registry):
        return "other"
    return "head"  # a figure without words of its own opens a statement on its section's heading


def text_before(figure: Row) -> str:
    """The sentence up to the figure (NFKC)."""
    return _normalized(figure["sentence"])[: figure.get("_at", 0)]


def locate(figures: list[Row]) -> None:
    """Where each figure is printed in its sentence (``_at``), in order of the figures."""
    last: dict[tuple, int] = {}
    for figure in sorted(figures, key=lambda f: f["figure_number"]):
        key = (figure["page"], figure["line"], figure["sentence"])
        sentence = _normalized(figure["sentence"])
        value = _normalized(figure["value_printed"])
        at = sentence.find(value, last.get(key, 0))
        if at < 0:
            at = sentence.find(value)
        figure["_at"] = max(at, 0)
        last[key] = figure["_at"] + len(value)


def build_statements(figures: list[Row], registry: Registry, fiscal_year: int | None) -> list[Statement]:
    """The statements of the text: a head figure with the previous year's figure, the change
    and the percent that follow it. A change with no subject of its own that follows a list of
    parts (其中：基本支出…、项目支出…。比上年减少…) or an aside in brackets (…701.34万元（购置费
    331万元，比上年增加…；运行维护费…）比上年增加66.79万元) is the change of the figure the parts
    or the aside belong to, not of the last part."""
    statements: list[Statement] = []
    current: Statement | None = None
    outer: Statement | None = None  # the last head that is not a part (其中 …) nor inside an aside
    parts: set[int] = set()  # ids of the statements whose head is a part or inside an aside
    section: tuple | None = None
    section_start = 0
    asides = _AsideDepth()
    for figure in sorted(figures, key=lambda f: f["figure_number"]):
        if (figure["part"], figure["heading"]) != section:
            section, current, outer = (figure["part"], figure["heading"]), None, None
            section_start = len(statements)
            asides = _AsideDepth()
        before = text_before(figure)
        in_aside = asides.at(figure, before) > 0
        role = classify(figure, registry, fiscal_year)
        if role != "other" and word("reason") in before:
            role = "other"  # a figure of the explanation ("主要原因是…压减10%"), not of the statement
        if role == "head":
            current = Statement(figure)
            statements.append(current)
            if in_aside or word("of_which") in before:
                parts.add(id(current))
            else:
                outer = current
            continue
        if role == "previous" and (current is None or current.previous is not None or current.change is not None):
            current = Statement(None, previous=figure)  # the previous year's figure opens the statement
            statements.append(current)
            continue
        if current is None:
            continue
        target = current
        if role in ("change_amount", "change_percent") and outer is not None and id(current) in parts and not in_aside and _opens_with_comparison(before):
            target = outer
        named = _statement_named(before, statements[section_start:], registry) if role in ("change_amount", "change_percent") else None
        if named is not None:
            target = current = named  # the text now speaks of it: the percent after is its too
        if role == "previous":
            target.previous = figure
        elif role == "current":
            target.restated.append(figure)
        elif role == "change_amount" and target.change is None:
            target.change = figure
        elif role == "change_percent" and target.percent is None:
            target.percent = figure
    return statements


def _statement_named(before: str, statements: list[Statement], registry: Registry) -> Statement | None:
    """The statement, latest first, whose subject a change's clause names (昆明: …其中：一般公共预算…，
    其他收入33,106,110.26元。…其中：一般公共预算较上年增加6,399,184.61元…；其他收入较上年减少…): the
    clause without its comparison words and its verb is the subject, or the end of one
    (与上年对比单位财务总收入增加… names 2026年单位财务总收入). None when it names none."""
    clause = CLAUSE.split(before)[-1]
    name = COMPARISON_PHRASE.sub("", clause)
    for verb in (*registry.increase_words, *registry.decrease_words):
        if name.endswith(verb):
            name = name[: -len(verb)]
            break
    name = normalize_label(name)
    if len(name) < 2:
        return None
    for statement in reversed(statements):
        if statement.head is not None and normalize_label(statement.head["subject"]).endswith(name):
            return statement
    return None


class _AsideDepth:
    """How deep in brackets a figure is printed, counting the brackets left open by the
    sentences before it in its section (an aside may hold several sentences)."""

    def __init__(self) -> None:
        self._sentence: str | None = None
        self._carried = 0  # the brackets left open by the sentences before this one

    def at(self, figure: Row, before: str) -> int:
        sentence = figure["sentence"]
        if sentence != self._sentence:
            if self._sentence is not None:
                self._carried = max(0, self._carried + _bracket_balance(_normalized(self._sentence)))
            self._sentence = sentence
        return max(0, self._carried + _bracket_balance(before))


def _bracket_balance(text: str) -> int:
    """Opening brackets minus closing brackets (NFKC text: half-width brackets)."""
    return text.count("(") - text.count(")")


def _opens_with_comparison(before: str) -> bool:
    """The figure's sentence starts with the comparison (比上年减少…): it names no subject."""
    return bool(COMPARATIVE.match(before.lstrip(")】」,，;；:： ")))


# -- against the tables --------------------------------------------------------------------
def figure_measure(figure: Row, registry: Registry, targets: dict[str, Any]) -> str:
    """The topic or measure a head figure is about ('' when none has a table target). The
    funds of the projects a sentence counts (绩效目标管理涉及项目3个，预算资金235万元，其中财政拨款
    235万元) are those projects', not the department's: no table target."""
    if PROJECT_COUNT.search(text_before(figure)):
        return ""
    subject = normalize_label(figure["subject"])
    topic = figure.get("topic") or ""
    if ASIDE.search(subject):  # an instruction in brackets must not decide the topic
        topic = _topic({**figure, "subject": ASIDE.sub("", subject)}, registry)
    if topic == "procurement_total":  # 货物类政府采购支出预算 is a part, not the total
        part = PROCUREMENT_PART.search(subject)
        if part:
            topic = PROCUREMENT_PARTS[next(g for g in part.groups() if g)]
    if topic in targets:
        return topic
    text = STATED_SUFFIX.sub("", clean_subject(subject))
    measure = registry.measure(text) if text else None
    return measure.id if measure is not None and measure.id in targets else ""


def named_items(figure: Row) -> list[tuple[str, str]]:
    """The (name, 类/款/项) pairs printed before the figure in its sentence."""
    before = text_before(figure)
    return [(ENUMERATOR.sub("", normalize_label(m.group("name"))).strip("“”\"'"), m.group("level")) for m in NAMED.finditer(before)]


def printed_code(figure: Row) -> str:
    match = CODE_IN_TEXT.search(_normalized(figure["subject"]))
    return (match.group("code") or match.group("code7")) if match else ""


NAMEABLE_TABLES = (*FUNCTION_TABLES, *ECONOMIC_TABLES, *SUMMARY_TABLES)


def nameable_rows(tables: Tables) -> dict[str, list[Row]]:
    """The rows a figure may name, by table id: printed totals (and 公用经费) of the function,
    economic and summary tables that are not 其中 rows, the expenditure side of a summary
    table. Found once per document, not again for every figure (issue 14)."""
    return {
        table_id: [
            r for r in tables.first(table_id)
            if r["measure"] in ("total", "operating_expenses") and r["amount"] is not None and not r["is_of_which"]
            and (table_id not in SUMMARY_TABLES or row_side(r) == "expenditure")
        ]
        for table_id in NAMEABLE_TABLES
    }


def item_rows(figure: Row, nameable: dict[str, list[Row]]) -> list[Row] | None:
    """The table rows a figure names by code or by 类/款/项 names (in every table that
    prints them: the text may speak of any fund); None if it names none. ``nameable``:
    ``nameable_rows`` of the document's tables."""
    code = printed_code(figure)
    names = named_items(figure)
    if not code and not names:
        return None
    found: list[Row] = []
    for table_id in NAMEABLE_TABLES:
        rows = nameable[table_id]
        if code:
            found += [r for r in rows if r["subject_code"] == code]
            continue
        name, level = names[-1]
        bare = _without_expenditure_suffix(name)  # _same_name's text side, once per figure
        long_enough = len(bare) >= 4
        by_code: dict[str, str] | None = None  # found when a row first needs its parent's name
        for row in rows:
            table_name = _bare_item_name(row["item_name"])
            if not (table_name == bare or (long_enough and table_name.endswith(bare))):
                continue  # not _same_name(normalize_label(row["item_name"]), name)
            if row["subject_level"] and row["subject_level"] != LEVEL_OF[level]:
                continue
            if not row["subject_code"] and LEVEL_OF.get(level) != "class":
                continue  # summary tables name only the 类
            if len(names) > 1 and row["subject_code"]:
                parent_name, _ = names[-2]
                if by_code is None:
                    by_code = _names_by_code(rows)
                parent = by_code.get(row["subject_code"][: len(row["subject_code"]) - 2])
                if parent is not None and not _same_name(parent, parent_name):
                    continue
            found.append(row)
    return found


def own_code_rows(figure: Row, nameable: dict[str, list[Row]]) -> list[Found]:
    """The rows of the code a figure prints in brackets after its name, as candidates beside
    the measure its words name. 西安 writes ①人员经费：机关工资福利支出（501）2079.07万元: the figure is
    501's (its summary table prints 501), not the whole of 人员经费 (301 + 303); and ②公用经费：商品和
    服务支出（302）126万元, where the figure is 公用经费's, a part of 302. The nearest candidate is
    compared, as for every figure with several readings."""
    match = OWN_CODE.search(_normalized(figure["subject"]))
    if match is None:
        return []
    code = match.group("code")
    return [Found([r], t) for table_id in NAMEABLE_TABLES for r in nameable[table_id] if r["subject_code"] == code and (t := Term.of(r)) is not None]


def _names_by_code(rows: list[Row]) -> dict[str, str]:
    """The normalised item name of each subject code printed in these rows (the last row
    of a code wins)."""
    return {r["subject_code"]: normalize_label(r["item_name"]) for r in rows if r["subject_code"]}


def _same_name(table_name: str, text_name: str) -> bool:
    text_name = _without_expenditure_suffix(text_name)
    table_name = _without_expenditure_suffix(table_name)
    return table_name == text_name or (len(text_name) >= 4 and table_name.endswith(text_name))


@lru_cache(maxsize=CELL_MEMO)
def _bare_item_name(item_name: str | None) -> str:
    """A table row's name as ``_same_name`` compares it (normalised, without its 支出 word),
    remembered: every figure that names an item by name reads every nameable row's name
    (issue 14)."""
    return _without_expenditure_suffix(normalize_label(item_name))


@lru_cache(maxsize=CELL_MEMO)
def _without_expenditure_suffix(name: str) -> str:
    """A name without its 支出 word, remembered: every figure that names an item is compared
    with every nameable row's name (issue 14)."""
    return pattern("expenditure_suffix").sub("", name)


def check_against_tables(
    run: CheckRun, figure: Row, tables: Tables, registry: Registry, targets: dict[str, Any], values: PrintedValues, nameable: dict[str, list[Row]],
    in_breakdown: bool = False,
) -> None:
    text = Term.text(figure)
    if text is None:
        return
    rows = item_rows(figure, nameable)
    if rows is not None:
        candidates = [Found([r], t) for r in rows if (t := Term.of(r)) is not None]
        rule, what = "narrative_amount_vs_table", "the row it names"
    else:
        measure = figure_measure(figure, registry, targets)
        if not measure:
            return
        candidates = [c for c in (tables.select(spec) for spec in targets[measure]) if c is not None]
        candidates += own_code_rows(figure, nameable)
        rule, what = "narrative_amount_vs_table", f"the table figure for {measure}"
    if not candidates:
        run.not_run(rule, f"{describe(figure)}: no table prints {what}", cluster="no_table")
        return
    best = min(candidates, key=lambda c: abs(text.value - c.term.value))
    message = f"text '{figure['value_printed']}' ({describe(figure)}) = {best.table_id} {describe(best.rows[0])} [{best.rows[0]['measure']}]"
    entry = run.compare_terms(rule, text, [best.term], message, cluster="narrative", field=figure["figure_kind"])
    if outcome(entry) == "failed" and text.value in values:
        entry["severity"] = "info"
        entry["message"] += " (the text's figure is printed elsewhere in the tables: the words may be about another figure)"
    elif outcome(entry) == "failed" and in_breakdown:
        entry["severity"] = "info"
        entry["message"] += " (the text breaks down the figure above it: the words may be about a part of that figure, not the table's total)"


def breakdown_figures(figures: list[Row]) -> set[int]:
    """The numbers of the figures of a breakdown: the figures after 具体为 / 分别为 in their
    sentence and in the sentences after it that the text goes on with a semicolon (具体为：人员经费…；公用经费
    …；专项业务经费…。). 西安 breaks down each 款's figure so: the parts are that 款's, not the
    department's totals the same words name elsewhere."""
    found: set[int] = set()
    sentence: str | None = None
    carried = False  # the sentence before broke down a figure and went on with a semicolon
    for figure in sorted(figures, key=lambda f: f["figure_number"]):
        if figure["sentence"] != sentence:
            if sentence is not None:
                text = _normalized(sentence)
                carried = (carried or bool(BREAKDOWN.search(text))) and text.rstrip().endswith(";")
            sentence = figure["sentence"]
        if carried or BREAKDOWN.search(text_before(figure)):
            found.add(figure["figure_number"])
    return found


# -- the text against itself ---------------------------------------------------------------
def _unit(figure: Row) -> Decimal:
    """One unit of the last printed place of a figure, in its own scale (yuan for money)."""
    places = printed_places(figure["value_printed"])
    step = Decimal(1).scaleb(-places)
    if figure.get("amount_yuan") is not None and figure["value"]:
        return step * abs(figure["amount_yuan"] / figure["value"])
    if figure.get("unit_printed"):
        return step * multiplier(figure["unit_printed"])
    return step


def _percent_term(figure: Row, value: Decimal) -> Term:
    return Term(value, "", printed_places(figure["value_printed"]), "text", figure)


def _signed_percent(percent: Row, change: Row | None) -> Decimal:
    value = percent["value"]
    if percent["figure_kind"] == "percent":  # 降幅 9.1%: the sign is in the words
        subject = normalize_label(percent["subject"])
        negative = any(w in subject for w in words("decrease_words"))
        value = -abs(value) if negative or (change is not None and change["value"] < 0) else abs(value)
    return value


def check_statement(run: CheckRun, statement: Statement) -> None:
    head = statement.head
    if head is None:
        _check_previous_only(run, statement)
        return
    head_term = Term.text(head)
    if head_term is None:
        return
    for restated in statement.restated:
        other = Term.text(restated)
        if other is not None:
            run.compare_terms(
                "narrative_change_consistent", other, [head_term],
                f"the year's figure restated ('{restated['value_printed']}') = the figure stated first ('{head['value_printed']}', {describe(head)})",
                cluster="narrative", tolerance=allowance([other, head_term], HALF), agreement=allowance([other, head_term], HALF), field="amount",
            )
    change = Term.text(statement.change) if statement.change else None
    previous = Term.text(statement.previous) if statement.previous else None
    if change is not None and previous is not None:
        run.compare_terms(
            "narrative_change_consistent", change, [head_term.scaled(head_term.value - previous.value)],
            f"change '{statement.change['value_printed']}' = '{head['value_printed']}' − previous '{statement.previous['value_printed']}' ({describe(head)})",
            cluster="narrative", tolerance=allowance([change, head_term, previous]), agreement=allowance([change, head_term, previous], HALF), field="change_amount",
        )
    if statement.percent is None:
        return
    percent = statement.percent
    p_value = _signed_percent(percent, statement.change)
    a, ua = head_term.value, _unit(head)
    if previous is not None:
        base, ub = previous.value, _unit(statement.previous)
        delta, ud = a - base, ua + ub
        how = f"('{head['value_printed']}' − '{statement.previous['value_printed']}') / '{statement.previous['value_printed']}'"
    elif change is not None:
        delta, ud = change.value, _unit(statement.change)
        base, ub = a - delta, ua + ud
        how = f"'{statement.change['value_printed']}' / ('{head['value_printed']}' − '{statement.change['value_printed']}')"
    else:
        return
    if base <= 0:
        return  # no previous year's figure to relate to
    expected = delta / base * HUNDRED
    spread = HUNDRED * (abs(delta) * ub + abs(base) * ud) / (base * base)
    unit = Decimal(1).scaleb(-printed_places(percent["value_printed"]))
    run.compare_terms(
        "narrative_change_consistent", _percent_term(percent, p_value), [_percent_term(percent, expected.quantize(Decimal("0.0001")))],
        f"change '{percent['value_printed']}' = {how} ({describe(head)})",
        cluster="narrative", tolerance=unit + spread, agreement=unit * HALF + spread, field="change_percent",
    )


def _check_previous_only(run: CheckRun, statement: Statement) -> None:
    """"（2016年度…为8,648.07万元），增加498.72万元，增长5.77%": percent = change / previous."""
    previous, change, percent = statement.previous, statement.change, statement.percent
    if previous is None or change is None or percent is None or not previous.get("amount_yuan") or previous["amount_yuan"] <= 0:
        return
    base, delta = previous["amount_yuan"], change["amount_yuan"]
    ub, ud = _unit(previous), _unit(change)
    spread = HUNDRED * (abs(delta) * ub + abs(base) * ud) / (base * base)
    unit = Decimal(1).scaleb(-printed_places(percent["value_printed"]))
    run.compare_terms(
        "narrative_change_consistent", _percent_term(percent, _signed_percent(percent, change)),
        [_percent_term(percent, (delta / base * HUNDRED).quantize(Decimal("0.0001")))],
        f"change '{percent['value_printed']}' = '{change['value_printed']}' / previous '{previous['value_printed']}' ({describe(previous)})",
        cluster="narrative", tolerance=unit + spread, agreement=unit * HALF + spread, field="change_percent",
    )


def check_same_amount_same_change(run: CheckRun, statements: list[Statement], tables: Tables) -> None:
    """One fund total stated twice with two different changes from the previous year."""
    totals = {
        r["amount_yuan"] for t in FUND_TOTAL_TABLES for r in tables.first(t)
        if r["row_role"] in ("total", "subtotal") and r.get("amount_yuan")
    }
    by_amount: dict[tuple, list[Statement]] = defaultdict(list)
    for statement in statements:
        amount = statement.head.get("amount_yuan") if statement.head else None
        if statement.change is not None and amount and amount in totals:
            by_amount[(amount, fund_scope(statement.head))].append(statement)
    for group in by_amount.values():
        pair = _differing_changes(group)
        if pair is None:
            run.count_checked("narrative_same_amount_same_change")
            continue
        first, second = pair
        run.add(
            "narrative_same_amount_same_change", "failed", first.change,
            f"{first.head['value_printed']} is stated with a change of '{first.change['value_printed']}' ({describe(first.head)}, page {first.change['page']}) "
            f"and of '{second.change['value_printed']}' ({describe(second.head)}, page {second.change['page']})",
            expected=second.change["value_printed"], actual=first.change["value_printed"],
            difference=_safe_difference(first.change["value"], second.change["value"]), field="change_amount",
        )


def _differing_changes(group: list[Statement]) -> tuple[Statement, Statement] | None:
    """The first two statements of one amount with different changes, unless one speaks of
    revenue and the other of expenditure, both against last year's outturn: a balanced
    budget's revenue and expenditure are one figure, but last year's revenue and expenditure
    as executed were not (湖州: 收入预算6256.31万元，比上年执行数减少336.67万元 … 支出预算6256.31万元，
    比上年执行数增加268.28万元). Against last year's budget, also balanced, they must agree."""
    changes = list({s.change["amount_yuan"]: s for s in group}.values())
    for i, first in enumerate(changes):
        for second in changes[i + 1:]:
            if not _opposite_sides_against_outturn(first, second):
                return first, second
    return None


def _opposite_sides_against_outturn(first: Statement, second: Statement) -> bool:
    sides = {statement_side(first.head), statement_side(second.head)}
    return sides == set(mapping("statement_sides").values()) and all(
        any(w in text_before(s.change) for w in OUTTURN_WORDS) for s in (first, second) if s.change is not None
    )


def statement_side(figure: Row) -> str:
    """The side a statement's subject names: revenue (收入) or expenditure (支出); "" for both
    (收支预算总计) or neither."""
    before = normalize_label(text_before(figure))
    found = {side for side_word, side in mapping("statement_sides").items() if side_word in before}
    return found.pop() if len(found) == 1 else ""


def fund_scope(figure: Row) -> str:
    """Which money a statement speaks of, from the words before its figure: the same total
    of different funds may have changed differently."""
    before = normalize_label(text_before(figure))
    for fund_words, scope in mapping("statement_fund_scopes").items():
        if fund_words in before:
            return scope
    return "all_funds"


def _safe_difference(a: Any, b: Any) -> str:
    try:
        return format(Decimal(a) - Decimal(b), "f")
    except (InvalidOperation, TypeError):
        return ""


def check_shares(run: CheckRun, figures: list[Row], tables: Tables, targets: dict[str, Any]) -> None:
    """"占 X%" after an amount: the amount over the total it is a part of; "完成年初预算的 X%":
    the actual over the budget stated in the same sentence."""
    lead: Row | None = None
    last_amount: Row | None = None
    section: tuple | None = None
    sentence_amounts: dict[tuple, list[Row]] = defaultdict(list)
    for figure in sorted(figures, key=lambda f: f["figure_number"]):
        if (figure["part"], figure["heading"]) != section:
            section, lead, last_amount = (figure["part"], figure["heading"]), None, None
        if figure["figure_kind"] == "amount" and figure.get("amount_yuan") is not None:
            sentence_amounts[(figure["page"], figure["line"], figure["sentence"])].append(figure)
            if _opens_enumeration(figure):
                lead = figure
            last_amount = figure
            continue
        if figure["figure_kind"] != "percent" or last_amount is None:
            continue
        subject = normalize_label(figure["subject"])
        if COMPLETION.search(subject):
            _check_completion(run, figure, sentence_amounts[(figure["page"], figure["line"], figure["sentence"])])
            continue
        if SHARE_OF not in subject:
            continue
        bases = _share_bases(subject.split(SHARE_OF, 1)[1], lead, last_amount, tables, targets)
        if not bases:
            continue
        part = Term.text(last_amount)
        if part is None:
            continue
        best = min(bases, key=lambda b: abs(part.value * HUNDRED / b.value - figure["value"]) if b.value else Decimal("Infinity"))
        _check_ratio(run, figure, part, best, f"'{last_amount['value_printed']}' ({describe(last_amount)}) / {describe(best.row)} '{best.display()}'")


def _opens_enumeration(figure: Row) -> bool:
    sentence = _normalized(figure["sentence"])
    at = figure.get("_at", 0)
    return word("of_which") in sentence[at : at + len(figure["value_printed"]) + 6]


EXCLUDING = pattern("excluding")
NAMED_TOTAL = pattern("named_total")


def _share_bases(base_text: str, lead: Row | None, part: Row, tables: Tables, targets: dict[str, Any]) -> list[Term]:
    """What a share may be of: the total named after 占 ("占“三公”经费的": the “三公” total,
    or the table's 合计 where the table adds 会议费 and 培训费; "占本年支出合计的"), else the
    amount that opened the enumeration ("…合计21,955.35万元，其中：…")."""
    named = None
    base = normalize_label(base_text)
    if EXCLUDING.search(base):
        return []  # 占财政性资金（人员类…除外）总额的: a base the tables do not print
    if word("three_public") in base:
        named = "three_public_total"
    elif NAMED_TOTAL.match(base):
        named = "expenditure_total" if word("expenditure") in base else "revenue_total"
    elif word("expenditure") in base or word("revenue") in base:
        return []  # a base named by other words (财政性资金总额, 项目支出) is not the table's total
    if named:
        found = [f for f in (tables.select(s) for s in targets.get(named, [])) if f is not None]
        return [f.term for f in found if f.term.value > 0]
    if lead is None or lead is part:
        return []  # the part was not read as a figure ("21,940.96 万 元"): nothing to relate
    term = Term.text(lead)
    return [term] if term is not None and term.value > 0 else []


def _check_ratio(run: CheckRun, percent: Row, part: Term | None, base: Term, how: str) -> None:
    if part is None or base.value <= 0:
        return
    expected = part.value / base.value * HUNDRED
    unit_part = allowance([part], HALF) if part.source == "text" else ZERO
    unit_base = allowance([base], HALF)
    spread = HUNDRED * (part.value * unit_base + base.value * unit_part) / (base.value * base.value)
    # shares are often adjusted by a last unit so that they add up to 100%
    unit = Decimal(1).scaleb(-printed_places(percent["value_printed"]))
    run.compare_terms(
        "narrative_percent_consistent", _percent_term(percent, percent["value"]), [_percent_term(percent, expected.quantize(Decimal("0.0001")))],
        f"share '{percent['value_printed']}' = {how}", cluster="narrative", tolerance=2 * unit + spread, agreement=unit * HALF + spread, field="percent",
    )



def _check_completion(run: CheckRun, percent: Row, amounts: list[Row]) -> None:
    subject = normalize_label(percent["subject"])
    which = COMPLETION.search(subject).group("which") or word("whole_year")
    budget = next((a for a in amounts if which in normalize_label(a["subject"]) and word("budget_word") in normalize_label(a["subject"])), None)
    actual = next((a for a in amounts if any(w in normalize_label(a["subject"]) for w in words("outturn_words"))), None)
    if budget is None or actual is None:
        return
    if not budget["amount_yuan"]:
        run.add(
            "narrative_percent_consistent", "failed", percent,
            f"'{percent['value_printed']}' of the {which} budget, but the {which} budget is stated as '{budget['value_printed']}'",
            expected="", actual=percent["value_printed"], field="percent",
        )
        return
    _check_ratio(run, percent, Term.text(actual), Term.text(budget), f"'{actual['value_printed']}' / '{budget['value_printed']}' ({which}预算)")
