"""The fork server of the publication workers ignores Ctrl-C from its first instruction
(yusuan/ingest/isolation.py): Ctrl-C at a terminal reaches the whole process group, and a
fork server still importing its preload printed a KeyboardInterrupt traceback (found by
tests/integration/test_first_contact.py on a slow machine)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# in a fresh interpreter (no fork server running yet): start it as run_bounded does, then
# read at once, while it is still importing its preload, which signals it ignores, and
# which the parent's own SIGINT handler is afterwards
PROBE = """
import signal
from multiprocessing import forkserver
from yusuan.ingest.isolation import _context
_context()
forkserver.ensure_running()  # started already by _context (a worker's start would start it otherwise)
pid = forkserver._forkserver._forkserver_pid
status = open(f"/proc/{pid}/status").read()
ignored = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")), 16)
print(bool(ignored & (1 << (signal.SIGINT - 1))), signal.getsignal(signal.SIGINT) is signal.default_int_handler)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the fork server's signal mask from /proc")
def test_the_fork_server_ignores_ctrl_c_while_it_imports_its_preload() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    server_ignores, parent_handles = done.stdout.split()
    assert server_ignores == "True"  # before the fix: False while the preload was imported
    assert parent_handles == "True"  # the run itself still answers Ctrl-C
