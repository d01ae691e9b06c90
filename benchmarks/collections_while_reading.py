"""What the garbage collector costs on the whole path, with and without fewer collections
while files are read (yusuan/core/collector.py).

Each pass is a fresh process that writes the package of every publication with a PDF in
the manifests (by default both corpora); passes alternate between the collector's setting
as shipped ("fewer") and the default thresholds all along ("default"). Printed per mode:
CPU seconds of the pass, CPU seconds inside collections (``gc.callbacks``), the number of
collections and the peak RSS, each the median of the passes.

    python benchmarks/collections_while_reading.py [--repeat 3] [--limit N] [--manifest M ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.profile_pipeline import DEFAULT_MANIFESTS  # noqa: E402

PASS = """
import contextlib, gc, json, resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})
from benchmarks.profile_pipeline import run
from yusuan.core.schemas import load_registry
from yusuan.ingest.sources import read_manifest
import yusuan.extract as extract
if {mode!r} == "default":  # the default thresholds all along
    extract.fewer_collections = contextlib.nullcontext
documents = [d for m in {manifests!r} for d in read_manifest(Path(m)) if any(f.path.suffix.lower() == ".pdf" for f in d.files)]
documents = documents[: {limit!r}] if {limit!r} else documents
load_registry()
import frictionless  # noqa: F401
spent, started, count = [0.0], [0.0], [0]
def timed(phase, info):
    if phase == "start":
        started[0] = time.process_time()
    else:
        spent[0] += time.process_time() - started[0]
        count[0] += 1
gc.callbacks.append(timed)
start = time.process_time()
with tempfile.TemporaryDirectory(prefix="yusuan-gc-") as output:
    written = run(documents, Path(output))
print(json.dumps({{"cpu": time.process_time() - start, "gc": spent[0], "collections": count[0],
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "written": written}}))
"""


def one_pass(mode: str, manifests: list[Path], limit: int | None) -> dict[str, float]:
    code = PASS.format(root=str(ROOT), mode=mode, manifests=[str(m) for m in manifests], limit=limit)
    found = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(found.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, help="only the first N publications")
    args = parser.parse_args()
    passes: dict[str, list[dict[str, float]]] = {"default": [], "fewer": []}
    for _ in range(args.repeat):
        for mode in passes:
            passes[mode].append(one_pass(mode, args.manifest, args.limit))
    print(f"whole path, {passes['fewer'][0]['written']:.0f} packages, median of {args.repeat} alternating passes\n")
    print("| collections while reading | CPU s | CPU s in collections | collections | peak RSS, MiB |\n|---|---:|---:|---:|---:|")
    medians = {}
    for mode, found in passes.items():
        medians[mode] = {key: statistics.median(p[key] for p in found) for key in ("cpu", "gc", "collections", "rss")}
        m = medians[mode]
        print(f"| {mode} | {m['cpu']:.1f} | {m['gc']:.2f} | {m['collections']:.0f} | {m['rss']:.0f} |")
    print(f"\nfewer / default, CPU: {medians['fewer']['cpu'] / medians['default']['cpu']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
