"""Tests of yusuan.ingest.fetch.download against a real HTTP server on 127.0.0.1 (random port)."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from yusuan.ingest.fetch.download import (
    FetchError,
    FetchPolicy,
    FetchResult,
    HostLimiter,
    RawArchive,
    fetch,
    fetch_all,
)
from yusuan.ingest.fetch.sniff import ContentMismatch, resolve_kind

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PDF_V2 = b"%PDF-1.7\n% revised budget\n%%EOF\n"
HTML_ERROR = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head></html>"
XLSX = b"PK\x03\x04" + b"\x00" * 60
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 60
PDF_TYPE = "application/pdf"

FAST = FetchPolicy(
    connect_timeout=1.0,
    read_timeout=1.0,
    max_retries=2,
    backoff_base=0.01,
    jitter=False,
    min_interval=0.0,
    max_per_host=4,
    max_bytes=100_000,
    allow_private_addresses=True,  # the test server listens on 127.0.0.1
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- a tiny scriptable HTTP server --------------------------------------------------------


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    t: float  # time.monotonic() when the request arrived
    status: int | None = None


Route = Callable[["Handler", int], None]  # (handler, 0-based hit number on this path)


@dataclass
class Server:
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits_for(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]


class Handler(BaseHTTPRequestHandler):
    server_state: Server  # set on a per-server subclass

    def log_message(self, format, *args):  # noqa: A002 - silence the default stderr log
        pass

    def do_GET(self):
        state = self.server_state
        hit = Hit(self.path, dict(self.headers.items()), time.monotonic())
        with state.lock:
            n = sum(1 for h in state.hits if h.path == self.path)
            state.hits.append(hit)
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        self.hit = hit
        try:
            route = state.routes.get(self.path)
            if route is None:
                self.reply(404, HTML_ERROR, "text/html")
            else:
                route(self, n)
        except OSError:  # client went away (timeouts)
            pass
        finally:
            with state.lock:
                state.in_flight -= 1

    def reply(self, status, body=b"", ctype=PDF_TYPE, headers=None, length=None):
        self.hit.status = status
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body and status != 304:
            self.wfile.write(body)


def serve(body: bytes, ctype: str = PDF_TYPE, **headers: str) -> Route:
    return lambda h, n: h.reply(200, body, ctype, headers)


def with_etag(get_version: Callable[[], tuple[bytes, str]]) -> Route:
    """A route honouring If-None-Match for the current (body, etag)."""

    def route(h: Handler, n: int) -> None:
        body, etag = get_version()
        if h.headers.get("If-None-Match") == etag:
            h.reply(304, headers={"ETag": etag})
        else:
            h.reply(200, body, PDF_TYPE, {"ETag": etag})

    return route


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()
    handler = type("BoundHandler", (Handler,), {"server_state": state})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    httpd.handle_error = lambda request, client_address: None
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=2)


@pytest.fixture
def archive(tmp_path) -> RawArchive:
    return RawArchive(tmp_path / "archive")


def blobs(archive: RawArchive) -> list[str]:
    return sorted(p.name for p in archive.blob_dir.rglob("*") if p.is_file())


# -- fetch --------------------------------------------------------------------------------


def test_success_archives_file_with_provenance_and_state(server, archive):
    server.routes["/2024/budget.pdf"] = serve(
        PDF, ETag='"v1"', **{"Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}
    )
    url = server.url("/2024/budget.pdf")

    result = fetch(url, archive, FAST)

    assert result.status == "downloaded" and result.ok and result.error is None
    assert result.http_status == 200 and result.attempts == 1
    assert result.sha256 == sha(PDF) and result.bytes == len(PDF) and result.kind == "pdf"
    assert result.path == archive.root / "sha256" / sha(PDF)[:2] / f"{sha(PDF)}.pdf"
    assert result.path.read_bytes() == PDF
    assert not result.path.stat().st_mode & 0o222  # stored read-only
    assert result.new_file and result.retrieved_at.endswith("Z")
    assert list(archive.tmp_dir.iterdir()) == []
    hit = server.hits[0]
    assert hit.headers["User-Agent"].startswith("yusuan/")
    assert "If-None-Match" not in hit.headers

    (record,) = archive.provenance()
    assert record["url"] == url and record["http_status"] == 200
    assert record["sha256"] == sha(PDF) and record["bytes"] == len(PDF)
    assert record["headers"]["Content-Type"] == PDF_TYPE and record["headers"]["ETag"] == '"v1"'
    assert record["path"] == f"sha256/{sha(PDF)[:2]}/{sha(PDF)}.pdf"
    assert record["retrieved_at"] == result.retrieved_at
    state = archive.get_state(url)
    assert state["etag"] == '"v1"' and state["sha256"] == sha(PDF)
    assert state["last_modified"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_404_is_not_retried(server, archive):
    url = server.url("/missing.pdf")
    result = fetch(url, archive, FAST)
    assert result.status == "failed" and not result.ok
    assert result.http_status == 404 and result.attempts == 1
    assert len(server.hits) == 1
    assert url in result.error and "HTTP 404" in result.error and "\n" not in result.error
    assert blobs(archive) == []
    assert next(archive.provenance())["status"] == "failed"
    with pytest.raises(FetchError, match="HTTP 404"):
        result.raise_for_status()


def test_500_then_success_is_retried(server, archive):
    server.routes["/flaky.pdf"] = lambda h, n: (
        h.reply(500, b"oops", "text/plain") if n == 0 else h.reply(200, PDF)
    )
    result = fetch(server.url("/flaky.pdf"), archive, FAST)
    assert result.status == "downloaded" and result.attempts == 2
    assert [h.status for h in server.hits] == [500, 200]


def test_persistent_503_gives_up_after_max_retries(server, archive):
    server.routes["/down.pdf"] = lambda h, n: h.reply(503, b"busy", "text/plain")
    result = fetch(server.url("/down.pdf"), archive, FAST)
    assert result.status == "failed" and result.http_status == 503
    assert len(server.hits) == FAST.max_retries + 1 and "HTTP 503" in result.error


def test_read_timeout_is_retried_then_fails(server, archive):
    def slow(h, n):
        time.sleep(0.5)
        h.reply(200, PDF)

    server.routes["/slow.pdf"] = slow
    policy = FetchPolicy(allow_private_addresses=True, read_timeout=0.1, connect_timeout=0.5, max_retries=1,
                         backoff_base=0.01, jitter=False, min_interval=0)
    result = fetch(server.url("/slow.pdf"), archive, policy)
    assert result.status == "failed" and result.attempts == 2
    assert "timeout" in result.error.lower() and len(server.hits) == 2


def test_stall_in_the_middle_of_the_body_is_a_timeout(server, archive):
    def stall(h, n):
        h.reply(200, b"", length=len(PDF))
        h.wfile.write(PDF[:5])
        h.wfile.flush()
        time.sleep(0.4)

    server.routes["/stall.pdf"] = stall
    policy = FetchPolicy(allow_private_addresses=True, read_timeout=0.1, max_retries=0, min_interval=0, jitter=False)
    result = fetch(server.url("/stall.pdf"), archive, policy)
    assert result.status == "failed" and "timeout" in result.error
    assert blobs(archive) == [] and list(archive.tmp_dir.iterdir()) == []


def test_connection_refused_is_retried(archive):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = fetch(f"http://127.0.0.1:{port}/x.pdf", archive, FAST)
    assert result.status == "failed" and result.attempts == FAST.max_retries + 1
    assert "connection error" in result.error


def test_truncated_body_is_an_error(server, archive):
    server.routes["/short.pdf"] = lambda h, n: h.reply(200, PDF, length=len(PDF) + 1000)
    result = fetch(server.url("/short.pdf"), archive, FAST)
    assert result.status == "failed" and "truncated body" in result.error
    # a connection closed mid-body is a (transient) connection error: retried
    assert len(server.hits) == result.attempts == FAST.max_retries + 1
    assert blobs(archive) == [] and list(archive.tmp_dir.iterdir()) == []
    assert archive.get_state(server.url("/short.pdf")) is None


def test_html_error_page_served_as_pdf_is_rejected(server, archive):
    server.routes["/report.pdf"] = serve(HTML_ERROR, PDF_TYPE)
    result = fetch(server.url("/report.pdf"), archive, FAST)
    assert result.status == "failed" and result.attempts == 1
    assert "not a PDF" in result.error and "HTML page" in result.error
    assert "404 Not Found" in result.error  # preview of the body helps diagnosis
    assert blobs(archive) == []


def test_html_served_as_html_for_a_pdf_url_is_rejected(server, archive):
    server.routes["/report.pdf"] = serve(HTML_ERROR, "text/html; charset=utf-8")
    result = fetch(server.url("/report.pdf"), archive, FAST)
    assert result.status == "failed" and "likely an error page" in result.error


def test_disallowed_content_type(server, archive):
    server.routes["/x.pdf"] = serve(PDF, "image/png")
    result = fetch(server.url("/x.pdf"), archive, FAST)
    assert result.status == "failed" and "'image/png' not allowed" in result.error


def test_changed_file_on_second_run_archives_new_version(server, archive):
    version = {"now": (PDF, '"v1"')}
    server.routes["/b.pdf"] = with_etag(lambda: version["now"])
    url = server.url("/b.pdf")

    first = fetch(url, archive, FAST)
    version["now"] = (PDF_V2, '"v2"')
    second = fetch(url, archive, FAST)

    assert first.status == second.status == "downloaded"
    assert second.sha256 == sha(PDF_V2) != first.sha256
    assert server.hits[1].headers["If-None-Match"] == '"v1"' and server.hits[1].status == 200
    assert first.path.read_bytes() == PDF and second.path.read_bytes() == PDF_V2  # old kept
    assert blobs(archive) == sorted([f"{sha(PDF)}.pdf", f"{sha(PDF_V2)}.pdf"])
    assert archive.get_state(url)["etag"] == '"v2"'
    assert archive.get_state(url)["sha256"] == sha(PDF_V2)


def test_unchanged_file_on_second_run_is_not_modified_via_etag(server, archive):
    server.routes["/b.pdf"] = with_etag(lambda: (PDF, '"v1"'))
    url = server.url("/b.pdf")

    first = fetch(url, archive, FAST)
    second = fetch(url, archive, FAST)

    assert second.status == "not_modified" and second.ok
    assert second.http_status == 304
    assert second.path == first.path and second.sha256 == sha(PDF)
    assert server.hits[1].headers.get("If-None-Match") == '"v1"'
    assert server.hits[1].status == 304
    assert blobs(archive) == [f"{sha(PDF)}.pdf"]
    assert [r["status"] for r in archive.provenance()] == ["downloaded", "not_modified"]
    assert archive.get_state(url)["etag"] == '"v1"'


def test_last_modified_conditional_request(server, archive):
    stamp = "Tue, 02 Jan 2024 03:04:05 GMT"

    def route(h, n):
        if h.headers.get("If-Modified-Since") == stamp:
            h.reply(304)
        else:
            h.reply(200, PDF, headers={"Last-Modified": stamp})

    server.routes["/lm.pdf"] = route
    fetch(server.url("/lm.pdf"), archive, FAST)
    again = fetch(server.url("/lm.pdf"), archive, FAST)
    assert again.status == "not_modified" and server.hits[1].status == 304


def test_unchanged_content_without_validators_is_stored_once(server, archive):
    server.routes["/same.pdf"] = serve(PDF)
    first = fetch(server.url("/same.pdf"), archive, FAST)
    inode = first.path.stat().st_ino
    second = fetch(server.url("/same.pdf"), archive, FAST)
    assert second.status == "downloaded" and second.path == first.path
    assert first.new_file and not second.new_file
    assert second.path.stat().st_ino == inode and blobs(archive) == [f"{sha(PDF)}.pdf"]


def test_size_limit_from_content_length(server, archive):
    big = b"%PDF-1.4\n" + b"0" * 5000
    server.routes["/big.pdf"] = serve(big)
    result = fetch(server.url("/big.pdf"), archive, FetchPolicy(allow_private_addresses=True,
        max_bytes=1000, min_interval=0, jitter=False, backoff_base=0.01))
    assert result.status == "failed" and result.attempts == 1
    assert "exceeds size limit 1000" in result.error


def test_size_limit_while_streaming_without_content_length(server, archive):
    def no_length(h, n):
        h.hit.status = 200
        h.send_response(200)
        h.send_header("Content-Type", PDF_TYPE)
        h.end_headers()  # HTTP/1.0: body runs until the connection closes
        h.wfile.write(b"%PDF-1.4\n" + b"0" * 5000)

    server.routes["/stream.pdf"] = no_length
    result = fetch(server.url("/stream.pdf"), archive, FetchPolicy(allow_private_addresses=True,
        max_bytes=1000, min_interval=0, jitter=False, backoff_base=0.01))
    assert result.status == "failed" and "body exceeds size limit 1000" in result.error
    assert blobs(archive) == [] and list(archive.tmp_dir.iterdir()) == []


def test_expected_sha256(server, archive):
    server.routes["/a.pdf"] = serve(PDF)
    bad = fetch(server.url("/a.pdf"), archive, FAST, expected_sha256="0" * 64)
    assert bad.status == "failed" and "sha256 mismatch" in bad.error
    assert sha(PDF) in bad.error and blobs(archive) == []
    assert archive.get_state(server.url("/a.pdf")) is None

    good = fetch(server.url("/a.pdf"), archive, FAST, expected_sha256=sha(PDF).upper())
    assert good.status == "downloaded" and good.sha256 == sha(PDF)


def test_rate_limit_spaces_requests_to_the_same_host(server, archive):
    server.routes["/a.pdf"] = serve(PDF)
    server.routes["/b.pdf"] = serve(PDF_V2)
    policy = FetchPolicy(allow_private_addresses=True, min_interval=0.3, jitter=False, max_retries=0)
    fetch(server.url("/a.pdf"), archive, policy)
    fetch(server.url("/b.pdf"), archive, policy)
    t = [h.t for h in server.hits]
    assert t[1] - t[0] >= 0.25


def test_rate_limit_holds_across_threads(server, archive):
    for name in "abc":
        server.routes[f"/{name}.pdf"] = serve(PDF + name.encode())
    policy = FetchPolicy(allow_private_addresses=True, min_interval=0.15, max_per_host=3, jitter=False, max_retries=0)
    results = fetch_all([server.url(f"/{n}.pdf") for n in "abc"], archive, policy,
                        max_workers=3, limiter=HostLimiter())
    assert all(r.ok for r in results)
    t = sorted(h.t for h in server.hits)
    assert min(b - a for a, b in zip(t, t[1:], strict=False)) >= 0.12


def test_per_host_concurrency_limit(server, archive):
    def slowish(h, n):
        time.sleep(0.1)
        h.reply(200, PDF + h.path.encode())

    for name in "abc":
        server.routes[f"/{name}.pdf"] = slowish
    policy = FetchPolicy(allow_private_addresses=True, min_interval=0, max_per_host=1, jitter=False, max_retries=0)
    results = fetch_all([server.url(f"/{n}.pdf") for n in "abc"], archive, policy,
                        max_workers=3, limiter=HostLimiter())
    assert all(r.ok for r in results) and server.max_in_flight == 1


def test_fetch_all_failure_does_not_stop_the_others(server, archive):
    server.routes["/1.pdf"] = serve(PDF)
    server.routes["/3.pdf"] = serve(PDF_V2)
    server.routes["/4.pdf"] = serve(HTML_ERROR)
    urls = [server.url(p) for p in ("/1.pdf", "/2.pdf", "/3.pdf", "/4.pdf")]
    results = fetch_all(urls, archive, FAST, max_workers=2)
    assert [r.url for r in results] == urls
    assert [r.status for r in results] == ["downloaded", "failed", "downloaded", "failed"]
    assert results[1].http_status == 404 and "not a PDF" in results[3].error
    assert len(list(archive.provenance())) == 4


def test_office_and_text_kinds(server, archive):
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    server.routes["/t.xlsx"] = serve(XLSX, xlsx_type)
    server.routes["/old.xls"] = serve(OLE, "application/vnd.ms-excel")
    server.routes["/dl?id=7"] = serve(XLSX, "application/octet-stream",
                                      **{"Content-Disposition": 'attachment; filename="b.xlsx"'})
    server.routes["/notes.txt"] = serve("预算说明\n".encode(), "text/plain; charset=utf-8")
    server.routes["/index.html"] = serve(b"<html><body>ok</body></html>", "text/html")
    kinds = {p: fetch(server.url(p), archive, FAST).kind
             for p in ("/t.xlsx", "/old.xls", "/dl?id=7", "/notes.txt", "/index.html")}
    assert kinds == {"/t.xlsx": "xlsx", "/old.xls": "xls", "/dl?id=7": "xlsx",
                     "/notes.txt": "txt", "/index.html": "html"}


@pytest.mark.parametrize(
    ("ctype", "url", "head", "kind"),
    [
        ("application/vnd.ms-excel", "http://x/a.xlsx", XLSX, "xlsx"),  # mislabelled xlsx
        ("application/msword", "http://x/a.doc", OLE, "doc"),
        ("application/octet-stream", "http://x/a.pdf", PDF, "pdf"),
        ("application/octet-stream", "http://x/download", PDF, "pdf"),
        ("text/plain", "http://x/a.txt", "\ufeff说明".encode(), "txt"),
    ],
)
def test_resolve_kind_accepts(ctype, url, head, kind):
    assert resolve_kind(ctype, url, None, head) == kind


@pytest.mark.parametrize(
    ("ctype", "url", "head", "message"),
    [
        ("application/vnd.ms-excel", "http://x/a.xls", HTML_ERROR, "not a zip/OLE"),
        ("application/octet-stream", "http://x/download", XLSX, "no known file extension"),
        ("text/plain", "http://x/a.txt", HTML_ERROR, "HTML page"),
        ("text/html", "http://x/a.html", PDF[:8] + b"\x00\x01", "body is"),
    ],
)
def test_resolve_kind_rejects(ctype, url, head, message):
    with pytest.raises(ContentMismatch, match=message):
        resolve_kind(ctype, url, None, head)


# -- archive, policy and errors ----------------------------------------------------------


def test_archive_is_content_addressed_and_never_overwrites(archive):
    p1 = archive.store_bytes(PDF, "pdf")
    before = (p1.stat().st_ino, p1.stat().st_mtime_ns)
    p2 = archive.store_bytes(PDF, "pdf")
    assert p1 == p2 and (p2.stat().st_ino, p2.stat().st_mtime_ns) == before
    assert archive.find(sha(PDF)) == p1 and archive.find(sha(b"other")) is None
    assert list(archive.tmp_dir.iterdir()) == []


def test_provenance_is_json_lines(archive, server):
    server.routes["/a.pdf"] = serve(PDF)
    fetch(server.url("/a.pdf"), archive, FAST)
    fetch(server.url("/nope.pdf"), archive, FAST)
    lines = archive.provenance_path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["status"] for line in lines] == ["downloaded", "failed"]


def test_backoff_is_exponential_and_capped():
    policy = FetchPolicy(backoff_base=0.5, backoff_max=3, jitter=False)
    assert [policy.backoff(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3, 3]
    jittered = FetchPolicy(backoff_base=1.0, jitter=True)
    assert all(0.5 <= jittered.backoff(1) < 1.5 for _ in range(20))


def test_policy_validation_and_normalised_types():
    with pytest.raises(ValueError):
        FetchPolicy(max_per_host=0)
    policy = FetchPolicy(allowed_content_types=frozenset({"Application/PDF; charset=x"}))
    assert policy.allowed_content_types == frozenset({"application/pdf"})


def test_fetch_error_is_one_line_naming_url():
    err = FetchError("http://x/a.pdf", "connection error:\n  reset by peer")
    assert str(err) == "http://x/a.pdf: connection error: reset by peer"
    failed = FetchResult("http://x/a.pdf", "failed", error=str(err))
    with pytest.raises(FetchError) as info:
        failed.raise_for_status()
    assert str(info.value) == str(err)


def test_library_does_not_import_prefect():
    import subprocess
    import sys

    code = "import sys, yusuan.ingest.fetch.download; print('prefect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
