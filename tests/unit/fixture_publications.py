"""A fixture publication of tests/fixtures/corpus as a SourceDocument: every file of its
folder but source.json, in name order. Shared by the result stage's tests of stops 30–32
(tests/unit/test_result_stop30.py, test_result_stop31.py, test_result_stop32.py)."""

from __future__ import annotations

import json
from pathlib import Path

from yusuan.core.hashing import sha256_of
from yusuan.core.model import SourceDocument, SourceFile

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def fixture_document(folder: str) -> SourceDocument:
    source = json.loads((CORPUS / folder / "source.json").read_text(encoding="utf-8"))
    files = tuple(
        SourceFile(p, "full", sha256_of(p))
        for p in sorted((CORPUS / folder).iterdir())
        if p.name != "source.json"
    )
    return SourceDocument(
        folder, source["issuer"], source["region"], source["year"], source["doc_type"], files
    )
