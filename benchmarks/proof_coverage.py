"""How many staged resources the proof settles (yusuan/checks/schema_proof.py), and whether
stock Frictionless agrees on each of them: the proof's coverage and soundness on real packages.

Every publication of the manifests (by default both shared corpora) is processed and its
package written to a temporary folder; then each resource's CSV of the written package is
given to the proof (nothing remembered between packages) and, with ``--compare``, to stock
Frictionless (``Resource`` with the full schema descriptors, inside one package). Prints the
resources proved, not proved (and why Frictionless says so), and any resource proved valid
that Frictionless finds invalid (there must be none; exit status 1 otherwise).

    PYTHONPATH=. python benchmarks/proof_coverage.py [--compare] [--limit N] [--manifest M ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from yusuan.ingest.sources import read_manifest  # noqa: E402

DEFAULT_MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", ROOT.parent / "shared" / "corpus-wide" / "manifest.csv"]


def stock_valid(folder: Path, specs: list[dict]) -> dict[str, bool]:
    from frictionless import Package, Resource, Schema

    from yusuan.core.resource_format import table_schema

    package = Package(
        resources=[Resource(name=s["name"], path=f"{s['name']}.csv", format="csv", encoding="utf-8", schema=Schema.from_descriptor(table_schema(s))) for s in specs],
        basepath=str(folder),
    )
    return {s["name"]: package.get_resource(s["name"]).validate().valid for s in specs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--limit", type=int, help="only the first N publications")
    parser.add_argument("--compare", action="store_true", help="validate every resource with stock Frictionless too")
    args = parser.parse_args()

    from yusuan.checks import schema_proof
    from yusuan.checks.schema_validation import _schema
    from yusuan.core.errors import YusuanError
    from yusuan.core.schemas import resource_specs
    from yusuan.package.process import process_document
    from yusuan.package.writer import write_package

    documents = [d for m in args.manifest for d in read_manifest(m)]
    documents = documents[: args.limit] if args.limit else documents
    specs = resource_specs()
    names = [s["name"] for s in specs]
    counts: Counter[str] = Counter()
    unsound: list[tuple[str, str]] = []
    spent = {"proof": 0.0, "frictionless": 0.0}
    with tempfile.TemporaryDirectory(prefix="yusuan-proof-") as output:
        for document in documents:
            try:
                folder = write_package(process_document(document), Path(output))
            except YusuanError as exc:
                counts["publications not written"] += 1
                print(f"{document.document_id}: not written ({type(exc).__name__})")
                continue
            schema_proof.forget()
            start = time.process_time()
            prover = schema_proof.Prover(folder, names, _schema)
            verdict = {name: prover.proves(name) for name in names}
            spent["proof"] += time.process_time() - start
            valid = {}
            if args.compare:
                start = time.process_time()
                valid = stock_valid(folder, specs)
                spent["frictionless"] += time.process_time() - start
            for name in names:
                counts["proved" if verdict[name] else "not proved"] += 1
                if not verdict[name]:
                    print(f"{document.document_id}: {name} not proved" + (f" (Frictionless: {'valid' if valid[name] else 'invalid'})" if valid else ""))
                if valid and verdict[name] and not valid[name]:
                    unsound.append((document.document_id, name))
    print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    print(f"CPU-s (every resource, nothing remembered): proof {spent['proof']:.2f}" + (f", stock Frictionless {spent['frictionless']:.2f}" if args.compare else ""))
    if args.compare:
        print(f"proved valid but invalid for Frictionless: {len(unsound)} {unsound}")
    return 1 if unsound else 0


if __name__ == "__main__":
    sys.exit(main())
