"""A short human-readable summary of a run for the command line (the Prefect artifact is
yusuan.progress.summary_markdown)."""

from __future__ import annotations

from typing import Any

from yusuan.errors import one_line


def run_summary_text(outcomes: list[dict[str, Any]]) -> str:
    lines = []
    for o in outcomes:
        if "error" in o:
            lines.append(f"{o.get('status', 'failed').upper():<7} {o['document_id']}: {one_line(o['error'])}")
        else:
            lines.append(
                f"{o['quality_status']:<8} {o['document_id']}: {o['tables']} tables, {o['amounts']} amounts, "
                f"checks {o['checks_passed']} passed / {o['checks_failed']} failed / {o['checks_not_run']} not run -> {o.get('path', '')}"
                + (" (unchanged, from the cache)" if o.get("cached") else "")
            )
    return "\n".join(lines)
