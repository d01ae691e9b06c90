"""CPU of each layout function on pages already read, with chosen C loops switched off.

benchmarks/layout_speed.py gives the layout's total against another tree; this splits it by
function in one process, so a C loop can be weighed against its own Python fallback without
a second tree or another process's noise. The pages of every ``--step``-th publication with a
PDF are read once (PDFium reader), then the reader's per-page layout work (``fix_glyph_boxes``,
the visible part, ``dedupe_chars``, ``page_to_blocks``) is timed, each function's CPU summed
through a wrapper (nested functions count in their callers too). A first round warms up; the
best of ``--rounds`` more is printed. ``--python`` names C loops to switch off (their Python
fallback runs): ``tables`` (cells_to_tables), ``close`` (runs_with_close_chars), ``texts``
(extract_table's loop over the cells), ``grid`` (table_to_grid in one C step).

    python benchmarks/layout_parts.py [--step 3] [--rounds 3] [--python tables close]
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # PYTHONPATH (another tree) comes first when given
    sys.path.append(str(ROOT))

from benchmarks.speed import DEFAULT_MANIFESTS, pdf_documents  # noqa: E402
from yusuan.core.limits import current  # noqa: E402
from yusuan.extract import close_chars, pdfium  # noqa: E402
from yusuan.extract import pdf as layout  # noqa: E402
from yusuan.extract import plumber_equivalents as fast  # noqa: E402

TIMED = (
    "fix_glyph_boxes",
    "visible_part",
    "dedupe_chars",
    "page_to_blocks",
    "find_tables",
    "table_to_grid",
    "extract_table",
    "_covering_cell",
    "ruling_cells",  # the ruled cells: edges_to_intersections and smallest_cells where the C step is not built
    "cells_to_tables",
    "table_edges",
    "extract_text_lines",
    "_without_frames",
    "runs_with_close_chars",
)
SWITCHES = {
    "tables": (fast, "cells_to_tables_in_c"),
    "close": (close_chars, "runs_in_c"),
    "texts": (layout, "table_text_in_c"),
    "grid": (layout, "table_grid_in_c"),
}


def read_pages(manifests: list[Path], step: int) -> list[tuple[Any, Any, int, dict[str, list]]]:
    """The pages as the reader hands them to the layout, with their objects kept."""
    pages: list[tuple[Any, Any, int, dict[str, list]]] = []
    original = layout.page_to_blocks

    def keep(page: Any, source: Any, number: int, limits: Any = None) -> list:
        root = page.parent_page.parent_page  # dedupe_chars(visible part(page))
        pages.append(
            (root, source, number, {kind: list(found) for kind, found in root.objects.items()})
        )
        return []

    layout.page_to_blocks = keep
    try:
        for document in pdf_documents(manifests)[::step]:
            for source in document.files:
                if source.path.suffix.lower() == ".pdf":
                    pdfium.pdf_to_blocks(source)
    finally:
        layout.page_to_blocks = original
    for page, *_rest in pages:  # pdf.let_go broke the page's cycle with itself: the views need it
        page.__dict__.setdefault("root_page", page)
    return pages


def timed(module: Any, name: str, cost: Counter[str]) -> None:
    """Replace ``module.name`` by a wrapper adding its CPU seconds to ``cost[name]``."""
    function: Callable[..., Any] = getattr(module, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            cost[name] += time.process_time() - start

    setattr(module, name, wrapper)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--manifest", type=Path, nargs="+", default=[m for m in DEFAULT_MANIFESTS if m.is_file()]
    )
    parser.add_argument("--step", type=int, default=3, help="every N-th publication with a PDF")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (after one warm-up)")
    parser.add_argument(
        "--python", nargs="*", default=[], choices=sorted(SWITCHES), help="C loops to switch off"
    )
    args = parser.parse_args()
    pages = read_pages(args.manifest, args.step)
    for name in args.python:
        module, attribute = SWITCHES[name]
        setattr(module, attribute, None)
    cost: Counter[str] = Counter()
    for name in TIMED:  # where pdf.py looks it up when it calls it, else its helpers' module
        module = next(module for module in (layout, fast, close_chars) if name in vars(module))
        timed(module, name, cost)
    limits = current()
    rounds = []
    for _round in range(args.rounds + 1):
        cost.clear()
        start = time.process_time()
        for page, source, number, found in pages:
            page._objects = {kind: list(objs) for kind, objs in found.items()}
            page.flush_cache(["_rect_edges", "_curve_edges", "_edges"])
            layout.fix_glyph_boxes(page)
            layout.page_to_blocks(
                layout.dedupe_chars(layout.visible_part(page)), source, number, limits
            )
        rounds.append((time.process_time() - start, dict(cost)))
    total, parts = min(rounds[1:], key=lambda found: found[0])
    off = ", ".join(args.python) or "none"
    print(
        f"{len(pages)} pages, C loops switched off: {off}; layout CPU-s {total:.3f} (best of {args.rounds})"
    )
    for name, seconds in sorted(parts.items(), key=lambda item: -item[1]):
        print(f"  {name:26s} {seconds:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
