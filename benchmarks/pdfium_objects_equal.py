"""The PDFium reader's page objects of two trees of the library, compared exactly.

A change meant only to make the PDFium reader faster (``yusuan/extract/pdfium.py``) must give
the same objects: every key and value of every char, line, rect, curve and image dict, in the
same order, the same page boxes, and the same pages handed to the pdfplumber reader (with the
same reason). This reads every page of every PDF of the manifests (by default both shared
corpora, as benchmarks/speed.py) as the reader does (``PdfiumPage`` with the file's font
dictionaries, document tops from the page heights, files whose streams inflate past the limits
left to the pdfplumber reader), once with each tree, each in a fresh process, and compares a
digest of each page. The digest is of ``repr`` of the objects: exact for floats (``repr`` of a
float round-trips, and tells -0.0 from 0.0), ints from floats, tuples from lists, and key order,
and blind to object identity (a cached string is the same as a new one).

    python benchmarks/pdfium_objects_equal.py --base /tmp/base   # /tmp/base: git archive main

A difference lists the page and the first object that differs, and the script exits 1. Each
process also reports the CPU seconds spent building the pages (PdfiumPage alone): a paired
figure of the reader's own work, without the layout functions that follow it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", SHARED / "corpus-wide" / "manifest.csv"]


def page_state(page: Any) -> list[tuple[str, str]]:
    """What a PdfiumPage hands on: its boxes and every object list, as exact text."""
    return [
        ("boxes", repr((page.page_number, page.rotation, page.initial_doctop, page.mediabox, page.cropbox, page.bbox, page.width, page.height))),
        *((kind, repr(objs)) for kind, objs in page._objects.items()),
    ]


def read_pages(paths: list[Path], detail: set[tuple[str, int]]) -> dict[str, Any]:
    """Every page of these PDFs read with the ``yusuan`` on sys.path: digests, the full text of
    the pages in ``detail``, and the CPU seconds inside PdfiumPage."""
    import pypdfium2 as pdfium

    from yusuan.core.limits import current
    from yusuan.core.model import SourceFile
    from yusuan.extract import pdfium as reader
    from yusuan.extract.pdf_stream_scan import streams_within_limits
    from yusuan.extract.pdfium_fonts import DictFonts

    digests: dict[str, str] = {}
    details: dict[str, list[tuple[str, str]]] = {}
    cpu = 0.0
    pages = 0
    for path in paths:
        if not streams_within_limits(path, current()):
            digests[str(path)] = "left to the pdfplumber reader (stream limits)"
            continue
        document = pdfium.PdfDocument(path)
        fonts = DictFonts(path)
        plumber = reader.PlumberPages(SourceFile(path=path, role="full", sha256=""))
        try:
            doctop = 0.0
            for number in range(1, len(document) + 1):
                key = f"{path}#{number}"
                start = time.process_time()
                try:
                    page = reader.PdfiumPage(document, number, doctop, fonts)
                except reader.PageNeedsPdfminer as exc:
                    cpu += time.process_time() - start
                    digests[key] = f"handed over: {exc}"
                    doctop += plumber.page(number).height
                    continue
                cpu += time.process_time() - start
                pages += 1
                doctop += page.height
                state = page_state(page)
                digests[key] = hashlib.sha256(repr(state).encode("utf-8")).hexdigest()
                if (str(path), number) in detail:
                    details[key] = state
        finally:
            plumber.close()
            fonts.close()
            document.close()
    return {"digests": digests, "details": details, "cpu": cpu, "pages": pages}


def pdf_paths(manifests: list[Path]) -> list[Path]:
    """The PDFs of the manifests, in manifest order, each once (the file column is relative to
    the manifest's folder)."""
    import csv

    seen: dict[Path, None] = {}
    for manifest in manifests:
        with manifest.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                path = (manifest.parent / row["file"]).resolve()
                if path.suffix.lower() == ".pdf":
                    seen.setdefault(path, None)
    return list(seen)


def run_tree(tree: Path, paths: list[Path], detail: list[tuple[str, int]]) -> dict[str, Any]:
    """read_pages in a fresh process with ``tree`` first on the path."""
    request = json.dumps({"paths": [str(p) for p in paths], "detail": detail})
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, __file__, "--worker", str(tree)], input=request, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"{tree}: the worker failed\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def first_difference(old: list[list[str]], new: list[list[str]]) -> str:
    """The first object (or box) of a page that differs, both versions."""
    old_kinds, new_kinds = dict(map(tuple, old)), dict(map(tuple, new))  # type: ignore[arg-type]
    if list(old_kinds) != list(new_kinds):
        return f"object kinds {list(old_kinds)} != {list(new_kinds)}"
    for kind, text in old_kinds.items():
        if text == new_kinds[kind]:
            continue
        if kind == "boxes":
            return f"boxes:\n  base: {text}\n  this: {new_kinds[kind]}"
        import ast

        # reprs of dicts of str, float, int, bool and tuples: literal_eval reads them back
        a, b = ast.literal_eval(text), ast.literal_eval(new_kinds[kind])
        if len(a) != len(b):
            return f"{kind}: {len(a)} objects != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if repr(x) != repr(y):
                return f"{kind} #{i}:\n  base: {x!r}\n  this: {y!r}"
    return "no difference in the details (the digests differ)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=Path, help="the other tree (a checkout of main)")
    parser.add_argument("--tree", type=Path, default=ROOT, help="this tree (default: the one holding this script)")
    parser.add_argument("--manifest", type=Path, nargs="+", default=[m for m in DEFAULT_MANIFESTS if m.is_file()])
    parser.add_argument("--limit", type=int, help="only the first N PDFs")
    parser.add_argument("--only", nargs="+", help="only the PDFs whose path contains one of these (document ids)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(args.worker))
        request = json.loads(sys.stdin.read())
        found = read_pages([Path(p) for p in request["paths"]], {(p, n) for p, n in request["detail"]})
        json.dump(found, sys.stdout)
        return 0
    if args.base is None:
        parser.error("--base is required")
    paths = [p for p in pdf_paths(args.manifest) if not args.only or any(o in str(p) for o in args.only)][: args.limit]
    base = run_tree(args.base, paths, [])
    this = run_tree(args.tree, paths, [])
    differ = [key for key in base["digests"] if base["digests"][key] != this["digests"].get(key)]
    differ += [key for key in this["digests"] if key not in base["digests"]]
    handed = sum(1 for v in base["digests"].values() if v.startswith("handed over"))
    print(f"{len(paths)} PDFs, {len(base['digests'])} pages ({handed} handed over); PdfiumPage CPU-s: base {base['cpu']:.2f}, this {this['cpu']:.2f} ({this['cpu'] / base['cpu']:.2f}x)")
    if differ:
        detail = [(key.rsplit("#", 1)[0], int(key.rsplit("#", 1)[1])) for key in differ[:5] if "#" in key]
        again = [p for p in paths if any(str(p) == d[0] for d in detail)]
        old, new = run_tree(args.base, again, detail)["details"], run_tree(args.tree, again, detail)["details"]
        for key in differ[:5]:
            print(f"{key}: base {base['digests'].get(key)!r:.80} this {this['digests'].get(key)!r:.80}")
            if key in old and key in new:
                print("  " + first_difference(old[key], new[key]))
        print(f"{len(differ)} page(s) differ")
        return 1
    print("0 pages differ: every object identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
