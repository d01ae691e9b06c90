"""Time and peak memory of `yusuan release` over 1,000 publications, and of adding one more.

The 1,000 publications are synthesised from real packages (an output folder of `yusuan run`):
each copy gets a new document id and fiscal year written into every Parquet file and its
descriptor, so every copy is a distinct publication with real rows. Each measurement runs in a
fresh subprocess that reports its own wall time and peak resident memory (ru_maxrss):

1. full build of the release over N publications (no release yet);
2. adding one publication to that release (incremental);
3. a rebuild with nothing changed;
4. a forced full rebuild (`--full`) of the N + 1, the baseline of the same run for 2 and 3.

    python benchmarks/release.py [--packages OUTPUT_FOLDER] [--publications 1000]

Without --packages, the sample publications of raw/ are run first (`yusuan run --no-prefect`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
FIRST_YEAR = 2015
YEARS = 12

CHILD = """
import json, resource, sys, time
from pathlib import Path
from yusuan.release import build_release
started = time.perf_counter()
summary = build_release(Path(sys.argv[1]), full=sys.argv[2] == "full")
elapsed = time.perf_counter() - started
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mib": peak_mib, "read": len(summary.added) + len(summary.changed), "unchanged": summary.unchanged}))
"""


def real_packages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if (p / "datapackage.json").is_file() and p.name != "release")


def synthesise(source: Path, target: Path, document_id: str, fiscal_year: int) -> None:
    """A copy of package ``source`` as publication ``document_id`` of ``fiscal_year``."""
    target.mkdir(parents=True)
    descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update({"name": document_id, "fiscal_year": fiscal_year, "synthesised_from": source.name})
    for path in source.iterdir():
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            if "document_id" in table.column_names:
                index = table.column_names.index("document_id")
                table = table.set_column(index, "document_id", pa.array([document_id] * table.num_rows, pa.string()))
            if "fiscal_year" in table.column_names:
                index = table.column_names.index("fiscal_year")
                table = table.set_column(index, "fiscal_year", pa.array([fiscal_year] * table.num_rows, table.schema.field("fiscal_year").type))
            pq.write_table(table, target / path.name, compression="zstd")
        elif path.name != "datapackage.json":
            os.link(path, target / path.name)  # CSVs and the report are not read by the release
    (target / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def measure(output: Path, mode: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(output), mode], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"release failed: {done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def sample_packages(scratch: Path) -> Path:
    output = scratch / "samples"
    command = [sys.executable, "-m", "yusuan.cli", "run", "--no-prefect", "--quiet", "--targets", "folder", "--output", str(output)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if not real_packages(output) if output.is_dir() else True:
        raise SystemExit(f"yusuan run failed: {done.stderr.strip() or done.stdout.strip()}")
    return output


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=Path, help="an output folder of real packages to copy (default: run raw/ first)")
    parser.add_argument("--publications", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yusuan-release-bench-") as scratch_name:
        scratch = Path(scratch_name)
        sources = real_packages(args.packages or sample_packages(scratch))
        output = scratch / "output"
        output.mkdir()
        for i in range(args.publications + 1):
            source = sources[i % len(sources)]
            synthesise(source, output / f"{source.name}-s{i:05d}", f"{source.name}-s{i:05d}", FIRST_YEAR + i % YEARS)
        extra = output / f"{sources[args.publications % len(sources)].name}-s{args.publications:05d}"
        held = scratch / "held"
        shutil.move(extra, held)
        rows = pq.read_metadata
        amounts = sum(rows(p / "amounts.parquet").num_rows for p in real_packages(output) if (p / "amounts.parquet").is_file())
        print(f"{args.publications} publications synthesised from {len(sources)} real packages ({amounts:,} amount rows); {os.cpu_count()} cores")
        full = measure(output, "incremental")
        shutil.move(held, extra)
        add_one = measure(output, "incremental")
        nothing = measure(output, "incremental")
        forced = measure(output, "full")
        release = output / "release"
        print(f"release: {size_mib(release):.0f} MiB on disk (DuckDB file {(release / 'yusuan.duckdb').stat().st_size / 2**20:.0f} MiB)")
        print("| step | publications read | wall time | peak memory | time / full build |")
        print("|---|---:|---:|---:|---:|")
        for name, result in ((f"full build, {args.publications} publications", full), ("add one publication", add_one), ("nothing changed", nothing), (f"forced full rebuild (--full), {args.publications + 1}", forced)):
            print(f"| {name} | {result['read']} | {result['seconds']:.1f} s | {result['peak_mib']:.0f} MiB | {result['seconds'] / forced['seconds']:.3f} |")


if __name__ == "__main__":
    main()
