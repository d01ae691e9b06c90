"""Read the manifest of publications (raw/manifest.csv) into SourceDocuments."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from yusuan.errors import ManifestError
from yusuan.model import SourceDocument

KINDS = ("单位预算", "部门预算", "单位决算", "部门决算")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(path: Path, verify: bool = True, *, allow_outside: bool = False) -> list[SourceDocument]:
    """One SourceDocument per document_id of a manifest of local files.

    The one strict reader (:func:`yusuan.sources.read_sources`) checks the manifest: plain
    document ids, no reserved id, conflicting lines refused, files under the manifest's folder
    unless ``allow_outside``. Then every file is checked; the first publication with a missing
    file or (with ``verify``) a checksum that does not match raises ManifestError naming its line.
    A manifest with URLs needs the downloader: use ``yusuan run``.
    """
    from yusuan.sources import read_sources, resolve

    documents = []
    for publication in read_sources(path, allow_outside=allow_outside):
        if publication.is_remote:
            raise ManifestError(f"{publication.where}: {publication.document_id} has URL files: `yusuan run` downloads them")
        if not verify:
            publication = replace(publication, entries=tuple(replace(e, sha256="") for e in publication.entries))
        resolved = resolve(publication)
        if resolved.document is None:
            raise ManifestError(resolved.error)
        documents.append(resolved.document)
    return documents
