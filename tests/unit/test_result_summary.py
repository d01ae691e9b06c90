"""A result's summary (the package descriptor's ``check_summary``, the run's outcome) counts
its check rows in one walk (stop 35): the counts of the seven sums it replaced, in their order."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from yusuan.package.process import DocumentResult


def summed(result: DocumentResult) -> dict[str, Any]:
    """The summary as it was written before stop 35 (the oracle)."""
    checks = result.resources["checks"]
    return {
        "document_id": result.document.document_id,
        "tables": len(result.resources["source_tables"]),
        "amounts": len(result.resources["amounts"]),
        "checks_passed": sum(c["status"] == "passed" for c in checks),
        "checks_failed": sum(c["status"] == "failed" for c in checks),
        "checks_errors": sum(c["status"] == "failed" and c["severity"] == "error" for c in checks),
        "checks_warnings": sum(c["status"] == "failed" and c["severity"] == "warning" for c in checks),
        "checks_notes": sum(c["status"] == "failed" and c["severity"] not in ("error", "warning") for c in checks),
        "checks_not_run": sum(c["status"] == "not_run" for c in checks),
        "quality_status": result.quality_status,
    }


def random_checks(generator: random.Random) -> list[dict[str, Any]]:
    rows = []
    for _ in range(generator.randint(0, 60)):
        status = generator.choice(["passed", "failed", "not_run", "skipped", ""])
        row: dict[str, Any] = {"status": status}
        if status == "failed" or generator.random() < 0.5:  # only a failed row's severity is read
            row["severity"] = generator.choice(["error", "warning", "info", "", None])
        rows.append(row)
    return rows


def test_the_summary_of_the_samples_and_of_random_check_rows(processed):
    generator = random.Random(35)
    for result in processed.samples():
        assert list(result.summary().items()) == list(summed(result).items())
        for _ in range(40):
            other = replace(result, resources={**result.resources, "checks": random_checks(generator)})
            assert list(other.summary().items()) == list(summed(other).items())
