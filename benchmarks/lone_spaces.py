"""CPU of the page-object walk with the lone spaces read in C and in Python, page by page.

PDFium's text page leaves out a text object that draws only a space (Word writes one per
space); the reader puts it back as pdfminer reads it. Since stop 25 the C walk
(``pdfium_native.walk(..., lone_spaces=True)``) builds the common one itself; with
``lone_spaces=False`` every such object goes to the Python branch (``PdfiumPage._text_object``),
as before. Every page of every ``--step``-th PDF (from ``--offset``) of both corpora is read
twice, once each way, in alternating order, and the CPU seconds of the walk (the C call with
its Python branch) are summed per way: the cost of the lone spaces in Python, without the
noise of two processes or two passes on a shared machine.

    python benchmarks/lone_spaces.py [--step 2] [--offset 0]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # PYTHONPATH (another tree) comes first when given
    sys.path.append(str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from benchmarks.pdfium_objects_equal import DEFAULT_MANIFESTS, pdf_paths  # noqa: E402
from yusuan.core.limits import current  # noqa: E402
from yusuan.extract import pdfium as reader  # noqa: E402
from yusuan.extract import pdfium_native  # noqa: E402
from yusuan.extract.pdf_stream_scan import streams_within_limits  # noqa: E402
from yusuan.extract.pdfium_fonts import DictFonts  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--manifest", type=Path, nargs="+", default=[m for m in DEFAULT_MANIFESTS if m.is_file()]
    )
    parser.add_argument("--step", type=int, default=1, help="every N-th PDF")
    parser.add_argument("--offset", type=int, default=0, help="the first PDF taken")
    args = parser.parse_args()
    if not pdfium_native.enabled():
        raise SystemExit("the C extension is not built or is turned off (YUSUAN_NATIVE=0)")
    walk = pdfium_native.walk
    cost = {True: 0.0, False: 0.0}
    way = [True]

    def timed(*walked: Any, **_options: Any) -> None:
        start = time.process_time()
        try:
            walk(*walked, lone_spaces=way[0])
        finally:
            cost[way[0]] += time.process_time() - start

    pdfium_native.walk = timed
    paths = [path for path in pdf_paths(args.manifest) if streams_within_limits(path, current())][
        args.offset :: args.step
    ]
    pages = 0
    for k, path in enumerate(paths):
        document, fonts = pdfium.PdfDocument(path), DictFonts(path)
        try:
            for number in range(1, len(document) + 1):
                pages += 1
                for way[0] in (True, False) if (number + k) % 2 else (False, True):
                    # a page handed over is handed over both ways
                    with contextlib.suppress(reader.PageNeedsPdfminer):
                        reader.PdfiumPage(document, number, 0.0, fonts)
        finally:
            fonts.close()
            document.close()
    print(
        f"{len(paths)} PDFs, {pages} pages; the walk's CPU-s: lone spaces in C {cost[True]:.3f}, in Python {cost[False]:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
