"""Build time and peak memory of the catalogue at 100, 1,000 and 10,000 packages.

The packages are synthesised from real ones: the packages of ``--packages`` (by default the
raw/ samples, run through the library into a temporary folder first) are copied under new
document ids (``<id>-s00042``): data files are hard links (same bytes, no disk cost), the
``datapackage.json`` is rewritten with the new name. Each build runs in its own process, so
its peak resident memory (``ru_maxrss``) is its own:

* **full**: the first build of a fresh output folder (every page, DCAT document and zip);
* **unchanged**: a rebuild with nothing changed;
* **+1**: a rebuild after one new package was added;
* **changed**: a rebuild after one package's ``datapackage.json`` changed (its title);
* **removed**: a rebuild after one package folder was deleted.

The baseline, measured in the same run, is what the old catalogue did at the least on every
run: read and sha256 every file of every package (``hash all``). Ratios are against it.

    python benchmarks/catalogue.py [--sizes 100 1000 10000] [--packages OUTPUT_DIR] [--keep DIR]

``--state-scaling N`` measures only the parts of an update that grow with the catalogue on
the machine side, at N packages, without building one: writing the build state of N packages
(a real package's summary and card per row), reading what an update reads of it (every
dataset's plan row; the summaries and cards of one shard), updating one row, and the plan
over N package folders (empty ``datapackage.json`` files: the plan only stats them).

``--keep DIR`` keeps the catalogues (``DIR/<size>``); ``--reuse`` then skips the full build
of a size whose folder holds a built catalogue and measures the updates on it (the ``full``
column is left empty), for profiling the updates at 10,000 without a six-minute build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BUILD = """
import sys, time
from pathlib import Path
from yusuan.catalogue.build import build_catalogue
t = time.perf_counter()
build_catalogue(Path(sys.argv[1]))
print(time.perf_counter() - t)
"""

HASH_ALL = """
import hashlib, sys, time
from pathlib import Path
t = time.perf_counter()
for f in sorted(Path(sys.argv[1]).glob("*/*")):
    if f.is_file() and f.parent.name != "catalogue":
        hashlib.sha256(f.read_bytes()).hexdigest()
print(time.perf_counter() - t)
"""


def measured(code: str, folder: Path) -> tuple[float, float]:
    """(seconds inside the child, peak RSS in MB) of ``code`` run on ``folder`` in a child."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark step failed: {err.strip()[-2000:]}")
    return float(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def real_packages(source: Path | None, scratch: Path) -> list[Path]:
    if source is None:
        source = scratch / "real"
        done = subprocess.run(
            [sys.executable, "-m", "yusuan.cli", "run", "--no-prefect", "--quiet", "--targets", "folder",
             "--manifest", str(ROOT / "raw" / "manifest.csv"), "--output", str(source)],
            cwd=ROOT, capture_output=True, text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"yusuan run failed: {done.stderr.strip()[-2000:]}")
    found = sorted(p.parent for p in source.glob("*/datapackage.json") if p.parent.name != "catalogue")
    if not found:
        raise SystemExit(f"no packages in {source}")
    return found


def synthesise(real: list[Path], output: Path, start: int, count: int) -> None:
    """Packages ``start`` .. ``start + count - 1``, copied in turn from the real ones."""
    for n in range(start, start + count):
        source = real[n % len(real)]
        descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
        name = f"{descriptor['name']}-s{n:05d}"
        folder = output / name
        folder.mkdir()
        for f in source.iterdir():
            if f.is_file() and f.name != "datapackage.json":
                os.link(f, folder / f.name)
        descriptor["name"] = name
        descriptor["title"] = f"{descriptor['title']} (copy {n})"
        descriptor["title_zh"] = f"{descriptor['title_zh']}（副本 {n}）"
        (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def size_of(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def state_scaling(n: int, real: list[Path], scratch: Path) -> None:
    from yusuan.catalogue.state import BuildState, DatasetState, plan_build, stat_key, summary_of
    from yusuan.catalogue.state_db import Entry, StateStore

    out = scratch / "scaling"
    (out / "catalogue").mkdir(parents=True)
    summary = summary_of(json.loads((real[0] / "datapackage.json").read_text(encoding="utf-8")))
    card = {"id": "x", "title_zh": summary.get("title_zh", ""), "title_en": summary.get("title", ""), "total_yuan": "1.00"}
    state = BuildState(key="k", issued="2026-01-01T00:00:00Z", modified="2026-01-01T00:00:00Z", shards=32)
    entries = {}
    for i in range(n):
        folder = out / f"p{i:05d}"
        folder.mkdir()
        (folder / "datapackage.json").write_text("{}", encoding="utf-8")
        state.datasets[folder.name] = DatasetState(
            stat=stat_key(folder) or "", sha256="0" * 64, issued=state.issued, modified=state.issued,
            page=i // 25 + 1, folder=folder.name, shard=i % 32,
        )
        entries[folder.name] = Entry(dict(summary, name=folder.name), "0" * 64, dict(card, id=folder.name))
    t = time.perf_counter()
    store = StateStore(out / "catalogue")
    store.save(state, entries, set(), [])
    store.close()
    write = time.perf_counter() - t
    t = time.perf_counter()
    store = StateStore(out / "catalogue")
    again = store.load()
    one = store.entries({0})
    read = time.perf_counter() - t
    t = time.perf_counter()
    store.save(again, {"p00000": one["p00000"]}, set(), [])
    update = time.perf_counter() - t
    store.close()
    t = time.perf_counter()
    plan = plan_build(out, again, "k")
    planned = time.perf_counter() - t
    assert not plan.reread and len(plan.kept) == n
    size = (out / "catalogue" / "build-state.sqlite").stat().st_size
    print(f"state of {n:,} packages ({size / 2**20:.1f} MB): write all {write:.3f} s, read plan rows and one "
          f"shard {read:.3f} s, update one row {update:.3f} s; plan over {n:,} folders {planned:.3f} s")


def next_number(output: Path) -> int:
    """A copy number no package of ``output`` has (a kept folder may hold earlier additions)."""
    numbers = [int(p.name.rsplit("-s", 1)[1]) for p in output.glob("*-s*") if p.name.rsplit("-s", 1)[1].isdigit()]
    return max(numbers, default=-1) + 1


def change_one(output: Path) -> None:
    """Change the first package's title (a new datapackage.json: new sha256, new stat key)."""
    path = sorted(output.glob("*/datapackage.json"))[0]
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["title"] += " (changed)"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def remove_one(output: Path) -> None:
    shutil.rmtree(sorted(output.glob("*/datapackage.json"))[1].parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--packages", type=Path, help="an output folder of real packages (default: run raw/ samples)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--state-scaling", type=int, metavar="N", help="only measure state and plan at N packages")
    parser.add_argument("--reuse", action="store_true", help="with --keep: update a kept catalogue, no full build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.keep.parent if args.keep else None) as tmp:
        scratch = Path(tmp)
        real = real_packages(args.packages, scratch)
        if args.state_scaling:
            sys.path.insert(0, str(ROOT))
            state_scaling(args.state_scaling, real, scratch)
            return
        print(f"{len(real)} real packages ({', '.join(p.name for p in real)}); {os.cpu_count()} cores; "
              f"Python {sys.version.split()[0]}")
        print("| packages | hash all (baseline) | full build | peak MB | unchanged | peak MB | +1 package | peak MB | "
              "changed | peak MB | removed | peak MB | +1 / full | full / baseline | catalogue MB | "
              "dcat.jsonld kB | largest cards shard kB |")
        print("|---:|" * 1 + "---:|" * 16)
        for size in args.sizes:
            output = (args.keep / str(size)) if args.keep else scratch / str(size)
            reuse = args.reuse and (output / "catalogue" / "index.json").is_file()
            if not reuse:
                shutil.rmtree(output, ignore_errors=True)
                output.mkdir(parents=True)
                synthesise(real, output, 0, size)
            base, _ = measured(HASH_ALL, output)
            full, full_mb = measured(BUILD, output) if not reuse else (float("nan"), float("nan"))
            same, same_mb = measured(BUILD, output)
            synthesise(real, output, next_number(output), 1)
            plus, plus_mb = measured(BUILD, output)
            change_one(output)
            changed, changed_mb = measured(BUILD, output)
            remove_one(output)
            removed, removed_mb = measured(BUILD, output)
            catalogue = output / "catalogue"
            shard = max((p.stat().st_size for p in (catalogue / "cards").glob("*.js")), default=0)
            print(f"| {size:,} | {base:.2f} s | {full:.2f} s | {full_mb:.0f} | {same:.2f} s | {same_mb:.0f} | "
                  f"{plus:.2f} s | {plus_mb:.0f} | {changed:.2f} s | {changed_mb:.0f} | {removed:.2f} s | {removed_mb:.0f} | "
                  f"{plus / full:.4f} | {full / base:.1f} | "
                  f"{size_of(catalogue) / 2**20:.0f} | {(catalogue / 'dcat.jsonld').stat().st_size / 1024:.0f} | "
                  f"{shard / 1024:.0f} |", flush=True)
            if not args.keep:
                shutil.rmtree(output)


if __name__ == "__main__":
    hashlib.sha256()  # the baseline's hash, imported here too so a missing OpenSSL fails early
    main()
