"""The command line as a person at a terminal meets it: progress, Ctrl-C, a fast re-run.

The runs happen in a real pseudo-terminal (``pty.fork``), so the progress bar is drawn and
Ctrl-C is the terminal's interrupt character, delivered as SIGINT by the kernel.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import shutil
import sys
import time
from pathlib import Path

import pytest

from yusuan.package.integrity import file_problems

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`

ROOT = Path(__file__).resolve().parents[2]


def spawn(args: list[str], env: dict[str, str]) -> tuple[int, int]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: its controlling terminal is the pty
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "yusuan.cli", *args], env)
    return pid, fd


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


def wait_exit(pid: int, fd: int, timeout: float) -> tuple[int | None, bytes]:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            with contextlib.suppress(OSError):
                seen += os.read(fd, 4096)
        if done:
            return os.waitstatus_to_exitcode(status), seen
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None, seen


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "COLUMNS": "100", "TERM": "xterm"}
    values.pop("PREFECT_API_URL", None)
    return values


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """The three sample publications, copied (four files)."""
    folder = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", folder, ignore=shutil.ignore_patterns("archive", "sources.csv"))
    return folder / "manifest.csv"


def test_ctrl_c_while_parsing_stops_within_two_seconds_in_one_line(tmp_path: Path, env, manifest):
    output = tmp_path / "out"
    pid, fd = spawn(["run", "--no-prefect", "--manifest", str(manifest), "--output", str(output)], env)
    shown = read_until(fd, b"yusuan", 30)  # the progress bar is drawn
    assert b"yusuan" in shown, shown
    time.sleep(1.0)
    os.write(fd, b"\x03")  # Ctrl-C at the terminal
    started = time.monotonic()
    code, rest = wait_exit(pid, fd, 10)
    assert code is not None and time.monotonic() - started < 2.0
    assert code == 130
    text = rest.decode("utf-8", "replace")
    assert text.count("yusuan: interrupted") == 1 and "Traceback" not in text
    for package in (p for p in output.iterdir() if p.is_dir() and not p.name.startswith(".")):
        assert file_problems(package) == [], package  # finished packages are complete
    # the next run clears what the interrupted one left and finishes the job
    pid, fd = spawn(["run", "--no-prefect", "--quiet", "--manifest", str(manifest), "--output", str(output)], env)
    code, _ = wait_exit(pid, fd, 120)
    assert code == 0
    assert sorted(p.name for p in output.iterdir() if p.name.startswith(".")) == [".cache", ".yusuan.lock"]


def test_ctrl_c_while_prefect_starts_stops_within_two_seconds(tmp_path: Path, env, manifest):
    pid, fd = spawn(["run", "--manifest", str(manifest), "--output", str(tmp_path / "out")], env)
    shown = read_until(fd, b"starting Prefect", 30)
    assert b"starting Prefect" in shown, shown
    time.sleep(1.5)
    os.write(fd, b"\x03")
    started = time.monotonic()
    code, rest = wait_exit(pid, fd, 10)
    assert code == 130 and time.monotonic() - started < 2.0
    assert b"Traceback" not in rest


def test_a_rerun_over_unchanged_inputs_does_not_start_prefect(tmp_path: Path, env, manifest):
    output = tmp_path / "out"
    pid, fd = spawn(["run", "--no-prefect", "--quiet", "--manifest", str(manifest), "--output", str(output)], env)
    assert wait_exit(pid, fd, 120)[0] == 0
    pid, fd = spawn(["run", "--manifest", str(manifest), "--output", str(output)], env)
    code, text = wait_exit(pid, fd, 60)
    assert code == 0, text
    # answered from the cache: no Prefect server started (benchmarks/rerun.py measures the time)
    assert b"starting Prefect" not in text and b"3 cached" in text


def test_a_missing_manifest_is_named_and_nothing_is_created(tmp_path: Path, env):
    pid, fd = spawn(["run", "--manifest", str(tmp_path / "missing.csv"), "--output", str(tmp_path / "new-folder")], env)
    code, text = wait_exit(pid, fd, 60)
    assert code == 2
    lines = [x for x in text.decode("utf-8").splitlines() if x.strip()]
    assert lines == [f"yusuan: error: {tmp_path / 'missing.csv'}: manifest not found"]
    assert not (tmp_path / "new-folder").exists()


def test_checks_are_printed_wrapped_to_the_terminal(tmp_path: Path, env, manifest):
    output = tmp_path / "out"
    pid, fd = spawn(["run", "--no-prefect", "--quiet", "--manifest", str(manifest), "--output", str(output)], env)
    assert wait_exit(pid, fd, 120)[0] == 0
    pid, fd = spawn(["checks", str(output / "js-renda-2018-bmys")], env)
    code, text = wait_exit(pid, fd, 30)
    assert code == 0
    lines = text.decode("utf-8").splitlines()
    assert any("narrative_change_consistent" in x for x in lines)
    assert max(len(x) for x in lines) <= 120


def test_extract_shows_the_page_it_reads_on_a_terminal(env):
    pid, fd = spawn(["extract", str(ROOT / "raw" / "js-renda-2018-bmys" / "bmys.pdf")], env)
    code, text = wait_exit(pid, fd, 120)
    assert code == 0
    assert b"reading page 1/" in text and b"three_public_expenses" in text
