"""Pages per CPU-second of yusuan's whole path beside the raw-text floor and the usual tool.

On the PDFs of the publications of both shared corpora, in one command:

- raw text: pypdfium2 ``get_text_range`` of every page (the floor: nothing is faster);
- pdfplumber ``extract_tables`` of every page (the usual tool);
- yusuan: every publication read, normalised, checked and its package written (CSV, Parquet,
  datapackage.json) to a temporary folder: the library path, no Prefect;
- with ``--before``, yusuan again with the pdfplumber reader (yusuan/extract/pdf.py), in
  ``--before-repeat`` passes (1: it takes several minutes).

Each pass runs in a fresh worker process, which reports its CPU time and its peak resident
memory (ru_maxrss); each figure is the median of ``--repeat`` passes (3). Then one profiled
pass of the yusuan path prints where its time goes (benchmarks/profile_pipeline.py).

    python benchmarks/speed.py [--repeat 3] [--before] [--no-profile] [--yusuan-only] [--write-to DIR]

``--write-to`` puts the packages under DIR instead of the system's temporary folder. On this
project's benchmark machine (a VM whose root ext4 is mounted with ``discard``), creating a file
costs 0.3–0.7 ms of system CPU (2,845 small files: 0.9–2.0 CPU-s, growing after deletions),
against 0.03 ms on tmpfs (0.09 CPU-s): ``--write-to /dev/shm`` shows the library's own work
apart from that file system's (stop 35). The default stays the temporary folder, as before.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from yusuan.core.model import SourceDocument  # noqa: E402
from yusuan.ingest.sources import read_manifest  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", SHARED / "corpus-wide" / "manifest.csv"]


def pdf_documents(manifests: list[Path]) -> list[SourceDocument]:
    return [d for m in manifests for d in read_manifest(m) if any(f.path.suffix.lower() == ".pdf" for f in d.files)]


def pdf_files(documents: list[SourceDocument]) -> list[Path]:
    return [f.path for d in documents for f in d.files if f.path.suffix.lower() == ".pdf"]


def raw_text(documents: list[SourceDocument]) -> int:
    import pypdfium2

    pages = 0
    for path in pdf_files(documents):
        document = pypdfium2.PdfDocument(path)
        try:
            for page in document:
                page.get_textpage().get_text_range()
            pages += len(document)
        finally:
            document.close()
    return pages


def pdfplumber_tables(documents: list[SourceDocument]) -> int:
    import pdfplumber

    pages = 0
    for path in pdf_files(documents):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.flush_cache()
            pages += len(pdf.pages)
    return pages


def _yusuan(documents: list[SourceDocument], reader: str) -> int:
    import pypdfium2

    import yusuan.extract as extract
    from yusuan.core.errors import YusuanError
    from yusuan.extract import pdf, pdfium
    from yusuan.package.process import process_document
    from yusuan.package.writer import write_package

    extract.READERS[".pdf"] = {"pdfium": pdfium.pdf_to_blocks, "pdfplumber": pdf.pdf_to_blocks}[reader]
    output = Path(tempfile.mkdtemp(prefix="yusuan-speed-", dir=os.environ.get(WRITE_TO) or None))
    WRITTEN.append(output)  # deleted by remove_written, after the clock: deleting a package is no part of writing it
    for document in documents:
        try:
            write_package(process_document(document), output)
        except YusuanError:
            continue  # refused or blocked: its reading still counts, as in a real run
    return sum(len(pypdfium2.PdfDocument(path)) for path in pdf_files(documents))  # ~1 ms


# The folders the passes wrote their packages into. Up to stop 33 a pass deleted them before
# its clock stopped, work a real run never does. It costs little CPU (stop 34: 0.06 CPU-s for
# 2,664 files, in a 20.9 CPU-s pass); py-spy's 1.6 sampled s for it were mostly waiting on the
# file system, which sampled_profile.py counted as the path's time.
WRITTEN: list[Path] = []
WRITE_TO = "YUSUAN_SPEED_WRITE_TO"  # --write-to, passed to the pass workers through their environment


def remove_written() -> None:
    """Delete the packages the passes wrote (outside any timed region)."""
    while WRITTEN:
        shutil.rmtree(WRITTEN.pop(), ignore_errors=True)


def yusuan_pdfium(documents: list[SourceDocument]) -> int:
    return _yusuan(documents, "pdfium")


def yusuan_pdfplumber(documents: list[SourceDocument]) -> int:
    return _yusuan(documents, "pdfplumber")


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (a long PDF's page workers)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed_pass(func: Callable[[list[SourceDocument]], int], documents: list[SourceDocument]) -> tuple[int, float, float]:
    """Pages, CPU seconds and peak RSS (MiB) of one pass in this (fresh) worker."""
    from yusuan.core.schemas import load_registry

    load_registry()  # schemas are read once, outside the timed pass
    import_modules(func)
    start, children = time.process_time(), _children_cpu()
    pages = func(documents)
    seconds = time.process_time() - start + _children_cpu() - children  # with the page pool's workers (yusuan/extract/page_pool.py)
    remove_written()
    return pages, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# The modules each pass imports, loaded before its clock starts: a worker imports them once,
# whatever number of publications it then reads, so they are not a page's cost (in a run of a
# thousand publications they are nothing). Up to stop 28 only frictionless and the path's first
# module were loaded so; the rest (the package writer's modules and pyarrow, which imports pandas
# at its first array made from a Python list, ~0.4 CPU-s; frictionless's plugins at the first
# validation, which lists every module of sys.path to find them) were counted in every yusuan
# pass, and the libraries' own imports in theirs.
ONE_OFF_IMPORTS = {
    "raw_text": ["pypdfium2"],
    "pdfplumber_tables": ["pdfplumber"],
    "yusuan": [
        "pypdfium2",
        "frictionless",
        "pandas",  # imported by pyarrow's first pa.array of a list (its pandas shim)
        "pyarrow.pandas_compat",
        "jsonschema",  # frictionless checks descriptors with it
        "slugify",
        "yusuan.package.process",
        "yusuan.package.writer",
        "yusuan.package.staged_validation",
        "yusuan.checks.schema_proof",
        "yusuan.checks.frictionless_staged",
        "yusuan.checks.frictionless_fields",
    ],
}


def import_modules(func: Callable[[list[SourceDocument]], int]) -> None:
    """Import what ``func``'s pass would import, outside its timed part (ONE_OFF_IMPORTS)."""
    import importlib

    key = "yusuan" if func in (yusuan_pdfium, yusuan_pdfplumber) else func.__name__
    for name in ONE_OFF_IMPORTS.get(key, []):
        importlib.import_module(name)
    if key == "yusuan":
        from frictionless import system

        system.methods  # noqa: B018  (its plugins: every module of sys.path listed, ~160 imported, once per process)


def median_pass(func: Callable[[list[SourceDocument]], int], documents: list[SourceDocument], repeat: int) -> tuple[int, float, float]:
    runs = []
    for _ in range(repeat):
        with ProcessPoolExecutor(max_workers=1) as worker:
            runs.append(worker.submit(timed_pass, func, documents).result())
    return runs[0][0], statistics.median(r[1] for r in runs), max(r[2] for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", action="store_true", help="also yusuan with the pdfplumber reader")
    parser.add_argument("--before-repeat", type=int, default=1, help="passes of the --before run (it is slow)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--yusuan-only", action="store_true", help="only the yusuan pass (PDFium reader): to compare two trees of the library; no ratios")
    parser.add_argument("--write-to", type=Path, help="write the packages under this folder (e.g. /dev/shm) instead of the temporary folder")
    args = parser.parse_args()
    if args.write_to:
        os.environ[WRITE_TO] = str(args.write_to)
    documents = pdf_documents(args.manifest)
    passes: list[tuple[str, Callable[[list[SourceDocument]], int]]] = [
        ("raw text (pypdfium2)", raw_text),
        ("pdfplumber extract_tables", pdfplumber_tables),
        ("yusuan, read -> package written (PDFium reader)", yusuan_pdfium),
    ]
    if args.yusuan_only:
        passes = passes[2:]
    if args.before:
        passes.append(("yusuan, read -> package written (pdfplumber reader, before)", yusuan_pdfplumber))
    rows = [(label, *median_pass(func, documents, args.before_repeat if func is yusuan_pdfplumber else args.repeat)) for label, func in passes]
    rate = {label: pages / seconds for label, pages, seconds, _peak in rows}
    print(f"{len(documents)} publications, {len(pdf_files(documents))} PDFs, {rows[0][1]} pages; median of {args.repeat} passes (--before: {args.before_repeat}), CPU time; packages written under {args.write_to or tempfile.gettempdir()}\n")
    print("| pass | pages | CPU s | pages per CPU-s | × pdfplumber extract_tables | ÷ raw text | peak RSS of the worker, MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, pages, seconds, peak in rows:
        ratios = "| | |" if args.yusuan_only else f"| {rate[label] / rate[passes[1][0]]:.2f} | {rate[passes[0][0]] / rate[label]:.1f} |"
        print(f"| {label} | {pages} | {seconds:.1f} | {pages / seconds:.1f} {ratios} {peak:.0f} |")
    if not args.no_profile:
        import subprocess

        print()
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "profile_pipeline.py"), "--top", "15", "--manifest", *map(str, args.manifest)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
