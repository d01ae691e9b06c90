"""Editing a staged package's CSV in tests of the validation (a cell changed, rows dropped)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path


def edit_csv(path: Path, edit: Callable[[list[str], list[list[str]]], list[list[str]]]) -> None:
    """Rewrite a staged CSV with ``edit(header, rows)`` applied to its rows (header kept)."""
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(edit(header, rows))
    path.write_text(out.getvalue(), encoding="utf-8")
