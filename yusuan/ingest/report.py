"""A short human-readable summary of a run for the command line (the Prefect artifact is
yusuan.core.progress.summary_markdown)."""

from __future__ import annotations

from typing import Any

from yusuan.core.errors import one_line
from yusuan.core.progress import counts_line, run_counts


def checks_text(outcome: dict[str, Any]) -> str:
    """``84 passed, 2 warnings, 1 note, 1 not run``: findings (errors, warnings) apart from
    notes (information that is not a failure of the document)."""
    if "checks_warnings" not in outcome:  # a summary cached by an older version
        return f"{outcome['checks_passed']} passed / {outcome['checks_failed']} failed / {outcome['checks_not_run']} not run"
    parts = [f"{outcome['checks_passed']} passed"]
    for key, word in (("checks_errors", "error"), ("checks_warnings", "warning"), ("checks_notes", "note")):
        if outcome.get(key):
            parts.append(f"{outcome[key]} {word}{'s' if outcome[key] != 1 else ''}")
    if outcome.get("checks_not_run"):
        parts.append(f"{outcome['checks_not_run']} not run")
    return ", ".join(parts)


def run_summary_text(outcomes: list[dict[str, Any]]) -> str:
    lines = []
    for o in outcomes:
        if "error" in o:
            lines.append(f"{o.get('status', 'failed').upper():<7} {o['document_id']}: {one_line(o['error'])}")
        else:
            lines.append(
                f"{o['quality_status']:<8} {o['document_id']}: {o['tables']} tables, {o['amounts']} amounts, "
                f"checks {checks_text(o)} -> {o.get('path', '')}"
                + (" (unchanged, from the cache)" if o.get("cached") else "")
            )
    if outcomes:
        lines.append(counts_line(run_counts(outcomes)))
    return "\n".join(lines)
