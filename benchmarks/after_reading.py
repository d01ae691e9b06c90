"""CPU of the stages after the reader (normalize, checks, package writing) on publications
already read, so that two trees of the library can be compared in the same minutes without
the reader's cost and noise (issue 14).

Every publication of the manifests (by default both shared corpora, every format) is read
once (``document_to_blocks``, not timed) and its blocks pickled; ``--cache FILE`` keeps the
pickles for later runs (the reader's output is the same in both trees when only the later
stages differ). Then, ``--repeat`` times: each publication's blocks are unpickled (not timed),
turned into its result (``extracted_to_result``: tables, normalize, checks) and its package
written to a temporary folder (``write_package``), CPU-timed by stage. With several passes
a last column adds up each publication's least CPU of the passes, stage by stage (on a
shared machine other jobs only add to a process's CPU time). ``--profile`` runs the passes
under cProfile and prints the functions with the most own time.

Run it from each tree in turn, with that tree first on the path:

    PYTHONPATH=. python benchmarks/after_reading.py --cache /tmp/after.pkl [--repeat 3] [--limit N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))  # benchmarks.*; the library comes from PYTHONPATH

from benchmarks.manifests import present  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MANIFESTS = [ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv", ROOT.parent / "shared" / "corpus-wide" / "manifest.csv"]
# (stage, module, attribute): the function is wrapped with a CPU timer where the path calls it
STAGES = [
    ("normalize (tables_to_rows: raw_table_to_rows per table)", "yusuan.package.process", "tables_to_rows"),
    ("checks (run_checks)", "yusuan.package.process", "run_checks"),
    ("hierarchy, code and COFOG fields (add_row_fields)", "yusuan.package.process", "add_row_fields"),
    ("dialect sniffing of the staged files (frictionless_dialect)", "yusuan.checks.schema_proof", "frictionless_dialect"),
    ("staging the CSVs (stage_csv)", "yusuan.package.staged_validation", "stage_csv"),
    ("validation (validate_staged)", "yusuan.package.staged_validation", "validate_staged"),
    ("Parquet and descriptor (write_resource)", "yusuan.package.writer", "write_resource"),
    ("quality report (write_quality_report)", "yusuan.package.writer", "write_quality_report"),
]


def timed(func: Callable[..., Any], spent: dict[str, float], stage: str) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[stage] += time.process_time() - start

    return wrapper


def read_all(manifests: list[Path], limit: int | None, cache: Path | None) -> list[bytes]:
    """Each publication's blocks, pickled (from ``cache`` when it exists)."""
    if cache and cache.is_file():
        return pickle.loads(cache.read_bytes())
    from yusuan.core.errors import YusuanError
    from yusuan.extract import document_to_blocks
    from yusuan.ingest.sources import read_manifest

    documents = [d for m in manifests for d in read_manifest(m)]
    documents = documents[:limit] if limit else documents
    pickles = []
    for document in documents:
        try:
            pickles.append(pickle.dumps(document_to_blocks(document)))
        except YusuanError:
            continue
    if cache:
        cache.write_bytes(pickle.dumps(pickles))
    return pickles


def one_pass(pickles: list[bytes], output: Path, spent: dict[str, float], each: list[dict[str, float]] | None = None) -> int:
    """Every publication's result and package; the number of packages written. ``each``
    gets the CPU of each stage for each publication."""
    from yusuan.core.schemas import load_registry

    registry = load_registry()
    written = 0
    for blob in pickles:
        extracted = pickle.loads(blob)
        before = dict(spent)
        try:
            written += _publication(extracted, registry, output, spent)
        finally:
            if each is not None:
                each.append({s: spent[s] - before[s] for s in spent})
    return written


def _publication(extracted: Any, registry: Any, output: Path, spent: dict[str, float]) -> int:
    from yusuan.core.errors import YusuanError
    from yusuan.package.process import extracted_to_result
    from yusuan.package.writer import write_package

    start = time.process_time()
    try:
        result = extracted_to_result(extracted, registry)
    except YusuanError:
        return 0
    finally:
        spent["result (extracted_to_result)"] += time.process_time() - start
    start = time.process_time()
    try:
        write_package(result, output)
        return 1
    except YusuanError:
        return 0
    finally:
        spent["package writing (write_package)"] += time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--limit", type=int, help="only the first N publications")
    parser.add_argument("--cache", type=Path, help="the pickled blocks: read from it if it exists, else written to it")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile the passes (own time of the top functions)")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    import importlib

    import frictionless  # noqa: F401  (a one-off import, not a publication's cost)

    pickles = read_all(args.manifest, args.limit, args.cache)
    stages = ["result (extracted_to_result)", "package writing (write_package)"] + [s for s, _m, _a in STAGES]
    spent = dict.fromkeys(stages, 0.0)
    for stage, module, attribute in STAGES:
        owner = importlib.import_module(module)
        setattr(owner, attribute, timed(getattr(owner, attribute), spent, stage))
    profile = cProfile.Profile(time.process_time) if args.profile else None
    passes = []
    by_publication: list[list[dict[str, float]]] = []
    for _ in range(args.repeat):
        before = dict(spent)
        each: list[dict[str, float]] = []
        with tempfile.TemporaryDirectory(prefix="yusuan-after-") as output:
            if profile:
                profile.enable()
            written = one_pass(pickles, Path(output), spent, each)
            if profile:
                profile.disable()
        passes.append({s: spent[s] - before[s] for s in stages})
        by_publication.append(each)
    if args.repeat > 1:
        # each publication's least CPU of the passes, stage by stage: the machine is shared,
        # and other jobs only ever add to a process's CPU time (cache and core contention)
        passes.append({s: sum(min(p[i][s] for p in by_publication) for i in range(len(by_publication[0]))) for s in stages})
    import yusuan

    print(f"library {Path(yusuan.__file__).parent}: {len(pickles)} publications read, {written} packages written, {args.repeat} pass(es)")
    heads = [f"pass {i + 1}, CPU-s" for i in range(args.repeat)] + (["least of the passes, by publication"] if args.repeat > 1 else [])
    print("| stage | " + " | ".join(heads) + " |")
    print("|---|" + "---:|" * len(passes))
    for stage in stages:
        indent = "" if stage in stages[:2] else "  "
        print(f"| {indent}{stage} | " + " | ".join(f"{p[stage]:.2f}" for p in passes) + " |")
    if profile:
        stats = pstats.Stats(profile)
        print("\n| function (own time) | calls | own s | cumulative s |\n|---|---:|---:|---:|")
        ranked = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
        for (filename, line, name), (_cc, calls, own, cumulative, _callers) in ranked[: args.top]:
            where = "/".join(Path(filename).parts[-2:]) if filename != "~" else "builtin"
            print(f"| {where}:{line} {name} | {calls} | {own:.2f} | {cumulative:.2f} |")
        stats.dump_stats(str(Path(tempfile.gettempdir()) / "after_reading.prof"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
