"""Progress of a run on stderr, and the run's counts (for the CLI and the Prefect artifact).

Modes: ``lines`` (one line per publication, for logs and CI), ``bar`` (a rich progress bar,
for a terminal), ``auto`` (bar on a terminal, lines otherwise), ``none``.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import IO, Any

MODES = ("auto", "bar", "lines", "none")

# Page progress inside one file: a reader calls page_read(number, total) after each page; a
# caller that shows progress (``yusuan extract`` on a terminal) sets the hook for a block.
_PAGE_HOOK: contextvars.ContextVar[Callable[[int, int], None] | None] = contextvars.ContextVar("yusuan_page_hook", default=None)


def page_read(number: int, total: int) -> None:
    hook = _PAGE_HOOK.get()
    if hook is not None:
        hook(number, total)


@contextlib.contextmanager
def pages_shown(stream: IO[str] | None = None) -> Iterator[None]:
    """Show ``page N/M`` on one terminal line while a file is read (nothing when not a terminal)."""
    stream = stream or sys.stderr
    if not getattr(stream, "isatty", lambda: False)():
        yield
        return

    def show(number: int, total: int) -> None:
        print(f"\rreading page {number}/{total}", end="", file=stream, flush=True)

    token = _PAGE_HOOK.set(show)
    try:
        yield
    finally:
        _PAGE_HOOK.reset(token)
        print("\r\x1b[K", end="", file=stream, flush=True)
COUNTS = ("documents", "fetched", "not_modified", "parsed", "cached", "published", "blocked", "failed", "pages")
TABLE_COLUMNS = ("document_id", "status", "quality_status", "tables", "amounts", "checks_passed", "checks_failed", "checks_not_run")


def run_counts(outcomes: list[dict[str, Any]]) -> dict[str, int]:
    """How many publications were fetched (≥1 file downloaded), found unchanged upstream
    (``not_modified``), parsed, taken from the cache, published, blocked, failed; pages parsed."""
    counts: Counter[str] = Counter({name: 0 for name in COUNTS})
    for outcome in outcomes:
        counts["documents"] += 1
        fetch = outcome.get("fetch") or {}
        if fetch.get("downloaded"):
            counts["fetched"] += 1
        elif fetch.get("not_modified"):
            counts["not_modified"] += 1
        counts["parsed"] += bool(outcome.get("parsed"))
        counts["cached"] += bool(outcome.get("cached"))
        status = outcome.get("status")
        if status == "published":
            counts["published"] += 1
        elif status in ("blocked", "failed"):
            counts[status] += 1
        if outcome.get("parsed"):
            counts["pages"] += int(outcome.get("pages") or 0)
    return dict(counts)


def counts_line(counts: dict[str, int]) -> str:
    return (
        f"{counts['documents']} documents: {counts['fetched']} fetched, {counts['not_modified']} not modified upstream, "
        f"{counts['parsed']} parsed, {counts['cached']} cached, {counts['published']} published, "
        f"{counts['blocked']} blocked, {counts['failed']} failed"
    )


def outcome_line(outcome: dict[str, Any]) -> str:
    status = outcome.get("status", "?")
    if outcome.get("cached") and status != "cached":
        status += " (cached)"
    text = f"{status:<9} {outcome.get('document_id', '?')}"
    if outcome.get("error"):
        return f"{text}: {outcome['error']}"
    if "tables" in outcome:
        text += f": {outcome['tables']} tables, {outcome['amounts']} amounts, {outcome.get('quality_status', '')}"
    return text


def summary_markdown(outcomes: list[dict[str, Any]], title: str = "yusuan ingest / 预算数据处理") -> str:
    """Counts and one table row per publication (the Prefect artifact)."""
    counts = run_counts(outcomes)
    lines = [f"# {title}", "", "| " + " | ".join(COUNTS) + " |", "|" + "---|" * len(COUNTS), "| " + " | ".join(str(counts[c]) for c in COUNTS) + " |", ""]
    lines += ["| " + " | ".join(TABLE_COLUMNS + ("result",)) + " |", "|" + "---|" * (len(TABLE_COLUMNS) + 1)]
    for outcome in outcomes:
        cells = [str(outcome.get(c, "")) for c in TABLE_COLUMNS]
        cells.append(outcome.get("error") or f"{outcome.get('path', '')}")
        lines.append("| " + " | ".join(" ".join(cell.replace("|", "/").split()) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


class Progress:
    """``start(total)``, then ``advance(outcome)`` per publication, then ``close()``."""

    def __init__(self, mode: str = "auto", stream: IO[str] | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"progress mode {mode!r} is not one of {', '.join(MODES)}")
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if getattr(self.stream, "isatty", lambda: False)() else "lines"
        self.mode = mode
        self.total = 0
        self.done = 0
        self.outcomes_seen: Counter[str] = Counter()
        self._bar: Any = None
        self._task: Any = None
        self._started = time.perf_counter()

    def start(self, total: int) -> None:
        self.total = total
        self._started = time.perf_counter()
        if self.mode == "bar":
            try:
                from rich.console import Console
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    TextColumn,
                    TimeElapsedColumn,
                    TimeRemainingColumn,
                )
                from rich.progress import Progress as Bar
            except ImportError:  # rich comes with prefect; fall back to lines without it
                self.mode = "lines"
                return
            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[last]}"), console=Console(file=self.stream), transient=False)
            self._bar.start()
            self._task = self._bar.add_task("yusuan", total=total, last="")

    def advance(self, outcome: dict[str, Any]) -> None:
        self.done += 1
        self.outcomes_seen[outcome.get("status", "?")] += 1
        if self.mode == "lines":
            width = len(str(self.total or self.done))
            print(f"[{self.done:>{width}}/{self.total}] {outcome_line(outcome)}", file=self.stream, flush=True)
        elif self.mode == "bar" and self._bar is not None:
            self._bar.update(self._task, advance=1, last=f"{outcome.get('status', '')} {outcome.get('document_id', '')}")
            if outcome.get("error"):
                self._bar.console.print(outcome_line(outcome), markup=False, highlight=False)

    def close(self, outcomes: list[dict[str, Any]] | None = None) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if self.mode != "none" and outcomes is not None:
            elapsed = time.perf_counter() - self._started
            print(f"{counts_line(run_counts(outcomes))} in {elapsed:.1f} s", file=self.stream, flush=True)
