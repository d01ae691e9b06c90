"""Polite, robust downloader for budget publications (requests-based, no Prefect).

Public API::

    policy = FetchPolicy(min_interval=2.0, max_per_host=1)
    archive = RawArchive("data/raw-archive")
    result = fetch(url, archive, policy, expected_sha256=None)   # never raises FetchError
    results = fetch_all(urls, archive, policy, max_workers=4)
    result.raise_for_status()                                     # FetchError if failed

Hostile input: every hop (the URL and each redirect, followed by hand) must be
http(s) and resolve to public addresses only, and the connection is pinned to the
checked address (:mod:`yusuan.ingest.fetch.guard`); ``policy.deadline`` bounds a whole
download, so a trickling server cannot hold it open.

See docs/downloads.md for the policy and the archive layout.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.cookies import extract_cookies_to_jar
from requests.utils import requote_uri

from yusuan.ingest.fetch.archive import RawArchive
from yusuan.ingest.fetch.guard import (
    AddressRefused,
    PinnedAdapter,
    Resolver,
    Target,
    check_url,
    system_resolver,
)
from yusuan.ingest.fetch.hosts import DEFAULT_LIMITER, HostLimiter, host_key
from yusuan.ingest.fetch.policy import (
    DEFAULT_CONTENT_TYPES,
    DOWNLOADED,
    FAILED,
    KEPT_HEADERS,
    NOT_MODIFIED,
    FetchError,
    FetchPolicy,
    FetchResult,
    utcnow,
)
from yusuan.ingest.fetch.sniff import SNIFF_BYTES, ContentMismatch, media_type, resolve_kind

__all__ = [
    "DEFAULT_CONTENT_TYPES",
    "FetchError",
    "FetchPolicy",
    "FetchResult",
    "FAILED",
    "DOWNLOADED",
    "NOT_MODIFIED",
    "HostLimiter",
    "RawArchive",
    "fetch",
    "fetch_all",
]

log = logging.getLogger(__name__)
_CHUNK = 64 * 1024

_local = threading.local()


def _session() -> requests.Session:
    """One requests.Session per thread (Session objects are not thread-safe)."""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
        session.max_redirects = 10
    return session


def _kept(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: headers[name] for name in KEPT_HEADERS if name in headers}


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:  # HTTP-date form: not worth parsing, fall back to backoff
        return None


def _deadline_error(url: str, policy: FetchPolicy) -> FetchError:
    return FetchError(url, f"download of {url} exceeded its {policy.deadline:g} s deadline")


def _remaining(url: str, policy: FetchPolicy, deadline_at: float) -> float:
    """Seconds left before ``deadline_at``; FetchError once it has passed."""
    left = deadline_at - time.monotonic()
    if left <= 0:
        raise _deadline_error(url, policy)
    return left


def _check_hop(url: str, hop: str, policy: FetchPolicy, resolver: Resolver) -> Target:
    """Check one hop (the URL itself or a redirect target) before connecting to it.

    A refusal is not retried: the manifest or the server has to change.  A name that
    does not resolve is a connection error like any other (retried).
    """
    where = "" if hop == url else f"redirect to {hop} "
    try:
        return check_url(hop, resolver, allow_private=policy.allow_private_addresses,
                         allowed_hosts=policy.allowed_private_hosts)
    except AddressRefused as exc:
        raise FetchError(url, f"{where}refused: {exc}") from exc
    except ValueError as exc:  # e.g. a non-numeric port
        raise FetchError(url, f"{where}invalid URL: {exc}") from exc
    except OSError as exc:
        host = urlsplit(hop).hostname
        raise FetchError(url, f"connection error: {where}cannot resolve {host}: {exc}",
                         retryable=True) from exc


def _send(
    hop: str,
    target: Target,
    headers: Mapping[str, str],
    policy: FetchPolicy,
    session: requests.Session,
    deadline_at: float,
    stack: ExitStack,
) -> requests.Response:
    """GET one hop through an adapter pinned to the checked address; no redirects followed."""
    left = max(0.001, deadline_at - time.monotonic())
    adapter = stack.enter_context(closing(PinnedAdapter(target.address, deadline_at)))
    request = session.prepare_request(requests.Request("GET", hop, headers=dict(headers)))
    settings = session.merge_environment_settings(hop, {}, True, policy.verify_tls, None)
    resp = adapter.send(
        request,
        stream=True,
        timeout=(min(policy.connect_timeout, left), min(policy.read_timeout, left)),
        verify=settings["verify"],
        proxies=settings["proxies"],
    )
    stack.callback(resp.close)
    extract_cookies_to_jar(session.cookies, request, resp.raw)
    return resp


def _open(
    url: str,
    headers: Mapping[str, str],
    policy: FetchPolicy,
    session: requests.Session,
    resolver: Resolver,
    deadline_at: float,
    stack: ExitStack,
) -> requests.Response:
    """Follow redirects by hand so that every hop's scheme and address is checked first.

    requests' own redirect following would connect to whatever a Location header
    names (e.g. http://127.0.0.1/...) before we could look at it.
    """
    hop = url
    for _ in range(session.max_redirects + 1):
        _remaining(url, policy, deadline_at)
        target = _check_hop(url, hop, policy, resolver)
        resp = _send(hop, target, headers, policy, session, deadline_at, stack)
        location = session.get_redirect_target(resp)
        if location is None:
            return resp
        resp.close()
        hop = requote_uri(urljoin(resp.url, location))
    raise FetchError(url, f"too many redirects (more than {session.max_redirects})")


_ERRORS: tuple[tuple[type[Exception], type[requests.RequestException]], ...] = (
    (urllib3.exceptions.ReadTimeoutError, requests.exceptions.ReadTimeout),
    (urllib3.exceptions.SSLError, requests.exceptions.SSLError),
    (urllib3.exceptions.ProtocolError, requests.exceptions.ChunkedEncodingError),
    (urllib3.exceptions.DecodeError, requests.exceptions.ContentDecodingError),
)


def _translate(exc: urllib3.exceptions.HTTPError) -> Exception:
    """The requests exception ``iter_content`` would raise for a urllib3 error."""
    return next((new(exc) for old, new in _ERRORS if isinstance(exc, old)), exc)


def _chunks(
    resp: requests.Response, url: str, policy: FetchPolicy, deadline_at: float
) -> Iterator[bytes]:
    """The body in chunks as they arrive, failing once the deadline has passed.

    ``read1`` returns whatever has arrived (``iter_content`` would block until a
    whole chunk is there, so a trickling server would never reach the deadline
    check).  When the deadline watchdog shuts the socket down, the read ends in an
    error or an early end of body: both are reported as the deadline, not as a
    truncated (retryable) body.
    """
    while True:
        _remaining(url, policy, deadline_at)
        try:
            chunk = resp.raw.read1(_CHUNK, decode_content=True)
        except urllib3.exceptions.HTTPError as exc:
            _remaining(url, policy, deadline_at)
            raise _translate(exc) from exc
        if not chunk:
            _remaining(url, policy, deadline_at)
            return
        yield chunk


def _attempt(
    url: str,
    archive: RawArchive,
    policy: FetchPolicy,
    session: requests.Session,
    state: dict[str, Any] | None,
    resolver: Resolver,
    deadline_at: float,
) -> FetchResult:
    """One HTTP request.  Returns a result or raises FetchError / requests exceptions."""
    headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "identity", "Accept": "*/*"}
    if state:
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
    with ExitStack() as stack:
        resp = _open(url, headers, policy, session, resolver, deadline_at, stack)
        return _read_response(url, resp, archive, policy, state, deadline_at)


def _read_response(
    url: str,
    resp: requests.Response,
    archive: RawArchive,
    policy: FetchPolicy,
    state: dict[str, Any] | None,
    deadline_at: float,
) -> FetchResult:
    """Turn the final response into a result (body streamed into the archive's tmp/)."""
    with resp:
        code, kept, retrieved_at = resp.status_code, _kept(resp.headers), utcnow()

        def fail(cause: str, **kw: Any) -> FetchError:
            return FetchError(url, cause, http_status=code, headers=kept, **kw)

        if code >= 500:
            raise fail(f"HTTP {code} {resp.reason}", retryable=True,
                       retry_after=_retry_after(resp.headers.get("Retry-After")))
        if code == 304:
            if not state:
                raise fail("HTTP 304 Not Modified to an unconditional request")
            path = archive.find(state["sha256"])
            if path is None:
                raise fail("HTTP 304 but the archived copy is missing")
            return FetchResult(
                url, NOT_MODIFIED, path, state["sha256"], path.stat().st_size, retrieved_at,
                code, final_url=resp.url, kind=path.suffix.lstrip("."), headers=kept,
            )
        if code != 200:
            raise fail(f"HTTP {code} {resp.reason}")

        declared = media_type(resp.headers.get("Content-Type")) or "application/octet-stream"
        if declared not in policy.allowed_content_types:
            raise fail(f"content type {declared!r} not allowed")
        length_header = resp.headers.get("Content-Length")
        declared_len = int(length_header) if (length_header or "").isdigit() else None
        if declared_len is not None and declared_len > policy.max_bytes:
            raise fail(f"Content-Length {declared_len} exceeds size limit {policy.max_bytes}")

        digest, size, head = hashlib.sha256(), 0, b""
        tmp = archive.new_temp()
        try:
            with tmp:
                try:
                    for chunk in _chunks(resp, url, policy, deadline_at):
                        size += len(chunk)
                        if size > policy.max_bytes:
                            raise fail(f"body exceeds size limit {policy.max_bytes} bytes")
                        if len(head) < SNIFF_BYTES:
                            head += chunk[: SNIFF_BYTES - len(head)]
                        digest.update(chunk)
                        tmp.write(chunk)
                except requests.exceptions.ChunkedEncodingError as exc:
                    # urllib3 reports a body shorter than Content-Length as a broken connection
                    detail = re.search(r"IncompleteRead\([^)]*\)", str(exc))
                    raise fail(
                        f"truncated body: connection closed before the declared "
                        f"{declared_len} bytes arrived ({detail.group(0) if detail else exc})",
                        retryable=True,
                    ) from exc
                tmp.flush()
            identity = resp.headers.get("Content-Encoding", "identity").lower() == "identity"
            if declared_len is not None and identity and size != declared_len:
                raise fail(f"truncated body: received {size} of {declared_len} bytes",
                           retryable=True)
            if size == 0:
                raise fail("empty body")
            try:
                kind = resolve_kind(declared, resp.url, resp.headers.get("Content-Disposition"),
                                    head)
            except ContentMismatch as exc:
                raise fail(str(exc)) from exc
            return FetchResult(
                url, DOWNLOADED, Path(tmp.name), digest.hexdigest(), size, retrieved_at, code,
                final_url=resp.url, kind=kind, headers=kept,
            )
        except BaseException:
            archive.discard(tmp.name)
            raise


def _try_once(
    url: str,
    archive: RawArchive,
    policy: FetchPolicy,
    session: requests.Session,
    state: dict[str, Any] | None,
    resolver: Resolver,
    budget: float,
) -> tuple[FetchResult | None, FetchError | None, float]:
    """One attempt with ``budget`` seconds left: (result, error, seconds spent).

    The clock starts here, after the politeness slot was granted, so waiting behind
    other downloads to the same host never eats into a download's deadline.
    """
    started = time.monotonic()
    deadline_at = started + budget
    error: FetchError | None = None
    try:
        result = _attempt(url, archive, policy, session, state, resolver, deadline_at)
        return result, None, time.monotonic() - started
    except FetchError as exc:
        error = exc
    except (requests.Timeout, requests.ConnectionError) as exc:
        if time.monotonic() >= deadline_at:  # the read timeout was cut to the time left
            error = _deadline_error(url, policy)
        else:
            timed_out = isinstance(exc, requests.Timeout) or "timed out" in str(exc)
            kind = "timeout" if timed_out else "connection error"
            error = FetchError(url, f"{kind}: {type(exc).__name__}: {exc}", retryable=True)
    except requests.RequestException as exc:  # invalid URL, ...
        error = FetchError(url, f"{type(exc).__name__}: {exc}")
    except OSError as exc:  # writing the temp file
        error = FetchError(url, f"archive write error: {exc}")
    return None, error, time.monotonic() - started


def fetch(
    url: str,
    archive: RawArchive,
    policy: FetchPolicy | None = None,
    expected_sha256: str | None = None,
    *,
    session: requests.Session | None = None,
    limiter: HostLimiter | None = None,
    resolver: Resolver | None = None,
) -> FetchResult:
    """Download ``url`` into ``archive``; never raises FetchError (see ``result.error``).

    Retries connection errors, timeouts, truncated bodies and HTTP 5xx with
    exponential backoff; 4xx and content problems fail at once.  Re-runs send
    If-None-Match / If-Modified-Since from the URL's stored state and report
    ``not_modified`` on 304.  One provenance record is appended per call.

    Every hop (the URL and each redirect target) must have an http(s) scheme and
    resolve to public addresses only, unless the policy allows otherwise; the
    connection goes to the checked address (see :mod:`yusuan.ingest.fetch.guard`).
    ``resolver(host, port)`` replaces DNS (tests).  ``policy.deadline`` bounds the
    whole download, retries and backoff included (politeness waits excluded).
    """
    policy = policy or FetchPolicy()
    session = session or _session()
    limiter = limiter or DEFAULT_LIMITER
    expected = expected_sha256.lower() if expected_sha256 else None
    state = archive.get_state(url)
    if state and not (state.get("sha256") and archive.find(state["sha256"])):
        state = None  # nothing to fall back on: make an unconditional request
    host, attempts, budget = host_key(url), 0, policy.deadline
    result: FetchResult | None = None
    error: FetchError | None = None
    while result is None:
        attempts += 1
        with limiter.slot(host, policy.max_per_host, policy.min_interval):
            result, error, spent = _try_once(url, archive, policy, session, state,
                                             resolver or system_resolver, budget)
        budget -= spent
        if result is not None:
            break
        assert error is not None
        if not error.retryable or attempts > policy.max_retries:
            break
        delay = policy.backoff(attempts)
        if error.retry_after is not None:
            delay = min(policy.backoff_max, max(delay, error.retry_after))
        if delay >= budget:
            log.warning("no retry (the %g s deadline would pass): %s", policy.deadline, error)
            break
        log.warning("retry %d/%d in %.2fs: %s", attempts, policy.max_retries, delay, error)
        time.sleep(delay)
        budget -= delay

    if result is not None and expected and result.sha256 != expected:
        if result.status == DOWNLOADED:
            archive.discard(result.path)
        error, result = FetchError(
            url, f"sha256 mismatch: expected {expected}, got {result.sha256}",
            http_status=result.http_status, headers=result.headers,
        ), None
    if result is not None and result.status == DOWNLOADED:
        try:
            path, new = archive.commit(result.path, result.sha256, result.kind)
            result = replace(result, path=path, new_file=new)
        except OSError as exc:
            archive.discard(result.path)
            error, result = FetchError(url, f"archive write error: {exc}"), None
    if result is None:
        assert error is not None
        result = FetchResult(
            url, FAILED, retrieved_at=utcnow(), http_status=error.http_status,
            error=str(error), headers=error.headers,
        )
    else:
        previous = state if result.status == NOT_MODIFIED and state else {}
        archive.put_state(url, {
            "etag": result.headers.get("ETag") or previous.get("etag"),
            "last_modified": result.headers.get("Last-Modified") or previous.get("last_modified"),
            "sha256": result.sha256,
            "path": archive.relative(result.path),
            "retrieved_at": result.retrieved_at,
        })
    result = replace(result, attempts=attempts)
    archive.record({
        "url": url,
        "final_url": result.final_url,
        "retrieved_at": result.retrieved_at,
        "status": result.status,
        "http_status": result.http_status,
        "headers": result.headers,
        "sha256": result.sha256,
        "bytes": result.bytes,
        "path": archive.relative(result.path) if result.path else None,
        "new_file": result.new_file,
        "attempts": attempts,
        "error": result.error,
    })
    if result.ok:
        log.info("%s %s -> %s", result.status, url, result.path)
    else:
        log.warning("failed %s", result.error)
    return result


def fetch_all(
    urls: Iterable[str],
    archive: RawArchive,
    policy: FetchPolicy | None = None,
    max_workers: int = 4,
    *,
    expected_sha256: Mapping[str, str] | None = None,
    limiter: HostLimiter | None = None,
) -> list[FetchResult]:
    """Fetch many URLs concurrently (per-host limits still apply); results in input order.

    A failure (even an unexpected exception) becomes a ``failed`` result; the rest go on.
    """
    urls = list(urls)
    expected = expected_sha256 or {}

    def one(url: str) -> FetchResult:
        try:
            return fetch(url, archive, policy, expected.get(url), limiter=limiter)
        except Exception as exc:  # a bug or disk error must not stop the batch
            log.exception("unexpected error fetching %s", url)
            return FetchResult(url, FAILED, retrieved_at=utcnow(),
                               error=str(FetchError(url, f"{type(exc).__name__}: {exc}")))

    with ThreadPoolExecutor(max_workers=max(1, max_workers)) as pool:
        return list(pool.map(one, urls))
