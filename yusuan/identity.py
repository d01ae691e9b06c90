"""Who published what, read from the document itself (PDF metadata is often stale: titles
such as "离婚协议书" or a year of 2015 in a 2017 budget). The manifest says what a portal
believes; the document's own words are recorded beside it and differences are reported."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from yusuan.model import RawTable, TextLine
from yusuan.schemas import normalize_label

KIND = r"(?P<kind>(部门|单位)?(预算|决算))(公开)?$"
YEAR = r"(?P<year>20\d{2})年度?(区级|市级|省级|县级|本级)?"
TITLE_PATTERNS = [
    re.compile(rf"^(?P<issuer>.{{2,40}}?){YEAR}{KIND}"),  # 江苏省人大常委会办公厅2018年度部门预算
    re.compile(rf"^{YEAR}(?P<issuer>.{{2,40}}?){KIND}"),  # 2026年度泉州市…中心单位预算
]
ISSUER_LINE = re.compile(r"^(预算主管部门|主管部门|预算单位|部门名称|单位名称|编制部门|编制单位)[:：](?P<issuer>.{2,40})$")
CONTENTS = re.compile(r"目录")
KIND_ANYWHERE = re.compile(r"(部门|单位)(预算|决算)(公开)?$")
YEAR_ANYWHERE = re.compile(r"(20\d{2})年")
YEAR_IN_TITLE = re.compile(r"(20\d{2})年")
SCAN_LINES = 60


@dataclass(frozen=True)
class PrintedIdentity:
    issuer: str = ""
    fiscal_year: int | None = None
    kind: str = ""


def read_identity(lines: list[TextLine], tables: list[RawTable]) -> PrintedIdentity:
    """Issuer, fiscal year and kind as printed on the cover, in titles and on the tables."""
    issuers: Counter[str] = Counter()
    years: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    texts = [normalize_label(line.text) for line in lines[:SCAN_LINES] if "..." not in line.text and "…" not in line.text]
    cover = texts[: next((i for i, t in enumerate(texts) if CONTENTS.search(t)), 6)][:6]
    # a cover title is often broken over lines: try each line, each pair, and the whole cover
    candidates = texts + [a + b for a, b in zip(texts, texts[1:], strict=False)] + ["".join(cover)]
    for number, text in enumerate(candidates):
        # a title joined from broken lines is fuller: single line 2, two lines 3, the cover 4
        weight = 2 if number < len(texts) else 4 if number == len(candidates) - 1 else 3
        for pattern in TITLE_PATTERNS:
            match = pattern.search(text)
            if match:
                issuers[_clean_issuer(match.group("issuer"))] += weight
                years[int(match.group("year"))] += weight
                if match.group("kind") and match.group("kind")[0] in "部单":
                    kinds[match.group("kind")] += weight
    for text in texts:  # weaker evidence: a year or a kind anywhere near the start
        kind = KIND_ANYWHERE.search(text)
        if kind:
            kinds[kind.group(1) + kind.group(2)] += 1
        for year in YEAR_ANYWHERE.findall(text):
            years[int(year)] += 1
        match = ISSUER_LINE.match(text)
        if match:
            issuers[_clean_issuer(match.group("issuer"))] += 3
    for table in tables:
        if table.compiled_by:
            issuers[_clean_issuer(table.compiled_by)] += 1
        year = YEAR_IN_TITLE.search(normalize_label(table.title))
        if year:
            years[int(year.group(1))] += 1
    return PrintedIdentity(
        issuer=_most_common(issuers),
        fiscal_year=years.most_common(1)[0][0] if years else None,
        kind=_most_common(kinds),
    )


def _clean_issuer(text: str) -> str:
    text = re.sub(r"^(第[一二三四五六七八九十]+部分)", "", text)
    return re.sub(r"(单位[:：].*|\d{4}年.*)$", "", text).strip("：:，, ")


def _most_common(counter: Counter[str]) -> str:
    return next((value for value, _ in counter.most_common() if value), "")
