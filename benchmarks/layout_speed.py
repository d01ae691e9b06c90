"""CPU of the layout functions alone (pdf.py on pages already read), this checkout against another.

The whole path (benchmarks/speed_against.py) mixes the layout functions with PDFium, pdfminer,
validation and writing; this isolates them. In a fresh process per tree, the pages of every
``--step``-th publication with a PDF are read once with the PDFium reader (pages it hands over
read by pdfplumber), then the per-page layout work of the reader is timed on those pages:
``fix_glyph_boxes``, the visible part and its hidden characters, ``dedupe_chars``,
``page_to_blocks``. A first round warms up (pdfplumber parses the handed-over pages lazily);
the median of ``--rounds`` more is that pass's figure. Passes alternate between the trees.

    python benchmarks/layout_speed.py --base /tmp/base [--repeat 2] [--step 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", ROOT.parent / "shared" / "corpus-wide" / "manifest.csv"]

PASS = """
import copy, json, statistics, sys, time
from pathlib import Path
from benchmarks.speed import pdf_documents
from yusuan.core.limits import current
from yusuan.extract import pdf as layout, pdfium

step, rounds, manifests = int(sys.argv[1]), int(sys.argv[2]), [Path(m) for m in sys.argv[3:]]
pages = []
original = layout.page_to_blocks

def keep(page, source, number, limits=None):
    root = page.parent_page.parent_page  # dedupe_chars(visible part(page))
    # the page's objects now: the reader lets go of them (pdf.let_go) once the page is read
    pages.append((root, source, number, {kind: list(found) for kind, found in root.objects.items()}))
    return []

layout.page_to_blocks = keep
for document in pdf_documents(manifests)[::step]:
    for source in document.files:
        if source.path.suffix.lower() == ".pdf":
            pdfium.pdf_to_blocks(source)
layout.page_to_blocks = original
objects = [found for _p, _s, _n, found in pages]
pages = [(p, s, n) for p, s, n, _found in pages]
for page, _s, _n in pages:  # pdf.let_go broke the page's cycle with itself: the views need it
    page.__dict__.setdefault("root_page", page)
visible = getattr(layout, "visible_part", None) or (lambda page: page.within_bbox(page.bbox))
limits = current()

def one_round():
    start = time.process_time()
    for (page, source, number), found in zip(pages, objects):
        if found is not None:
            page._objects = dict(found)
            page.flush_cache(["_rect_edges", "_curve_edges", "_edges"])
        layout.fix_glyph_boxes(page)
        part = visible(page)
        _hidden = len(page.chars) - len(part.chars)
        layout.page_to_blocks(layout.dedupe_chars(part), source, number, limits)
    return time.process_time() - start

one_round()
print(json.dumps([len(pages), statistics.median(one_round() for _ in range(rounds))]))
"""


def one_pass(root: Path, step: int, rounds: int) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", PASS, str(step), str(rounds), *map(str, MANIFESTS)], cwd=root, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the pass with {root} failed:\n{done.stderr[-2000:]}")
    pages, seconds = json.loads(done.stdout.strip().splitlines()[-1])
    return pages, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="the other checkout (e.g. git archive main | tar -x -C /tmp/base)")
    parser.add_argument("--repeat", type=int, default=2, help="alternating passes per tree")
    parser.add_argument("--step", type=int, default=3, help="every N-th publication with a PDF")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per pass (after one warm-up)")
    args = parser.parse_args()
    runs: dict[str, list[tuple[int, float]]] = {"base": [], "this": []}
    for _ in range(args.repeat):
        runs["base"].append(one_pass(args.base.resolve(), args.step, args.rounds))
        runs["this"].append(one_pass(ROOT, args.step, args.rounds))
    print(f"layout functions of the PDF readers, CPU-s per round (median of {args.rounds}), {args.repeat} alternating passes\n")
    print("| code | pages | CPU s (each pass) | median CPU s | ms per page |")
    print("|---|---:|---:|---:|---:|")
    medians = {}
    for name, passes in runs.items():
        pages = passes[0][0]
        medians[name] = statistics.median(seconds for _p, seconds in passes)
        each = " / ".join(f"{seconds:.2f}" for _p, seconds in passes)
        print(f"| {name} | {pages} | {each} | {medians[name]:.2f} | {1000 * medians[name] / pages:.2f} |")
    print(f"\nthis / base: {medians['this'] / medians['base']:.2f}x the CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
