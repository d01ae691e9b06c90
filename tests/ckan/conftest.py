"""A real CKAN for the catalogue tests.

The session fixture ``ckan`` uses the CKAN named by YUSUAN_CKAN_URL + YUSUAN_CKAN_TOKEN when
both are set; otherwise it runs ``scripts/ckan/ckan-local.sh setup`` and ``start`` (CKAN_HOME
defaults to /tmp/yusuan-ckan) and stops it at the end if this session started it.
A CKAN that cannot be reached or started makes the tests fail, never skip.

A session that starts the servers writes its process id to ``$CKAN_HOME/started-by-tests``.
A later session that finds them running while that process is gone (a run killed before its
teardown: CI's time limit, ``kill -9``) adopts them and stops them at its end, so an
interrupted run does not leave PostgreSQL, Redis and CKAN running for ever. Servers started by
hand (no such file) or by a session still running are used and left running. A session ended
by SIGTERM tears down as on Ctrl-C (the servers it started are stopped).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # the package need not be installed to run these tests
    sys.path.insert(0, str(REPO))

from server_owner import OWNER_FILE, left_by_gone_session  # noqa: E402  (this folder, on sys.path as pytest's rootdir-less conftest folder)

from yusuan.catalogue.ckan import CkanClient, CkanError  # noqa: E402

SCRIPT = REPO / "scripts" / "ckan" / "ckan-local.sh"


@dataclass(frozen=True)
class CkanInstance:
    url: str
    token: str

    def client(self, **kwargs: object) -> CkanClient:
        return CkanClient(self.url, self.token, **kwargs)  # type: ignore[arg-type]


def _run(step: str, timeout: float) -> subprocess.CompletedProcess[str]:
    t0 = time.monotonic()
    proc = subprocess.run(
        ["bash", str(SCRIPT), step], capture_output=True, text=True, timeout=timeout
    )
    sys.stderr.write(proc.stdout)
    sys.stderr.write(
        f"ckan-local.sh {step}: exit {proc.returncode} in {time.monotonic() - t0:.1f}s\n"
    )
    return proc


def _terminate_as_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def ckan() -> Iterator[CkanInstance]:
    url, token = os.environ.get("YUSUAN_CKAN_URL"), os.environ.get("YUSUAN_CKAN_TOKEN")
    if url and token:
        instance = CkanInstance(url.rstrip("/"), token)
        try:
            instance.client().status_show()
        except CkanError as exc:
            pytest.fail(f"YUSUAN_CKAN_URL={url} does not answer: {exc}", pytrace=False)
        yield instance
        return

    home = Path(os.environ.get("CKAN_HOME", "/tmp/yusuan-ckan"))
    owner = home / OWNER_FILE
    was_running = SCRIPT.exists() and _run("status", 60).returncode == 0
    started = was_running and left_by_gone_session(owner)  # adopted: stopped at the end
    if started:
        sys.stderr.write(f"ckan: adopting servers left running by a session that is gone ({owner})\n")
        owner.write_text(f"{os.getpid()}\n")
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate_as_interrupt)  # teardown runs, as on Ctrl-C
    try:
        if not was_running:
            for step, timeout in (("setup", 1200), ("start", 600)):
                if step == "start":  # a failed start is cleaned up too
                    started = True
                    home.mkdir(parents=True, exist_ok=True)
                    owner.write_text(f"{os.getpid()}\n")
                proc = _run(step, timeout)
                if proc.returncode != 0:
                    pytest.fail(
                        f"could not {step} a local CKAN (exit {proc.returncode}):\n"
                        f"{proc.stdout}{proc.stderr}",
                        pytrace=False,
                    )
        instance = CkanInstance(
            (home / "url").read_text().strip(), (home / "api_token").read_text().strip()
        )
        yield instance
    finally:
        if started:
            _run("stop", 120)
            owner.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def run_id() -> str:
    """Unique per test session: tests use fresh organization and dataset names."""
    return uuid.uuid4().hex[:8]


@pytest.fixture
def unique(run_id: str, request: pytest.FixtureRequest) -> str:
    """A name unique to this test in this session, valid as a CKAN name."""
    test = request.node.name.removeprefix("test_").replace("_", "-")[:40]
    return f"yusuan-t-{run_id}-{test}"
