"""The check rows of a publication are computed once in ``extracted_to_result`` and handed to
``conclude_checks`` (stop 25): nothing between the two may add to the run or change its rows,
so they must equal the rows the run gives when asked again."""

from __future__ import annotations

from pathlib import Path

from yusuan.core.hashing import sha256_of
from yusuan.core.model import SourceDocument, SourceFile
from yusuan.package.process import process_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_the_check_rows_handed_over_are_those_the_run_gives_again():
    path = FIXTURES / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf"
    document = SourceDocument("js-renda-2018", "江苏省人大常委会办公厅", "江苏省", 2018, "部门预算", (SourceFile(path, "full", sha256_of(path)),))
    result = process_document(document)
    checks = result.resources["checks"]
    check_rows = result.resources["check_rows"]
    assert len(checks) > 10 and check_rows  # a real run: many rules, rows linked to amounts
    assert checks == result.check_run.results
    assert check_rows == result.check_run.touched_rows
    flagged = {(r["table_sequence"], r["row_number"]) for r in result.resources["amounts"] if r["check_flag"]}
    failed = {c["check_number"] for c in checks if c["status"] == "failed" and c["severity"] in ("error", "warning")}
    assert flagged == {(r["table_sequence"], r["row_number"]) for r in check_rows if r["check_number"] in failed}
