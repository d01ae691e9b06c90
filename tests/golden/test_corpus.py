"""Every corpus publication gives a package or a clear per-page report.

Structural invariants over all families (national text template, Jiangsu 2017–2019 with and
without labels, split narrative/tables PDFs, Shanghai 部门/单位预算 and 决算, a blank template,
image-only pages): every table is identified, every amount table has its unit, nothing blocks.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from yusuan.core.errors import ExtractionError

pytestmark = pytest.mark.slow  # whole runs or servers: left out of `pytest -m "not slow"`

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "manifest.csv"
with CORPUS.open(encoding="utf-8") as handle:
    ROWS = list(csv.DictReader(handle))
IMAGE_ONLY = sorted({r["document_id"] for r in ROWS if r["file"].endswith(".png")})
WITH_TEXT = sorted({r["document_id"] for r in ROWS} - set(IMAGE_ONLY))


@pytest.mark.parametrize("document_id", WITH_TEXT)
def test_every_table_is_identified_and_nothing_blocks(document_id, processed):
    result = processed[document_id]
    tables = result.resources["source_tables"]
    assert [t["table_id"] for t in tables if t["table_id"].startswith("unidentified")] == []
    assert [t["table_id"] for t in tables if t["amount_count"] and not t["unit_printed"]] == []
    errors = [c for c in result.resources["checks"] if c["status"] == "failed" and c["severity"] == "error"]
    assert errors == []
    assert {"revenue_expenditure_summary", "gpb_expenditure_by_function"} <= {t["table_id"] for t in tables}


@pytest.mark.parametrize("document_id", IMAGE_ONLY)
def test_image_only_pages_are_reported_page_by_page(document_id, processed):
    with pytest.raises(ExtractionError) as caught:
        processed[document_id]
    message = str(caught.value)
    assert "no page has a text layer" in message
    for row in ROWS:
        if row["document_id"] == document_id:
            assert Path(row["file"]).name in message
