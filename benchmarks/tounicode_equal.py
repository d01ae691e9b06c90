"""Every ToUnicode CMap of both corpora read by pdf_tounicode and by pdfminer's parser.

For every PDF of the manifests (by default both shared corpora) and of tests/fixtures, every
object of the file that has a ``/ToUnicode`` stream (fonts of pages, of forms, unused
ones) is found through pdfminer's cross-reference tables; its CMap is read by pdfminer's
``CMapParser`` and by ``pdf_tounicode.FastCMapParser`` into fresh maps, and the two maps
(``attrs`` and ``cid2unichr``, or the error raised) must be equal. Prints the count of
CMaps, how many the plain reader took itself, the CPU of each, and every difference (exit 1).

    python benchmarks/tounicode_equal.py [--manifest M ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.speed import DEFAULT_MANIFESTS, pdf_documents, pdf_files  # noqa: E402


def tounicode_streams(path: Path) -> list[bytes]:
    """The decoded data of every /ToUnicode stream an object of the file names (each once)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1

    found: dict[Any, bytes] = {}
    with open(path, "rb") as handle:
        try:
            document = PDFDocument(PDFParser(handle))
        except Exception:
            return []
        for xref in document.xrefs:
            for objid in xref.get_objids():
                try:
                    obj = document.getobj(objid)
                except Exception:
                    continue
                spec = obj.attrs if isinstance(obj, PDFStream) else obj
                if not isinstance(spec, dict) or "ToUnicode" not in spec:
                    continue
                ref = spec["ToUnicode"]
                key = ref.objid if isinstance(ref, PDFObjRef) else (objid, "direct")
                stream = resolve1(ref)
                if key not in found and isinstance(stream, PDFStream):
                    try:
                        found[key] = stream.get_data()
                    except Exception:
                        continue
    return list(found.values())


def read(parser: Any, data: bytes) -> tuple[Any, ...]:
    """The map a parser class makes of ``data``: (attrs, cid2unichr) or the error."""
    from pdfminer.cmapdb import FileUnicodeMap

    cmap = FileUnicodeMap()
    try:
        parser(cmap, BytesIO(data)).run()
    except Exception as exc:  # compared: both must raise the same
        return ("error", type(exc).__name__, str(exc))
    return (cmap.attrs, cmap.cid2unichr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    args = parser.parse_args()
    import logging

    from pdfminer.cmapdb import CMapParser

    from yusuan.extract.pdf_tounicode import FastCMapParser, NotPlain, read_plain

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    paths = pdf_files(pdf_documents(args.manifest)) + sorted(
        (ROOT / "tests" / "fixtures").rglob("*.pdf")
    )
    count = plain = 0
    cpu = {"pdfminer": 0.0, "pdf_tounicode": 0.0}
    differences = []
    for path in paths:
        for data in tounicode_streams(path):
            count += 1
            try:
                read_plain(data)
                plain += 1
            except NotPlain:
                pass
            except Exception:
                pass
            started = time.process_time()
            theirs = read(CMapParser, data)
            cpu["pdfminer"] += time.process_time() - started
            started = time.process_time()
            ours = read(FastCMapParser, data)
            cpu["pdf_tounicode"] += time.process_time() - started
            if ours != theirs:
                differences.append(f"{path}: a CMap of {len(data)} bytes")
    print(f"{len(paths)} PDFs, {count} ToUnicode CMaps, {plain} read by the plain reader itself")
    print(f"CPU s: pdfminer {cpu['pdfminer']:.2f}, pdf_tounicode {cpu['pdf_tounicode']:.2f}")
    print(f"CMaps that differ: {len(differences)}")
    for line in differences:
        print(f"  {line}")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
