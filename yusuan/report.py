"""Short human-readable summaries of a run (CLI output and the Prefect artifact)."""

from __future__ import annotations

from typing import Any

COLUMNS = ("document_id", "tables", "amounts", "checks_passed", "checks_failed", "checks_not_run", "quality_status")


def run_summary_markdown(outcomes: list[dict[str, Any]]) -> str:
    lines = ["# yusuan ingest / 预算数据处理", "", "| " + " | ".join(COLUMNS + ("result",)) + " |", "|" + "---|" * (len(COLUMNS) + 1)]
    for outcome in outcomes:
        cells = [str(outcome.get(c, "")) for c in COLUMNS]
        cells.append(outcome.get("error", "") or f"written to {outcome.get('path', '')}")
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def run_summary_text(outcomes: list[dict[str, Any]]) -> str:
    lines = []
    for o in outcomes:
        if "error" in o:
            lines.append(f"FAILED  {o['document_id']}: {o['error']}")
        else:
            lines.append(
                f"{o['quality_status']:<8} {o['document_id']}: {o['tables']} tables, {o['amounts']} amounts, "
                f"checks {o['checks_passed']} passed / {o['checks_failed']} failed / {o['checks_not_run']} not run -> {o.get('path', '')}"
            )
    return "\n".join(lines)
