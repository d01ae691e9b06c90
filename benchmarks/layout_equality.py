"""Every page's blocks (the PDFium reader's tables, text lines and words) recorded or compared.

The layout functions of ``yusuan/extract/pdf.py`` (table finding, text lines, duplicate
characters) may be made faster only with identical results. This reads every PDF of the
manifests (by default both shared corpora) with the PDFium reader and keeps, per page, the
sha256 of the ``repr`` of its blocks (every cell text, covered mark, column bound, line,
word, origin, with floats at full precision) and of the file's page lists (blank, without
text, hidden characters). ``--record`` writes them; ``--against`` compares with a record
(typically made with an earlier tree on ``PYTHONPATH``) and names every page that differs.
It also prints the CPU seconds of the whole reader and of the layout functions inside it.

    PYTHONPATH=/tmp/base python benchmarks/layout_equality.py --record /tmp/blocks-base.json
    PYTHONPATH=. python benchmarks/layout_equality.py --against /tmp/blocks-base.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # PYTHONPATH (another tree) comes first when given
    sys.path.append(str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.speed import DEFAULT_MANIFESTS, pdf_documents  # noqa: E402


def timed(module: object, name: str, totals: dict[str, float]) -> None:
    """Wrap ``module.name`` to add its CPU time to ``totals[name]``."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            totals[name] += time.process_time() - start

    setattr(module, name, wrapper)


def page_digests(found: object) -> dict[str, str]:
    """sha256 of each page's blocks, and of the file's page lists."""
    by_page: dict[int, list[str]] = defaultdict(list)
    for block in found.blocks:  # type: ignore[attr-defined]
        origin = block.row_origins[0] if hasattr(block, "row_origins") else block.origin
        by_page[origin.page].append(repr(block))
    digests = {str(page): hashlib.sha256("\n".join(reprs).encode()).hexdigest() for page, reprs in by_page.items()}
    lists = (found.page_count, found.pages_without_text, found.blank_pages, sorted(found.hidden_chars.items()))  # type: ignore[attr-defined]
    digests["pages"] = hashlib.sha256(repr(lists).encode()).hexdigest()
    return digests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--limit", type=int, help="only the first N publications")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--record", type=Path)
    what.add_argument("--against", type=Path)
    args = parser.parse_args()
    from yusuan.extract import pdf as layout
    from yusuan.extract import pdfium

    documents = pdf_documents(args.manifest)[: args.limit]
    totals: dict[str, float] = defaultdict(float)
    for name in ("fix_glyph_boxes", "dedupe_chars", "page_to_blocks"):
        timed(layout, name, totals)
    record: dict[str, dict[str, str]] = {}
    start = time.process_time()
    for document in documents:
        for source in document.files:
            if source.path.suffix.lower() == ".pdf":
                record[f"{document.document_id}/{source.name}"] = page_digests(pdfium.pdf_to_blocks(source))
    whole = time.process_time() - start
    pages = sum(len(digests) - 1 for digests in record.values())
    print(f"{len(record)} PDFs ({pages} pages with blocks): reader {whole:.1f} CPU-s, of which " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in totals.items()))
    if args.record:
        args.record.write_text(json.dumps(record, indent=1, sort_keys=True))
        print(f"recorded in {args.record}")
        return 0
    earlier = json.loads(args.against.read_text())
    differ = [
        f"{file} page {page}"
        for file in sorted(set(earlier) | set(record))
        for page in sorted(set(earlier.get(file, {})) | set(record.get(file, {})))
        if earlier.get(file, {}).get(page) != record.get(file, {}).get(page)
    ]
    for line in differ:
        print("differs:", line)
    print(f"{len(differ)} pages differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
