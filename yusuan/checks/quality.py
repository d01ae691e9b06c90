"""The quality report that travels with the data.

* ``quality_report_markdown``: the readable report of one document (Chinese and English
  headings), written as ``quality_report.md`` next to the package's resources;
* ``quality_summary_markdown``: a short summary of several documents (the Prefect artifact),
  from processed documents, written packages or the outcomes of a run.

Both read the ``checks`` rows only, so a report can be rebuilt from a written package.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from yusuan.core.errors import SchemaError
from yusuan.core.schemas import check_rules

Row = dict[str, Any]
REPORT_FILE = "quality_report.md"
STATUS_TEXT = {
    "passed": ("通过", "passed: every check that could run agreed"),
    "warnings": ("存在警告", "warnings: the document contradicts itself somewhere, a check could not run, or the reading of some tables is in doubt (their rows are flagged); published with the data, never corrected"),
    "blocked": ("阻止发布", "blocked: the package itself is invalid (Frictionless validation failed); not published"),
}
SECTIONS = (
    ("error", "存疑的表格与错误", "Tables in doubt and errors",
     "The reading of the table named is in doubt: its rows are published with quality_flag in_doubt (see source_tables.table_status). An error about no table means the package is invalid and is not published.",
     "所列表格的读取存疑：其各行以 quality_flag = in_doubt 标注发布（见 source_tables.table_status）。不针对具体表格的错误表示数据包无效，不予发布。"),
    ("warning", "警告：文件自身不一致之处", "Warnings: where the document contradicts itself",
     "Published with the data and flagged; amounts are never corrected.",
     "随数据发布并标注；金额从不改写。"),
    ("info", "提示与舍入差异", "Notes and rounding differences",
     "Differences within the rounding of the printed figures, names that differ from the code lists, and other notes; they do not lower the quality status.",
     "在印刷数字舍入范围内的差异、与编码表不一致的名称及其他提示；不影响质量状态。"),
)
MAX_ROWS = 50


def _rules() -> dict[str, dict[str, Any]]:
    try:
        return check_rules()
    except SchemaError:
        return {}


def _rule_text(check_id: str, rules: dict[str, dict[str, Any]]) -> tuple[str, str]:
    rule = rules.get(check_id) or (rules.get("frictionless") if check_id.startswith("frictionless_") else None) or {}
    return rule.get("description_zh", ""), rule.get("description", "")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.replace("|", "/").split())


def _table(rows: list[Row], columns: list[tuple[str, str]]) -> list[str]:
    lines = ["| " + " | ".join(title for _, title in columns) + " |", "|" + "---|" * len(columns)]
    for row in rows[:MAX_ROWS]:
        lines.append("| " + " | ".join(_cell(row.get(key)) for key, _ in columns) + " |")
    if len(rows) > MAX_ROWS:
        lines.append(f"| … {len(rows) - MAX_ROWS} more / 另有 {len(rows) - MAX_ROWS} 条（见 checks.csv） |" + " |" * (len(columns) - 1))
    return lines


FINDING_COLUMNS = [
    ("check_id", "规则 Rule"),
    ("table_id", "表格 Table"),
    ("row", "行 Row"),
    ("field", "栏目 Field"),
    ("expected", "期望 Expected"),
    ("actual", "实际 Actual"),
    ("difference", "差额 Difference"),
    ("count", "次数 Count"),
    ("page", "页 Page"),
    ("message", "说明 Message"),
]


def is_package_error(check: Row) -> bool:
    """A failed error that is about no table: the package itself is invalid."""
    return check["status"] == "failed" and check["severity"] == "error" and check.get("table_sequence") in (None, "")


def quality_status_of(checks: list[Row]) -> str:
    """The status a document's checks give (the same as the pipeline's): blocked only for an
    invalid package; an error about one table puts that table in doubt, and the rest is
    published (status warnings)."""
    if any(is_package_error(c) for c in checks):
        return "blocked"
    if any(c["status"] in ("failed", "not_run") and c["severity"] != "info" for c in checks):
        return "warnings"
    return "passed"


def quality_report_markdown(result: Any = None, *, checks: list[Row] | None = None, document: Row | None = None) -> str:
    """The readable report of one document: from a DocumentResult, or from its ``checks``
    rows and its ``document`` row (e.g. read back from a written package)."""
    if result is not None:
        checks = result.resources["checks"]
        document = result.resources["document"][0]
    checks = checks or []
    document = document or {}
    rules = _rules()
    status = document.get("quality_status") or quality_status_of(checks)
    status_zh, status_en = STATUS_TEXT.get(status, (status, status))
    title = " ".join(str(document.get(k, "")) for k in ("issuer", "fiscal_year", "kind") if document.get(k))
    lines = [
        f"# 质量报告 Quality report: {document.get('document_id', '')}",
        "",
        f"{title}" if title else "",
        "",
        f"**质量状态 Quality status: {status}** — {status_zh}；{status_en}.",
        "",
        "本报告列出对该文件执行的全部校验（规则见 `schemas/checks.yaml`，说明见 docs/checks.md），"
        "完整结果见数据包中的 `checks.csv`。",
        "This report lists every check run on the document (rules in `schemas/checks.yaml`, explained in "
        "docs/checks.md); the full results are in the package's `checks.csv`.",
        "",
        "## 概要 Summary",
        "",
    ]
    counts = Counter((c["status"], c["severity"]) for c in checks)
    summary = [
        {"what": "通过 passed", "n": sum(v for (s, _), v in counts.items() if s == "passed")},
        {"what": "错误 errors (failed, error)", "n": counts[("failed", "error")]},
        {"what": "警告 warnings (failed, warning)", "n": counts[("failed", "warning")]},
        {"what": "提示 notes (failed, info)", "n": counts[("failed", "info")]},
        {"what": "未执行 not run", "n": sum(v for (s, _), v in counts.items() if s == "not_run")},
    ]
    lines += _table(summary, [("what", "结果 Result"), ("n", "数量 Results")])
    for severity, zh, en, why_en, why_zh in SECTIONS:
        found = [c for c in checks if c["status"] == "failed" and c["severity"] == severity]
        if not found:
            continue
        lines += ["", f"## {zh} {en}", "", f"{why_zh} {why_en}", ""]
        lines += _table(found, FINDING_COLUMNS)
        explained = list(dict.fromkeys(c["check_id"] for c in found))
        lines += [""] + [f"- `{cid}`: {_rule_text(cid, rules)[0]} {_rule_text(cid, rules)[1]}" for cid in explained]
    not_run = [c for c in checks if c["status"] == "not_run"]
    if not_run:
        lines += ["", "## 未执行的校验 Checks not run", "",
                  "所需表格或数字不存在时规则无法执行，记为未执行，绝不算作通过。"
                  "A rule whose table or figure is missing could not run: it is recorded as not run, never as passed.", ""]
        lines += _table(not_run, [("check_id", "规则 Rule"), ("severity", "严重程度 Severity"), ("count", "次数 Count"), ("message", "原因 Why")])
    passed = Counter()
    for c in checks:
        if c["status"] == "passed":
            passed[c["check_id"]] += int(c.get("count") or 1)
    if passed:
        lines += ["", "## 已通过的规则 Rules passed", ""]
        lines += _table(
            [{"check_id": cid, "n": n, "zh": _rule_text(cid, rules)[0], "en": _rule_text(cid, rules)[1]} for cid, n in passed.items()],
            [("check_id", "规则 Rule"), ("n", "比较次数 Comparisons"), ("zh", "说明"), ("en", "Description")],
        )
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def read_package_checks(folder: Path) -> tuple[list[Row], Row]:
    """The ``checks`` and ``document`` rows of a written package."""
    def read(name: str) -> list[Row]:
        path = folder / f"{name}.csv"
        if not path.is_file():
            return []
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    documents = read("document")
    return read("checks"), (documents[0] if documents else {"document_id": folder.name})


def _headline(checks: list[Row]) -> str:
    worst = [c for c in checks if c["status"] == "failed" and c["severity"] in ("error", "warning")]
    worst.sort(key=lambda c: c["severity"] != "error")
    return "; ".join(f"{c['check_id']}: {c['message']}" for c in worst[:2])[:300]


def quality_summary_markdown(items: Iterable[Any], title: str = "质量概要 Quality summary") -> str:
    """A short Markdown summary (one row per document): DocumentResults, package folders, or
    run outcomes (dicts with ``path`` to the written package, or ``error`` when blocked)."""
    lines = [f"## {title}", "", "| document | 质量 status | 错误 errors | 警告 warnings | 提示 notes | 未执行 not run | 要点 first findings |", "|---|---|---|---|---|---|---|"]
    for item in items:
        error = ""
        if isinstance(item, dict):
            document_id, error = item.get("document_id", ""), item.get("error", "")
            path = item.get("path")
            checks, document = read_package_checks(Path(path)) if path else ([], {"document_id": document_id})
            status = item.get("quality_status") or (item.get("status") if error else "") or document.get("quality_status", "")
        elif isinstance(item, str | Path):
            checks, document = read_package_checks(Path(item))
            document_id, status = document.get("document_id", Path(item).name), document.get("quality_status", "")
        else:
            checks, document = item.resources["checks"], item.resources["document"][0]
            document_id, status = document["document_id"], document["quality_status"]
        counts = Counter((c["status"], c["severity"]) for c in checks)
        not_run = sum(v for (s, _), v in counts.items() if s == "not_run")
        cells = [document_id, status or quality_status_of(checks), counts[("failed", "error")], counts[("failed", "warning")], counts[("failed", "info")], not_run, error or _headline(checks)]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
