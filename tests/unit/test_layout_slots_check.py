"""``pdf.page_to_blocks`` counts a ruled table's slots (``_slots``: distinct tops × distinct
lefts) only for a table that could be over ``max_cells_per_table``: one of more than
sqrt(limit) cells, since its slots are at most cells² (stop 35). Every table is still
refused as before: the same error, with the same count, where a limit is low enough.
"""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest
from layout_sample_pages import pdfium_pages

from yusuan.core.errors import LimitExceededError
from yusuan.core.limits import DEFAULT_LIMITS
from yusuan.core.model import SourceFile
from yusuan.extract import pdf as layout

FIXTURES = Path(__file__).parents[1] / "fixtures"
RULED = FIXTURES / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf"  # ruled tables on its swept pages
SOURCE = SourceFile(path=RULED, role="full", sha256="0" * 64)


@pytest.fixture(scope="module")
def pages() -> list:
    found = [page for page in pdfium_pages(RULED) if layout.find_tables(layout.dedupe_chars(layout.visible_part(page)), DEFAULT_LIMITS)]
    assert found, "the sample has ruled tables"
    return found


def _counted_slots(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The slots ``page_to_blocks`` counts, recorded (``_slots`` wrapped)."""
    counted: list[int] = []
    slots = layout._slots

    def counting(table: object) -> int:
        counted.append(found := slots(table))  # type: ignore[arg-type]
        return found

    monkeypatch.setattr(layout, "_slots", counting)
    return counted


def test_slots_are_at_most_cells_squared() -> None:
    """The bound the skip rests on, on random cells (repeated tops and lefts, shared corners)."""
    rng = random.Random(35)
    for _ in range(2000):
        cells = [(rng.choice((0.0, 1.5, 7.0, 9.25)), rng.choice((0.0, 2.0, 4.0)), 0.0, 0.0) for _ in range(rng.randint(0, 12))]
        assert layout._slots(SimpleNamespace(cells=cells)) <= len(cells) ** 2  # type: ignore[arg-type]


def test_slots_not_counted_under_the_default_limit(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables of the corpus (far fewer than 1,000 cells): no slots counted, the same blocks."""
    counted = _counted_slots(monkeypatch)
    for page in pages:
        blocks = layout.page_to_blocks(layout.dedupe_chars(layout.visible_part(page)), SOURCE, page.page_number, DEFAULT_LIMITS)
        assert any(hasattr(block, "rows") for block in blocks)
    assert counted == []


def test_slots_counted_and_refused_under_a_low_limit(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit below a table's slots: counted and refused with that count, as before."""
    deduped = layout.dedupe_chars(layout.visible_part(pages[0]))
    table = layout.find_tables(deduped, DEFAULT_LIMITS)[0]
    slots = layout._slots(table)
    counted = _counted_slots(monkeypatch)
    with pytest.raises(LimitExceededError) as raised:
        layout.page_to_blocks(deduped, SOURCE, pages[0].page_number, DEFAULT_LIMITS.but(max_cells_per_table=slots - 1))
    assert counted[:1] == [slots]
    assert (raised.value.limit, raised.value.value, raised.value.found) == ("max_cells_per_table", slots - 1, slots)
    # at the table's own count it passes: the check is ``found > limit``
    layout.page_to_blocks(deduped, SOURCE, pages[0].page_number, DEFAULT_LIMITS.but(max_cells_per_table=max(slots, len(table.cells) ** 2 - 1)))
