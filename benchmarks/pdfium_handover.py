"""Which pages the PDFium reader hands to the pdfplumber reader, and why.

For every page of every PDF of the manifests (by default both shared corpora, as
benchmarks/speed.py), the page is opened as the reader opens it (``PdfiumPage`` with the
file's font dictionaries) and counted as:

- read by PDFium, every font embedded or standard;
- read by PDFium with a font not embedded read from its dictionary (issue 14), and among
  them the pages where spaces PDFium's text page left out were put back
  (yusuan/extract/pdfium_spaces.py) and those where text objects the text page left out
  were read from the page's content (yusuan/extract/pdfium_missing.py);
- handed over, with the reason PdfiumPage gave, and the fonts not embedded of the page.

With ``--compare`` the characters of every page of the second kind are compared with the
pdfplumber reader's (text, x0, x1, top, bottom within 1/1,000 pt; on a page aligned with its
content's operators, pdfium_aligned, also the font name, upright, size and matrix: characters of embedded
fonts on those pages carry PDFium's single-precision noise of up to 2/10,000 pt, as on the
pages read before; the characters read from dictionaries are within 1/10,000 pt): any
difference is listed, and the script exits 1.

    python benchmarks/pdfium_handover.py [--compare] [--manifest M ...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.speed import DEFAULT_MANIFESTS, pdf_documents, pdf_files  # noqa: E402

# a sub-count of the pages read from dictionaries (not added to the total)
PUT_BACK = "  of which with spaces the text page left out put back (pdfium_spaces)"
READ_MISSING = "  of which with text objects missing from the text page read from the content (pdfium_missing)"


def _key(char: dict) -> tuple:
    return (char["text"], *(char[k] for k in ("x0", "x1", "top", "bottom")))


def _full_key(char: dict) -> tuple:
    return ((char["text"], char["fontname"], char["upright"]), *(char[k] for k in ("x0", "x1", "top", "bottom", "size")), *char["matrix"])


def _same(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and all(abs(x - y) <= 1e-3 for x, y in zip(a[1:], b[1:], strict=True))


def survey(paths: list[Path], compare: bool) -> tuple[Counter, Counter, list[str]]:
    import pdfplumber
    import pypdfium2 as pdfium

    from yusuan.extract import pdf
    from yusuan.extract import pdfium as reader
    from yusuan.extract.pdfium_fonts import DictFonts

    kinds: Counter = Counter()
    fonts_handed: Counter = Counter()
    differences: list[str] = []
    for path in paths:
        document = pdfium.PdfDocument(path)
        fonts = DictFonts(path)
        plumber = pdfplumber.open(path) if compare else None
        try:
            for number in range(1, len(document) + 1):
                try:
                    page = reader.PdfiumPage(document, number, 0.0, fonts)
                except reader.PageNeedsPdfminer as exc:
                    kinds[f"handed over: {exc}"] += 1
                    for font in {f.fontname for f in fonts.page_fonts(number) if not f.embedded}:
                        fonts_handed[font] += 1
                    continue
                if not page._substituted and not page._missing:
                    kinds["PDFium, fonts embedded or standard"] += 1
                    continue
                kinds["PDFium, a font not embedded read from its dictionary"] += 1
                if page._put_back:
                    kinds[PUT_BACK] += 1
                if page._missing:
                    kinds[READ_MISSING] += 1
                if plumber is not None:
                    expected = plumber.pages[number - 1]
                    pdf.normalize_media_box(expected)
                    pdf.fix_glyph_boxes(expected)  # as the reader makes PDFium's characters
                    # a page aligned with its content's operators carries pdfminer's font
                    # names too (pdfium_aligned): compared in full there
                    key = _full_key if isinstance(page._aligned, dict) else _key
                    ours, theirs = [key(c) for c in page.chars], [key(c) for c in expected.chars]
                    if len(ours) != len(theirs) or not all(_same(a, b) for a, b in zip(ours, theirs, strict=True)):
                        differences.append(f"{path} page {number}")
        finally:
            if plumber is not None:
                plumber.close()
            fonts.close()
            document.close()
    return kinds, fonts_handed, differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--compare", action="store_true", help="compare the newly read pages with the pdfplumber reader")
    args = parser.parse_args()
    paths = pdf_files(pdf_documents(args.manifest))
    kinds, fonts_handed, differences = survey(paths, args.compare)
    total = sum(c for k, c in kinds.items() if k not in (PUT_BACK, READ_MISSING))
    handed = sum(c for k, c in kinds.items() if k.startswith("handed"))
    print(f"{len(paths)} PDFs, {total} pages; handed over to the pdfplumber reader: {handed} ({handed / max(total, 1):.0%})")
    for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {count:5d}  {kind}")
    print("fonts not embedded on the pages handed over (pages):")
    for font, count in fonts_handed.most_common(15):
        print(f"  {count:5d}  {font}")
    if args.compare:
        print(f"pages read from font dictionaries that differ from the pdfplumber reader: {len(differences)}")
        for line in differences:
            print(f"  {line}")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
