"""Which fonts the PDFium reader asks pdfminer to make: the names read from a font
dictionary alone hold every name of the font made (yusuan/extract/pdfium_fonts.py).

``DictFonts.candidates`` makes pdfminer's font of a dictionary only where PDFium's font name
may be one of its names (``FontEntry.may_be``), a superset read from the dictionary without
making the font (parsing a ToUnicode CMap or a TrueType file costs). Were a name of a made
font missing from that superset, a font the reader needs could be skipped. For every page of
every PDF of the manifests (by default both shared corpora), every font dictionary of the page
is made and its names compared with the superset: any name outside it is listed and the
script exits 1. It also counts how many fonts the pages have and how many the reader made
(``--reader``: every page read with ``PdfiumPage``, as the pipeline reads it).

    python benchmarks/font_names_superset.py [--manifest M ...] [--limit N] [--reader]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.speed import DEFAULT_MANIFESTS, pdf_documents, pdf_files  # noqa: E402


def outside(path: Path) -> tuple[int, list[str]]:
    """The font dictionaries of every page of ``path``, and the names of made fonts outside
    the dictionary's superset."""
    from yusuan.extract.pdfium_fonts import DictFonts

    fonts = DictFonts(path)
    found: list[str] = []
    entries = 0
    try:
        for number in range(1, len(fonts._document_pages()) + 1):
            for entry in fonts._page_entries(number):
                entries += 1
                font = fonts._built(entry)
                if font is not None and entry.possible is not None and not font.names <= entry.possible:
                    found.append(f"{path} p.{number}: {sorted(font.names - entry.possible)} not in {sorted(entry.possible)}")
    finally:
        fonts.close()
    return entries, found


def made_by_reader(path: Path) -> tuple[int, int]:
    """(font dictionaries of the pages, fonts made) when every page is read by ``PdfiumPage``."""
    import pypdfium2 as pdfium

    from yusuan.extract import pdfium as reader
    from yusuan.extract.pdfium_fonts import _UNBUILT, DictFonts

    document = pdfium.PdfDocument(path)
    fonts = DictFonts(path)
    try:
        for number in range(1, len(document) + 1):
            with contextlib.suppress(reader.PageNeedsPdfminer):
                reader.PdfiumPage(document, number, 0.0, fonts)
        entries = [entry for page in fonts._by_page.values() for entry in page]
        return len(entries), sum(entry.font is not _UNBUILT for entry in entries)
    finally:
        fonts.close()
        document.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=DEFAULT_MANIFESTS)
    parser.add_argument("--limit", type=int, default=0, help="the first N PDFs only")
    parser.add_argument("--reader", action="store_true", help="also count the fonts the reader makes")
    args = parser.parse_args()
    paths = pdf_files(pdf_documents(present(args.manifest)))
    if args.limit:
        paths = paths[: args.limit]
    entries, differences = 0, []
    listed, made = 0, 0
    for path in paths:
        count, found = outside(path)
        entries += count
        differences.extend(found)
        if args.reader:
            page_entries, page_made = made_by_reader(path)
            listed += page_entries
            made += page_made
    print(f"PDFs: {len(paths)}, font dictionaries of pages (a font once per page that uses it): {entries:,}")
    if args.reader:
        print(f"read by PdfiumPage: font dictionaries listed {listed:,}, made by pdfminer {made:,}")
    print(f"names outside the superset: {len(differences)}")
    for line in differences[:50]:
        print("  " + line)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
