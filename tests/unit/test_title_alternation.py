"""The table titles asked of one alternation of every title pattern first (core/schemas.any_of,
stop 25): ``identify_title`` must give the answer of the scan of every spec's patterns, on the
lines and cells of real fixture pages and on texts made to match one pattern and not another."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from yusuan.core.hashing import sha256_of
from yusuan.core.model import Grid, SourceDocument, SourceFile, TextLine
from yusuan.core.schemas import Registry, TableSpec, any_of, load_registry
from yusuan.extract import document_to_blocks

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
REGISTRY = load_registry()


def scanned(registry: Registry, title: str) -> TableSpec | None:
    """The reference: every spec's patterns asked in order."""
    text = registry.normalize_title(title)
    return next((spec for spec in registry.tables if any(p.fullmatch(text) for p in spec.titles)), None) if text else None


def page_texts(name: str) -> list[str]:
    path = FIXTURES / name / "bmys.pdf"
    blocks = document_to_blocks(SourceDocument(name, "issuer", "region", 2018, "部门预算", (SourceFile(path, "full", sha256_of(path)),))).blocks
    texts = [b.text for b in blocks if isinstance(b, TextLine)]
    texts += [cell for b in blocks if isinstance(b, Grid) for row in b.rows for cell in row if cell]
    return texts


@pytest.mark.parametrize("name", ["02_js-renda-2018-bmys", "13_sh-putuo-wanli-2025-bmys"])
def test_titles_of_real_pages_are_identified_as_by_the_scan(name: str):
    texts = page_texts(name)
    registry = load_registry.__wrapped__()  # a registry of its own: nothing remembered yet
    found = [registry.identify_title(t) for t in texts]
    assert found == [scanned(registry, t) for t in texts]
    assert sum(f is not None for f in found) >= 5  # the pages' titles are among them


def test_texts_near_a_pattern_are_identified_as_by_the_scan():
    rng = random.Random(25)
    pieces = ["一般公共预算", "财政拨款", "基本支出", "项目支出", "政府性基金", "三公经费", "绩效目标", "收支", "总", "表", "(", ")", "经济分类", "功能", "决算", "预算", "情况", "明细", "x", "2024年", "公开01表"]
    texts = ["".join(rng.choices(pieces, k=rng.randint(1, 7))) for _ in range(5000)]
    registry = load_registry.__wrapped__()
    found = [registry.identify_title(t) for t in texts]
    assert found == [scanned(registry, t) for t in texts]
    assert sum(f is not None for f in found) > 50


def test_the_alternation_matches_when_one_pattern_matches():
    patterns = [re.compile("a(b|bc)?"), re.compile(".*表(\\(.*\\))?"), re.compile("x|y")]
    combined = any_of(patterns)
    assert combined is not None
    for text in ["a", "ab", "abc", "abcd", "表", "某表(一)", "某表(", "x", "y", "xy", ""]:
        assert bool(combined.fullmatch(text)) == any(p.fullmatch(text) for p in patterns), text


def test_no_alternation_where_it_could_answer_otherwise():
    assert any_of([]) is None
    assert any_of([re.compile("(a)\\1"), re.compile("b")]) is None  # the group number would shift
    assert any_of([re.compile("(?P<n>a)(?P=n)"), re.compile("b")]) is None
    assert any_of([re.compile("a", re.IGNORECASE), re.compile("b")]) is None  # flags differ
    assert any_of([re.compile("(?P<n>a)"), re.compile("(?P<n>b)")]) is None  # a name twice
    assert any_of([re.compile("a"), re.compile("(?x) b")]) is None  # a global flag not at the start
