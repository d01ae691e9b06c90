"""The C tokenizer of page content against the Python one, on every page of the corpora.

``pdfium_content`` reads a page's content streams to prove that PDFium's text objects are
its text-showing operators; the tokenizer is in C when the extension ``_pdf_content`` is
built (yusuan/extract/pdf_content_native.py), with the Python tokenizer kept as the oracle.
For every page of every PDF of the manifests (by default both shared corpora, as
benchmarks/speed.py), its content (decoded by pdfminer's parser and joined as the reader
joins it) and the content of every Form XObject its resources reach are read by both:

- the tokens (kind and value, up to the first error, and the error's message);
- the operations ``text_shows`` acts on, each with its operands, and the error that ends
  them.

Equal means equal ``repr``: a float is not an int, a str name not a bytes name. Any
difference is listed and the script exits 1. The CPU time of each reader is given (the
whole streams, every page, not only the pages the PDFium reader proves).

    python benchmarks/content_tokens_equal.py [--manifest M ...] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.speed import DEFAULT_MANIFESTS, pdf_documents, pdf_files  # noqa: E402


def streams(path: Path) -> Iterator[tuple[str, bytes]]:
    """(label, content) of every page of ``path`` and of every Form XObject reached from a
    page's resources (each form once per file)."""
    from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
    from pdfminer.psparser import PSLiteral

    from yusuan.extract.pdfium_fonts import DictFonts

    fonts = DictFonts(path)
    seen: set[int] = set()

    def forms(resources: Any, depth: int) -> Iterator[tuple[str, bytes]]:
        resources = resolve1(resources)
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if not isinstance(xobjects, dict) or depth > 16:
            return
        for name, ref in xobjects.items():
            stream = resolve1(ref)
            key = ref.objid if isinstance(ref, PDFObjRef) else id(stream)
            subtype = resolve1(stream.get("Subtype")) if isinstance(stream, PDFStream) else None
            if not isinstance(subtype, PSLiteral) or subtype.name != "Form" or key in seen:
                continue
            seen.add(key)
            try:
                data = stream.get_data()
            except Exception:  # noqa: BLE001 - a stream pdfminer cannot decode is not read by the reader either
                continue
            yield f"form {name}", data
            yield from forms(stream.get("Resources"), depth + 1)

    try:
        pages = fonts._document_pages()
        for number in range(1, len(pages) + 1):
            content = fonts.page_content(number)
            if content is None:
                continue
            yield f"p.{number}", content[0]
            yield from forms(content[1], 0)
    finally:
        fonts.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=DEFAULT_MANIFESTS)
    parser.add_argument("--limit", type=int, default=0, help="the first N PDFs only")
    args = parser.parse_args()

    from yusuan.extract import pdf_content_native as native
    from yusuan.extract.pdfium_content import OPERATORS, python_operations, python_tokens

    if not native.built():
        print(f"the C tokenizer is not built ({native.IMPORT_ERROR})", file=sys.stderr)
        return 2
    paths = pdf_files(pdf_documents(present(args.manifest)))
    if args.limit:
        paths = paths[: args.limit]
    counts = {"PDFs": 0, "streams": 0, "bytes": 0, "tokens": 0, "operations kept": 0, "streams ending in an error": 0}
    seconds = {"python tokens": 0.0, "C tokens": 0.0, "python operations": 0.0, "C operations": 0.0}
    differences: list[str] = []
    for path in paths:
        counts["PDFs"] += 1
        for label, data in streams(path):
            counts["streams"] += 1
            counts["bytes"] += len(data)
            started = time.process_time()
            expected_tokens = python_tokens(data)
            seconds["python tokens"] += time.process_time() - started
            started = time.process_time()
            got_tokens = native.tokens(data)
            seconds["C tokens"] += time.process_time() - started
            started = time.process_time()
            expected_ops = python_operations(data)
            seconds["python operations"] += time.process_time() - started
            started = time.process_time()
            got_ops = native.operations(data, OPERATORS)
            seconds["C operations"] += time.process_time() - started
            counts["tokens"] += len(expected_tokens[0])
            counts["operations kept"] += len(expected_ops[0])
            counts["streams ending in an error"] += expected_tokens[1] is not None
            if repr(expected_tokens) != repr(got_tokens):
                differences.append(f"{path} {label}: tokens differ")
            if repr(expected_ops) != repr(got_ops):
                differences.append(f"{path} {label}: operations differ")
    for key, value in counts.items():
        print(f"{key}: {value:,}")
    for key, value in seconds.items():
        print(f"{key}: {value:.2f} CPU-s")
    print(f"C / Python: tokens {seconds['C tokens'] / seconds['python tokens']:.3f}x, operations {seconds['C operations'] / seconds['python operations']:.3f}x")
    print(f"streams that differ: {len(differences)}")
    for line in differences[:50]:
        print("  " + line)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
