"""Compare pdfplumber, pypdfium2 and PyMuPDF on yusuan's budget PDFs: speed, accuracy, memory.

Usage: /work/venv/bin/python benchmarks/pdf_libraries.py [--corpus DIR] [--repeat N]. See docs/pdf-library-choice.md."""

import argparse
import csv
import inspect
import json
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pdfplumber
import pdfplumber.table as pt
import pymupdf.table
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

REPO = Path(__file__).resolve().parents[1]
TASKS = ("text", "words", "chars_lines", "tables")
LICENCES = {"pdfplumber": "MIT", "pypdfium2": "Apache-2.0 / BSD-3-Clause", "pymupdf": "AGPL-3.0 or commercial"}
CHAR_CLASSES = {  # counted in the raw text output of each library
    "fw_punct": re.compile("[\uff01-\uff0f\uff1a-\uff20\u3000-\u303f]"),  # ，：（）、。 ideographic space
    "fw_alnum": re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"),  # ０-９ Ａ-Ｚ ａ-ｚ
    "radicals": re.compile("[\u2e80-\u2fdf]"),  # Kangxi / CJK radicals instead of unified ideographs
    "pua_fffd": re.compile("[\ue000-\uf8ff\ufffd]"),  # unmapped glyphs
}
PYMUPDF_TABLE_KWARGS: dict[str, Any] = {}  # set from --pymupdf-layout
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
Rows = list[list[str | None]]
Char = tuple[str, float, float, float, float]  # char, x0, top, x1, bottom (top-left origin, like pdfplumber)
ROTATE: dict[int, Callable[..., tuple[float, ...]]] = {  # PDF box + mediabox -> display box, per /Rotate
    0: lambda x0, y0, x1, y1, m: (x0 - m[0], m[3] - y1, x1 - m[0], m[3] - y0),
    90: lambda x0, y0, x1, y1, m: (y0 - m[1], x0 - m[0], y1 - m[1], x1 - m[0]),
    180: lambda x0, y0, x1, y1, m: (m[2] - x1, y0 - m[1], m[2] - x0, y1 - m[1]),
    270: lambda x0, y0, x1, y1, m: (m[3] - y1, m[2] - x1, m[3] - y0, m[2] - x0),
}


@dataclass(frozen=True)
class Expected:
    pdf: Path
    page: int  # 1-based
    code: str
    name: str
    value: Decimal


def norm(text: str | None) -> str:
    """NFKC (full-width digits, Kangxi radicals -> unified ideographs) and drop all whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def amount(text: str | None) -> Decimal | None:
    s = norm(text).replace(",", "")
    return Decimal(s) if re.fullmatch(r"-?\d+(?:\.\d+)?", s) else None


def pdfium_chars(page: Any) -> list[Char]:
    """Non-blank characters with their loose (font-height) boxes."""
    tp, rotate, mbox = page.get_textpage(), ROTATE[page.get_rotation() % 360], page.get_mediabox()
    text = tp.get_text_range(0, n) if (n := tp.count_chars()) else ""
    if len(text) != n:  # surrogate pairs: fall back to one call per char
        text = "".join(tp.get_text_range(i, 1) or " " for i in range(n))
    return [(ch, *rotate(*tp.get_charbox(i, loose=True), mbox)) for i, ch in enumerate(text) if not ch.isspace()]


def pdfium_edges(page: Any) -> list[dict[str, Any]]:
    """Every path object with at most 5 segments (line or rectangle) -> 4 bounding-box edges."""
    rotate, mbox, edges = ROTATE[page.get_rotation() % 360], page.get_mediabox(), []
    for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        if pdfium_raw.FPDFPath_CountSegments(obj) <= 5:
            x0, top, x1, bottom = rotate(*(obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()), mbox)
            for a, b, t, u, o in ((x0, x1, top, top, "h"), (x0, x1, bottom, bottom, "h"),
                                  (x0, x0, top, bottom, "v"), (x1, x1, top, bottom, "v")):
                edges.append({"x0": a, "x1": b, "top": t, "bottom": u, "width": b - a, "height": u - t,
                              "orientation": o})
    return edges


def chars_to_text(chars: list[Char], tol: float = 3.0) -> str:
    """Cluster chars into lines by vertical centre, read each line left to right."""
    lines: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: c[2] + c[4]):
        if lines and abs((c[2] + c[4]) - (lines[-1][0][2] + lines[-1][0][4])) / 2 <= tol:
            lines[-1].append(c)
        else:
            lines.append([c])
    return "\n".join("".join(c[0] for c in sorted(line, key=lambda c: c[1])) for line in lines)


def pdfium_tables(page: Any) -> list[Rows]:
    """Fast path: pypdfium2 chars + ruling lines fed to pdfplumber's (MIT) grid geometry."""
    edges = [e for e in pt.merge_edges(pdfium_edges(page), 3, 3, 3, 3)
             if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 3]
    cells = pt.intersections_to_cells(pt.edges_to_intersections(edges, 3, 3))
    chars, tables = pdfium_chars(page), []
    for table in pt.cells_to_tables(cells):
        xs0, tops, xs1, bottoms = zip(*table, strict=True)
        x0, top, x1, bottom = min(xs0), min(tops), max(xs1), max(bottoms)
        inside = [c for c in chars if x0 <= (c[1] + c[3]) / 2 <= x1 and top <= (c[2] + c[4]) / 2 <= bottom]
        rows: dict[float, list[tuple[float, str]]] = {}
        for cx0, ctop, cx1, cbottom in table:
            txt = chars_to_text([c for c in inside if cx0 <= (c[1] + c[3]) / 2 <= cx1
                                 and ctop <= (c[2] + c[4]) / 2 <= cbottom])
            rows.setdefault(round(ctop, 1), []).append((cx0, txt))
        tables.append([[t for _, t in sorted(r)] for _, r in sorted(rows.items())])
    return tables


@dataclass
class Library:
    module: str
    open: Callable[[Path], Any]
    pages: Callable[[Any], Iterator[Any]]
    text: Callable[[Any], str]  # (a) raw text
    words: Callable[[Any], Any]  # (b) words / characters with coordinates
    chars_lines: Callable[[Any], Any]  # raw material for a table finder: chars + ruling lines
    tables: Callable[[Any], list[Rows]]  # (c) tables as rows of cell strings


LIBRARIES = {
    "pdfplumber": Library(
        "pdfplumber", pdfplumber.open, lambda d: iter(d.pages), lambda p: p.extract_text() or "",
        lambda p: p.extract_words(), lambda p: (p.chars, p.edges), lambda p: p.extract_tables()),
    "pypdfium2": Library(  # tables = fast path above (pypdfium2 has no table finder)
        "pypdfium2", pdfium.PdfDocument, lambda d: (d[i] for i in range(len(d))),
        lambda p: p.get_textpage().get_text_range(), pdfium_chars,
        lambda p: (pdfium_chars(p), pdfium_edges(p)), pdfium_tables),
    "pymupdf": Library(
        "pymupdf", pymupdf.open, lambda d: iter(d), lambda p: p.get_text(), lambda p: p.get_text("words"),
        lambda p: (p.get_text("rawdict"), p.get_drawings()),
        lambda p: [t.extract() for t in p.find_tables(**PYMUPDF_TABLE_KWARGS).tables]),
}


def each_page(lib: Library, pdfs: list[Path]) -> Iterator[tuple[Path, int, Any]]:
    for pdf in pdfs:
        with closing(lib.open(pdf)) as doc:
            yield from ((pdf, number, page) for number, page in enumerate(lib.pages(doc), start=1))


def time_task(lib: Library, task: str, pdfs: list[Path]) -> tuple[int, float, float]:
    func, cpu, wall = getattr(lib, task), time.process_time(), time.perf_counter()  # CPU: robust on a busy box
    pages = sum(1 for _, _, page in each_page(lib, pdfs) if func(page) or True)
    return pages, time.process_time() - cpu, time.perf_counter() - wall


def vm_mb(key: str) -> float:
    """VmRSS (current) or VmHWM (peak) of this process in MB; Linux only."""
    return int(re.search(rf"{key}:\s+(\d+)", Path("/proc/self/status").read_text())[1]) / 1024


def memory_child(name: str, pdfs: list[Path], pymupdf_kwargs: dict[str, Any]) -> dict[str, Any]:
    """Runs in a fresh process: peak working set of all tasks (above the imports), text char statistics."""
    PYMUPDF_TABLE_KWARGS.update(pymupdf_kwargs)
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak-RSS mark after the imports
    lib, base, stats = LIBRARIES[name], vm_mb("VmRSS"), dict.fromkeys(CHAR_CLASSES, 0)
    for task in TASKS:
        for _, _, page in each_page(lib, pdfs):
            out = getattr(lib, task)(page)
            for key, pattern in CHAR_CLASSES.items() if task == "text" else ():
                stats[key] += len(pattern.findall(out))
    probe = "import re,{};print(re.search(r'VmRSS:\\s+(\\d+)',open('/proc/self/status').read())[1])"
    rss = [int(subprocess.check_output([sys.executable, "-c", probe.format(m)])) / 1024 for m in ("re", lib.module)]
    return {"import_mb": round(rss[1] - rss[0], 1), "peak_growth_mb": round(vm_mb("VmHWM") - base, 1), **stats}


def row_score(row: list[str | None], exp: Expected) -> float:
    """2 if the row holds the expected code, +1 if it holds the label; unlabelled expectations: 0.5 anywhere."""
    cells = [norm(c) for c in row]
    digits = [c if c.isdigit() and len(c) <= 7 else "|" for c in cells]
    codes = set(digits) | set("".join(digits).split("|"))  # codes may be split over 类|款|项 columns
    return (2 * bool(exp.code and exp.code in codes) + bool(exp.name and norm(exp.name) in "".join(cells))
            or 0.5 * (not exp.code and not exp.name))  # e.g. the single data row of the 三公 table


def accuracy(lib: Library, expected: list[Expected]) -> dict[str, Any]:
    by_page: dict[tuple[Path, int], list[Expected]] = {}
    for e in expected:
        by_page.setdefault((e.pdf, e.page), []).append(e)
    hits, labels, misses = dict.fromkeys(("text_amounts", "cell_amounts", "text_labels", "row_labels"), 0), 0, []
    for pdf in sorted({p for p, _ in by_page}):
        for _, number, page in (x for x in each_page(lib, [pdf]) if (pdf, x[1]) in by_page):
            exps, text = by_page[(pdf, number)], lib.text(page)
            tokens = [amount(t) for t in NUMBER.findall(unicodedata.normalize("NFKC", text))]
            flat, tables = norm(text), lib.tables(page)
            cells = [(ti, ri, ci, amount(c)) for ti, t in enumerate(tables)
                     for ri, r in enumerate(t) for ci, c in enumerate(r)]
            hits["text_amounts"] += sum((Counter(e.value for e in exps) & Counter(tokens)).values())  # multiset
            ranked = sorted(((row_score(tables[ti][ri], e), i, (ti, ri, ci)) for i, e in enumerate(exps)
                             for ti, ri, ci, v in cells if v == e.value), key=lambda x: -x[0])
            done: dict[int, tuple[int, int, int]] = {}  # expected -> cell, best row score first
            for score, i, cell in ranked:
                if score and i not in done and cell not in done.values():
                    done[i] = cell
            hits["cell_amounts"] += len(done)
            misses += [f"{pdf.parent.name}/{pdf.name} p{number} {e.code} {e.name} {e.value}"
                       for i, e in enumerate(exps) if i not in done]
            for e in {(e.name, e.code): e for e in exps if e.name}.values():
                labels += 1
                hits["text_labels"] += norm(e.name) in flat
                hits["row_labels"] += any(norm(e.name) in "".join(norm(c) for c in r) for t in tables for r in t)
    n = len(expected)
    shares = {f"{k}_share": round(v / d, 3) if (d := labels if "labels" in k else n) else None for k, v in hits.items()}
    return {"expected": n, "labels": labels, **hits, **shares, "cell_misses": misses}


def load_extra(golden_csv: Path, corpus: Path | None) -> list[Expected]:
    """benchmarks/golden_pdf_pages.csv (corpus_path,page,row_code,row_name,value), typed from page images."""
    ok = corpus is not None and corpus.is_dir() and golden_csv.is_file()
    rows = csv.DictReader(golden_csv.read_text(encoding="utf-8").splitlines()) if ok else []
    return [Expected(corpus / r["corpus_path"], int(r["page"]), r["row_code"].strip(), r["row_name"].strip(), v)
            for r in rows if (corpus / r["corpus_path"]).is_file() and (v := amount(r["value"])) is not None]


def load_tests_golden(golden_dir: Path, corpus: Path) -> list[Expected]:
    """tests/golden/<document_id>/amounts.csv (file,page,table_id,row_code,row_name,column,value)."""
    out: list[Expected] = []
    for path in sorted(golden_dir.glob("*/amounts.csv")) if golden_dir.is_dir() else []:
        doc_id = path.parent.name  # corpus folders may carry an "NN_" prefix
        folders = [d for d in corpus.iterdir() if re.fullmatch(rf"(\d\d_)?{re.escape(doc_id)}", d.name)]
        for r in csv.DictReader(path.read_text(encoding="utf-8").splitlines()):
            pdf = next((d / Path(r["file"]).name for d in folders if (d / Path(r["file"]).name).is_file()), None)
            if pdf and (v := amount(r["value"])) is not None and r["page"].strip().isdigit():
                out.append(Expected(pdf, int(r["page"]), r["row_code"].strip(), r["row_name"].strip(), v))
    return out


def markdown(results: dict[str, dict[str, Any]]) -> str:
    def share(acc: dict[str, Any], key: str) -> str:
        return f"{acc[key + '_share']:.1%} ({acc[key]})" if acc.get(key + "_share") is not None else "–"
    head = ("| library | licence | text p/CPU-s | words/chars p/CPU-s | chars+lines p/CPU-s | tables p/CPU-s | "
            "amounts in text | amounts in right table row | labels in text | labels in a table row | "
            "import MB | peak growth MB | FW punct / FW digits / radicals / PUA |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for name, r in results.items():
        a, m, s = r["accuracy"], r["memory"], r["speed"]
        cols = [name, LICENCES[name], *(f"{s[t]['pages_per_s']:.1f}" for t in TASKS),
                *(share(a, k) for k in ("text_amounts", "cell_amounts", "text_labels", "row_labels")),
                str(m["import_mb"]), str(m["peak_growth_mb"]), " / ".join(str(m[k]) for k in CHAR_CLASSES)]
        lines.append("| " + " | ".join(cols) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=REPO / "raw", help="folder searched recursively for *.pdf")
    ap.add_argument("--extra-corpus", type=Path, default=REPO / "tests" / "fixtures" / "corpus",
                    help="corpus folder for --golden-pages (skipped if absent)")
    ap.add_argument("--golden-pages", type=Path, default=REPO / "benchmarks" / "golden_pdf_pages.csv")
    ap.add_argument("--golden-dir", type=Path, default=REPO / "tests" / "golden")
    ap.add_argument("--repeat", type=int, default=1, help="timing passes; the best (least CPU) is reported")
    ap.add_argument("--libraries", default=",".join(LIBRARIES))
    ap.add_argument("--pymupdf-layout", action="store_true", help="let find_tables use pymupdf_layout")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    if "use_layout" in inspect.signature(pymupdf.table.find_tables).parameters:
        PYMUPDF_TABLE_KWARGS["use_layout"] = args.pymupdf_layout
    pdfs = sorted(args.corpus.rglob("*.pdf"))
    tests = load_tests_golden(args.golden_dir, args.corpus)
    covered = {(e.pdf.parent.name, e.pdf.name, e.page) for e in tests}  # tests/golden wins on shared pages
    expected = tests + [e for e in load_extra(args.golden_pages, args.extra_corpus)
                        if (e.pdf.parent.name, e.pdf.name, e.page) not in covered]
    print(f"{len(pdfs)} PDFs under {args.corpus}; {len(expected)} expected amounts on "
          f"{len({(e.pdf, e.page) for e in expected})} golden pages")
    results: dict[str, dict[str, Any]] = {}
    for name in args.libraries.split(","):
        lib, speed = LIBRARIES[name], {}
        for task in TASKS:
            runs = [time_task(lib, task, pdfs) for _ in range(max(1, args.repeat))]
            pages, best, wall = runs[0][0], min(r[1] for r in runs), min(r[2] for r in runs)
            speed[task] = {"pages": pages, "cpu_s": round(best, 3), "wall_s": round(wall, 3),
                           "pages_per_s": pages / best if best else 0.0, "pages_per_wall_s": pages / wall}
            print(f"  {name:10} {task:12} {pages} pages {best:7.2f} s CPU {wall:7.2f} s wall {pages / best:7.1f} p/s")
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            memory = pool.submit(memory_child, name, pdfs, PYMUPDF_TABLE_KWARGS).result()
        results[name] = {"speed": speed, "accuracy": accuracy(lib, expected), "memory": memory}
    print("\n" + markdown(results))
    if args.json:
        meta = {"corpus": str(args.corpus), "pdfs": len(pdfs), "repeat": args.repeat, "pymupdf_tables":
                PYMUPDF_TABLE_KWARGS, "versions": [pdfplumber.__version__, pymupdf.__version__,
                                                   str(pdfium.version.PYPDFIUM_INFO), str(pdfium.version.PDFIUM_INFO)]}
        args.json.write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
