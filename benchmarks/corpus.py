"""Every publication of one or more manifests through the library, one line per document.

For each publication: its status (published passed / published with warnings / blocked /
rejected), the standard tables identified against the tables visible in the document
(``tables_visible`` in the ``source.json`` beside its files, or benchmarks/tables_visible.csv),
tables in doubt, amounts and amounts whose column has no measure, and the checks passed,
failed and not run. Every failed check of severity warning or error is looked up in the
ledger (docs/corpus-ledger.md): a real error of the publication, or a named open item of
the parser or the checks. Failed checks that the ledger does not class are listed.

    python benchmarks/corpus.py                       # both shared corpora
    python benchmarks/corpus.py --manifest M.csv ... --workers 2 --json out.json
    python benchmarks/corpus.py --baseline before.json   # what changed since a saved run

Run it before and after every parser change: a change that lowers the figures does not land.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from yusuan.core.errors import YusuanError  # noqa: E402
from yusuan.core.model import Grid, SourceDocument  # noqa: E402
from yusuan.core.schemas import load_registry  # noqa: E402
from yusuan.ingest.sources import read_manifest  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", SHARED / "corpus-wide" / "manifest.csv"]
LEDGER = ROOT / "docs" / "corpus-ledger.md"
VISIBLE = ROOT / "benchmarks" / "tables_visible.csv"
STATUS = {"passed": "published, passed", "warnings": "published, warnings", "blocked": "blocked", "rejected": "rejected", "crashed": "crashed (a bug)"}


@dataclass
class Outcome:
    document_id: str
    status: str  # passed | warnings | blocked | rejected
    tables_visible: int | None = None
    tables_identified: int = 0
    tables_unidentified: int = 0
    tables_in_doubt: int = 0
    performance_tables: int = 0
    amounts: int = 0
    amounts_unmapped: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    checks_not_run: int = 0
    grids_found: int = 0
    error: str = ""
    cpu_seconds: float = 0.0
    failed: list[dict[str, Any]] = field(default_factory=list)


def visible_tables(document: SourceDocument, extra: dict[str, int]) -> int | None:
    if document.document_id in extra:
        return extra[document.document_id]
    meta = document.files[0].path.parent / "source.json"
    if meta.is_file():
        value = json.loads(meta.read_text(encoding="utf-8")).get("tables_visible")
        return int(value) if value is not None else None
    return None


def run_document(document: SourceDocument, visible: int | None) -> Outcome:
    from yusuan.extract import document_to_blocks
    from yusuan.package.process import process_document
    from yusuan.package.staged_validation import check_unpublished

    start = time.process_time()
    try:
        result = check_unpublished(process_document(document))  # with the package's validation, as written
    except YusuanError as exc:
        grids = 0
        with contextlib.suppress(YusuanError):
            grids = sum(isinstance(b, Grid) for b in document_to_blocks(document).blocks)
        return Outcome(document.document_id, "rejected", visible, grids_found=grids, error=str(exc), cpu_seconds=time.process_time() - start)
    except Exception as exc:  # noqa: BLE001 - a bug of the library: reported, the run goes on
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Outcome(document.document_id, "crashed", visible, error=f"{type(exc).__name__}: {exc} ({where.filename.split('/')[-1]}:{where.lineno})", cpu_seconds=time.process_time() - start)
    tables = result.resources["source_tables"]
    amounts = result.resources["amounts"]
    checks = result.resources["checks"]
    registry = load_registry()
    identified = [t for t in tables if t["table_id"] in registry.by_id and registry.by_id[t["table_id"]].in_template]
    performance = result.performance_tables  # tables, not their target rows (a table lists several projects)
    return Outcome(
        document_id=document.document_id,
        status=result.quality_status,
        tables_visible=visible,
        tables_identified=len({t["table_id"] for t in identified}) + performance,  # a table split in two counts once
        tables_unidentified=sum(t["table_id"].startswith("unidentified") for t in tables),
        tables_in_doubt=sum(t.get("table_status") == "in_doubt" for t in tables),
        performance_tables=performance,
        amounts=sum(a["amount"] is not None for a in amounts),
        amounts_unmapped=sum(a["amount"] is not None and a["measure"] == "unmapped" for a in amounts),
        checks_passed=sum(c["status"] == "passed" for c in checks),
        checks_failed=sum(c["status"] == "failed" for c in checks),
        checks_not_run=sum(c["status"] == "not_run" for c in checks),
        cpu_seconds=time.process_time() - start,
        failed=[
            {k: c.get(k) for k in ("check_id", "severity", "table_id", "row", "page", "expected", "actual", "message")}
            for c in checks if c["status"] == "failed" and c["severity"] in ("warning", "error")
        ],
    )


@dataclass(frozen=True)
class LedgerEntry:
    document_id: str
    check_id: str
    table_id: str
    row: str
    kind: str  # document (a real error of the publication) | open (parser or check, to fix)
    note: str

    def matches(self, document_id: str, failed: dict[str, Any]) -> bool:
        def fits(pattern: str, value: Any) -> bool:
            return pattern in ("", "*") or pattern == str(value or "") or (pattern.endswith("*") and str(value or "").startswith(pattern[:-1]))

        return self.document_id == document_id and fits(self.check_id, failed["check_id"]) and fits(self.table_id, failed["table_id"]) and fits(self.row, failed["row"])


def read_ledger(path: Path) -> list[LedgerEntry]:
    """The rows of the markdown tables of the ledger whose first cell is a document id."""
    entries = []
    if not path.is_file():
        return entries
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and re.fullmatch(r"[a-z0-9][a-z0-9-]+", cells[0]) and cells[4] in ("document", "open"):
            entries.append(LedgerEntry(*cells[:5], note=" | ".join(cells[5:])))
    return entries


def classify(outcomes: list[Outcome], ledger: list[LedgerEntry]) -> tuple[Counter, list[tuple[str, dict[str, Any]]]]:
    counts: Counter = Counter()
    unclassed = []
    for outcome in outcomes:
        for failed in outcome.failed:
            entry = next((e for e in ledger if e.matches(outcome.document_id, failed)), None)
            if entry is None:
                counts["unclassed"] += 1
                unclassed.append((outcome.document_id, failed))
            else:
                counts[entry.kind] += 1
    return counts, unclassed


def stale_entries(outcomes: list[Outcome], ledger: list[LedgerEntry]) -> list[LedgerEntry]:
    """Ledger rows of documents that ran whose check no longer fails: remove them (an open item
    that was fixed, or a finding a check no longer makes; the latter needs a look)."""
    ran = {o.document_id: o for o in outcomes}
    return [e for e in ledger if e.document_id in ran and not any(e.matches(e.document_id, f) for f in ran[e.document_id].failed)]


def report(outcomes: list[Outcome], ledger: list[LedgerEntry], manifests: list[Path]) -> str:
    total = len(outcomes)
    published = [o for o in outcomes if o.status in ("passed", "warnings")]
    rejected_with_grids = [o for o in outcomes if o.status == "rejected" and o.grids_found]
    with_visible = [o for o in outcomes if o.tables_visible is not None]
    visible = sum(o.tables_visible or 0 for o in with_visible)
    matched = sum(min(o.tables_identified, o.tables_visible or 0) for o in with_visible)
    amounts = sum(o.amounts for o in outcomes)
    unmapped = sum(o.amounts_unmapped for o in outcomes)
    ledger_counts, unclassed = classify(outcomes, ledger)
    statuses = Counter(o.status for o in outcomes)
    lines = [
        f"Manifests: {', '.join(str(m) for m in manifests)}",
        "",
        f"- publications: {total}; published {len(published)} ({len(published) / total:.1%}): "
        + ", ".join(f"{STATUS[s]} {statuses[s]}" for s in STATUS),
        f"- rejected although grids were found: {len(rejected_with_grids)}",
        f"- tables identified / visible: {matched} / {visible} ({matched / visible if visible else 1:.1%}) over {len(with_visible)} publications that state how many are visible",
        f"- tables in doubt: {sum(o.tables_in_doubt for o in outcomes)}; unidentified grids kept: {sum(o.tables_unidentified for o in outcomes)}",
        f"- amounts: {amounts}; with an unmapped measure: {unmapped} ({unmapped / amounts if amounts else 0:.2%})",
        f"- checks: passed {sum(o.checks_passed for o in outcomes)}, failed {sum(o.checks_failed for o in outcomes)}, not run {sum(o.checks_not_run for o in outcomes)}",
        f"- failed checks (warning/error) by the ledger: real errors of the publication {ledger_counts['document']}, open items {ledger_counts['open']}, not classed {ledger_counts['unclassed']}",
        f"- ledger rows that no longer match a failed check (to remove): {len(stale_entries(outcomes, ledger))}",
        f"- CPU: {sum(o.cpu_seconds for o in outcomes):.0f} s",
        "",
        "| document | status | tables identified / visible | unidentified | in doubt | amounts | unmapped | checks passed / failed / not run | failed (warning, error) |",
        "|---|---|---|---:|---:|---:|---:|---|---|",
    ]
    for o in outcomes:
        kinds = Counter(f"{f['check_id']}" for f in o.failed)
        shown = ", ".join(f"{k} ×{v}" for k, v in kinds.most_common(4)) or ("" if not o.error else o.error[:120])
        lines.append(
            f"| {o.document_id} | {STATUS[o.status]} | {o.tables_identified} / {o.tables_visible if o.tables_visible is not None else '?'} | "
            f"{o.tables_unidentified} | {o.tables_in_doubt} | {o.amounts} | {o.amounts_unmapped} | "
            f"{o.checks_passed} / {o.checks_failed} / {o.checks_not_run} | {shown} |"
        )
    if unclassed:
        lines += ["", f"Failed checks the ledger does not class ({len(unclassed)}):", ""]
        lines += [
            f"- {d} `{f['check_id']}` {f['table_id']} row {f['row']!r} p{f['page']}: expected {f['expected']} actual {f['actual']} — {(f['message'] or '')[:140]}"
            for d, f in unclassed[:400]
        ]
    stale = stale_entries(outcomes, ledger)
    if stale:
        lines += ["", f"Ledger rows that no longer match a failed check ({len(stale)}):", ""]
        lines += [f"- {e.document_id} `{e.check_id}` {e.table_id} row {e.row!r} ({e.kind})" for e in stale]
    return "\n".join(lines) + "\n"


def compare(outcomes: list[Outcome], baseline_path: Path) -> str:
    """Per document, what got worse or better than a saved run."""
    before = {o["document_id"]: o for o in json.loads(baseline_path.read_text(encoding="utf-8"))}
    rank = {"crashed": -1, "rejected": 0, "blocked": 1, "warnings": 2, "passed": 3}
    lines = ["", f"Against {baseline_path}:"]
    for o in outcomes:
        b = before.get(o.document_id)
        if b is None:
            continue
        notes = []
        if rank[o.status] != rank[b["status"]]:
            notes.append(f"status {b['status']} -> {o.status}")
        for key in ("tables_identified", "amounts", "amounts_unmapped", "checks_failed", "tables_in_doubt"):
            if o.__dict__[key] != b.get(key):
                notes.append(f"{key} {b.get(key)} -> {o.__dict__[key]}")
        worse = rank[o.status] < rank[b["status"]] or o.tables_identified < b.get("tables_identified", 0)
        if notes:
            lines.append(f"{'WORSE ' if worse else ''}{o.document_id}: " + "; ".join(notes))
    return "\n".join(lines) + "\n"


def read_visible(path: Path) -> dict[str, int]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["document_id"]: int(row["tables_visible"]) for row in csv.DictReader(handle)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--only", nargs="+", help="only these document ids")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ledger", type=Path, default=LEDGER)
    parser.add_argument("--json", type=Path, help="write the outcomes as JSON (for --baseline later)")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument("--baseline", type=Path, help="a JSON written by an earlier run: print what changed")
    args = parser.parse_args()
    extra = read_visible(VISIBLE)
    documents = [d for m in args.manifest for d in read_manifest(m)]
    if args.only:
        documents = [d for d in documents if d.document_id in args.only]
    jobs = [(d, visible_tables(d, extra)) for d in documents]
    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as pool:
            outcomes = list(pool.map(run_document, *zip(*jobs, strict=True)))
    else:
        outcomes = [run_document(d, v) for d, v in jobs]
    text = report(outcomes, read_ledger(args.ledger), args.manifest)
    if args.baseline:
        text += compare(outcomes, args.baseline)
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
