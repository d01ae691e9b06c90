"""The local CKAN's owner file: servers left by a killed test session are adopted, others not.

No CKAN needed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from server_owner import left_by_gone_session, process_alive


def _gone_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_session_that_is_gone_left_the_servers(tmp_path: Path) -> None:
    owner = tmp_path / "started-by-tests"
    pid = _gone_pid()
    assert not process_alive(pid)
    owner.write_text(f"{pid}\n")
    assert left_by_gone_session(owner)


def test_servers_of_a_running_session_are_not_adopted(tmp_path: Path) -> None:
    owner = tmp_path / "started-by-tests"
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as alive:
        try:
            owner.write_text(f"{alive.pid}\n")
            assert not left_by_gone_session(owner)
        finally:
            alive.kill()


def test_this_session_is_not_gone(tmp_path: Path) -> None:
    owner = tmp_path / "started-by-tests"
    owner.write_text(f"{os.getpid()}\n")
    assert not left_by_gone_session(owner)


def test_servers_started_by_hand_are_left_alone(tmp_path: Path) -> None:
    assert not left_by_gone_session(tmp_path / "started-by-tests")  # no file
    (tmp_path / "started-by-tests").write_text("not a pid\n")
    assert not left_by_gone_session(tmp_path / "started-by-tests")
