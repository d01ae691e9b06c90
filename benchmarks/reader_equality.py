"""The PDFium reader against the pdfplumber reader: every row of every resource, per publication.

Both readers run every publication of the manifests that has a PDF (by default both shared
corpora) through the whole library path (``process_document``: tables, normalisation,
narrative, checks). Every row of every resource must come out identical: the amounts with
their value, label, code, measure, side, unit, yuan, page and table, and everything else.
A publication whose outputs differ is listed with the first differing rows; a difference
that is an improvement must be explained in docs/corpus-ledger.md before it lands.

    python benchmarks/reader_equality.py                  # both shared corpora
    python benchmarks/reader_equality.py --only ID ... --cache /tmp/readers

``--cache DIR`` keeps the pdfplumber reader's outputs (keyed by the files' sha256 and the
commit of the code is not part of the key: clear the folder after a change to the parser).
Exit status 1 when any publication differs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from yusuan.core.model import SourceDocument  # noqa: E402
from yusuan.ingest.sources import read_manifest  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", SHARED / "corpus-wide" / "manifest.csv"]  # as benchmarks/corpus.py
AMOUNT_FIELDS = ("amount", "label", "code", "measure", "side", "unit", "amount_yuan", "page", "table_id")


def reader_outputs(document: SourceDocument, reader: str) -> dict[str, Any]:
    """Every resource's rows (values as text) of one publication read with this PDF reader,
    or the error it was refused with."""
    import yusuan.extract as extract
    from yusuan.core.errors import YusuanError
    from yusuan.extract import pdf, pdfium
    from yusuan.package.process import process_document

    default = extract.READERS[".pdf"]
    extract.READERS[".pdf"] = {"pdfplumber": pdf.pdf_to_blocks, "pdfium": pdfium.pdf_to_blocks}[reader]
    start = time.process_time()
    try:
        result = process_document(document)
    except YusuanError as exc:
        return {"error": str(exc), "cpu_seconds": time.process_time() - start}
    finally:
        extract.READERS[".pdf"] = default
    resources = {name: [{key: _text(value) for key, value in row.items()} for row in rows] for name, rows in result.resources.items()}
    return {"resources": resources, "cpu_seconds": time.process_time() - start}


def _text(value: Any) -> Any:
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def differences(old: dict[str, Any], new: dict[str, Any], limit: int = 5) -> list[str]:
    """What differs between two outputs, in words (at most ``limit`` rows per resource)."""
    if "error" in old or "error" in new:
        return [] if old.get("error") == new.get("error") else [f"refused: {old.get('error')!r} -> {new.get('error')!r}"]
    found = []
    for name in sorted(set(old["resources"]) | set(new["resources"])):
        before, after = old["resources"].get(name, []), new["resources"].get(name, [])
        if before == after:
            continue
        found.append(f"{name}: {len(before)} rows -> {len(after)} rows")
        shown = 0
        for index, (a, b) in enumerate(zip(before, after, strict=False)):
            if a != b and shown < limit:
                fields = AMOUNT_FIELDS if name == "amounts" else sorted(set(a) | set(b))
                changed = {k: (a.get(k), b.get(k)) for k in fields if a.get(k) != b.get(k)} or {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}
                found.append(f"  row {index}: {changed}")
                shown += 1
    return found


def compare_document(document: SourceDocument, cache: Path | None) -> tuple[str, list[str], float, float]:
    cached = cache / f"{document.document_id}-{document.files[0].sha256[:16]}.json" if cache else None
    if cached is not None and cached.is_file():
        old = json.loads(cached.read_text(encoding="utf-8"))
    else:
        old = reader_outputs(document, "pdfplumber")
        if cached is not None:
            cached.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    new = reader_outputs(document, "pdfium")
    return document.document_id, differences(old, new), old["cpu_seconds"], new["cpu_seconds"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--only", nargs="+", help="only these document ids")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, help="keep the pdfplumber reader's outputs here")
    args = parser.parse_args()
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    documents = [d for m in args.manifest for d in read_manifest(m) if any(f.path.suffix.lower() == ".pdf" for f in d.files)]
    if args.only:
        documents = [d for d in documents if d.document_id in args.only]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        outcomes = list(pool.map(compare_document, documents, [args.cache] * len(documents)))
    differing = [(doc_id, diffs) for doc_id, diffs, _old, _new in outcomes if diffs]
    old_cpu, new_cpu = sum(o[2] for o in outcomes), sum(o[3] for o in outcomes)
    print(f"{len(documents)} publications with PDFs; identical: {len(documents) - len(differing)}; differing: {len(differing)}")
    print(f"CPU seconds (whole path): pdfplumber reader {old_cpu:.1f}, PDFium reader {new_cpu:.1f}")
    for doc_id, diffs in differing:
        print(f"\n{doc_id}")
        for line in diffs:
            print(f"  {line}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
