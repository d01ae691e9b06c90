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


CORPUS_MANIFEST = ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv"
# pages of wide-corpus publications copied as publications of their own (tests/fixtures/corpus-wide-pages/build.py)
WIDE_PAGES_MANIFEST = ROOT / "tests" / "fixtures" / "corpus-wide-pages" / "manifest.csv"


class ProcessedDocuments(dict):
    """document_id -> DocumentResult, processed once on first use (raw/ and the corpus)."""

    def __init__(self, manifests: list[Path]):
        from yusuan.ingest.sources import read_manifest

        super().__init__()
        self.documents = {}
        self.sample_ids = [doc.document_id for doc in read_manifest(manifests[0])]
        for manifest in manifests:
            for doc in read_manifest(manifest):
                self.documents.setdefault(doc.document_id, doc)

    def __missing__(self, document_id: str):
        from yusuan.package.process import process_document

        self[document_id] = process_document(self.documents[document_id])
        return self[document_id]

    def samples(self):
        """The publications shipped in raw/."""
        return [self[key] for key in self.sample_ids]


@pytest.fixture(scope="session")
def processed(manifest_path):
    """Sample publications (raw/ first, then the corpus, then the wide corpus's copied pages) run once through the library."""
    return ProcessedDocuments([manifest_path, CORPUS_MANIFEST, WIDE_PAGES_MANIFEST])
