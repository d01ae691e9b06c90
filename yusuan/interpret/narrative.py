"""The narrative: sections (duties, composition, tasks, explanations), the glossary
(名词解释) and every figure stated in the text, with the words it is about."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yusuan.core.model import Origin, TextLine
from yusuan.core.numbers import UNIT_MULTIPLIERS, nfkc, to_yuan
from yusuan.core.schemas import Registry, normalize_label
from yusuan.core.vocabulary import pattern, word

PART = pattern("part_heading_start")
HEADING = pattern("section_heading")
# a contents entry ends in its page number, after a leader or a space; a line of prose wrapped
# before a number (…其他用车 0 辆。单价 100 | 万元（含）以上设备…) has ended a sentence or clause
# on the line, which an entry does not
CONTENTS_ENTRY = re.compile(r"(\.{3,}|…{2,}|·{3,})\s*\d*$|^[^。，；]*\s\d{1,3}$")
PAGE_NUMBER = pattern("page_number")  # the page furniture's (schemas/vocabulary.yaml)
GLOSSARY = pattern("glossary")
GLOSSARY_ENTRY = pattern("glossary_entry")
CLAUSE_BREAK = re.compile(r"[，,。；;：:、]")


@dataclass
class Section:
    part: str
    heading: str
    lines: list[TextLine] = field(default_factory=list)
    origin: Origin | None = None

    @property
    def text(self) -> str:
        """Lines joined; a line that does not run to the margin ends its paragraph."""
        out = ""
        for previous, line in zip([None, *self.lines], self.lines, strict=False):
            if previous is not None and not previous.continues:
                out += "\n"
            out += line.text.strip()
        return out


def is_heading(line: TextLine, norm: str, registry: Registry) -> bool:
    """Headings are short lines of their own (not wrapped, no sentence inside) that start with
    一、 / （一）, or end with a section word of schemas/narrative.yaml (XX办公室主要职能)."""
    if line.continues or len(norm) > 40:
        return False
    match = HEADING.match(norm)
    if match:
        return not re.search(r"[。，,；;、]|[:：].", norm[match.end():])
    return len(norm) <= 30 and norm.endswith(tuple(registry.section_endings))


# the last character of a text that CONTENTS_ENTRY can match: a match ends the text with a
# digit, a leader (..., ……, ···) or a space (\d is a decimal digit, which isdigit() holds too)
_ENTRY_ENDS = frozenset(".…·")


def _contents_entry(text: str) -> bool:
    """``CONTENTS_ENTRY.search(text)``, the pattern not searched through a text whose last
    character cannot end an entry (most lines of prose end in 。 or a word; issue 14)."""
    if not text or not (text[-1] in _ENTRY_ENDS or text[-1].isdigit() or text[-1].isspace()):
        return False
    return CONTENTS_ENTRY.search(text) is not None


def skip_contents(lines: list[TextLine]) -> list[TextLine]:
    """Drop the table of contents: from 目录 to where its first entry is printed again."""
    contents = word("contents_heading")
    start = next((i for i, ln in enumerate(lines) if normalize_label(ln.text) == contents), None)
    if start is None or start + 1 >= len(lines):
        return lines
    first = normalize_label(lines[start + 1].text)
    again = next((i for i in range(start + 2, len(lines)) if normalize_label(lines[i].text) == first), None)
    return lines[:start] + lines[again:] if again is not None else lines


def lines_to_sections(lines: list[TextLine], registry: Registry) -> list[Section]:
    """Split running text at 第N部分 / 一、 / （一） headings; skip the contents pages."""
    sections: list[Section] = []
    part = ""
    current: Section | None = None
    contents = word("contents_heading")
    for line in skip_contents(lines):
        text = line.text.strip()
        norm = normalize_label(text)
        if not norm or PAGE_NUMBER.match(text) or norm == contents or _contents_entry(text):
            continue
        if PART.match(norm):
            part = text
            current = Section(part=part, heading=text, origin=line.origin)
            sections.append(current)
            continue
        if current is not None and current.heading == part and not current.lines and len(norm) <= 20 and not HEADING.match(norm):
            part = f"{part} {text}"  # "第一部分" on one line, its title on the next
            current.heading = current.part = part
            continue
        if is_heading(line, norm, registry):
            current = Section(part=part, heading=text, origin=line.origin)
            sections.append(current)
            continue
        if current is None:
            current = Section(part="", heading="", origin=line.origin)
            sections.append(current)
        current.lines.append(line)
    return sections


def sections_to_rows(sections: list[Section], document_id: str) -> list[dict[str, Any]]:
    rows = []
    for number, section in enumerate(sections, start=1):
        origin = section.origin
        rows.append({
            "document_id": document_id, "section_number": number, "part": section.part,
            "heading": section.heading, "text": section.text,
            "file_name": origin.file if origin else "", "sha256": origin.sha256 if origin else "",
            "page": origin.page if origin else None, "line": origin.line if origin else None,
        })
    return rows


def glossary_rows(sections: list[Section], document_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for section in sections:
        if not (GLOSSARY.search(section.part) or GLOSSARY.search(section.heading)):
            continue
        for line in section.lines:
            match = GLOSSARY_ENTRY.match(line.text.strip())
            if match:
                rows.append({
                    "document_id": document_id, "term_number": len(rows) + 1,
                    "term": match.group("term").strip(), "definition": match.group("definition").strip(),
                    "file_name": line.origin.file, "sha256": line.origin.sha256,
                    "page": line.origin.page, "line": line.origin.line,
                })
            elif rows and not PAGE_NUMBER.match(line.text):
                rows[-1]["definition"] += line.text.strip()
    return rows


SPACES = re.compile(r"[\s\u2063]+")  # compiled once: figure_rows drops spaces (and the mark below) from every sentence and clause
# circled and bracketed numerals (①, ⑴, ⒈, ❶) enumerate: NFKC makes ① a plain 1, which before a
# count unit's word (①人员经费) read as a count (1人) and before a figure would join its digits.
# An invisible separator after each keeps the digit apart; it goes with the spaces.
ENUMERATOR_NUMERAL = re.compile("[\u2460-\u249b\u24ea-\u24ff\u2776-\u2793]")


def _numerals_kept_apart(line: str) -> str:
    return ENUMERATOR_NUMERAL.sub(lambda m: m.group(0) + "\u2063", line) if ENUMERATOR_NUMERAL.search(line) else line


def _figure_pattern(registry: Registry) -> re.Pattern[str]:
    units = sorted(list(UNIT_MULTIPLIERS) + ["%"] + registry.count_units, key=len, reverse=True)
    return re.compile(r"(?P<num>[-+]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>" + "|".join(re.escape(u) for u in units) + ")")


UNIT_PRICE_BEFORE = pattern("unit_price_before")
THRESHOLD_AFTER = pattern("threshold_after")


def _is_price_threshold(text: str, match: re.Match[str], before: str) -> bool:
    """单价 100 万元（含）以上: the bound of the equipment counted after it, not an amount."""
    return match.group("unit") in UNIT_MULTIPLIERS and bool(UNIT_PRICE_BEFORE.search(before)) and THRESHOLD_AFTER.match(text, match.end()) is not None


def figure_rows(sections: list[Section], document_id: str, registry: Registry) -> list[dict[str, Any]]:
    figure_pattern = _figure_pattern(registry)
    rows: list[dict[str, Any]] = []
    for section in sections:
        lead = ""
        for line_text, origin in _sentences(section):
            text = letter_spacing_removed(nfkc(_numerals_kept_apart(line_text)))
            subject = ""
            scoped = False  # 其中一般公共预算拨款政府采购0万元：货物0万元…: the items are of that fund only
            breaks: list[int] | None = None  # where the sentence's clauses break, found at its first figure
            for match in figure_pattern.finditer(text):
                if breaks is None:
                    breaks = [b.start() for b in CLAUSE_BREAK.finditer(text)]
                before = _clause_before(text, match.start(), breaks).strip()
                before = SPACES.sub("", before)
                if _is_price_threshold(text, match, before):
                    continue
                if lead and not subject and GENERIC_SUBJECT.match(before):
                    # （一）因公出国（境）费用。2026 年预算数 14.85 万元: the clause above names it
                    before = lead + before
                unit = match.group("unit")
                value = Decimal(match.group("num").replace(",", ""))
                change = _change_sign(before, registry) if unit in UNIT_MULTIPLIERS or unit == "%" else 0
                if change:
                    kind = "change_percent" if unit == "%" else "change_amount"
                    value = value * change
                else:
                    kind = "percent" if unit == "%" else ("amount" if unit in UNIT_MULTIPLIERS else "count")
                    subject = pattern("stated_verb_suffix").sub("", before) or subject
                    if not rows or rows[-1]["sentence"] != line_text.strip():
                        scoped = bool(OF_WHICH_FUND.match(before))
                rows.append({
                    "document_id": document_id, "figure_number": len(rows) + 1,
                    "part": section.part, "heading": section.heading,
                    "subject": subject if change else (subject or before), "topic": "",
                    "figure_kind": kind, "value_printed": match.group(0), "value": value,
                    "unit_printed": unit if unit in UNIT_MULTIPLIERS else "",
                    "amount_yuan": to_yuan(value, unit) if unit in UNIT_MULTIPLIERS else None,
                    "count_unit": "" if unit in UNIT_MULTIPLIERS else unit,
                    "sentence": line_text.strip(), "file_name": origin.file, "sha256": origin.sha256,
                    "page": origin.page, "line": origin.line,
                })
                rows[-1]["topic"] = "" if scoped else _topic(rows[-1], registry)
            lead = _lead_name(text) if breaks is None else ""  # a sentence with a figure names no next item
    return rows


def _clause_before(text: str, end: int, breaks: list[int]) -> str:
    """``CLAUSE_BREAK.split(text[:end])[-1]``: the text from the last clause break before
    ``end`` (``breaks``: the positions of the sentence's breaks, in order), without splitting
    the sentence again for each figure in it (issue 14)."""
    k = bisect_left(breaks, end)
    return text[breaks[k - 1] + 1 : end] if k else text[:end]


def _lead_name(text: str) -> str:
    """The item a sentence without a figure only names (（一）因公出国（境）费用。), else ""."""
    title = LEAD_CLAUSE.match(SPACES.sub("", text))
    return title.group("name") if title else ""


# a sentence that opens on a fund's share (其中一般公共预算拨款…): its list is of that fund only
OF_WHICH_FUND = pattern("of_which_fund")
LETTER_SPACED = pattern("letter_spaced")


def letter_spacing_removed(text: str) -> str:
    """Digits and units printed letter-spaced (重庆: 9 4 7 万 元) read as one figure; a sentence
    whose digits are not spaced keeps its spaces (3,959.28 万元 stays as printed)."""
    return LETTER_SPACED.sub("", text) if pattern("letter_spaced_digits").search(text) else text


# a sentence that only names the next item: （一）因公出国（境）费用。 / 2.公务接待费。
LEAD_CLAUSE = pattern("lead_clause")
# a subject that says only "this year's budget": 2026年预算数, 本年预算
GENERIC_SUBJECT = pattern("generic_subject")


def _sentences(section: Section) -> list[tuple[str, Origin]]:
    """Sentences of a section with the origin of the line each starts on. A line that runs to
    the right margin (``continues``) wraps into the next; any other line ends its paragraph."""
    out: list[tuple[str, Origin]] = []
    buffer, origin = "", None
    for line in section.lines:
        text, start = line.text.strip(), 0
        for end in re.finditer(r"[。；;！？]", text):
            origin = origin if buffer else line.origin
            buffer += text[start : end.end()]
            out.append((buffer, origin))
            buffer, start = "", end.end()
        if text[start:]:
            origin = origin if buffer else line.origin
            buffer += text[start:]
        if buffer and not line.continues:  # the paragraph ends with the line
            out.append((buffer, origin))  # type: ignore[arg-type]
            buffer = ""
    if buffer and origin is not None:
        out.append((buffer, origin))
    return out


def _change_sign(before: str, registry: Registry) -> int:
    tail = before[-4:]
    if any(w in tail for w in registry.decrease_words):
        return -1
    if any(w in tail for w in registry.increase_words):
        return 1
    return 0


ENUMERATOR_PREFIX = pattern("enumerator_prefix")


def _topic(row: dict[str, Any], registry: Registry) -> str:
    """The topic of a figure: the first rule of narrative.yaml's ``topics`` whose unit,
    sentence and subject (or heading) it fits. The figure's unit, sentence and heading are
    normalised once, not once per rule, and the rules' patterns compiled once (issue 14)."""
    subject = ENUMERATOR_PREFIX.sub("", row["subject"])
    unit = sentence = heading = None
    for rule in _topic_rules(registry):
        if rule.has_unit:
            if unit is None:
                unit = normalize_label(row["count_unit"] or row["unit_printed"])
            if rule.unit != unit:
                continue
        if not rule.has_unit and row["figure_kind"] == "count":
            continue
        if rule.sentence is not None:
            if sentence is None:
                sentence = normalize_label(row.get("sentence") or "")
            if not rule.sentence.search(sentence):
                continue
        if rule.subject is not None and rule.subject.search(subject):
            return rule.topic
        if rule.heading is not None:
            if heading is None:
                heading = normalize_label(row["heading"])
            if rule.heading.search(heading):
                return rule.topic
    return ""


@dataclass(frozen=True)
class _TopicRule:
    """A rule of narrative.yaml's ``topics``, its unit normalised and its patterns compiled."""

    topic: str
    has_unit: bool
    unit: str
    sentence: re.Pattern[str] | None
    subject: re.Pattern[str] | None
    heading: re.Pattern[str] | None


_TOPIC_RULES: dict[int, tuple[list[dict[str, Any]], list[_TopicRule]]] = {}


def _topic_rules(registry: Registry) -> list[_TopicRule]:
    """The registry's topic rules, compiled once per list of rules (kept beside it, so an id
    is never taken for another list's)."""
    known = _TOPIC_RULES.get(id(registry.topics))
    if known is None or known[0] is not registry.topics:
        compiled = [
            _TopicRule(
                rule["topic"], "unit" in rule, normalize_label(rule["unit"]) if "unit" in rule else "",
                *(re.compile(rule[key]) if key in rule else None for key in ("sentence", "subject", "heading")),
            )
            for rule in registry.topics
        ]
        known = _TOPIC_RULES[id(registry.topics)] = registry.topics, compiled
    return known[1]
