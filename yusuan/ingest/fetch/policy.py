"""Value types of the downloader: policy, result, error (no I/O here)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from yusuan.core.errors import YusuanError
from yusuan.ingest.fetch.sniff import media_type

DEFAULT_CONTENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/x-pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/msword",
        "text/html",
        "text/plain",
        "application/octet-stream",
    }
)

#: response headers kept in provenance records and results
KEPT_HEADERS = (
    "Content-Type",
    "Content-Length",
    "Content-Disposition",
    "Content-Encoding",
    "ETag",
    "Last-Modified",
    "Date",
    "Server",
)

DOWNLOADED, NOT_MODIFIED, FAILED = "downloaded", "not_modified", "failed"


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and defensively to download.  All times in seconds."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0  # max silence between bytes, not total time
    max_retries: int = 3  # extra attempts after the first, only for transient errors
    backoff_base: float = 1.0  # delay before retry n is backoff_base * 2**(n-1)
    backoff_max: float = 60.0
    jitter: bool = True  # multiply each delay by a random factor in [0.5, 1.5)
    min_interval: float = 1.0  # per host, between request starts
    max_per_host: int = 2  # concurrent requests per host
    max_bytes: int = 200 * 1024 * 1024
    allowed_content_types: frozenset[str] = field(default=DEFAULT_CONTENT_TYPES)
    user_agent: str = "yusuan/0.1 (budget-transparency research archiver; python-requests)"
    verify_tls: bool = True
    # total time for one download: streaming, retries and backoff, not politeness waits
    deadline: float = 300.0
    # SSRF guard (see yusuan.ingest.fetch.guard): loopback/private/link-local/... are refused
    allow_private_addresses: bool = False
    # host names allowed to resolve to non-public addresses (e.g. an intranet mirror)
    allowed_private_hosts: frozenset[str] = field(default_factory=frozenset)
    # a publication page's own attachments fetched at most (yusuan/ingest/attachments.py): a
    # page is one publication, whose tables come in one or a few files; a page with hundreds
    # of links naming its issuer must not turn one publication into hundreds of downloads
    max_attachments: int = 20

    def __post_init__(self) -> None:
        if self.connect_timeout <= 0 or self.read_timeout <= 0 or self.deadline <= 0:
            raise ValueError("timeouts and deadline must be positive")
        if self.max_retries < 0 or self.backoff_base < 0 or self.min_interval < 0:
            raise ValueError("max_retries, backoff_base and min_interval must be >= 0")
        if self.max_per_host < 1 or self.max_bytes < 1:
            raise ValueError("max_per_host and max_bytes must be >= 1")
        if self.max_attachments < 0:
            raise ValueError("max_attachments must be >= 0")
        types = frozenset(media_type(t) for t in self.allowed_content_types)
        object.__setattr__(self, "allowed_content_types", types)
        names = self.allowed_private_hosts
        names = (names,) if isinstance(names, str) else names  # a lone name, not its letters
        hosts = frozenset(h.strip().rstrip(".").lower() for h in names)
        object.__setattr__(self, "allowed_private_hosts", hosts)

    def backoff(self, retry: int, rng: random.Random | None = None) -> float:
        """Delay before retry number ``retry`` (1-based)."""
        delay = min(self.backoff_max, self.backoff_base * 2 ** (retry - 1))
        if self.jitter:
            delay *= (rng or random).uniform(0.5, 1.5)
        return delay


class FetchError(YusuanError):
    """A download failed; ``str()`` is one line naming the URL and the cause."""

    def __init__(
        self,
        url: str,
        cause: str,
        *,
        http_status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.url = url
        self.cause = " ".join(str(cause).split())
        self.http_status = http_status
        self.retryable = retryable
        self.retry_after = retry_after
        self.headers = dict(headers or {})
        super().__init__(f"{url}: {self.cause}")


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: str  # "downloaded" | "not_modified" | "failed"
    path: Path | None = None  # archived blob (also for not_modified)
    sha256: str | None = None
    bytes: int | None = None
    retrieved_at: str | None = None  # UTC ISO 8601 of the last response / attempt
    http_status: int | None = None
    error: str | None = None  # one line, names the URL, when failed
    attempts: int = 0
    final_url: str | None = None  # after redirects
    kind: str | None = None  # archive extension: pdf, xlsx, docx, xls, doc, html, txt
    new_file: bool = False  # True if this retrieval added a blob to the archive
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != FAILED

    def raise_for_status(self) -> FetchResult:
        if self.status == FAILED:
            raise FetchError(self.url, (self.error or "failed").removeprefix(f"{self.url}: "))
        return self


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
