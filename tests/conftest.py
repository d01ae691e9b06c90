from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Prefect must never touch the user's profile or a real server from the tests.
_PREFECT_HOME = tempfile.mkdtemp(prefix="yusuan-prefect-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def manifest_path() -> Path:
    return ROOT / "raw" / "manifest.csv"


@pytest.fixture(scope="session")
def processed(manifest_path):
    """Every sample publication of raw/ run once through the library."""
    from yusuan.manifest import read_manifest
    from yusuan.pipeline import process_document

    return {doc.document_id: process_document(doc) for doc in read_manifest(manifest_path)}
