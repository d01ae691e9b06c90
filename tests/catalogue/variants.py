"""Names of the test packages and the helper that crafts package variants (see conftest.py)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

SAMPLES = ("fj-quanzhou-12345-2026-dwys", "js-renda-2018-bmys", "js-renda-2019-bmys")
CORPUS = ("sh-putuo-caizhengju-2025-bmys", "sh-putuo-template-2024-bmjs")
FJ = "fj-quanzhou-12345-2026-dwys"
WARNINGS = "zz-variant-warnings"
BLOCKED = "zz-variant-blocked"
BROKEN = "zz-broken"
COURT = "zz-variant-court"
COURT_CHANGES = {
    "title": "Jiangsu Provincial High People's Court 2018 department budget",
    "title_zh": "江苏省高级人民法院2018年部门预算", "issuer": "江苏省高级人民法院",
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite_checks(folder: Path) -> dict[str, int]:
    """Make the first check fail and add a check that did not run; returns the counts."""
    path = folder / "checks.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    rows[0].update(status="failed", expected="100.00", actual="90.00", difference="-10.00")
    extra = {k: "" for k in fields}
    extra.update(
        document_id=rows[0]["document_id"],
        check_number=str(len(rows) + 1),
        check_id="revenue_equals_expenditure",
        status="not_run",
        severity="warning",
        message="no two-sided summary table <with revenue> & expenditure totals was found",
    )
    rows.append(extra)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    passed = sum(r["status"] == "passed" for r in rows)
    return {"checks_passed": passed, "checks_failed": 1, "checks_not_run": 1}


def make_variant(output: Path, source: str, name: str, changes: dict[str, Any],
                 edit: Callable[[Path], dict[str, int]] | None = None) -> Path:
    """Copy package ``source`` to ``name`` with descriptor ``changes``, hashes kept consistent."""
    folder = output / name
    shutil.copytree(output / source, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(name=name, **changes)
    summary = dict(descriptor["check_summary"], document_id=name)
    if "quality_status" in changes:
        summary["quality_status"] = changes["quality_status"]
    if edit:
        summary.update(edit(folder))
    descriptor["check_summary"] = summary
    for res in descriptor["resources"]:
        res["hash"] = "sha256:" + _sha(folder / res["path"])
        res["bytes"] = (folder / res["path"]).stat().st_size
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return folder
