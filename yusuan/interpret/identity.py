"""Who published what, read from the document itself (PDF metadata is often stale: titles
such as "离婚协议书" or a year of 2015 in a 2017 budget). The manifest says what a portal
believes; the document's own words are recorded beside it and differences are reported.

Each value is a vote count over the evidence (cover, titles, 编制单位 lines, table headers);
the winner also keeps where its strongest vote came from, so a run without a manifest can
say "year from the cover" instead of asking to be trusted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from yusuan.core.model import RawTable, TextLine
from yusuan.core.schemas import normalize_label
from yusuan.core.vocabulary import pattern, word

# titles: 江苏省人大常委会办公厅2018年度部门预算, 2026年度泉州市…中心单位预算 (the kind may be
# 部门预算, 单位预算公开, 部门综合预算说明, 预算公开 … ; schemas/vocabulary.yaml)
TITLE_PATTERNS = [pattern("issuer_then_year_title"), pattern("year_then_issuer_title")]
ISSUER_LINE = pattern("issuer_line")
CONTENTS = pattern("contents")
NOT_AN_ISSUER = pattern("not_an_issuer")
# headings that say whose publication it is when the title does not (第一部分 部门概况)
ORG_HEADING = pattern("org_heading")
KIND_ANYWHERE = pattern("kind_anywhere")
YEAR_ANYWHERE = pattern("year_anywhere")
YEAR_IN_TITLE = pattern("year_anywhere")
SCAN_LINES = 60

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class PrintedIdentity:
    issuer: str = ""
    fiscal_year: int | None = None
    kind: str = ""
    # where the strongest evidence for each value was printed ("" when there is no value)
    issuer_from: str = ""
    fiscal_year_from: str = ""
    kind_from: str = ""


@dataclass
class _Votes(Generic[T]):
    """Weighted votes for a value, remembering the strongest piece of evidence of each."""

    counts: Counter[T] = field(default_factory=Counter)
    best: dict[T, tuple[int, str]] = field(default_factory=dict)

    def add(self, value: T, weight: int, where: str) -> None:
        if value in ("", None):
            return
        self.counts[value] += weight
        if weight > self.best.get(value, (0, ""))[0]:
            self.best[value] = (weight, where)

    def winner(self) -> tuple[T | None, str]:
        if not self.counts:
            return None, ""
        value = self.counts.most_common(1)[0][0]
        return value, self.best[value][1]


def read_identity(lines: list[TextLine], tables: list[RawTable]) -> PrintedIdentity:
    """Issuer, fiscal year and kind as printed on the cover, in titles and on the tables."""
    return identity_from_text([line.text for line in lines[:SCAN_LINES]], [(t.title, t.compiled_by) for t in tables])


def identity_from_text(line_texts: Sequence[str], tables: Sequence[tuple[str, str]]) -> PrintedIdentity:
    """The same reading from plain strings: the first lines of the document, and each table's
    (title, compiled_by). Kept apart so the evidence can be stored as a test fixture."""
    issuers: _Votes[str] = _Votes()
    years: _Votes[int] = _Votes()
    kinds: _Votes[str] = _Votes()
    texts = [normalize_label(text) for text in line_texts[:SCAN_LINES] if "..." not in text and "…" not in text]
    cover = texts[: next((i for i, t in enumerate(texts) if CONTENTS.search(t)), 6)][:6]
    # a cover title is often broken over lines: try each line, each pair, and the whole cover
    candidates = texts + [a + b for a, b in zip(texts, texts[1:], strict=False)] + ["".join(cover)]
    phases: _Votes[str] = _Votes()
    whole = [_title(text) for text in texts]
    for number, text in enumerate(candidates):
        # a title joined from broken lines is fuller: single line 2, two lines 3, the cover 4;
        # a joined title counts only when none of its lines is a title on its own (a
        # breadcrumb above a web page's title is not part of the title)
        weight = 2 if number < len(texts) else 4 if number == len(candidates) - 1 else 3
        if weight == 3 and (whole[number - len(texts)] or whole[number - len(texts) + 1]):
            continue
        if weight == 4 and any(whole[: len(cover)]):
            continue
        match = whole[number] if number < len(texts) else _title(text)
        if match:
            first_line = number if number < len(texts) else number - len(texts)
            where = "the cover" if weight == 4 or first_line + (weight == 3) < len(cover) else "a title"
            issuers.add(_clean_issuer(match.group("issuer")), weight, where)
            years.add(int(match.group("year")), weight, where)
            if match.group("org"):
                kinds.add(match.group("org") + match.group("phase"), weight, where)
            phases.add(match.group("phase"), weight, where)
    for text in texts:  # weaker evidence: a year or a kind anywhere near the start
        kind = KIND_ANYWHERE.search(text)
        if kind:
            kinds.add(kind.group(1) + kind.group(2), 1, "a line near the start")
        for year in YEAR_ANYWHERE.findall(text):
            years.add(int(year), 1, "a line near the start")
        match = ISSUER_LINE.match(text)
        if match:
            issuers.add(_clean_issuer(match.group("issuer")), 3, f"the {match.group('label')} line")
    if not kinds.counts:  # 2018年度江苏省高级人民法院预算公开, then 第一部分 部门概况
        orgs = Counter(m.group("org") for m in map(ORG_HEADING.match, texts) if m)
        phase, phase_from = phases.winner()
        if orgs and phase:
            org = orgs.most_common(1)[0][0]
            kinds.add(org + phase, 1, f"{phase_from} ({phase}) and the headings ({org}概况…)")
    for title, compiled_by in tables:
        if compiled_by:
            issuers.add(_clean_issuer(compiled_by), 1, "the tables' 编制单位")
        year = YEAR_IN_TITLE.search(normalize_label(title))
        if year:
            years.add(int(year.group(1)), 1, "the table titles")
            named = _clean_issuer(normalize_label(title)[: year.start()])  # 广州市生态环境局2026年…表
            if len(named) >= 3 and word("title_ending") not in named and not NOT_AN_ISSUER.search(named):
                issuers.add(named, 1, "the table titles")
    issuer, issuer_from = issuers.winner()
    fiscal_year, year_from = years.winner()
    kind, kind_from = kinds.winner()
    return PrintedIdentity(issuer or "", fiscal_year, kind or "", issuer_from, year_from, kind_from)


def _title(text: str) -> re.Match[str] | None:
    """The first title pattern that matches with a plausible issuer (not 部门, 第一部分…)."""
    for title_pattern in TITLE_PATTERNS:
        match = title_pattern.search(text)
        if match and len(_clean_issuer(match.group("issuer"))) >= 3 and not NOT_AN_ISSUER.search(_clean_issuer(match.group("issuer"))):
            return match
    return None


def _clean_issuer(text: str) -> str:
    text = pattern("part_prefix").sub("", text)
    text = pattern("issuer_tail").sub("", text).strip("：:，, ")
    return pattern("issuer_department_suffix").sub("", text)  # 北京市信访办公室部门 2026 年度部门预算
