"""Prefect settings for quiet runs, applied before the first flow starts a temporary server.

Only defaults: a variable already set in the environment wins. The temporary (ephemeral)
server that Prefect starts when PREFECT_API_URL is unset logs harmless errors while it shuts
down with events still queued; its log level is raised so that a normal run prints nothing
but its own output. A real server (PREFECT_API_URL) keeps its own settings.
"""

from __future__ import annotations

import os

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
}


def apply_quiet_defaults() -> None:
    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)
