"""The sources manifest (raw/sources.csv): where every file of every publication comes from.

One line per file. Lines with the same ``document_id`` are one publication. A file is either
a ``url`` (http or https, downloaded with :mod:`yusuan.ingest.fetch.download` into the raw archive) or a
local ``path`` (relative to the manifest's folder). ``raw/manifest.csv``'s ``file`` column is
read as ``path``, so the older manifest works too. See docs/scheduling.md.

Plain Python, no Prefect::

    publications = read_sources(Path("raw/sources.csv"))      # ManifestError naming the line
    resolved = resolve(publications[0], archive, policy)        # never raises for a bad file
    resolved.document                                           # SourceDocument, or None
    resolved.error                                              # one line, names the line
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from yusuan.core.errors import ManifestError
from yusuan.core.hashing import sha256_of
from yusuan.core.ids import document_id_problem
from yusuan.core.model import Finding, SourceDocument, SourceFile
from yusuan.core.schemas import publication_kinds
from yusuan.ingest.attachments import FetchAttachment, follow_page
from yusuan.ingest.fetch.download import (
    DOWNLOADED,
    FetchPolicy,
    FetchResult,
    HostLimiter,
    RawArchive,
    fetch,
)

COLUMNS = ("document_id", "issuer", "region", "fiscal_year", "kind", "role", "url", "path", "sha256", "source", "metadata_source")
REQUIRED_COLUMNS = ("document_id", "issuer", "region", "fiscal_year", "kind", "role")
ROLES = ("full", "narrative", "tables", "page")
DOCUMENT_FIELDS = ("issuer", "region", "fiscal_year", "kind")
# who wrote the document fields: a person (manifest) or yusuan from the document (a drafted
# manifest of `yusuan run FILE…`); optional column, "manifest" when absent
METADATA_SOURCES = ("manifest", "inferred_from_document")

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_UNSAFE_PATH = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


@dataclass(frozen=True)
class SourceEntry:
    """One line of the manifest: one file of a publication."""

    line: int
    role: str
    url: str = ""
    path: Path | None = None  # absolute (resolved against the manifest's folder)
    sha256: str = ""  # expected checksum, lower case; "" when not given
    note: str = ""

    @property
    def is_remote(self) -> bool:
        return bool(self.url)

    @property
    def label(self) -> str:
        return self.url or (self.path.name if self.path else "")


@dataclass(frozen=True)
class Publication:
    """The lines of one document_id, validated; not yet downloaded."""

    manifest: Path
    document_id: str
    issuer: str
    region: str
    fiscal_year: int
    kind: str
    entries: tuple[SourceEntry, ...]
    metadata_source: str = "manifest"

    @property
    def line(self) -> int:
        return self.entries[0].line

    @property
    def where(self) -> str:
        return f"{self.manifest}:{self.line}"

    @property
    def is_remote(self) -> bool:
        return any(e.is_remote for e in self.entries)

    @property
    def source(self) -> str:
        """The source note of the first line, else its URL."""
        first = self.entries[0]
        return first.note or first.url


@dataclass(frozen=True)
class Resolved:
    """A publication with its files on disk (``document``) or the reason why not (``error``)."""

    publication: Publication
    document: SourceDocument | None = None
    error: str = ""
    downloaded: int = 0  # files received with HTTP 200
    not_modified: int = 0  # files confirmed unchanged by a conditional request (HTTP 304)
    local: int = 0  # local files
    seconds: float = 0.0
    failures: tuple[str, ...] = field(default=())
    # drafted manifest lines of other publications a page links (yusuan/ingest/attachments.py)
    found: tuple[dict[str, str], ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.document is not None

    @property
    def document_id(self) -> str:
        return self.publication.document_id


# -- reading and validating -------------------------------------------------------------------


def read_sources(path: Path, *, allow_outside: bool = False) -> list[Publication]:
    """Every publication of the manifest, in the order of first appearance.

    Raises ManifestError with one line naming the manifest line for anything wrong in the
    manifest itself. Files are not opened here: a missing local file or a failed download
    fails only its publication, in :func:`resolve`.

    A manifest is input, not a program: its ``document_id`` names a folder of the output (so it
    is a plain name, never a path or a reserved name), and its local files must lie under the
    manifest's folder (after following ``..`` and symbolic links) unless ``allow_outside``.
    """
    path = Path(path)
    if not path.is_file():
        raise ManifestError(f"{path}: manifest not found")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            rows = list(enumerate(reader, start=2))
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise ManifestError(f"{path}: not a CSV file ({exc})") from None
    if not header:
        raise ManifestError(f"{path}: empty manifest (no header line)")
    header = [h.strip() for h in header]
    if "path" not in header and "file" in header:  # raw/manifest.csv names the column "file"
        header = ["path" if h == "file" else h for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ManifestError(f"{path}:1: missing column(s) {', '.join(missing)}")
    if "url" not in header and "path" not in header:
        raise ManifestError(f"{path}:1: needs a url or a path column")
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise ManifestError(f"{path}:1: column(s) {', '.join(duplicated)} appear twice")

    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(cells) > len(header):
            raise ManifestError(f"{path}:{number}: {len(cells)} fields, the header has {len(header)} (a comma inside a value must be quoted)")
        cells = cells + [""] * (len(header) - len(cells))  # empty trailing fields may be left out
        row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        grouped.setdefault(row["document_id"], []).append((number, row))
    return [_publication(path, doc_id, lines, allow_outside) for doc_id, lines in grouped.items()]


def _publication(manifest: Path, doc_id: str, lines: list[tuple[int, dict[str, str]]], allow_outside: bool = False) -> Publication:
    first_line, first = lines[0]
    where = f"{manifest}:{first_line}"
    if not doc_id:
        raise ManifestError(f"{where}: empty document_id")
    problem = document_id_problem(doc_id)
    if problem:
        raise ManifestError(f"{where}: {problem}")
    try:
        year = int(first["fiscal_year"])
    except ValueError:
        raise ManifestError(f"{where}: fiscal_year {first['fiscal_year']!r} is not a year") from None
    if not 1990 <= year <= 2100:
        raise ManifestError(f"{where}: fiscal_year {year} is out of range")
    if first["kind"] not in publication_kinds():
        raise ManifestError(f"{where}: kind {first['kind']!r} is not one of {', '.join(publication_kinds())}")
    for name in ("issuer", "region"):
        if not first[name]:
            raise ManifestError(f"{where}: empty {name}")
    metadata_source = first.get("metadata_source") or "manifest"
    if metadata_source not in METADATA_SOURCES:
        raise ManifestError(f"{where}: metadata_source {metadata_source!r} is not one of {', '.join(METADATA_SOURCES)}")
    entries = []
    seen: dict[str, int] = {}
    for number, row in lines:
        here = f"{manifest}:{number}"
        for name in DOCUMENT_FIELDS:
            if row[name] != first[name]:
                raise ManifestError(f"{here}: {name} {row[name]!r} differs from line {first_line} of the same document_id ({first[name]!r})")
        entry = _entry(manifest, number, row, allow_outside)
        key = entry.url or str(entry.path)
        if key in seen:
            raise ManifestError(f"{here}: {entry.label} is already listed on line {seen[key]}")
        seen[key] = number
        entries.append(entry)
    roles = [e.role for e in entries]
    if "full" in roles and len(roles) > 1:
        line = entries[roles.index("full")].line
        raise ManifestError(f"{manifest}:{line}: role 'full' is a whole publication in one file, but {doc_id} has {len(roles)} files (use narrative / tables)")
    return Publication(manifest, doc_id, first["issuer"], first["region"], year, first["kind"], tuple(entries), metadata_source)


def _entry(manifest: Path, number: int, row: dict[str, str], allow_outside: bool = False) -> SourceEntry:
    here = f"{manifest}:{number}"
    role = row["role"] or "full"
    if role not in ROLES:
        raise ManifestError(f"{here}: role {role!r} is not one of {', '.join(ROLES)}")
    url, local = row.get("url", ""), row.get("path", "")
    if url and local:
        raise ManifestError(f"{here}: give a url or a path, not both")
    if not url and not local:
        raise ManifestError(f"{here}: no url and no path")
    sha256 = row.get("sha256", "").lower()
    if sha256 and not _SHA256.match(sha256):
        raise ManifestError(f"{here}: sha256 {row['sha256']!r} is not 64 hex digits")
    note = row.get("source", "")
    if url:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ManifestError(f"{here}: url {url!r} is not an http(s) URL")
        return SourceEntry(number, role, url=url, sha256=sha256, note=note)
    if _UNSAFE_PATH.search(local):
        raise ManifestError(f"{here}: path {local!r} contains a control character")
    file_path = Path(local)
    if not file_path.is_absolute():
        file_path = manifest.parent / file_path
    file_path = file_path.resolve()
    root = manifest.parent.resolve()
    if not allow_outside and not file_path.is_relative_to(root):
        raise ManifestError(f"{here}: path {local!r} lies outside the manifest's folder {root} (allow it with --allow-outside-files)")
    return SourceEntry(number, role, path=file_path, sha256=sha256, note=note)


def select(publications: Iterable[Publication], only: Iterable[str] | None = None, year: int | None = None) -> list[Publication]:
    """The publications named in ``only`` (all when empty) of fiscal ``year`` (all when None)."""
    wanted = set(only or ())
    return [p for p in publications if (not wanted or p.document_id in wanted) and (year is None or p.fiscal_year == int(year))]


# -- downloading and local files ---------------------------------------------------------------


def default_archive_dir(manifest: Path) -> Path:
    """``archive/`` beside the manifest (``raw/archive`` for ``raw/sources.csv``)."""
    return Path(manifest).resolve().parent / "archive"


def resolve(
    publication: Publication,
    archive: RawArchive | None = None,
    policy: FetchPolicy | None = None,
    *,
    limiter: HostLimiter | None = None,
) -> Resolved:
    """Turn a publication into a SourceDocument, downloading its URL files into ``archive``.

    Never raises for a bad file: a failed download, a missing local file or a checksum
    mismatch makes ``error`` (one line, naming the manifest line) and ``document`` None.
    A URL already in the archive is asked for with If-None-Match / If-Modified-Since, so an
    unchanged file is not downloaded again.
    """
    started = time.perf_counter()
    files: list[SourceFile] = []
    failures: list[str] = []
    counts = {"downloaded": 0, "not_modified": 0, "local": 0}
    findings: list[Finding] = []
    found: list[dict[str, str]] = []
    # a page's attachments are followed unless the manifest names the tables itself
    roles = {e.role for e in publication.entries}
    listed = [e.url for e in publication.entries if e.url]
    for entry in publication.entries:
        here = f"{publication.manifest}:{entry.line}"
        if entry.is_remote:
            if archive is None:
                failures.append(f"{here}: {entry.url}: no raw archive to download into")
                continue
            got = _downloaded_file(entry.url, entry.role, archive, policy, limiter, counts, entry.sha256)
            if isinstance(got, str):
                failures.append(f"{here}: download failed: {got}")
                continue
            page, result = got
            files.append(page)
            if result.kind == "html" and entry.role != "tables" and "tables" not in roles:
                fetched = _fetch_attachment(archive, policy, limiter, counts)
                most = (policy or FetchPolicy()).max_attachments
                attachments = follow_page(page, result.final_url or entry.url, publication, fetched, skip=listed, most=most)
                files += attachments.files
                findings += attachments.findings
                found += attachments.found
            continue
        assert entry.path is not None
        counts["local"] += 1
        if not entry.path.is_file():
            failures.append(f"{here}: file {entry.path} not found")
            continue
        try:
            actual = sha256_of(entry.path)
        except OSError as exc:
            failures.append(f"{here}: cannot read {entry.path}: {exc.strerror or exc}")
            continue
        if entry.sha256 and actual != entry.sha256:
            failures.append(f"{here}: sha256 of {entry.path.name} does not match the manifest (file has {actual[:12]}…)")
            continue
        files.append(SourceFile(path=entry.path, role=entry.role, sha256=actual))
    seconds = time.perf_counter() - started
    if failures:
        extra = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        return Resolved(publication, None, failures[0] + extra, seconds=seconds, failures=tuple(failures), **counts)
    document = SourceDocument(
        document_id=publication.document_id,
        issuer=publication.issuer,
        region=publication.region,
        fiscal_year=publication.fiscal_year,
        kind=publication.kind,
        files=tuple(files),
        source=publication.source,
        metadata_source=publication.metadata_source,
        findings=tuple(findings),
    )
    return Resolved(publication, document, seconds=seconds, found=tuple(found), **counts)


def _fetch_attachment(archive: RawArchive, policy: FetchPolicy | None, limiter: HostLimiter | None, counts: dict[str, int]) -> FetchAttachment:
    """How a page's attachment is fetched: the page's own path (same archive, policy, politeness
    and guard), as a ``tables`` file carrying its URL; or the reason it failed."""

    def fetch_one(url: str) -> SourceFile | str:
        got = _downloaded_file(url, "tables", archive, policy, limiter, counts)
        return got if isinstance(got, str) else got[0]

    return fetch_one


def _downloaded_file(
    url: str, role: str, archive: RawArchive, policy: FetchPolicy | None, limiter: HostLimiter | None, counts: dict[str, int], sha256: str = ""
) -> tuple[SourceFile, FetchResult] | str:
    """One URL fetched into the archive, counted, and named after its URL: the file (carrying
    its URL) with the fetch's result, or why it could not be had (one line)."""
    result = fetch(url, archive, policy, sha256 or None, limiter=limiter)
    if not result.ok or result.path is None or result.sha256 is None:
        return result.error or "download failed"
    counts["downloaded" if result.status == DOWNLOADED else "not_modified"] += 1
    named = named_copy(archive, result.path, result.sha256, url, result.kind or result.path.suffix.lstrip("."))
    return SourceFile(path=named, role=role, sha256=result.sha256, url=url), result


def resolve_all(
    publications: Iterable[Publication],
    archive: RawArchive | None = None,
    policy: FetchPolicy | None = None,
    *,
    max_workers: int = 4,
    limiter: HostLimiter | None = None,
) -> Iterator[Resolved]:
    """Resolve many publications, downloads in parallel threads (per-host limits still hold).

    Results come in input order; publications with local files only are not queued.
    """
    publications = list(publications)
    remote = [p for p in publications if p.is_remote]
    if not remote:
        for publication in publications:
            yield resolve(publication, archive, policy, limiter=limiter)
        return
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(remote)))) as pool:
        futures = {id(p): pool.submit(resolve, p, archive, policy, limiter=limiter) for p in remote}
        for publication in publications:
            future = futures.get(id(publication))
            yield future.result() if future else resolve(publication, archive, policy, limiter=limiter)


def file_name_for(url: str, kind: str) -> str:
    """A readable file name for a download: the URL's last segment, ending in ``.kind``."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]).strip()
    name = _UNSAFE_NAME.sub("_", name).strip(". ") or "download"
    if kind and Path(name).suffix.lower() != f".{kind}":
        name = f"{name}.{kind}"
    return name[-150:]


def named_copy(archive: RawArchive, blob: Path, sha256: str, url: str, kind: str) -> Path:
    """``<archive>/named/<sha256>/<name from the URL>``: a hard link to the immutable blob.

    The library names files in provenance by their file name, so a download is read through
    a link that carries the publisher's name instead of the content hash.
    """
    target = archive.root / "named" / sha256 / file_name_for(url, kind)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(blob, target)
    except FileExistsError:
        pass
    except OSError:  # no hard links on this filesystem
        temp = target.with_name(f".{target.name}.part")
        shutil.copyfile(blob, temp)
        os.replace(temp, target)
    return target


def read_manifest(path: Path, verify: bool = True, *, allow_outside: bool = False) -> list[SourceDocument]:
    """One SourceDocument per document_id of a manifest of local files.

    The one strict reader (:func:`yusuan.ingest.sources.read_sources`) checks the manifest: plain
    document ids, no reserved id, conflicting lines refused, files under the manifest's folder
    unless ``allow_outside``. Then every file is checked; the first publication with a missing
    file or (with ``verify``) a checksum that does not match raises ManifestError naming its line.
    A manifest with URLs needs the downloader: use ``yusuan run``.
    """
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
