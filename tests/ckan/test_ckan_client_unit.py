"""CkanClient error handling and retries, against a fake session (no CKAN needed)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import requests

from yusuan.catalogue.ckan import (
    CkanAuthError,
    CkanClient,
    CkanConflictError,
    CkanError,
    CkanNotFoundError,
    CkanTimeoutError,
    DatasetSpec,
    FileSpec,
    OrganizationSpec,
    publish_dataset,
)

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`

TOKEN = "secret-token-value-123"


def _response(status: int, body: Any) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r.reason = {200: "OK", 403: "FORBIDDEN", 409: "CONFLICT", 503: "SERVICE UNAVAILABLE"}.get(
        status, ""
    )
    r._content = json.dumps(body).encode() if not isinstance(body, bytes) else body
    return r


class FakeSession(requests.Session):
    def __init__(self, outcomes: list[Any]) -> None:
        super().__init__()
        self.outcomes = outcomes
        self.calls: list[dict[str, Any]] = []

    def post(self, url: str, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.calls.append({"url": url, **kwargs})
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def _client(outcomes: list[Any], **kwargs: Any) -> tuple[CkanClient, FakeSession, list[float]]:
    sleeps: list[float] = []
    session = FakeSession(outcomes)
    client = CkanClient("http://ckan.test/", TOKEN, session=session, sleep=sleeps.append, **kwargs)
    return client, session, sleeps


OK = {"success": True, "result": {"id": "x"}}


def test_retries_5xx_with_exponential_backoff():
    err = {"success": False, "error": {"message": "down"}}
    client, session, sleeps = _client(
        [_response(503, err), _response(502, err), _response(200, OK)]
    )
    assert client.call("package_show", {"id": "x"}) == {"id": "x"}
    assert sleeps == [0.5, 1.0]
    assert len(session.calls) == 3
    assert session.calls[0]["headers"] == {"Authorization": TOKEN}


def test_retries_connection_errors_then_gives_up_with_one_line():
    client, session, sleeps = _client([requests.ConnectionError("refused\nmore")] * 4)
    with pytest.raises(CkanError) as info:
        client.call("status_show")
    assert sleeps == [0.5, 1.0, 2.0]
    assert info.value.action == "status_show" and info.value.status is None
    assert "\n" not in str(info.value) and "gave up after 4 attempts" in str(info.value)


def test_5xx_after_all_retries_raises_with_status():
    client, _, sleeps = _client([_response(500, {"success": False})] * 2, retries=1)
    with pytest.raises(CkanError) as info:
        client.call("package_create", {"name": "a"})
    assert info.value.status == 500 and sleeps == [0.5]


@pytest.mark.parametrize(
    ("status", "cls", "error"),
    [
        (403, CkanAuthError, {"__type": "Authorization Error", "message": "Access denied"}),
        (404, CkanNotFoundError, {"__type": "Not Found Error", "message": "Not found"}),
        (409, CkanConflictError, {"__type": "Validation Error", "name": ["That URL is in use."]}),
    ],
)
def test_4xx_are_not_retried_and_raise_typed_errors(status, cls, error):
    client, session, sleeps = _client([_response(status, {"success": False, "error": error})])
    with pytest.raises(cls) as info:
        client.call("package_create", {"name": "a"})
    assert info.value.status == status and info.value.action == "package_create"
    assert str(info.value).startswith(f"CKAN package_create: HTTP {status} ")
    assert len(session.calls) == 1 and sleeps == []
    if status == 409:
        assert "name: That URL is in use." in str(info.value)


def test_read_timeout_is_not_retried():
    client, session, _ = _client([requests.ReadTimeout("slow")])
    with pytest.raises(CkanTimeoutError) as info:
        client.call("package_patch", {"id": "a"})
    assert len(session.calls) == 1
    assert "may still have been applied" in str(info.value)


def test_token_never_logged_nor_in_repr(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    client, _, _ = _client([_response(503, {}), _response(200, OK)])
    client.call("package_show", {"id": "x"})
    assert TOKEN not in caplog.text
    assert TOKEN not in repr(client)


def test_token_only_sent_to_own_origin():
    client, _, _ = _client([])
    assert client._headers("http://ckan.test/dataset/x/resource/y/download/f.csv")
    assert client._headers("http://elsewhere.test/f.csv") == {}


def test_bad_spec_is_rejected_before_any_request(tmp_path: Path):
    f = tmp_path / "a.csv"
    f.write_text("a\n")
    client, session, _ = _client([])
    spec = DatasetSpec(
        organization=OrganizationSpec("o", "O"),
        name="d",
        title="D",
        files=[FileSpec(f, "a.csv", "CSV", sha256="0" * 64)],
    )
    with pytest.raises(ValueError, match="sha256"):
        publish_dataset(client, spec)
    spec.files = [FileSpec(f, "a.csv", "CSV"), FileSpec(f, "a.csv", "CSV")]
    with pytest.raises(ValueError, match="unique"):
        publish_dataset(client, spec)
    assert session.calls == []
