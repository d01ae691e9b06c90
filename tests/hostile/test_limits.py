"""Small hostile files: each is refused with a clear LimitExceededError, quickly, in bounded
memory, writing nothing outside tmp_path (issue 15, yusuan/core/limits.py, yusuan/ingest/isolation.py).

Every hostile file is made by the test in tmp_path and read in a worker (run_bounded) with
a memory limit of 1 GiB and a time limit of 20 s: a regression shows as a
LimitExceededError about the *worker* instead of the specific limit asserted here.
"""

from __future__ import annotations

import os
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from benchmarks.hostile_pages import ruled_grid_content, tiny_chars_content, write_pdf
from tests.hostile import bounded_workers
from yusuan.core.errors import ExtractionError, LimitExceededError
from yusuan.core.limits import DEFAULT_LIMITS, Limits
from yusuan.core.model import SourceFile
from yusuan.ingest.isolation import WorkerUsage, run_bounded

WALL_S = 20.0
MEMORY = 1 << 30


def read_bounded(path: Path, limits: Limits = DEFAULT_LIMITS):
    """file_to_blocks of this file in a worker with these limits, 1 GiB and 20 s; the
    worker's temp dir is tmp_path/worker-tmp (which must stay empty)."""
    source = SourceFile(path=path, role="publication", sha256="0" * 64)
    temp_dir = path.parent / "worker-tmp"
    temp_dir.mkdir(exist_ok=True)
    return run_bounded(bounded_workers.read_file, source, str(temp_dir), limits=limits, time_limit_s=WALL_S, memory_limit_bytes=MEMORY, name=path.name)


def refused(path: Path, limit: str, limits: Limits = DEFAULT_LIMITS) -> LimitExceededError:
    """The LimitExceededError of reading this file, checked to name the file and the limit."""
    started = time.perf_counter()
    with pytest.raises(LimitExceededError) as caught:
        read_bounded(path, limits)
    assert time.perf_counter() - started < WALL_S
    error = caught.value
    assert error.limit == limit, str(error)
    assert path.name in str(error) and limit in str(error) and f"{getattr(limits, limit):,}" in str(error)
    return error


@pytest.fixture(autouse=True)
def nothing_written_outside(tmp_path: Path):
    """The readers write nothing: no new entry in the working directory, none in the
    worker's temp dir, and in tmp_path only the files the test made."""
    before_cwd = set(os.listdir(Path.cwd()))
    yield
    assert set(os.listdir(Path.cwd())) == before_cwd
    temp_dir = tmp_path / "worker-tmp"
    assert not temp_dir.exists() or not any(temp_dir.iterdir())


# ---------------------------------------------------------------- hostile files


def xlsx(path: Path, sheet_xml: str) -> Path:
    """A minimal XLSX with one sheet whose <sheetData>… is given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        book.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        book.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        book.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_xml}</worksheet>')
    return path


def docx(path: Path, body_xml: str) -> Path:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as document:
        document.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        document.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        document.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body_xml}</w:body></w:document>')
    return path


def test_xlsx_sheet_wide_merged_range(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "merged.xlsx", '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>合计</t></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    assert path.stat().st_size < 5_000
    error = refused(path, "max_merged_area")
    assert "sheet '表1'" in str(error) and error.page == 1


def test_xlsx_too_many_cells(tmp_path: Path) -> None:
    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in "ABCDEFGHIJ") + "</row>" for r in range(1, 501))
    path = xlsx(tmp_path / "cells.xlsx", f"<sheetData>{cells}</sheetData>")
    refused(path, "max_cells_per_sheet", DEFAULT_LIMITS.but(max_cells_per_sheet=1000))
    assert read_bounded(path).blocks  # within the default limits: read


def test_docx_too_many_paragraphs(tmp_path: Path) -> None:
    path = docx(tmp_path / "paragraphs.docx", "<w:p/>" * 5000 + "<w:p><w:r><w:t>预算</w:t></w:r></w:p>")
    refused(path, "max_paragraphs", DEFAULT_LIMITS.but(max_paragraphs=1000))


def test_docx_huge_grid_span(tmp_path: Path) -> None:
    row = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>'
    path = docx(tmp_path / "span.docx", f"<w:tbl>{row * 3}</w:tbl>")
    refused(path, "max_cells_per_table")


def test_html_huge_colspan_and_rowspan(tmp_path: Path) -> None:
    rows = "".join(f'<tr><td colspan="100000" rowspan="100000">{i}</td><td>x</td></tr>' for i in range(2000))
    path = tmp_path / "spans.html"
    path.write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
    refused(path, "max_cells_per_table")


def test_html_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 240 + "深" + "</div>" * 240 + "</body></html>", encoding="utf-8")
    refused(path, "max_depth", DEFAULT_LIMITS.but(max_depth=50))


def test_pdf_flate_stream_inflating_beyond_the_limit(tmp_path: Path) -> None:
    bomb = zlib.compress(b"0" * (64 << 20), 9)  # 64 MiB of content from ~64 KB
    path = write_pdf(tmp_path / "bomb.pdf", b"", raw_stream=bomb)
    assert path.stat().st_size < 100_000
    error = refused(path, "max_stream_bytes", DEFAULT_LIMITS.but(max_stream_bytes=8 << 20))
    assert error.page == 1


def test_pdf_page_with_too_many_characters(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "chars.pdf", tiny_chars_content(12_000))
    error = refused(path, "max_chars_per_page", DEFAULT_LIMITS.but(max_chars_per_page=10_000))
    assert error.page == 1 and "12,000 characters on the page" in str(error)


def test_pdf_dense_pages_are_read_in_linear_time(tmp_path: Path) -> None:
    """12,000 tiny characters took 40 s with pdfplumber's dedupe_chars, a 60×60 ruled grid
    15 s with the pairwise frame search: both are read well within the time limit now."""
    chars = write_pdf(tmp_path / "chars.pdf", tiny_chars_content(12_000))
    grid = write_pdf(tmp_path / "grid.pdf", ruled_grid_content(60))
    started = time.perf_counter()
    assert read_bounded(chars).blocks
    found = read_bounded(grid)
    assert time.perf_counter() - started < 15
    grids = [b for b in found.blocks if hasattr(b, "rows")]
    assert len(grids) == 1 and len(grids[0].rows) == 60 and len(grids[0].rows[0]) == 60


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("预算" * 1000, encoding="utf-8")
    refused(path, "max_file_bytes", DEFAULT_LIMITS.but(max_file_bytes=1000))


# ---------------------------------------------------------------- run_bounded


def test_run_bounded_returns_the_value_with_the_limits_in_force() -> None:
    assert run_bounded(bounded_workers.add, 2, 3) == 5
    assert run_bounded(bounded_workers.active_paragraph_limit, limits=DEFAULT_LIMITS.but(max_paragraphs=7)) == 7


def test_run_bounded_kills_a_worker_past_its_time() -> None:
    started = time.perf_counter()
    with pytest.raises(LimitExceededError) as caught:
        run_bounded(bounded_workers.sleep_for, 30, time_limit_s=1, name="slow-2026")
    assert time.perf_counter() - started < 5
    assert caught.value.limit == "time_limit_s" and "slow-2026" in str(caught.value)


def test_run_bounded_memory_limit() -> None:
    with pytest.raises(LimitExceededError) as caught:
        run_bounded(bounded_workers.allocate, 4096, memory_limit_bytes=MEMORY, name="greedy-2026")
    assert caught.value.limit == "memory_limit_bytes" and "greedy-2026" in str(caught.value)


def test_run_bounded_reports_the_workers_cpu_and_memory() -> None:
    """The parent's clocks cannot see a worker's CPU: the worker reports it, with its peak RSS."""
    usage = WorkerUsage()
    parent_cpu = time.process_time()
    assert run_bounded(bounded_workers.spin_and_hold, 0.5, 200, usage=usage) == 200
    assert time.process_time() - parent_cpu < 0.4  # the work was not done here
    assert 0.5 <= usage.cpu_seconds < 5
    assert usage.peak_rss_mib >= 200


def test_run_bounded_passes_library_errors_through() -> None:
    with pytest.raises(ExtractionError, match="x.pdf: not a publication"):
        run_bounded(bounded_workers.refuse, "x.pdf")


# ---------------------------------------------------------------- per publication


def _corpus_document(document_id: str):
    from yusuan.ingest.sources import read_manifest

    manifest = Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / "manifest.csv"
    return next(d for d in read_manifest(manifest) if d.document_id == document_id)


def test_the_integration_line_reads_a_real_publication() -> None:
    """``run_bounded(process_document, document)``: the DocumentResult comes back pickled."""
    from yusuan.package.process import process_document

    document = _corpus_document("fj-quanzhou-12345-2026-dwys")
    result = run_bounded(process_document, document)
    assert result.document.document_id == document.document_id and result.resources["amounts"]


def test_a_refused_publication_fails_alone(tmp_path: Path) -> None:
    """A hostile publication fails with the limit as its error; the next one is published."""
    from dataclasses import replace

    from yusuan.ingest.publication import ingest_document

    good = _corpus_document("fj-quanzhou-12345-2026-dwys")
    page = tmp_path / "spans.html"
    page.write_text("<table>" + '<tr><td colspan="100000" rowspan="100000">1</td><td>2</td></tr>' * 1500 + "</table>", encoding="utf-8")
    hostile = replace(good, document_id="hostile-2026", files=(SourceFile(path=page, role="full", sha256="0" * 64),))
    out = tmp_path / "out"
    refused_outcome = ingest_document(hostile, out)
    assert refused_outcome["status"] == "failed" and "max_cells_per_table" in refused_outcome["error"] and "spans.html" in refused_outcome["error"]
    assert ingest_document(good, out)["status"] == "published"


# ---------------------------------------------------------------- stream decoders


def test_bounded_decoders_give_pdfminers_output_and_stop_at_the_limit() -> None:
    from pdfminer.lzw import lzwdecode
    from pdfminer.pdftypes import PDFStream

    from yusuan.core.limits import using
    from yusuan.extract import pdf_streams

    original_corrupted = pdf_streams._ORIGINAL_DECODE.__globals__["decompress_corrupted"]
    assert PDFStream.decode is pdf_streams._counted_decode  # installed by yusuan.extract.pdf
    text = "一般公共预算支出".encode() * 500
    damaged = zlib.compress(text)[:-2] + b"\x00\x00"  # checksum broken: pdfminer's fallback
    assert pdf_streams.inflate(zlib.compress(text)) == text
    assert pdf_streams.inflate_corrupted(damaged) == text
    with pytest.raises(zlib.error):
        pdf_streams.inflate(damaged)
    assert original_corrupted is pdf_streams.inflate_corrupted  # pdfminer calls the bounded one
    spec_example = b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01"  # PDF 1.7 §7.4.4.2
    assert pdf_streams.lzw_decode(spec_example) == lzwdecode(spec_example) == b"-----A---B"
    with using(DEFAULT_LIMITS.but(max_stream_bytes=1000)):
        for decode, data in ((pdf_streams.inflate, zlib.compress(text)), (pdf_streams.inflate_corrupted, damaged), (pdf_streams.lzw_decode, spec_example * 200)):
            with pytest.raises(LimitExceededError, match="max_stream_bytes=1,000"):
                decode(data)


def test_limits_are_configured_by_the_environment(monkeypatch):
    from yusuan.core.errors import YusuanError
    from yusuan.core.limits import current, from_environment

    monkeypatch.setenv("YUSUAN_LIMITS", "max_pages=2, time_limit_s=30")
    assert current().max_pages == 2 and current().time_limit_s == 30.0
    sample = Path(__file__).resolve().parents[2] / "raw" / "js-renda-2018-bmys" / "bmys.pdf"
    from yusuan.core.hashing import sha256_of
    from yusuan.core.model import SourceFile
    from yusuan.extract import file_to_blocks

    with pytest.raises(LimitExceededError, match="max_pages=2"):
        file_to_blocks(SourceFile(sample, "full", sha256_of(sample)))
    for bad in ("max_pages=lots", "nope=1", "max_pages=0"):
        with pytest.raises(YusuanError, match="YUSUAN_LIMITS"):
            from_environment(bad)
