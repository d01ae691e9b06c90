"""The quality report travels with the data: quality_report.md in the package folder, listed
in datapackage.json, the quality status in the metadata, a short summary for the run."""

from __future__ import annotations

import hashlib
import json

from yusuan.checks.quality import REPORT_FILE, quality_report_markdown, quality_summary_markdown


def test_the_report_is_written_beside_the_resources_and_listed(processed, tmp_path):
    from frictionless import Package

    from yusuan.catalogue.index import load_package
    from yusuan.package.writer import write_package

    folder = write_package(processed["sh-putuo-wanli-2024-bmys"], tmp_path)
    report = folder / REPORT_FILE
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# 质量报告 Quality report: sh-putuo-wanli-2024-bmys")
    assert "## 警告：文件自身不一致之处 Warnings: where the document contradicts itself" in text
    assert "empty_table_note_matches_table" in text and "352.67" in text
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    listed = descriptor["quality_report"]
    assert listed["path"] == REPORT_FILE and listed["mediatype"] == "text/markdown"
    assert listed["hash"] == "sha256:" + hashlib.sha256(report.read_bytes()).hexdigest()
    assert REPORT_FILE not in {r["path"] for r in descriptor["resources"]}  # a file, not a resource
    assert descriptor["quality_status"] == "warnings"
    assert Package(str(folder / "datapackage.json")).validate().valid
    assert [f.name for f in load_package(folder).files if f.role == "quality_report"] == [REPORT_FILE]


def test_the_report_is_reproducible_and_can_be_rebuilt_from_the_package(processed, tmp_path):
    from yusuan.checks.quality import read_package_checks
    from yusuan.package.writer import write_package

    result = processed["fj-quanzhou-12345-2026-dwys"]
    first = write_package(result, tmp_path / "a") / REPORT_FILE
    second = write_package(result, tmp_path / "b") / REPORT_FILE
    assert first.read_bytes() == second.read_bytes()
    checks, document = read_package_checks(first.parent)
    assert document["quality_status"] == "passed"
    rebuilt = quality_report_markdown(checks=checks, document=document)
    assert rebuilt.splitlines()[:6] == first.read_text(encoding="utf-8").splitlines()[:6]


def test_a_clean_document_reports_passed_and_lists_its_rules(processed):
    text = quality_report_markdown(processed["sh-putuo-zhengfuban-2025-bmys"])
    assert "**质量状态 Quality status: passed**" in text
    assert "## 已通过的规则 Rules passed" in text
    assert "summary_vs_fiscal_appropriation_table" in text
    assert "阻止发布" not in text.split("## 概要")[1].split("## 已通过")[0].replace("错误 errors (failed, error) | 0", "")


def test_the_run_summary_names_each_document_and_its_first_findings(processed, tmp_path):
    from yusuan.package.writer import write_package

    written = write_package(processed["sh-putuo-caizhengju-2025-bmys"], tmp_path)
    outcomes = [
        {"document_id": "sh-putuo-caizhengju-2025-bmys", "status": "published", "path": str(written)},
        {"document_id": "broken", "status": "blocked", "error": "broken: not published, 1 structural error(s); first: [table_parsed] …"},
    ]
    text = quality_summary_markdown([processed["fj-quanzhou-12345-2026-dwys"], *outcomes])
    lines = text.splitlines()
    assert lines[0] == "## 质量概要 Quality summary"
    fujian, caizhengju, broken = lines[4:7]
    assert fujian.startswith("| fj-quanzhou-12345-2026-dwys | passed | 0 | 0 |")
    # 2 warnings: the narrative on p.7 that runs below its text area is clipped out of view and no
    # longer read (pdfium_clip): one warning that came from it is gone
    assert caizhengju.startswith("| sh-putuo-caizhengju-2025-bmys | warnings | 0 | 2 |")
    assert "note_names_own_fund" in caizhengju
    assert broken.startswith("| broken | blocked |") and "table_parsed" in broken
