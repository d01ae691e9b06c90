"""Cell-level accuracy of the extraction against golden files typed from the documents.

For every document with tests/golden/<document_id>/amounts.csv, run the library on the
corpus copy (tests/fixtures/corpus/manifest.csv) and compare every printed amount
(table, row code, row label, leaf column header, value). Prints precision and recall per
document and per layout family, and every miss.

    python benchmarks/accuracy.py [--markdown docs/accuracy.md]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yusuan.checks.evaluation import Score, extracted_keys, golden_keys, score  # noqa: E402
from yusuan.ingest.sources import read_manifest  # noqa: E402
from yusuan.package.process import process_document  # noqa: E402

FAMILIES = {"fj": "Fujian national template (text)", "js": "Jiangsu provincial 2017–2019", "sh": "Shanghai district"}


def family(document_id: str, kind: str) -> str:
    name = FAMILIES.get(document_id.split("-")[0], "other")
    return f"{name}, 决算" if "决算" in kind else name


def measure(manifest: Path, golden_root: Path) -> list[tuple[str, str, Score]]:
    documents = {d.document_id: d for d in read_manifest(manifest)}
    results = []
    for golden in sorted(golden_root.glob("*/amounts.csv")):
        document_id = golden.parent.name
        document = documents[document_id]
        amounts = process_document(document).resources["amounts"]
        keys = golden_keys(golden)
        tables = {k[0] for k in keys}
        results.append((document_id, family(document_id, document.kind), score(keys, extracted_keys(amounts, tables))))
    return results


def report(results: list[tuple[str, str, Score]]) -> str:
    lines = ["| document | family | amounts (golden) | extracted | matched | precision | recall |", "|---|---|---:|---:|---:|---:|---:|"]
    by_family: dict[str, list[Score]] = defaultdict(list)
    for document_id, fam, s in results:
        by_family[fam].append(s)
        lines.append(f"| {document_id} | {fam} | {s.expected} | {s.extracted} | {s.matched} | {s.precision:.2%} | {s.recall:.2%} |")
    lines += ["", "| family | documents | amounts | precision | recall |", "|---|---:|---:|---:|---:|"]
    for fam, scores in sorted(by_family.items()):
        expected = sum(s.expected for s in scores)
        extracted = sum(s.extracted for s in scores)
        matched = sum(s.matched for s in scores)
        lines.append(f"| {fam} | {len(scores)} | {expected} | {matched / extracted if extracted else 1:.2%} | {matched / expected if expected else 1:.2%} |")
    misses = [(d, m) for d, _f, s in results for m in s.missing]
    extra = [(d, m) for d, _f, s in results for m in s.unexpected]
    lines += ["", f"Missed amounts: {len(misses)}; amounts extracted that the golden does not have: {len(extra)}."]
    lines += [f"- missed {d}: {m}" for d, m in misses] + [f"- unexpected {d}: {m}" for d, m in extra]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, default=ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv")
    parser.add_argument("--golden", type=Path, default=ROOT / "tests" / "golden")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    text = report(measure(args.manifest, args.golden))
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
