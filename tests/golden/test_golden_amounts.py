"""Every amount typed from the sample publications is extracted, and nothing else.

The golden files were typed by reading the documents (page images for the PDFs), not by
copying parser output; see tests/golden/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yusuan.checks.evaluation import extracted_keys, golden_keys, score

GOLDEN = Path(__file__).parent
DOCUMENTS = sorted(p.name for p in GOLDEN.iterdir() if (p / "amounts.csv").is_file())


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_every_printed_amount_is_extracted_exactly(document_id, processed):
    result = processed[document_id]
    golden = golden_keys(GOLDEN / document_id / "amounts.csv")
    tables = {key[0] for key in golden} | {t["table_id"] for t in result.resources["source_tables"]}
    outcome = score(golden, extracted_keys(result.resources["amounts"], tables))
    assert outcome.missing == [], f"{len(outcome.missing)} amounts not extracted"
    assert outcome.unexpected == [], f"{len(outcome.unexpected)} amounts extracted that the document does not print"
    assert outcome.recall == outcome.precision == 1.0
