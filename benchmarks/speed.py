"""Pages per second of yusuan's full extraction over PDFs, beside the physical floor (raw
text extraction with pypdfium2, the fastest library installed) and the usual tool
(pdfplumber's extract_tables), in the same command. Each pass runs in a fresh worker
process, which reports its time and its peak resident memory (ru_maxrss).

    python benchmarks/speed.py [--corpus tests/fixtures/corpus] [--repeat 1]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from yusuan.core.model import SourceFile  # noqa: E402
from yusuan.core.schemas import load_registry  # noqa: E402
from yusuan.extract.pdf import pdf_to_blocks  # noqa: E402
from yusuan.layout.tables import blocks_to_raw_tables  # noqa: E402


def yusuan_extraction(path: Path) -> int:
    found = pdf_to_blocks(SourceFile(path, "full", ""))
    blocks_to_raw_tables(found.blocks, load_registry())
    return found.page_count


def pdfplumber_tables(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.flush_cache()
        return len(pdf.pages)


def pypdfium2_text(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        for page in document:
            page.get_textpage().get_text_range()
        return len(document)
    finally:
        document.close()


def timed_pass(func: Callable[[Path], int], files: list[Path], repeat: int) -> tuple[int, float, float]:
    load_registry()  # schemas are read once, outside the timed pass
    start = time.perf_counter()
    pages = sum(func(path) for _ in range(repeat) for path in files)
    seconds = time.perf_counter() - start
    return pages, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(label: str, func: Callable[[Path], int], files: list[Path], repeat: int) -> tuple[str, int, float, float]:
    with ProcessPoolExecutor(max_workers=1) as worker:
        pages, seconds, peak = worker.submit(timed_pass, func, files, repeat).result()
    return label, pages, seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "fixtures" / "corpus")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    files = sorted(args.corpus.rglob("*.pdf"))
    rows = [
        run("raw text (pypdfium2)", pypdfium2_text, files, args.repeat),
        run("pdfplumber extract_tables", pdfplumber_tables, files, args.repeat),
        run("yusuan extraction (tables + text)", yusuan_extraction, files, args.repeat),
    ]
    base = {label: pages / seconds for label, pages, seconds, _ in rows}
    floor, usual = base["raw text (pypdfium2)"], base["pdfplumber extract_tables"]
    print(f"{len(files)} PDFs, {rows[0][1] // args.repeat} pages, repeat {args.repeat}\n")
    print("| pass | pages | seconds | pages/s | × pdfplumber | ÷ raw text | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, pages, seconds, peak in rows:
        rate = pages / seconds
        print(f"| {label} | {pages} | {seconds:.2f} | {rate:.1f} | {rate / usual:.2f} | {floor / rate:.1f} | {peak:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
