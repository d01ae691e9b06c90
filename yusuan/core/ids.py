"""What a document id may be: it names a folder of the output, so it is a plain name.

Lower-case letters, digits, '-' and '_', at most 128 characters, never one of the names the
output folder uses for itself. Checked when a manifest is read and again before a package
is written (the last line of defence for callers of the library that build their own
SourceDocument).
"""

from __future__ import annotations

import re

DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,127}$")
RESERVED_IDS = frozenset({"catalogue", "archive", "cache", "release"})


def document_id_problem(doc_id: str) -> str | None:
    """Why ``doc_id`` cannot name a package folder, or None when it can."""
    if not DOCUMENT_ID.match(doc_id or ""):
        return f"document_id {doc_id!r} must be lower-case letters, digits, '-' or '_' (at most 128)"
    if doc_id in RESERVED_IDS:
        return f"document_id {doc_id!r} is reserved for the output folder's own use ({', '.join(sorted(RESERVED_IDS))})"
    return None
