"""Cell-level accuracy of the extraction against golden files typed from the documents.

For every document with tests/golden/<document_id>/amounts.csv, run the library on the
corpus copy (tests/fixtures/corpus/manifest.csv, raw/manifest.csv for the samples) and
compare every printed amount (table, row code, row label, leaf column header, value); on the
matched amounts, compare what each means: measure, side, unit and yuan (the golden yuan is
the typed value times the unit printed for the table; see tests/golden/README.md). Prints
precision and recall, the share of matched amounts whose measure / side / unit / yuan agree,
per document and per layout family, every miss and every disagreement (marked "known" when
tests/golden/known_misses.csv gives its reason).

    python benchmarks/accuracy.py [--markdown docs/accuracy.md]   # the figures in docs/accuracy.md
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yusuan.checks.evaluation import (  # noqa: E402
    FIELDS,
    Score,
    as_known,
    extracted_amounts,
    golden_amounts,
    read_known_misses,
    score_meaning,
    summed,
)
from yusuan.ingest.sources import read_manifest  # noqa: E402
from yusuan.package.process import process_document  # noqa: E402

FAMILIES = {"fj": "Fujian national template (text)", "js": "Jiangsu provincial 2017–2019", "sh": "Shanghai district"}
# the wide corpus's layout families as its README numbers them (../shared/corpus-wide/README.md), for its pages copied as
# publications of their own (tests/fixtures/corpus-wide-pages/manifest.csv, ids ending -pN…)
WIDE_FAMILIES = {
    "sh": "1 上海 市级单位预算", "bj": "2 北京 附件1 + 附件2", "sz": "3 深圳", "cq": "4 重庆",
    "gz": "5 广东 广州 / 珠海", "zh": "5 广东 广州 / 珠海", "suz": "6 江苏 苏州 / 无锡", "wx": "6 江苏 苏州 / 无锡",
    "hz": "7 浙江 杭州", "huz": "8 浙江 湖州", "cs": "9 湖南 长沙", "fz": "10 福建 福州 / 泉州", "qz": "10 福建 福州 / 泉州",
    "xa": "11 陕西 西安", "yt": "12 山东 烟台",
}
MANIFESTS = [
    ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv",
    ROOT / "raw" / "manifest.csv",
    ROOT / "tests" / "fixtures" / "corpus-wide-pages" / "manifest.csv",
]


def family(document_id: str, kind: str) -> str:
    prefix = document_id.split("-")[0]
    wide = re.search(r"-p\d+", document_id) is not None
    name = WIDE_FAMILIES.get(prefix, "other") + " (pages)" if wide else FAMILIES.get(prefix, "other")
    return f"{name}, 决算" if "决算" in kind else name


def measure(manifests: list[Path], golden_root: Path) -> list[tuple[str, str, Score]]:
    documents = {}
    for manifest in manifests:
        for document in read_manifest(manifest):
            documents.setdefault(document.document_id, document)
    results = []
    for golden in sorted(golden_root.glob("*/amounts.csv")):
        document_id = golden.parent.name
        document = documents[document_id]
        amounts = process_document(document).resources["amounts"]
        typed = golden_amounts(golden.parent)
        tables = {key[0] for key, _ in typed}
        results.append((document_id, family(document_id, document.kind), score_meaning(typed, extracted_amounts(amounts, tables))))
    return results


def _fields(s: Score) -> str:
    return " | ".join(f"{s.field_accuracy(name):.2%}" for name in FIELDS)


def report(results: list[tuple[str, str, Score]], known_misses_path: Path | None = None) -> str:
    heads = " | ".join(FIELDS)
    lines = [
        f"| document | family | amounts (golden) | extracted | matched | precision | recall | {heads} |",
        "|---|---|---:|---:|---:|---:|---:|" + "---:|" * len(FIELDS),
    ]
    by_family: dict[str, list[Score]] = defaultdict(list)
    for document_id, fam, s in results:
        by_family[fam].append(s)
        lines.append(f"| {document_id} | {fam} | {s.expected} | {s.extracted} | {s.matched} | {s.precision:.2%} | {s.recall:.2%} | {_fields(s)} |")
    lines += ["", f"| family | documents | amounts | precision | recall | {heads} |", "|---|---:|---:|---:|---:|" + "---:|" * len(FIELDS)]
    for fam, scores in [*sorted(by_family.items()), ("**all**", [s for _d, _f, s in results])]:
        total = summed(scores)
        lines.append(f"| {fam} | {len(scores)} | {total.expected} | {total.precision:.2%} | {total.recall:.2%} | {_fields(total)} |")
    lines += ["", f"Meaning fields: share of the matched amounts whose {', '.join(FIELDS)} agree with the golden."]
    misses = [(d, m) for d, _f, s in results for m in s.missing]
    extra = [(d, m) for d, _f, s in results for m in s.unexpected]
    lines += ["", f"Missed amounts: {len(misses)}; amounts extracted that the golden does not have: {len(extra)}."]
    lines += [f"- missed {d}: {m}" for d, m in misses] + [f"- unexpected {d}: {m}" for d, m in extra]
    known = {}
    if known_misses_path is not None and known_misses_path.is_file():
        known = {(m.document_id, m.field, m.table_id, m.column, m.expected, m.got, m.count): m.reason for m in read_known_misses(known_misses_path)}
    disagreements = [(d, item) for d, _f, s in results for item in sorted(as_known(d, s.disagreements))]
    cells = sum(item[-1] for _d, item in disagreements)
    unexplained = [item for _d, item in disagreements if item not in known]
    lines += ["", f"Meaning disagreements: {cells} amount fields in {len(disagreements)} groups ({len(unexplained)} groups not in known_misses.csv)."]
    for _d, (document_id, name, table_id, column, expected, got, count) in disagreements:
        mark = "known" if (document_id, name, table_id, column, expected, got, count) in known else "NEW"
        lines.append(f"- {mark} {document_id} {name} {table_id} [{column}]: golden {expected!r}, extracted {got!r} × {count}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, action="append", help="manifest(s) to find the documents in (default: the corpus copy and raw/)")
    parser.add_argument("--golden", type=Path, default=ROOT / "tests" / "golden")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    text = report(measure(args.manifest or MANIFESTS, args.golden), args.golden / "known_misses.csv")
    print(text)
    if args.markdown:
        title = (
            f"# Accuracy against the goldens\n\nWritten by `python benchmarks/accuracy.py --markdown {args.markdown}` on {date.today()}: "
            "the key match (table, code, label, leaf header, value) and, on the matched amounts, the agreement of measure, side, "
            "unit and yuan with the goldens typed from the pages (format: tests/golden/README.md; reasons of the known misses: "
            "tests/golden/known_misses.csv).\n\n"
        )
        args.markdown.write_text(title + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
