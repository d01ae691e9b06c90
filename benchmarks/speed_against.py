"""The whole path (read -> package written, PDFium reader) of this checkout against another.

The yusuan pass of benchmarks/speed.py, run alternately with this checkout's code and with
another checkout's (``--base``, e.g. an export of main: ``git archive main | tar -x -C
/tmp/base``), each pass in a fresh Python process on the same publications, ``--repeat``
pairs; the medians, their ratio and the median of the pairs' own ratios are printed.
Alternating the two in one run keeps the comparison fair on a machine shared with other
jobs, and the order within a pair alternates too (base first, then this checkout first):
in stop 27 the second pass of a pair was measured about 3 % slower whichever code it ran
(the kernel's work on the files the first pass wrote), so a fixed order biased every ratio
against the checkout run second. Use an even ``--repeat``.

    python benchmarks/speed_against.py --base /tmp/base [--repeat 4] [--manifest M ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.speed import DEFAULT_MANIFESTS  # noqa: E402

PASS = """
import json, sys
from pathlib import Path
import benchmarks.speed as speed
documents = speed.pdf_documents([Path(m) for m in sys.argv[1:]])
print(json.dumps(speed.timed_pass(speed.yusuan_pdfium, documents)))
"""


def one_pass(root: Path, manifests: list[Path]) -> tuple[int, float, float]:
    """Pages, CPU seconds and peak RSS (MiB) of the yusuan pass with the code of ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", PASS, *map(str, manifests)], cwd=root, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the pass with {root} failed:\n{done.stderr[-2000:]}")
    pages, seconds, peak = json.loads(done.stdout.strip().splitlines()[-1])
    return pages, seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="the other checkout (its yusuan and benchmarks/speed.py)")
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--repeat", type=int, default=4, help="pairs of passes (even: each order as often)")
    args = parser.parse_args()
    manifests = [m.resolve() for m in args.manifest]
    runs: dict[str, list[tuple[int, float, float]]] = {"base": [], "this": []}
    roots = {"base": args.base.resolve(), "this": ROOT}
    for pair in range(args.repeat):
        for name in ("base", "this") if pair % 2 == 0 else ("this", "base"):
            runs[name].append(one_pass(roots[name], manifests))
    print(f"yusuan, read -> package written (PDFium reader), median of {args.repeat} pairs of passes (order alternating), CPU time\n")
    print("| code | pages | CPU s (each pass) | median CPU s | pages per CPU-s | peak RSS, MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    medians = {}
    for name, label in (("base", f"base ({args.base})"), ("this", "this checkout")):
        pages = runs[name][0][0]
        seconds = [r[1] for r in runs[name]]
        medians[name] = statistics.median(seconds)
        print(f"| {label} | {pages} | {', '.join(f'{s:.1f}' for s in seconds)} | {medians[name]:.1f} | {pages / medians[name]:.1f} | {max(r[2] for r in runs[name]):.0f} |")
    pairs = [this[1] / base[1] for base, this in zip(runs["base"], runs["this"], strict=True)]
    print(f"\nthis checkout / base, CPU: {medians['this'] / medians['base']:.3f}")
    print(f"each pair (this / base): {', '.join(f'{r:.3f}' for r in pairs)}; median {statistics.median(pairs):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
