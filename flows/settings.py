"""Prefect settings for quiet runs, applied before the first flow starts a temporary server.

Only defaults: a variable already set in the environment wins. The temporary (ephemeral)
server that Prefect starts when PREFECT_API_URL is unset logs harmless errors while it shuts
down with events still queued; its log level is raised so that a normal run prints nothing
but its own output. A real server (PREFECT_API_URL) keeps its own settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
}


# A tiny process that ends the temporary server when the run's process is gone: Prefect stops
# the server at exit, but a process killed with SIGKILL runs no exit handler, and the server
# (about 220 MB, listening on a port) would stay behind.
_WATCHDOG = """
import os, signal, sys, time
owner, server = int(sys.argv[1]), int(sys.argv[2])
def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
while alive(owner) and alive(server):
    time.sleep(1)
if alive(server):
    os.kill(server, signal.SIGTERM)
    for _ in range(50):
        time.sleep(0.1)
        if not alive(server):
            break
    else:
        os.kill(server, signal.SIGKILL)
"""


def stop_with_this_process(server_pid: int) -> subprocess.Popen[bytes]:
    """Start the watchdog that ends ``server_pid`` when this process ends, however it ends."""
    return subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(server_pid)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def apply_quiet_defaults() -> None:
    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)


@contextmanager
def shared_api() -> Iterator[str | None]:
    """Make every worker of a run talk to the same Prefect API.

    With PREFECT_API_URL set, nothing changes. Without it, Prefect starts a temporary local
    server on the first flow run, but task runner workers in other processes (the process
    pool, a local Dask cluster) would each start their own. So the temporary server is started
    here and its address given to the workers (settings and environment) for the run.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield PREFECT_API_URL.value()
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the same instance Prefect's client would start
    server.start(timeout=int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")))
    if server.server_process is not None:
        stop_with_this_process(server.server_process.pid)
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
