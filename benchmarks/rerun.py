"""Wall time of `yusuan run` as a person meets it: a first run over the sample publications,
then a re-run over the unchanged inputs, with Prefect (the default) and without.

Each run is the real command in a subprocess (imports, Prefect's temporary server, the
catalogue included), in a fresh temporary output folder and PREFECT_HOME, so the figures are
what a user waits for. The re-run is also given as a ratio to the first run of the same mode.

    python benchmarks/rerun.py [--manifest raw/manifest.csv] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_run(manifest: Path, output: Path, env: dict[str, str], *extra: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "yusuan.cli", "run", "--quiet", "--manifest", str(manifest), "--output", str(output), *extra], env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"yusuan run failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=ROOT / "raw" / "manifest.csv")
    parser.add_argument("--repeat", type=int, default=3, help="re-runs measured per mode (the median is shown)")
    args = parser.parse_args()
    print(f"manifest: {args.manifest}; {os.cpu_count()} cores")
    print("| mode | first run | re-run, unchanged (median) | re-run / first |")
    print("|---|---:|---:|---:|")
    for mode, extra in (("Prefect flow (default)", ()), ("--no-prefect", ("--no-prefect",))):
        with tempfile.TemporaryDirectory() as scratch:
            env = {**os.environ, "PREFECT_HOME": str(Path(scratch) / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
            env.pop("PREFECT_API_URL", None)
            output = Path(scratch) / "output"
            first = timed_run(args.manifest, output, env, *extra)
            again = statistics.median(timed_run(args.manifest, output, env, *extra) for _ in range(args.repeat))
            print(f"| {mode} | {first:.1f} s | {again:.2f} s | {again / first:.3f} |")


if __name__ == "__main__":
    main()
