"""Where a publication's time goes: cProfile over the whole path (read -> package written).

Every publication with a PDF in the manifests (by default both shared corpora, as
benchmarks/corpus.py) is processed and its package written to a temporary folder, under one
cProfile. Printed: the stages (cumulative CPU of the functions that make up the path) and
the functions with the most own time.

    python benchmarks/profile_pipeline.py [--reader pdfium|pdfplumber] [--top 25] [--limit N] [--dump FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from yusuan.core.errors import YusuanError  # noqa: E402
from yusuan.ingest.sources import read_manifest  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", SHARED / "corpus-wide" / "manifest.csv"]
# (stage, module file suffix, function name): cumulative time of each is one stage of the path
STAGES = [
    ("read PDF (whole reader)", "extract/pdf.py", "pdf_to_blocks"),
    ("read PDF (whole reader)", "extract/pdfium.py", "pdf_to_blocks"),
    ("  PDFium characters", "extract/pdfium.py", "_read_chars"),
    ("  PDFium paths", "extract/pdfium.py", "_graphics"),
    ("  tables and lines of a page", "extract/pdf.py", "page_to_blocks"),
    ("  duplicate characters", "extract/pdf.py", "unique_chars"),
    ("text grids to lines", "yusuan/layout/tables.py", "text_grids_to_lines"),
    ("page furniture", "yusuan/layout/page_furniture.py", "mark_page_furniture"),
    ("table stage", "yusuan/layout/tables.py", "blocks_to_raw_tables"),
    ("normalize", "yusuan/interpret/normalize.py", "raw_table_to_rows"),
    ("narrative", "yusuan/interpret/narrative.py", "lines_to_sections"),
    ("checks (rules)", "yusuan/checks/run.py", "run_checks"),
    ("Frictionless validation", "yusuan/checks/schema_validation.py", "validate_staged"),
    ("package writing", "yusuan/package/writer.py", "write_package"),
]


def run(documents: list, output: Path) -> int:
    """Process every publication and write its package; the number of packages written."""
    from yusuan.package.process import process_document
    from yusuan.package.writer import write_package

    written = 0
    for document in documents:
        try:
            write_package(process_document(document), output)
            written += 1
        except YusuanError:
            continue
    return written


def stage_table(stats: pstats.Stats) -> list[tuple[str, float]]:
    rows: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        for stage, suffix, function in STAGES:
            if name == function and filename.endswith(suffix):
                rows[stage] = rows.get(stage, 0.0) + cumulative
    return [(stage, rows.get(stage, 0.0)) for stage in dict.fromkeys(s for s, _f, _n in STAGES)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--reader", choices=["pdfium", "pdfplumber"], default="pdfium")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--limit", type=int, help="only the first N publications")
    parser.add_argument("--dump", type=Path, help="also write the raw cProfile stats here (for pstats: callers, callees)")
    args = parser.parse_args()
    import yusuan.extract as extract
    from yusuan.core.schemas import load_registry
    from yusuan.extract import pdf, pdfium

    extract.READERS[".pdf"] = {"pdfplumber": pdf.pdf_to_blocks, "pdfium": pdfium.pdf_to_blocks}[args.reader]
    documents = [d for m in args.manifest for d in read_manifest(m) if any(f.path.suffix.lower() == ".pdf" for f in d.files)]
    documents = documents[: args.limit] if args.limit else documents
    load_registry()
    import frictionless  # noqa: F401  (its import is a one-off cost, not a publication's)

    profile = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
    with tempfile.TemporaryDirectory(prefix="yusuan-profile-") as output:
        start = time.process_time()
        profile.enable()
        written = run(documents, Path(output))
        profile.disable()
        total = time.process_time() - start
    stats = pstats.Stats(profile)
    if args.dump:
        stats.dump_stats(args.dump)
    print(f"{len(documents)} publications with PDFs, {written} packages written, reader {args.reader}: {total:.1f} CPU-s (under cProfile)\n")
    print("| stage | CPU-s (cumulative, profiled) | share |\n|---|---:|---:|")
    for stage, seconds in stage_table(stats):
        print(f"| {stage} | {seconds:.2f} | {100 * seconds / total:.0f} % |")
    print("\n| function (own time) | calls | own s | cumulative s |\n|---|---:|---:|---:|")
    ranked = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
    for (filename, line, name), (_cc, calls, own, cumulative, _callers) in ranked[: args.top]:
        where = "/".join(Path(filename).parts[-2:]) if filename != "~" else "builtin"
        print(f"| {where}:{line} {name} | {calls} | {own:.2f} | {cumulative:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
