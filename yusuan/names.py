"""English names of publishing bodies and regions, composed from word lists in ``schemas/``.

Why a word list and not pinyin: a romanised name ("Shanghai Shi Putuo Qu Caizheng Ju") tells an
English reader nothing, while department names are built from a small vocabulary of parts
(财政局 Finance Bureau, 街道办事处 Sub-district Office) after a place name. The parts are in
``schemas/name_parts.yaml`` and the places in ``schemas/regions.yaml`` (``divisions``), so a
new name is supported by adding data, not code. A name with a piece no list covers keeps that
piece in Chinese and is reported as ``partial`` (``none`` when nothing was known), so pages
can say that the English is incomplete instead of inventing it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from yusuan.schemas import _load

FULL = "full"
PARTIAL = "partial"
NONE = "none"
_LATIN = re.compile(r"[0-9A-Za-z][0-9A-Za-z .&-]*")


@dataclass(frozen=True)
class Division:
    name: str
    code: str
    en: str
    adj: str
    short: str


@dataclass(frozen=True)
class EnglishName:
    """An English name and how complete it is: ``unknown`` lists the Chinese pieces kept."""

    zh: str
    en: str
    status: str  # full | partial | none
    unknown: tuple[str, ...] = ()
    code: str = ""  # division code of the (last) place, for regions


@cache
def _divisions() -> dict[str, Division]:
    """Every spelling of a place -> its division: the name, the name without 省/市/区, the
    province's short name from ``provinces``."""
    data = _load("regions.yaml")
    suffixes = tuple(data.get("division_suffixes") or ())
    out: dict[str, Division] = {}
    for name, spec in (data.get("divisions") or {}).items():
        d = Division(name, str(spec.get("code", "")), spec["en"], spec.get("adj", spec["en"]), spec.get("short", spec["en"]))
        out[name] = d
        for suffix in suffixes:
            stem = name.removesuffix(suffix)
            if stem != name and len(stem) >= 2:
                out.setdefault(stem, d)
                break
    for province, spec in (data.get("provinces") or {}).items():
        if province in out and spec.get("short"):
            out.setdefault(spec["short"], out[province])
    return out


@cache
def _parts() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    data = _load("name_parts.yaml")
    return data.get("prefixes") or {}, data.get("parts") or {}, data.get("qualifiers") or {}


def _norm(text: str) -> str:
    """NFKC, whitespace dropped except between Latin letters or digits ("blank template")."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    return re.sub(r"(?<![0-9A-Za-z])\s+|\s+(?![0-9A-Za-z])", "", text)


def _longest(text: str, i: int, vocabulary: dict[str, str]) -> str | None:
    for size in range(min(len(text) - i, 40), 0, -1):
        if text[i : i + size] in vocabulary:
            return text[i : i + size]
    return None


def _places(text: str) -> tuple[list[Division], int]:
    """The places ``text`` starts with (上海市普陀区 -> [上海市, 普陀区]) and where they end."""
    found: list[Division] = []
    i = 0
    while True:
        hit = _longest(text, i, _divisions())
        if hit is None:
            return found, i
        found.append(_divisions()[hit])
        i += len(hit)


def _words(text: str, vocabulary: dict[str, str], unknown: list[str]) -> list[str]:
    """Longest-match reading of ``text``; unmatched runs are kept in Chinese and collected."""
    words: list[str] = []
    pending = ""
    i = 0
    while i < len(text):
        latin = _LATIN.match(text, i)
        hit = None if latin else _longest(text, i, vocabulary)
        if latin or hit:
            if pending:
                words.append(pending)
                unknown.append(pending)
                pending = ""
            if latin:
                words.append(latin.group(0).strip())
                i = latin.end()
            else:
                assert hit is not None
                words.append(vocabulary[hit])
                i += len(hit)
            continue
        pending += text[i]
        i += 1
    if pending:
        words.append(pending)
        unknown.append(pending)
    return words


def _split_qualifiers(text: str) -> tuple[str, list[str]]:
    """``泉州市公安局（本级）`` -> (泉州市公安局, [本级]); NFKC turns （） into ()."""
    qualifiers: list[str] = []
    while text.endswith(")") and "(" in text:
        start = text.rfind("(")
        qualifiers.insert(0, text[start + 1 : -1])
        text = text[:start]
    return text, qualifiers


def issuer_english(issuer: str) -> EnglishName:
    """The English name of a publishing body, e.g. 上海市普陀区财政局 -> "Shanghai Putuo District
    Finance Bureau", 中共江苏省委办公厅 -> "CPC Jiangsu Provincial Committee General Office"."""
    prefixes, parts, qualifiers = _parts()
    text, quals = _split_qualifiers(_norm(issuer))
    words: list[str] = []
    unknown: list[str] = []
    prefix = _longest(text, 0, prefixes)
    if prefix:
        words.append(prefixes[prefix])
        text = text[len(prefix) :]
    places, end = _places(text)
    words += [p.short for p in places[:-1]] + [p.adj for p in places[-1:]]
    words += _words(text[end:], parts, unknown)
    for q in quals:
        words.append("(" + " ".join(_words(q, {**parts, **qualifiers}, unknown)) + ")")
    return _named(issuer, words, unknown, known=bool(prefix or places) or len(unknown) < len(words))


def region_english(region: str) -> EnglishName:
    """上海市普陀区 -> "Putuo District, Shanghai"; 江苏省 -> "Jiangsu Province" (places from
    the most local, as English addresses are written); the code is the most local place's."""
    text = _norm(region)
    places, end = _places(text)
    unknown = [text[end:]] if text[end:] else []
    if not places:
        return EnglishName(region, region, NONE, tuple(unknown))
    words = [places[-1].en] + [p.short for p in reversed(places[:-1])]
    if len(places) == 1:
        words = [places[0].en]
    english = ", ".join(words) + (" " + unknown[0] if unknown else "")
    return EnglishName(region, english, PARTIAL if unknown else FULL, tuple(unknown), places[-1].code)


def _named(zh: str, words: list[str], unknown: list[str], known: bool) -> EnglishName:
    if not known or not words:
        return EnglishName(zh, zh, NONE, tuple(unknown) or (zh,))
    english = re.sub(r"\s+", " ", " ".join(words)).replace("( ", "(").strip()
    return EnglishName(zh, english, PARTIAL if unknown else FULL, tuple(unknown))


def region_lead(region: str, issuer: str) -> str:
    """The part of ``region`` worth printing before ``issuer`` in a sentence: the region minus
    the places the issuer's name already starts with, so that 江苏省 + 江苏省人大常委会办公厅
    is not written 江苏省江苏省…, and 福建省泉州市 + 泉州市公安局 gives 福建省."""
    name = _norm(issuer)
    prefix = _longest(name, 0, _parts()[0])
    if prefix:
        name = name[len(prefix) :]
    named, _ = _places(name)
    if not named:
        return region
    lead = _norm(region)
    first = named[0].name
    cut = lead.find(first)
    return lead[:cut] if cut >= 0 else lead


def coverage(names: list[str]) -> dict[str, Any]:
    """How many of ``names`` get a full, partial or no English name (for docs and tests)."""
    results = [issuer_english(n) for n in names]
    counts = {status: sum(r.status == status for r in results) for status in (FULL, PARTIAL, NONE)}
    return {"total": len(results), **counts, "unknown": sorted({u for r in results for u in r.unknown})}
