"""Progress display and run counts (yusuan.core.progress), and the shell entry point of the flow."""

from __future__ import annotations

import io

import pytest

from yusuan.core.progress import Progress, counts_line, run_counts, summary_markdown

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`

OUTCOMES = [
    {"document_id": "a", "status": "published", "parsed": True, "cached": False, "fetch": {"downloaded": 1, "not_modified": 0, "local": 0},
     "quality_status": "passed", "tables": 10, "amounts": 203, "checks_passed": 40, "checks_failed": 0, "checks_not_run": 0, "pages": 31, "path": "output/a"},
    {"document_id": "b", "status": "cached", "parsed": False, "cached": True, "fetch": {"downloaded": 0, "not_modified": 1, "local": 0},
     "quality_status": "warnings", "tables": 12, "amounts": 194, "checks_passed": 30, "checks_failed": 1, "checks_not_run": 0, "pages": 20, "path": "output/b"},
    {"document_id": "c", "status": "blocked", "parsed": True, "cached": False, "fetch": {"downloaded": 0, "not_modified": 0, "local": 1},
     "quality_status": "blocked", "tables": 3, "amounts": 9, "pages": 4, "error": "c: not published, 1 structural error(s)"},
    {"document_id": "d", "status": "failed", "parsed": False, "cached": False, "fetch": {"downloaded": 0, "not_modified": 0, "local": 0},
     "error": "raw/sources.csv:5: download failed: https://x.gov.cn/d.pdf: HTTP 404 Not Found"},
    {"document_id": "e", "status": "failed", "parsed": False, "cached": True, "fetch": {"downloaded": 0, "not_modified": 0, "local": 1},
     "error": "e.pdf: not a readable PDF | really"},
]


def test_counts():
    counts = run_counts(OUTCOMES)
    assert counts == {"documents": 5, "fetched": 1, "not_modified": 1, "parsed": 2, "cached": 2, "published": 1, "blocked": 1, "failed": 2, "pages": 35}
    assert counts_line(counts) == "5 documents: 1 fetched, 1 not modified upstream, 2 parsed, 2 cached, 1 published, 1 blocked, 2 failed"


def test_summary_markdown_has_the_counts_and_a_row_per_document():
    text = summary_markdown(OUTCOMES)
    assert "| 5 | 1 | 1 | 2 | 2 | 1 | 1 | 2 | 35 |" in text
    assert "| a | published | passed | 10 | 203 | 40 | 0 | 0 | output/a |" in text
    assert "| e | failed |" in text and "not a readable PDF / really" in text  # a | would break the table


def test_lines_mode_prints_one_line_per_document_and_the_counts():
    stream = io.StringIO()
    progress = Progress("lines", stream)
    progress.start(len(OUTCOMES))
    for outcome in OUTCOMES:
        progress.advance(outcome)
    progress.close(OUTCOMES)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "[1/5] published a: 10 tables, 203 amounts, passed"
    assert lines[1] == "[2/5] cached    b: 12 tables, 194 amounts, warnings"
    assert lines[3] == "[4/5] failed    d: raw/sources.csv:5: download failed: https://x.gov.cn/d.pdf: HTTP 404 Not Found"
    assert lines[4].startswith("[5/5] failed (cached) e: ")
    assert lines[5].startswith("5 documents: 1 fetched") and lines[5].endswith(" s")


def test_bar_mode_prints_the_failures_and_auto_is_lines_off_a_terminal():
    stream = io.StringIO()
    progress = Progress("bar", stream)
    progress.start(len(OUTCOMES))
    for outcome in OUTCOMES:
        progress.advance(outcome)
    progress.close(OUTCOMES)
    text = stream.getvalue()
    assert "download failed: https://x.gov.cn/d.pdf" in text and "5 documents:" in text
    assert Progress("auto", io.StringIO()).mode == "lines"
    quiet = io.StringIO()
    none = Progress("none", quiet)
    none.start(1)
    none.advance(OUTCOMES[0])
    none.close(OUTCOMES[:1])
    assert quiet.getvalue() == ""
    with pytest.raises(ValueError, match="progress mode 'fancy'"):
        Progress("fancy")


def test_shell_entry_point_reports_a_bad_manifest_in_one_line(tmp_path):
    import subprocess
    import sys

    (tmp_path / "sources.csv").write_text("document_id,issuer\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "yusuan.flows", "--manifest", str(tmp_path / "sources.csv"), "--output", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr == f"yusuan: error: {tmp_path / 'sources.csv'}:1: missing column(s) region, fiscal_year, kind, role\n"
