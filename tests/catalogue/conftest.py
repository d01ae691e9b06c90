"""An output folder of real packages (plus crafted variants) and its catalogue, built once.

Packages: the raw/ samples and a few corpus publications (元 units, blank 三公 cells, an
empty 决算 template), written by the real package writer. Variants, copied from the Fujian
package with a consistent datapackage.json: one with failed and not-run checks and a
quality report (``zz-variant-warnings``), one blocked (``zz-variant-blocked``), one renamed to a court (``zz-variant-court``) for the
bilingual search. A folder with
a broken datapackage.json (``zz-broken``) must be skipped.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from variants import (
    BLOCKED,
    BROKEN,
    CORPUS,
    COURT,
    COURT_CHANGES,
    FJ,
    SAMPLES,
    WARNINGS,
    make_variant,
    rewrite_checks,
)

from yusuan.catalogue.build import build_catalogue


@pytest.fixture(scope="session")
def package_output(processed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from yusuan.package.writer import PublishBlockedError, write_package

    output = tmp_path_factory.mktemp("output")
    for document_id in SAMPLES:
        write_package(processed[document_id], output)
    for document_id in CORPUS:  # parser changes may block one; the samples suffice then
        with contextlib.suppress(PublishBlockedError):
            write_package(processed[document_id], output)
    make_variant(
        output, FJ, WARNINGS,
        {"title": "Test unit 2025 unit final accounts", "title_zh": "测试单位2025年单位决算",
         "fiscal_year": 2025, "fiscalPeriod": {"start": "2025-01-01", "end": "2025-12-31"},
         "region": "测试省测试市", "issuer": "测试单位 <&> \"引号\"", "kind": "单位决算",
         "kind_id": "unit_final_accounts", "quality_status": "warnings"},
        rewrite_checks,
    )
    (output / WARNINGS / "quality_report.md").write_text("# 质量报告\n\nTest report.\n", encoding="utf-8")
    make_variant(output, FJ, BLOCKED, {"quality_status": "blocked", "title_zh": "被阻止的数据包"})
    # a court's package (a renamed copy of a real one) for the bilingual search: court -> 法院
    make_variant(output, "js-renda-2018-bmys", COURT, COURT_CHANGES)
    (output / BROKEN).mkdir()
    (output / BROKEN / "datapackage.json").write_text("{not json", encoding="utf-8")
    (output / ".fj-staging.tmp").mkdir()  # a writer's staging folder: never listed
    shutil.copy(output / FJ / "datapackage.json", output / ".fj-staging.tmp" / "datapackage.json")
    return output


@pytest.fixture(scope="session")
def catalogue(package_output: Path) -> Path:
    return build_catalogue(package_output)


@pytest.fixture(scope="session")
def package_ids(package_output: Path) -> list[str]:
    """Every package the catalogue must list (written ones and variants, not the broken one)."""
    return sorted(
        p.name for p in package_output.iterdir()
        if (p / "datapackage.json").is_file() and not p.name.startswith(".") and p.name != BROKEN
    )
