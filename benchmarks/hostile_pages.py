"""Time of the PDF reader on synthetic hostile pages: it must grow linearly with the page.

Two kinds of page, written by a minimal PDF writer (no dependency):

* N tiny characters (1 pt, in rows 1.5 pt apart): pdfplumber's ``dedupe_chars`` was
  quadratic in N (60,000 characters, a 1.5 KB file, took > 4 min);
* a K×K ruled grid with a digit in every cell: dropping frame cells (``_without_frames``)
  compared every cell with every other one (K=100: 30 s).

    python benchmarks/hostile_pages.py                 # N = 3k 6k 12k 24k, K = 25 50 100
    python benchmarks/hostile_pages.py --chars 3000 60000 --grids 25 200

Prints the seconds per page, per character (N) or per cell (K², the crossings of a K×K
grid: the natural size of a grid), and per ruling line (2(K+1), grows as K when the work is
linear in the cells), and each size's time per unit against the smallest size of the same
run (1.0 = linear; quadratic doubles with each doubling of N, and quadruples with each
doubling of K).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yusuan.core.model import SourceFile  # noqa: E402
from yusuan.extract.pdf import pdf_to_blocks  # noqa: E402

PAGE_WIDTH, PAGE_HEIGHT = 595, 842


def write_pdf(path: Path, content: bytes, compress: bool = True, raw_stream: bytes | None = None, encrypt: bytes | None = None) -> Path:
    """A one-page PDF with Helvetica as /F1 and this content stream (Flate-compressed
    unless told otherwise; ``raw_stream`` writes given bytes declared as FlateDecode;
    ``encrypt``, an /Encrypt dictionary, is added as an object the trailer points at)."""
    if raw_stream is not None:
        stream, filters = raw_stream, b"/Filter /FlateDecode "
    elif compress:
        stream, filters = zlib.compress(content, 9), b"/Filter /FlateDecode "
    else:
        stream, filters = content, b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< " + filters + b"/Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    trailer = b""
    if encrypt is not None:
        objects.append(encrypt)
        trailer = b" /Encrypt %d 0 R /ID [<%s><%s>]" % (len(objects), b"ab" * 16, b"ab" * 16)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    path.write_bytes(bytes(out))
    return path


def tiny_chars_content(n: int) -> bytes:
    """N distinct 1-pt characters in rows 1.5 pt apart, filling the page from the top."""
    per_row = int((PAGE_WIDTH - 20) / 1.5)
    parts = [b"BT /F1 1 Tf"]
    for i in range(n):
        x = 10 + (i % per_row) * 1.5
        y = PAGE_HEIGHT - 10 - (i // per_row) * 1.5
        parts.append(b"1 0 0 1 %.1f %.1f Tm (%c) Tj" % (x, y, 65 + i % 26))
    parts.append(b"ET")
    return b"\n".join(parts)


def ruled_grid_content(k: int) -> bytes:
    """A K×K grid of ruled cells filling the page, a digit in every cell."""
    left, top, width, height = 20.0, PAGE_HEIGHT - 20.0, PAGE_WIDTH - 40.0, PAGE_HEIGHT - 40.0
    w, h = width / k, height / k
    parts = [b"0.3 w"]
    for i in range(k + 1):
        parts.append(b"%.2f %.2f m %.2f %.2f l S" % (left, top - i * h, left + width, top - i * h))
        parts.append(b"%.2f %.2f m %.2f %.2f l S" % (left + i * w, top, left + i * w, top - height))
    size = max(min(w, h) * 0.6, 1)
    parts.append(b"BT /F1 %.2f Tf" % size)
    for r in range(k):
        for c in range(k):
            parts.append(b"1 0 0 1 %.2f %.2f Tm (%d) Tj" % (left + c * w + 0.5, top - (r + 1) * h + 0.5, (r + c) % 10))
    parts.append(b"ET")
    return b"\n".join(parts)


def time_extraction(path: Path) -> float:
    started = time.perf_counter()
    pdf_to_blocks(SourceFile(path=path, role="publication", sha256=""))
    return time.perf_counter() - started


def run(chars: list[int], grids: list[int]) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for n in chars:
            path = write_pdf(Path(folder) / f"chars-{n}.pdf", tiny_chars_content(n))
            rows.append({"case": "tiny characters", "size": n, "units": n, "unit": "char", "bytes": path.stat().st_size, "seconds": time_extraction(path)})
        for k in grids:
            path = write_pdf(Path(folder) / f"grid-{k}.pdf", ruled_grid_content(k))
            rows.append({"case": "ruled grid", "size": k, "units": k * k, "rulings": 2 * (k + 1), "unit": "cell", "bytes": path.stat().st_size, "seconds": time_extraction(path)})
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, nargs="*", default=[3000, 6000, 12000, 24000])
    parser.add_argument("--grids", type=int, nargs="*", default=[25, 50, 100])
    args = parser.parse_args(argv)
    rows = run(args.chars, args.grids)
    print(f"{'case':<16} {'size':>7} {'file':>9} {'seconds':>8} {'µs/unit':>10} {'ms/ruling':>10} {'per unit vs smallest':>21}")
    for case in ("tiny characters", "ruled grid"):
        group = [r for r in rows if r["case"] == case]
        if not group:
            continue
        base = group[0]["seconds"] / group[0]["units"]
        for r in group:
            per_unit = r["seconds"] / r["units"]
            per_ruling = f"{r['seconds'] / r['rulings'] * 1e3:10.1f}" if "rulings" in r else " " * 10
            label = f"N={r['size']}" if case == "tiny characters" else f"K={r['size']}"
            print(f"{case:<16} {label:>7} {r['bytes']:>8}B {r['seconds']:8.2f} {per_unit * 1e6:8.1f}/{r['unit'][0]} {per_ruling} {per_unit / base:20.2f}x")


if __name__ == "__main__":
    main()
