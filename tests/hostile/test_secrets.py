"""The CKAN API token never leaks: not in errors, tracebacks, stderr, reprs or run states.

Why these tests exist: ``requests`` quotes a header value it refuses (a token pasted with a
trailing newline was printed in full on stderr, in ``yusuan run`` tracebacks and in the Prefect
run state), and a server may echo the token back in its error. The client is exercised through
the real ``requests``/``http.client`` stack against a tiny HTTP server on 127.0.0.1 that records
the Authorization header it receives and answers like CKAN.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from yusuan.catalogue.ckan import (
    CkanAuthError,
    CkanClient,
    CkanError,
    CkanTokenError,
    PublishError,
    check_token,
    publish_dataset,
    scrub_secret,
)
from yusuan.catalogue.ckan_package import CkanConfigError, ckan_settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ysec-" + "7f3a9c2e41b8d6050c1e9a7b3d2f4e68"  # distinctive: any 8-char slice is unique


def assert_no_token(*texts: str) -> None:
    """Neither the token nor any 8-character slice of it (a cut-off copy) is in ``texts``."""
    for text in texts:
        assert TOKEN not in text
        for i in range(len(TOKEN) - 7):
            assert TOKEN[i : i + 8] not in text, f"token fragment {i} leaked: {text[:300]!r}"


def exception_texts(exc: BaseException) -> list[str]:
    """Every way an exception is shown: str, repr, full traceback (with chained causes)."""
    texts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    for link in (exc.__cause__, exc.__context__):
        if link is not None:
            texts += exception_texts(link)
    if isinstance(exc, CkanError):
        texts.append(json.dumps(exc.error, ensure_ascii=False))
    return texts


# ---------------------------------------------------------------------------------------------
# A CKAN-like server on 127.0.0.1


class FakeCkan:
    """Answers every request per ``mode`` and records the Authorization headers received.

    Modes: ``ok`` (200 success), ``echo403`` (403 whose reason phrase and JSON error quote the
    Authorization header), ``echo_text`` (403, plain text quoting it after 190 characters, so a
    200-character cut would leave a fragment), ``echo500`` (500 quoting it).
    """

    def __init__(self) -> None:
        self.mode = "ok"
        self.auth: list[str | None] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep the test output clean
                pass

            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                auth = self.headers.get("Authorization")
                owner.auth.append(auth)
                status, reason, body, kind = 200, "OK", b"", "application/json"
                if owner.mode == "ok":
                    body = json.dumps({"success": True, "result": {"ok": True}}).encode()
                elif owner.mode in ("echo403", "echo500"):
                    status = 403 if owner.mode == "echo403" else 500
                    reason = f"Denied {auth}"
                    error = {"__type": "Authorization Error", "message": f"bad token {auth}",
                             "headers": [f"Authorization: {auth}"], f"key {auth}": "x"}
                    body = json.dumps({"success": False, "error": error}).encode()
                elif owner.mode == "echo_text":
                    status, reason, kind = 403, "FORBIDDEN", "text/plain"
                    body = ("x" * 190 + f"{auth} {auth}").encode()
                self.send_response(status, reason)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ckan() -> Iterator[FakeCkan]:
    server = FakeCkan()
    yield server
    server.close()


@pytest.fixture
def package_dir(tmp_path: Path) -> Path:
    """A minimal package: publishing it starts with organization_show."""
    folder = tmp_path / "out" / "secrets-test"
    folder.mkdir(parents=True)
    descriptor = {"name": "secrets-test", "title": "T", "title_zh": "测试", "issuer": "测试单位",
                  "region": "测试", "resources": []}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def _env(url: str, token: str | None, tmp_path: Path) -> dict[str, str]:
    env = {"YUSUAN_CKAN_URL": url, "YUSUAN_CKAN_CONFIG": str(tmp_path / "no-config.toml")}
    if token is not None:
        env["YUSUAN_CKAN_TOKEN"] = token
    return env


def _private_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Reading and checking the token


@pytest.mark.parametrize("where", ["env", "config token", "token_file"])
def test_token_with_surrounding_whitespace_is_stripped_and_sent_clean(
    ckan: FakeCkan, tmp_path: Path, where: str
):
    padded = f" \t{TOKEN}\r\n"
    env = _env(ckan.url, padded if where == "env" else None, tmp_path)
    if where == "config token":
        escaped = padded.encode("unicode_escape").decode()  # TOML escapes: \t \r \n
        config = _private_file(tmp_path / "c.toml", f'[ckan]\ntoken = "{escaped}"\n')
    elif where == "token_file":
        token_file = _private_file(tmp_path / "token", padded)
        config = _private_file(tmp_path / "c.toml", f'[ckan]\ntoken_file = "{token_file}"\n')
    else:
        config = None
    settings = ckan_settings(config=config, environ=env)
    assert settings.token == TOKEN
    client = settings.client(retries=0)
    assert client.status_show() == {"ok": True}
    assert ckan.auth == [TOKEN]  # through the real requests stack, stripped
    assert_no_token(repr(settings), repr(client), str(settings))


BAD = {
    "control": (TOKEN[:12] + "\x07" + TOKEN[12:], "contains a control character"),
    "newline": (TOKEN[:12] + "\n" + TOKEN[12:], "contains a control character"),
    "header injection": (TOKEN + "\r\nX-Evil: 1", "contains a control character"),
    "space": (TOKEN[:12] + " " + TOKEN[12:], "contains whitespace inside it"),
    "non-ascii": (TOKEN + "é", "not printable ASCII"),
    "blank": ("  \n ", "is empty"),
    "too long": (TOKEN * 200, "is too long"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_unusable_token_is_a_clear_error_without_the_token(
    ckan: FakeCkan, tmp_path: Path, case: str
):
    token, says = BAD[case]
    with pytest.raises(CkanConfigError) as info:
        ckan_settings(environ=_env(ckan.url, token, tmp_path))
    assert str(info.value).startswith("the CKAN token from YUSUAN_CKAN_TOKEN ")
    assert says in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert_no_token(*exception_texts(info.value))
    with pytest.raises(CkanTokenError) as direct:
        CkanClient(ckan.url, token)
    assert_no_token(*exception_texts(direct.value))
    assert ckan.auth == []  # nothing was sent


def test_bad_token_file_names_the_file_not_the_token(tmp_path: Path):
    token_file = _private_file(tmp_path / "token", TOKEN[:12] + "\x00" + TOKEN[12:])
    config = _private_file(
        tmp_path / "c.toml", f'[ckan]\nurl = "http://x"\ntoken_file = "{token_file}"\n'
    )
    with pytest.raises(CkanConfigError, match=f"from {token_file} contains a control") as info:
        ckan_settings(config=config, environ={})
    assert_no_token(*exception_texts(info.value))


def test_check_token_accepts_jwt_and_uuid_forms():
    jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJhYmMifQ.c2lnbmF0dXJlLXBhcnQ_-x"
    assert check_token(f"{jwt}\n") == jwt
    uuid = "0b2c1a3e-1111-4222-8333-944455556666"
    assert check_token(f" {uuid} ") == uuid


# ---------------------------------------------------------------------------------------------
# Failures deep in the HTTP layer


def _break(client: CkanClient, ckan: FakeCkan, how: str) -> CkanClient:
    """Set up one failure; returns the client to call."""
    if how == "unreachable":
        return CkanClient(f"http://127.0.0.1:{_closed_port()}", TOKEN, retries=0)
    if how.startswith("bypassed check"):
        # A bug that put an unchecked token on the wire: requests/http.client quote it.
        client._token = f" {TOKEN}\n" if how.endswith("whitespace") else f"{TOKEN}\r\nX-Evil: 1"
        return client
    ckan.mode = how
    return client


HOW = ["unreachable", "echo403", "echo_text", "echo500", "bypassed check whitespace",
       "bypassed check injection"]


@pytest.mark.parametrize("how", HOW)
def test_http_failures_never_quote_the_token(
    ckan: FakeCkan, how: str, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    client = _break(CkanClient(ckan.url, TOKEN, retries=1, sleep=lambda _: None), ckan, how)
    with pytest.raises(CkanError) as info:
        client.call("organization_show", {"id": "org"})
    exc = info.value
    assert exc.__cause__ is None and exc.__context__ is None  # the original is not chained
    assert_no_token(*exception_texts(exc), repr(client), caplog.text)
    if how in ("echo403", "echo_text"):
        assert isinstance(exc, CkanAuthError) and exc.status == 403
        assert ckan.auth == [TOKEN]
        assert "***" in str(exc)
    if how == "echo500":
        assert exc.status == 500 and len(ckan.auth) == 2  # retried once, still masked


@pytest.mark.parametrize("how", ["unreachable", "echo403", "bypassed check whitespace"])
def test_download_failures_never_quote_the_token(ckan: FakeCkan, how: str):
    client = _break(CkanClient(ckan.url, TOKEN), ckan, how)
    with pytest.raises(CkanError) as info:
        client.download_sha256(f"{client.url}/dataset/d/resource/r/download/f.csv")
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert_no_token(*exception_texts(info.value))


def test_publish_error_chain_holds_no_token(ckan: FakeCkan, package_dir: Path):
    from yusuan.catalogue.ckan_package import package_to_dataset_spec

    ckan.mode = "echo403"
    with pytest.raises(PublishError) as info:
        publish_dataset(CkanClient(ckan.url, TOKEN), package_to_dataset_spec(package_dir))
    assert "stopped at organization" in str(info.value)
    assert_no_token(*exception_texts(info.value))


def test_scrub_masks_escaped_forms_and_authorization_headers():
    from urllib.parse import quote

    secret = TOKEN + "/+="  # characters that JSON, repr and URL encoding may escape
    text = (f"{secret!r} {json.dumps(secret)} {json.dumps(secret).replace('/', chr(92) + '/')} "
            f"{quote(secret, safe='')} Authorization: Bearer abc.def "
            f"{{'Authorization': 'other-secret'}}")
    masked = scrub_secret(text, secret)
    assert "abc.def" not in masked and "other-secret" not in masked
    assert masked.count("***") == 6
    assert_no_token(masked)


# ---------------------------------------------------------------------------------------------
# The command line and the flow target


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("YUSUAN_CKAN")}
    full.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "yusuan.cli", *args], capture_output=True,
                          text=True, env=full, cwd=ROOT, timeout=60)


def test_cli_publish_refused_by_server_echoing_the_token(
    ckan: FakeCkan, package_dir: Path, tmp_path: Path
):
    ckan.mode = "echo403"
    proc = _cli(["publish", str(package_dir)], _env(ckan.url, f" {TOKEN}\n", tmp_path))
    assert proc.returncode == 2, proc.stderr
    assert "HTTP 403" in proc.stderr and "secrets-test" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert ckan.auth == [TOKEN]  # accepted after stripping
    assert_no_token(proc.stdout, proc.stderr)


def test_cli_publish_with_control_char_token_sends_nothing(
    ckan: FakeCkan, package_dir: Path, tmp_path: Path
):
    bad = TOKEN[:12] + "\x1b" + TOKEN[12:]
    proc = _cli(["publish", str(package_dir)], _env(ckan.url, bad, tmp_path))
    assert proc.returncode == 2
    assert "the CKAN token from YUSUAN_CKAN_TOKEN contains a control character" in proc.stderr
    assert "Traceback" not in proc.stderr and ckan.auth == []
    assert_no_token(proc.stdout, proc.stderr)


def test_flow_ckan_target_raises_a_clean_error(
    ckan: FakeCkan, package_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The function behind ``--targets ckan`` (run inside the Prefect flow): its exception
    text becomes the run state, so it must hold no token and chain nothing that does."""
    from yusuan.flows.targets import TARGETS, CkanTargetError

    for key, value in _env(ckan.url, f"{TOKEN}\n", tmp_path).items():
        monkeypatch.setenv(key, value)
    ckan.mode = "echo403"
    outcomes = [{"document_id": "secrets-test", "status": "published", "path": str(package_dir)}]
    with pytest.raises(CkanTargetError) as info:
        TARGETS["ckan"](outcomes, package_dir.parent)
    assert "secrets-test" in str(info.value) and "HTTP 403" in str(info.value)
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert_no_token(*exception_texts(info.value))

    monkeypatch.setenv("YUSUAN_CKAN_TOKEN", TOKEN[:12] + "\t" + TOKEN[12:])
    with pytest.raises(CkanConfigError) as bad:
        TARGETS["ckan"](outcomes, package_dir.parent)
    assert "contains a control character" in str(bad.value)
    assert_no_token(*exception_texts(bad.value))
    assert ckan.auth == [TOKEN]  # only the first, valid token was ever sent
