"""The text-showing operators interpreted in C against the Python interpreter, on every page of
the corpora.

``pdfium_content.text_shows`` lists the operators of a page's content that make PDFium text
objects (the reader aligns them with PDFium's text objects, pdfium_aligned). Where the
extension ``_pdf_content`` was built the content is read and interpreted in C
(``native_text_shows``, ``pdf_content_native.shows``); the Python interpreter
(``python_text_shows``, the operators read by ``operations``) stays the oracle. For every page
of every PDF of the manifests (by default both shared corpora, as benchmarks/speed.py), its
content (decoded by pdfminer's parser and joined as the reader joins it) is read by both with
the page's own resources (forms and ExtGStates as the reader looks them up): the shows must
have the same ``repr`` (a float is not an int, a str name not bytes), or both readers the same
error. Any difference is listed and the script exits 1. The CPU time of each is given (every
page, not only the ~200 pages the PDFium reader aligns).

    python benchmarks/content_shows_equal.py [--manifest M ...] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.speed import DEFAULT_MANIFESTS, pdf_documents, pdf_files  # noqa: E402


def read_all(paths: list[Path], native: bool) -> tuple[list[tuple[str, str]], float]:
    """(label, repr of the shows or the error) of every page, and the CPU seconds of text_shows."""
    from yusuan.extract import pdfium_content
    from yusuan.extract.pdfium_fonts import DictFonts

    interpret = pdfium_content.native_text_shows if native else pdfium_content.python_text_shows
    found: list[tuple[str, str]] = []
    cpu = 0.0
    for path in paths:
        fonts = DictFonts(path)
        try:
            for number in range(1, len(fonts._document_pages()) + 1):
                content = fonts.page_content(number)
                if content is None:
                    continue
                start = time.process_time()
                try:
                    result = repr(interpret(content[0], content[1], fonts, 0, pdfium_content._State(resources=content[1])))
                except pdfium_content.Unreadable as exc:
                    result = f"Unreadable: {exc}"
                cpu += time.process_time() - start
                found.append((f"{path.name} page {number}", result))
        finally:
            fonts.close()
    return found, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=DEFAULT_MANIFESTS)
    parser.add_argument("--limit", type=int, default=0, help="the first N PDFs only")
    args = parser.parse_args()
    from yusuan.extract import pdf_content_native

    if not pdf_content_native.built():
        print(f"the C tokenizer is not built ({pdf_content_native.IMPORT_ERROR})", file=sys.stderr)
        return 2
    paths = pdf_files(pdf_documents(present(args.manifest)))
    paths = paths[: args.limit] if args.limit else paths
    # forms inside a content are read by text_shows, which dispatches on YUSUAN_NATIVE: the
    # oracle's forms are read in Python as well
    os.environ["YUSUAN_NATIVE"] = "0"
    python, python_cpu = read_all(paths, native=False)
    os.environ["YUSUAN_NATIVE"] = "1"
    native, native_cpu = read_all(paths, native=True)
    differ = [label for (label, a), (_, b) in zip(python, native, strict=True) if a != b]
    refused = sum(1 for _, result in python if result.startswith("Unreadable"))
    print(f"{len(paths)} PDFs, {len(python)} pages ({refused} unreadable by the Python interpreter): {len(differ)} differ")
    print(f"CPU-s: Python interpreter {python_cpu:.2f}, C {native_cpu:.2f}")
    for label in differ[:20]:
        print(f"  differs: {label}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
