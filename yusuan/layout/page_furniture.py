"""Running headers and footers: the same line printed at the top or bottom of many pages.

苏州/无锡 print "苏州市水务局2026年度单位预算公开" above the rule of every page. Such a line is
page furniture: it is not part of the narrative, and a table continued on the next page must
not take it for a row or for the end of a cell. It keeps its text (the identity reader still
sees the issuer's name in it) and is claimed as ``page_furniture`` (yusuan/layout/claims.py).
"""

from __future__ import annotations

import re
from collections import defaultdict

from yusuan.core.model import Block, TextLine
from yusuan.core.numbers import find_unit
from yusuan.core.schemas import Registry, normalize_label
from yusuan.layout.claims import LineClaims

EDGE_LINES = 2  # lines looked at at the top and at the bottom of a page
MIN_PAGES = 3
DIGITS = re.compile(r"\d+")


def mark_page_furniture(blocks: list[Block], registry: Registry) -> LineClaims:
    """Claim as page_furniture the lines repeated at a page edge on several pages; a line that
    says something about a table (its title, label, unit or compiler, printed again on every
    page of a long table) is never furniture."""
    pages: dict[tuple[str, int], list[Block]] = defaultdict(list)
    for block in blocks:
        if block.origin.page is not None:
            pages[(block.origin.file, block.origin.page)].append(block)
    claims = LineClaims()
    if len(pages) < MIN_PAGES:
        return claims
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    edges: list[tuple[tuple[str, str], TextLine]] = []
    for (file, page), page_blocks in pages.items():
        for block in page_blocks[:EDGE_LINES] + page_blocks[-EDGE_LINES:]:
            if isinstance(block, TextLine) and not _about_a_table(block.text, registry):
                key = (file, DIGITS.sub("#", normalize_label(block.text)))
                if len(key[1]) >= 4:
                    seen[key].add(page)
                    edges.append((key, block))
    needed = max(MIN_PAGES, len(pages) // 4)
    for key, line in edges:
        if len(seen[key]) >= needed:
            claims.claim(line, "page_furniture")
    return claims


def _about_a_table(text: str, registry: Registry) -> bool:
    norm = normalize_label(text)
    return bool(find_unit(norm) or registry.compiled_by_pattern.match(norm) or registry.label_of(norm) or registry.identify_title(norm))
