"""The sha256 of every file of every package written from the corpora: equality before speed.

A change meant only to make the path faster must leave every published byte as it was. This
writes the package of every publication of the manifests (by default both shared corpora, every
format) into a temporary folder and records the sha256 of each file (``--write FILE``), or
compares them with a record written before by other code (``--against FILE``) and lists each
publication whose files differ, with the files. Exit status 1 when any differs.

    python benchmarks/output_digest.py --write /tmp/before.json        # on the old code
    python benchmarks/output_digest.py --against /tmp/before.json      # on the new code

A publication that is blocked or rejected is recorded with its error's class instead of files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from yusuan.ingest.sources import read_manifest  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", SHARED / "corpus-wide" / "manifest.csv"]


def digest_publication(manifest: Path, document_id: str) -> tuple[str, dict[str, str]]:
    """Write one publication's package in a temporary folder; sha256 of each of its files."""
    from yusuan.core.errors import YusuanError
    from yusuan.package.process import process_document
    from yusuan.package.writer import write_package

    document = next(d for d in read_manifest(manifest) if d.document_id == document_id)
    with tempfile.TemporaryDirectory(prefix="yusuan-digest-") as folder:
        try:
            package = write_package(process_document(document), Path(folder))
        except YusuanError as exc:
            return document_id, {"error": type(exc).__name__}
        return document_id, {
            str(path.relative_to(package)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(package.rglob("*")) if path.is_file()
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="+", help="only these document ids")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, help="record the digests in this JSON file")
    action.add_argument("--against", type=Path, help="compare with a record written before")
    args = parser.parse_args()

    jobs = [(m, d.document_id) for m in args.manifest for d in read_manifest(m) if not args.only or d.document_id in args.only]
    with ProcessPoolExecutor(args.workers) as pool:
        digests = dict(pool.map(digest_publication, *zip(*jobs, strict=True)))
    files = sum(len(v) for v in digests.values())
    if args.write:
        args.write.write_text(json.dumps(digests, indent=1, sort_keys=True), encoding="utf-8")
        print(f"{len(digests)} publications, {files} files recorded in {args.write}")
        return 0
    before = json.loads(args.against.read_text(encoding="utf-8"))
    differ = 0
    compared = set(digests) if args.only else set(before) | set(digests)  # --only: those publications alone
    for document_id in sorted(compared):
        old, new = before.get(document_id, {}), digests.get(document_id, {})
        changed = sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))
        if changed:
            differ += 1
            print(f"{document_id}: {len(changed)} file(s) differ: {', '.join(changed[:8])}")
    print(f"{len(digests)} publications, {files} files; {differ} publication(s) differ from {args.against}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
