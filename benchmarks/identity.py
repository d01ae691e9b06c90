"""How well a publication's identity is read from the document alone (no manifest).

For every publication of the manifests, its files go through the same drafting as
``yusuan run FILE…`` (yusuan/ingest/drafting.py): each file's identity, then the pairing of a
narrative file with its tables file. Printed: the accuracy per field against the manifest
(issuer exact, region, year, kind, files grouped as the manifest groups them) and every miss.

    python benchmarks/identity.py                          # both corpora
    python benchmarks/identity.py --manifest M.csv ...
    python benchmarks/identity.py --write-fixture tests/fixtures/identity_evidence.json

Figures (80 publications, both corpora): before the drafting work (the identity reader as the
pipeline had it) issuer 77.5 %, region 72.5 %, year 96.2 %, kind 73.8 %, grouping 91.2 %; now
issuer 92.5 %, region 96.2 %, year 96.2 %, kind 95.0 %, grouping 97.5 %. The misses left are
documents that do not print the value (no year anywhere, page scans, a narrative without a text
layer) or print the issuer otherwise than the manifest (江苏省委办公厅 / 中共江苏省委办公厅).

``--write-fixture`` keeps, per file, what the identity reader reads (first text lines, table
titles and 编制单位) with the manifest's values, so tests/unit/test_drafting.py checks the
inference on every corpus publication without the PDFs (a user's checkout has no ../shared).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yusuan.core.errors import YusuanError  # noqa: E402
from yusuan.core.schemas import load_registry, normalize_label  # noqa: E402
from yusuan.ingest.drafting import (  # noqa: E402
    Evidence,
    draft_publication,
    extract_evidence,
    pair_files,
    reading_from_evidence,
)

DEFAULT_MANIFESTS = [ROOT / "tests/fixtures/corpus/manifest.csv", ROOT.parent / "shared/corpus-wide/manifest.csv"]
FIELDS = ("issuer", "region", "fiscal_year", "kind", "grouping")


def publications(manifest: Path) -> list[dict[str, Any]]:
    """The manifest's publications: expected values and files (absolute paths, in order)."""
    grouped: dict[str, dict[str, Any]] = {}
    with manifest.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = grouped.setdefault(row["document_id"], {
                "document_id": row["document_id"], "issuer": row["issuer"], "region": row["region"],
                "fiscal_year": int(row["fiscal_year"]), "kind": row["kind"], "files": [], "roles": [],
            })
            entry["files"].append(str(manifest.parent / (row.get("file") or row.get("path") or "")))
            entry["roles"].append(row["role"] or "full")
    return list(grouped.values())


def evaluate(expected: dict[str, Any], evidence: list[Evidence]) -> dict[str, Any]:
    """Draft the publication from its files' evidence and compare it with the manifest."""
    readings = [reading_from_evidence(Path(file), ev) for file, ev in zip(expected["files"], evidence, strict=True)]
    groups = pair_files(readings)
    draft = draft_publication(groups[0])
    got = {"issuer": draft.issuer, "region": draft.region, "fiscal_year": draft.fiscal_year, "kind": draft.kind,
           "grouping": [role for _, role in groups[0]] if len(groups) == 1 else [[role for _, role in g] for g in groups]}
    want = dict(expected, grouping=expected["roles"])
    right = {name: (normalize_label(str(got[name])) == normalize_label(str(want[name]))) if name != "grouping" else got[name] == want[name] for name in FIELDS}
    return {"document_id": expected["document_id"], "got": got, "right": right, "want": {k: want[k] for k in FIELDS}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="*", default=DEFAULT_MANIFESTS)
    parser.add_argument("--write-fixture", type=Path, help="write the identity reader's input and the expected values as JSON")
    args = parser.parse_args(argv)
    registry = load_registry()
    results, fixture = [], []
    for manifest in args.manifest:
        if not manifest.is_file():
            print(f"skipped {manifest}: not found")
            continue
        corpus = manifest.parent.name
        for expected in publications(manifest):
            try:
                evidence = [extract_evidence(Path(file), registry) for file in expected["files"]]
            except (YusuanError, OSError) as exc:
                print(f"{corpus}/{expected['document_id']}: unreadable: {exc}")
                continue
            result = evaluate(expected, evidence)
            result["corpus"] = corpus
            results.append(result)
            fixture.append({"corpus": corpus, **{k: expected[k] for k in ("document_id", "issuer", "region", "fiscal_year", "kind", "roles")},
                            "files": [{"name": Path(f).name, "sha256": ev.sha256, "lines": list(ev.lines), "tables": [list(t) for t in ev.tables], "prose_lines": ev.prose_lines}
                                      for f, ev in zip(expected["files"], evidence, strict=True)]})
    by_corpus: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        by_corpus[result["corpus"]].append(result)
        misses = [f"{name}: got {result['got'][name]!r}, manifest {result['want'][name]!r}" for name in FIELDS if not result["right"][name]]
        if misses:
            print(f"{result['corpus']}/{result['document_id']}: " + "; ".join(misses))
    for corpus, rows in [*by_corpus.items(), ("all", results)]:
        if rows:
            figures = "  ".join(f"{name} {100 * sum(r['right'][name] for r in rows) / len(rows):5.1f}%" for name in FIELDS)
            print(f"{corpus:<12} {len(rows):>3} publications  {figures}")
    if args.write_fixture:
        lines = ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in fixture)  # one publication a line
        args.write_fixture.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
        print(f"fixture written to {args.write_fixture}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
