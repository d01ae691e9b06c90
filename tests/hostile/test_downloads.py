"""Hostile servers and URLs against the downloader (issue 15): SSRF guard and deadline.

A real HTTP server runs on 127.0.0.1 in a thread.  With the guard on, that server
is exactly what must be refused; tests that need to reach it anyway either allow
private addresses in the policy or map a test host name to 127.0.0.1 with a
resolver and list that one name in ``allowed_private_hosts`` (a redirect to the
bare address is then still refused).
"""

from __future__ import annotations

import hashlib
import ipaddress
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from yusuan.ingest.fetch.download import FetchPolicy, HostLimiter, RawArchive, fetch
from yusuan.ingest.fetch.guard import AddressRefused, address_class, check_url
from yusuan.ingest.sources import read_sources, resolve

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
INTERNAL = b"root:x:0:0:internal secret\n"
LOOPBACK = ipaddress.ip_address("127.0.0.1")

GUARDED = FetchPolicy(connect_timeout=1.0, read_timeout=1.0, max_retries=0, backoff_base=0.01,
                      jitter=False, min_interval=0.0, max_per_host=4)
OPEN = FetchPolicy(connect_timeout=1.0, read_timeout=1.0, max_retries=0, backoff_base=0.01,
                   jitter=False, min_interval=0.0, max_per_host=4, allow_private_addresses=True)

Route = Callable[["Handler", int], None]


@dataclass
class Server:
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.hits]


class Handler(BaseHTTPRequestHandler):
    state: Server

    def log_message(self, format, *args):  # noqa: A002 - keep pytest output clean
        pass

    def do_GET(self):
        with self.state.lock:
            n = self.state.paths().count(self.path)
            self.state.hits.append((self.path, self.headers.get("Host", "")))
        route = self.state.routes.get(self.path)
        try:
            if route is None:
                self.reply(404, b"not found", "text/plain")
            else:
                route(self, n)
        except OSError:  # the client gave up (deadline): expected
            pass

    def reply(self, status: int, body: bytes, ctype: str = "application/pdf", **headers: str):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    """A proxy would resolve names itself and bypass the pinned connection."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("no_proxy", "*")


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("Bound", (Handler,), {"state": state}))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def archive(tmp_path: Path) -> RawArchive:
    return RawArchive(tmp_path / "archive")


def blobs(archive: RawArchive) -> list[Path]:
    return [p for p in archive.blob_dir.rglob("*") if p.is_file()]


def mapping_resolver(names: dict[str, str], calls: list[str] | None = None):
    """A test resolver: fixed answers per host name, literal addresses as themselves."""

    def resolver(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        if calls is not None:
            calls.append(host)
        return [ipaddress.ip_address(names.get(host, host))]

    return resolver


# -- (a) a URL to a non-public address is refused before connecting ---------------------------


def test_loopback_url_is_refused_and_nothing_archived(server, archive):
    server.routes["/budget.pdf"] = lambda h, n: h.reply(200, PDF)
    url = server.url("/budget.pdf")
    result = fetch(url, archive, GUARDED, limiter=HostLimiter())
    assert result.status == "failed" and result.attempts == 1
    assert result.error == f"{url}: refused: 127.0.0.1 is a loopback address"
    assert server.hits == [] and blobs(archive) == [] and archive.get_state(url) is None


def test_name_resolving_to_a_private_address_is_refused(archive):
    url = "http://budget.example.gov.cn/2026/yusuan.pdf"
    resolver = mapping_resolver({"budget.example.gov.cn": "10.1.2.3"})
    result = fetch(url, archive, GUARDED, limiter=HostLimiter(), resolver=resolver)
    assert result.error == (f"{url}: refused: 10.1.2.3 is a private address "
                            "(budget.example.gov.cn resolves to it)")


def test_any_non_public_answer_refuses_the_name():
    def resolver(host: str, port: int):
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("169.254.169.254")]

    with pytest.raises(AddressRefused, match="169.254.169.254 is a link-local address"):
        check_url("https://czj.example.gov.cn/a.pdf", resolver)


def test_non_http_scheme_is_refused(archive):
    result = fetch("file:///etc/passwd", archive, GUARDED, limiter=HostLimiter())
    assert result.error == "file:///etc/passwd: refused: scheme 'file' is not http or https"


def test_refusal_is_a_per_publication_error_not_a_crash(server, archive, tmp_path):
    manifest = tmp_path / "sources.csv"
    manifest.write_text(
        "document_id,issuer,region,fiscal_year,kind,role,url,path,sha256,source\n"
        f"a-2026-dwys,某单位,某省,2026,单位预算,full,{server.url('/a.pdf')},,,\n",
        encoding="utf-8",
    )
    resolved = resolve(read_sources(manifest)[0], archive, GUARDED, limiter=HostLimiter())
    assert not resolved.ok and resolved.document is None
    assert resolved.error.endswith("refused: 127.0.0.1 is a loopback address")


# -- (b) redirects: every hop is checked, connections go to the checked address ---------------


def test_redirect_to_loopback_is_refused_after_the_redirect(server, archive):
    """``budget.test`` may reach 127.0.0.1 (allowed by name); its redirect to the bare
    address may not, so the internal page is never requested nor archived."""
    internal = server.url("/internal.txt")
    server.routes["/report.pdf"] = lambda h, n: h.reply(302, b"", "text/html", Location=internal)
    server.routes["/internal.txt"] = lambda h, n: h.reply(200, INTERNAL, "text/plain")
    policy = replace(GUARDED, allowed_private_hosts=frozenset({"budget.test"}))
    url = server.url("/report.pdf", host="budget.test")
    calls: list[str] = []
    result = fetch(url, archive, policy, limiter=HostLimiter(),
                   resolver=mapping_resolver({"budget.test": "127.0.0.1"}, calls))
    assert result.status == "failed"
    assert result.error == f"{url}: redirect to {internal} refused: 127.0.0.1 is a loopback address"
    assert server.paths() == ["/report.pdf"]  # the internal page was never requested
    assert calls == ["budget.test", "127.0.0.1"]  # each hop resolved once, then checked
    assert blobs(archive) == [] and archive.get_state(url) is None


def test_redirect_to_another_scheme_is_refused(server, archive):
    server.routes["/a.pdf"] = lambda h, n: h.reply(301, b"", "text/html", Location="file:///etc/passwd")
    result = fetch(server.url("/a.pdf"), archive, OPEN, limiter=HostLimiter())
    assert result.error.endswith("redirect to file:///etc/passwd refused: scheme 'file' is not http or https")


def test_connection_is_pinned_to_the_checked_address_and_keeps_the_host_name(server, archive):
    """The resolver is asked once per hop; the socket goes to its answer while the
    Host header (and, for https, SNI and the certificate check) keep the name."""
    server.routes["/old.pdf"] = lambda h, n: h.reply(302, b"", "text/html", Location="/new.pdf")
    server.routes["/new.pdf"] = lambda h, n: h.reply(200, PDF)
    policy = replace(GUARDED, allowed_private_hosts=frozenset({"budget.test"}))
    calls: list[str] = []
    url = server.url("/old.pdf", host="budget.test")
    result = fetch(url, archive, policy, limiter=HostLimiter(),
                   resolver=mapping_resolver({"budget.test": "127.0.0.1"}, calls))
    assert result.status == "downloaded", result.error
    assert result.final_url == server.url("/new.pdf", host="budget.test")
    assert calls == ["budget.test", "budget.test"]
    assert server.hits == [(p, f"budget.test:{server.port}") for p in ("/old.pdf", "/new.pdf")]
    assert archive.find(hashlib.sha256(PDF).hexdigest()) is not None


# -- (c) deadline: a trickling server cannot keep a download busy ----------------------------


def trickle(h: Handler, n: int) -> None:
    """First request: a PDF.  Later: a 1000-byte PDF at one byte every 0.2 s."""
    if n == 0:
        h.reply(200, PDF, ETag='"v1"')
        return
    h.send_response(200)
    h.send_header("Content-Type", "application/pdf")
    h.send_header("Content-Length", "1000")
    h.end_headers()
    for byte in (b"%PDF-1.7\n" + b"0" * 991)[:100]:  # at most 20 s, the client leaves first
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(0.2)


def test_trickling_server_hits_the_deadline_and_old_copy_is_kept(server, archive):
    server.routes["/trickle.pdf"] = trickle
    url = server.url("/trickle.pdf")
    first = fetch(url, archive, OPEN, limiter=HostLimiter())
    assert first.status == "downloaded"

    policy = replace(OPEN, deadline=2.0, max_retries=2)
    started = time.monotonic()
    second = fetch(url, archive, policy, limiter=HostLimiter())
    elapsed = time.monotonic() - started
    assert elapsed < 10
    assert second.status == "failed" and second.attempts == 1  # a deadline is not retried
    assert second.error == f"{url}: download of {url} exceeded its 2 s deadline"
    assert archive.get_state(url)["sha256"] == first.sha256
    assert archive.find(first.sha256) is not None and blobs(archive) == [first.path]
    assert list(archive.tmp_dir.iterdir()) == []


def test_silent_server_is_cut_at_the_deadline_not_the_read_timeout(server, archive):
    server.routes["/late.pdf"] = lambda h, n: (time.sleep(3), h.reply(200, PDF))
    policy = replace(OPEN, deadline=1.0, read_timeout=60.0)
    started = time.monotonic()
    result = fetch(server.url("/late.pdf"), archive, policy, limiter=HostLimiter())
    assert time.monotonic() - started < 2.5
    assert result.error.endswith("exceeded its 1 s deadline")


def test_server_trickling_its_headers_is_cut_at_the_deadline(server, archive):
    """A read timeout never fires when a byte comes every 0.2 s; the watchdog does."""

    def headers_trickle(h: Handler, n: int) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(50):  # 10 s of "X-Slow: ..." if nobody stops it
            h.wfile.write(b"X")
            h.wfile.flush()
            time.sleep(0.2)

    server.routes["/slow-headers.pdf"] = headers_trickle
    policy = replace(OPEN, deadline=1.0, read_timeout=5.0)
    started = time.monotonic()
    result = fetch(server.url("/slow-headers.pdf"), archive, policy, limiter=HostLimiter())
    assert time.monotonic() - started < 2.5
    assert result.error.endswith("exceeded its 1 s deadline")


def test_retries_stop_when_the_deadline_would_pass(server, archive):
    server.routes["/busy.pdf"] = lambda h, n: h.reply(503, b"busy", "text/plain")
    policy = replace(OPEN, deadline=1.0, max_retries=5, backoff_base=0.4)
    started = time.monotonic()
    result = fetch(server.url("/busy.pdf"), archive, policy, limiter=HostLimiter())
    assert time.monotonic() - started < 1.5
    assert result.status == "failed" and result.attempts < 6 and "HTTP 503" in result.error


def test_policy_defaults_guard_on_and_bounded():
    policy = FetchPolicy()
    assert policy.allow_private_addresses is False and policy.deadline == 300.0
    assert FetchPolicy(allowed_private_hosts="Mirror.Example.").allowed_private_hosts == {
        "mirror.example"}
    with pytest.raises(ValueError):
        FetchPolicy(deadline=0)


# -- (d) the address classifier ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "label"),
    [
        ("127.0.0.1", "a loopback address"),
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("::1", "a loopback address"),
        ("fe80::1", "a link-local address"),
        ("::ffff:127.0.0.1", "an IPv4-mapped address of 127.0.0.1, a loopback address"),
        ("::ffff:10.0.0.1", "an IPv4-mapped address of 10.0.0.1, a private address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("100.64.0.1", "a shared address (carrier-grade NAT, 100.64.0.0/10)"),
        ("224.0.0.1", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("fc00::1", "a private address"),
        ("2002:7f00:1::", "a 6to4 address of 127.0.0.1, a loopback address"),
        ("64:ff9b::a9fe:a9fe", "a NAT64 address of 169.254.169.254, a link-local address"),
    ],
)
def test_non_public_addresses_are_classified(address, label):
    assert address_class(address) == label


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "1.1.1.1",
                                     "::ffff:93.184.216.34"])
def test_public_addresses_pass(address):
    assert address_class(address) is None


# -- https through the pinned connection: SNI and the certificate check use the name ----------


def self_signed(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A throw-away certificate for ``name`` (fails the test without the openssl CLI)."""
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is needed for this test (apt install openssl)")
    cert, key = tmp_path / f"{name}.crt", tmp_path / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


@pytest.mark.parametrize(("cert_name", "ok"), [("budget.test", True), ("other.test", False)])
def test_https_to_a_pinned_address_checks_the_certificate_against_the_name(
    server, archive, tmp_path, monkeypatch, cert_name, ok
):
    cert, key = self_signed(tmp_path, cert_name)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.routes["/a.pdf"] = lambda h, n: h.reply(200, PDF)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("Tls", (Handler,), {"state": server}))
    httpd.daemon_threads = True
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # trust the throw-away certificate
    try:
        url = f"https://budget.test:{httpd.server_address[1]}/a.pdf"
        policy = replace(GUARDED, allowed_private_hosts=frozenset({"budget.test"}))
        result = fetch(url, archive, policy, limiter=HostLimiter(),
                       resolver=mapping_resolver({"budget.test": "127.0.0.1"}))
    finally:
        httpd.shutdown()
        httpd.server_close()
    if ok:
        assert result.status == "downloaded", result.error
    else:
        assert result.status == "failed" and "budget.test" in result.error
        assert "certificate" in result.error.lower() or "hostname" in result.error.lower()
