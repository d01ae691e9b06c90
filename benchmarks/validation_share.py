"""CPU share of the package validation in the whole path (read -> package written), without a
profiler, so that two trees of the library can be compared in the same minutes.

Every publication with a PDF in the manifests (by default both shared corpora) is processed and
its package written to a temporary folder, in this one process; the validation is timed by
wrapping its function: ``validate_staged`` (the staged files, issue 14) or, in a tree from before
that change, ``validate_resources`` (a temporary copy). Run it from each tree in turn:

    PYTHONPATH=. python benchmarks/validation_share.py [--limit 20] [--manifest M.csv ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from yusuan.core.errors import YusuanError  # noqa: E402
from yusuan.ingest.sources import read_manifest  # noqa: E402

DEFAULT_MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", ROOT.parent / "shared" / "corpus-wide" / "manifest.csv"]


def timed(func: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start

    return wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--limit", type=int, help="only the first N publications")
    args = parser.parse_args()
    import frictionless  # noqa: F401  (a one-off import, not a publication's cost)

    import yusuan.package.process as process
    from yusuan.core.schemas import load_registry
    from yusuan.package.writer import write_package

    documents = [d for m in args.manifest for d in read_manifest(m) if any(f.path.suffix.lower() == ".pdf" for f in d.files)]
    documents = documents[: args.limit] if args.limit else documents
    spent = [0.0]
    try:
        import yusuan.package.staged_validation as staged

        staged.validate_staged = timed(staged.validate_staged, spent)  # type: ignore[assignment]
        name = "validate_staged (the staged files)"
    except ImportError:  # a tree from before issue 14's change
        process.validate_resources = timed(process.validate_resources, spent)  # type: ignore[attr-defined]
        name = "validate_resources (a temporary copy)"
    load_registry()
    start = time.process_time()
    with tempfile.TemporaryDirectory(prefix="yusuan-share-") as output:
        for document in documents:
            try:
                write_package(process.process_document(document), Path(output))
            except YusuanError:
                continue
    total = time.process_time() - start
    print(f"{len(documents)} publications: whole path {total:.1f} CPU-s, {name} {spent[0]:.1f} CPU-s = {100 * spent[0] / total:.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
