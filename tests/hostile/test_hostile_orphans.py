"""A run killed with SIGKILL leaves no temporary Prefect server behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow  # whole runs or servers: left out of `pytest -m "not slow"`

ROOT = Path(__file__).resolve().parents[2]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_the_temporary_server_ends_when_the_run_is_killed(tmp_path: Path):
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    env.pop("PREFECT_API_URL", None)
    script = textwrap.dedent("""
        import time
        from yusuan.flows.settings import apply_quiet_defaults, shared_api
        apply_quiet_defaults()
        with shared_api() as url:
            print(url, flush=True)
            time.sleep(300)
    """)
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT, env=env)
    try:
        url = run.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        port = urlsplit(url).port
        assert listening(port)
        run.send_signal(signal.SIGKILL)  # no exit handler runs
        run.wait()
        deadline = time.monotonic() + 30
        while listening(port) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not listening(port), "the temporary Prefect server outlived the killed run"
    finally:
        if run.poll() is None:
            run.kill()
