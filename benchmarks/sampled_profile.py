"""Where the whole path's time goes, by sampling the stack (py-spy), not by cProfile.

cProfile (benchmarks/profile_pipeline.py) charges every Python call: it inflates the
pure-Python stages several times more than the C ones (131 profiled CPU-s for a path of
about 27), so its shares mislead. A sampling profiler looks at the stack 250 times a second
and costs the path almost nothing; its seconds are the path's own.

This script runs the same pass as benchmarks/speed.py's yusuan pass (every publication with
a PDF of the manifests read, normalised, checked and its package written to a temporary
folder, PDFium reader, no Prefect) in a child process under ``py-spy record``, then prints
the stages (the same functions as profile_pipeline.py) and the functions with the most
inclusive and own time. py-spy comes with the ``bench`` extra (``pip install -e ".[bench]"``).

    python benchmarks/sampled_profile.py [--manifest M ...] [--rate 250] [--top 40] [--keep FILE] [--under FRAME]

``--keep`` keeps py-spy's raw stacks (one line per stack, ``frame;frame;... count``) for
another reading; ``--from FILE`` reads such a file instead of running; ``--under`` counts only
the stacks through a frame whose text contains the given words (e.g. ``publish_package``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.profile_pipeline import DEFAULT_MANIFESTS, STAGES  # noqa: E402

FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^():]*?)(?::\d+)?\)$")


def run_pass(manifests: list[Path]) -> int:
    """The yusuan pass of benchmarks/speed.py, in this process (the child py-spy watches)."""
    from benchmarks.speed import import_modules, pdf_documents, remove_written, yusuan_pdfium
    from yusuan.core.schemas import load_registry

    load_registry()
    import_modules(yusuan_pdfium)  # as the timed pass: its one-off imports before it (sampled too, but apart)
    try:
        return yusuan_pdfium(pdf_documents(manifests))
    finally:
        remove_written()  # sampled too, but apart from the pass (as speed.py's clock leaves it out)


def py_spy() -> str:
    found = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit('py-spy is not installed: pip install -e ".[bench]"')
    return found


def record(manifests: list[Path], rate: int, raw: Path) -> None:
    command = [py_spy(), "record", "--rate", str(rate), "--format", "raw", "--output", str(raw), "--nonblocking", "--"]
    command += [sys.executable, __file__, "--child", "--manifest", *map(str, manifests)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def short(frame: str) -> tuple[str, str]:
    """(function, file) of one py-spy frame, the file from its package folder on."""
    match = FRAME.match(frame)
    if not match:
        return frame, ""
    file = re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", match["file"])
    file = re.sub(rf"^{re.escape(str(ROOT))}/", "", file)
    return match["name"], file


def read_stacks(raw: Path, under: str | None) -> list[tuple[list[tuple[str, str]], int]]:
    stacks = []
    for line in raw.read_text(encoding="utf-8").splitlines():
        text, _, count = line.rpartition(" ")
        if not text or not count.isdigit() or (under and under not in text):
            continue  # a line py-spy broke (a frame name holding a line break) is skipped
        stacks.append(([short(f) for f in text.split(";")], int(count)))
    return stacks


def stage_seconds(stacks: list[tuple[list[tuple[str, str]], int]], rate: int) -> list[tuple[str, float]]:
    """Samples of the stacks through each stage's function (a stage counted once per stack)."""
    totals: Counter[str] = Counter()
    for frames, count in stacks:
        names = {label for label, suffix, name in STAGES for function, file in frames if file.endswith(suffix) and function.split(".")[-1] == name}
        for label in names:
            totals[label] += count
    return [(label, totals[label] / rate) for label in dict.fromkeys(label for label, _suffix, _name in STAGES)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--rate", type=int, default=250, help="samples per second")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="keep py-spy's raw stacks here")
    parser.add_argument("--from", dest="source", type=Path, help="read raw stacks kept before instead of running")
    parser.add_argument("--under", help="only the stacks through a frame containing this text")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_pass(args.manifest)
        return 0
    with tempfile.TemporaryDirectory(prefix="yusuan-sampled-") as folder:
        raw = args.source or args.keep or Path(folder) / "stacks.txt"
        if not args.source:
            record(args.manifest, args.rate, raw)
        stacks = read_stacks(raw, args.under)
    total = sum(count for _frames, count in stacks) / args.rate
    inclusive: Counter[tuple[str, str]] = Counter()
    own: Counter[tuple[str, str]] = Counter()
    for frames, count in stacks:
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    print(f"{total:.1f} sampled seconds at {args.rate} samples per second" + (f", stacks through {args.under!r}" if args.under else "") + "\n")
    print("| stage | sampled s | share |\n|---|---:|---:|")
    for label, seconds in stage_seconds(stacks, args.rate):
        print(f"| {label} | {seconds:.2f} | {100 * seconds / total:.0f} % |")
    for title, counter in (("inclusive", inclusive), ("own", own)):
        print(f"\n| function ({title} time) | file | sampled s |\n|---|---|---:|")
        for (function, file), count in counter.most_common(args.top):
            print(f"| {function} | {file} | {count / args.rate:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
