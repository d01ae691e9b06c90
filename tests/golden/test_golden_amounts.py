"""Every amount typed from the sample publications is extracted, and nothing else; and every
extracted amount means what the page says: measure, side, unit and yuan.

The golden files were typed by reading the documents (page images for the PDFs), not by
copying parser output; see tests/golden/README.md. Where the parser reads a meaning field
wrong, the disagreement is listed with its reason in tests/golden/known_misses.csv: a new
disagreement fails, and so does a known miss that no longer happens (remove its line).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yusuan.checks.evaluation import (
    as_known,
    extracted_amounts,
    extracted_keys,
    golden_amounts,
    golden_keys,
    read_known_misses,
    score,
    score_meaning,
)

GOLDEN = Path(__file__).parent
DOCUMENTS = sorted(p.name for p in GOLDEN.iterdir() if (p / "amounts.csv").is_file())
KNOWN_MISSES = read_known_misses(GOLDEN / "known_misses.csv")


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_every_printed_amount_is_extracted_exactly(document_id, processed):
    result = processed[document_id]
    golden = golden_keys(GOLDEN / document_id / "amounts.csv")
    tables = {key[0] for key in golden} | {t["table_id"] for t in result.resources["source_tables"]}
    outcome = score(golden, extracted_keys(result.resources["amounts"], tables))
    assert outcome.missing == [], f"{len(outcome.missing)} amounts not extracted"
    assert outcome.unexpected == [], f"{len(outcome.unexpected)} amounts extracted that the document does not print"
    assert outcome.recall == outcome.precision == 1.0


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_every_extracted_amount_has_the_printed_measure_side_unit_and_yuan(document_id, processed):
    golden = golden_amounts(GOLDEN / document_id)
    tables = {key[0] for key, _ in golden}
    outcome = score_meaning(golden, extracted_amounts(processed[document_id].resources["amounts"], tables))
    assert outcome.matched == len(golden)
    found = as_known(document_id, outcome.disagreements)
    known = {(m.document_id, m.field, m.table_id, m.column, m.expected, m.got, m.count) for m in KNOWN_MISSES if m.document_id == document_id}
    assert sorted(found - known) == [], "new disagreements (field, table, column, expected, got, count)"
    assert sorted(known - found) == [], "known misses that no longer happen: remove them from known_misses.csv"
