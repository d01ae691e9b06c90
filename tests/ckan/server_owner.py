"""Who started the local CKAN's servers: a test session (its process id in a file) or a person.

The ``ckan`` fixture (conftest.py) writes the file when it starts the servers and removes it
when it stops them. A run killed before its teardown leaves the file behind with the id of a
process that no longer exists: the next session adopts those servers and stops them at its end.
"""

from __future__ import annotations

import os
from pathlib import Path

OWNER_FILE = "started-by-tests"  # under CKAN_HOME


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def left_by_gone_session(owner: Path) -> bool:
    """Whether running servers were started by a test session that no longer runs.

    No file (started by hand with ``ckan-local.sh start``) or a session still alive: not ours
    to stop."""
    try:
        pid = int(owner.read_text().strip())
    except (FileNotFoundError, ValueError):
        return False
    return pid != os.getpid() and not process_alive(pid)
