"""Publish yusuan data packages to a CKAN catalogue through its Action API.

Only ``requests`` is used (no ``ckanapi``). Two layers:

* :class:`CkanClient` calls one action at a time. Failures raise :class:`CkanError` (or a
  subclass) whose message is one line naming the action and the HTTP status. Only
  server errors (5xx) and connection failures are retried, with exponential backoff;
  a read timeout is not retried, since the server may have acted on the request.
  The API token is sent in the ``Authorization`` header, never logged, and only sent to
  the catalogue's own origin. It is stripped and checked when the client is made
  (:func:`check_token`), and every failure of the HTTP layer is re-raised as a
  :class:`CkanError` whose text (and ``error`` data) has the token and any ``Authorization``
  header masked, without chaining the original exception: ``requests`` quotes a bad header
  value in its errors and a server may echo the token in its answer, and exception text ends
  up on stderr, in tracebacks and in Prefect run states.
* :func:`publish_dataset` makes a catalogue dataset match a :class:`DatasetSpec`,
  idempotently: it creates the organization if missing, creates or patches the dataset,
  uploads each file whose sha256 differs from the ``sha256`` field stored on the resource
  of the same name, and deletes resources that are no longer in the spec. When it stops
  midway it raises :class:`PublishError`, which says what was and was not done; running
  it again completes the work.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from yusuan.core.hashing import sha256_of

__all__ = [
    "CkanAuthError",
    "CkanClient",
    "CkanConflictError",
    "CkanError",
    "CkanNotFoundError",
    "CkanTimeoutError",
    "CkanTokenError",
    "DatasetSpec",
    "FileSpec",
    "OrganizationSpec",
    "PublishError",
    "PublishResult",
    "check_token",
    "publish_dataset",
    "scrub_secret",
    "sha256_file",
]

log = logging.getLogger(__name__)

USER_AGENT = "yusuan-ckan-client/0.1 (+https://github.com/yusuan)"


# ---------------------------------------------------------------------------------------------
# Errors


class CkanError(Exception):
    """A CKAN action failed. ``status`` is the HTTP status (None when there was no answer)."""

    def __init__(
        self,
        message: str,
        *,
        action: str,
        status: int | None = None,
        error: Mapping[str, Any] | None = None,
    ) -> None:
        self.action = action
        self.status = status
        self.error: dict[str, Any] = dict(error or {})
        super().__init__(" ".join(message.split()))  # always one line


class CkanAuthError(CkanError):
    """401 or 403: missing, invalid or insufficient API token."""


class CkanNotFoundError(CkanError):
    """404: the object (or the action) does not exist."""


class CkanConflictError(CkanError):
    """409: CKAN's validation errors (e.g. a name already taken or a field rejected)."""


class CkanTimeoutError(CkanError):
    """No answer within the timeout. Not retried: the server may have done the work."""


_ERROR_CLASSES: dict[int, type[CkanError]] = {
    401: CkanAuthError,
    403: CkanAuthError,
    404: CkanNotFoundError,
    409: CkanConflictError,
}


# ---------------------------------------------------------------------------------------------
# The API token: checked once, masked in every text that leaves the client

TOKEN_MIN_LENGTH = 8  # CKAN API tokens are JWTs (~170 chars), legacy API keys UUIDs (36)
TOKEN_MAX_LENGTH = 4096
MASK = "***"
_AUTH_HEADER = re.compile(
    r"""(?i)(authorization['"]?\s*[:=]\s*['"]?)(?:bearer\s+)?[^\s'",;}]+"""
)


class CkanTokenError(ValueError):
    """The API token is unusable (empty, too long, whitespace or control characters inside).

    The message names where the token came from, never the token itself.
    """


def check_token(token: str, source: str = "the CKAN token") -> str:
    """``token`` without surrounding whitespace, or :class:`CkanTokenError`.

    Why: a token pasted with a trailing newline or space makes ``requests`` refuse the header
    with an error that quotes the token; and a control character or space inside could split
    or inject headers. A token must be printable ASCII (``!`` to ``~``): JWTs and UUIDs are.
    ``source`` says where it came from, e.g. "the CKAN token from YUSUAN_CKAN_TOKEN".
    """
    value = token.strip()
    if not value:
        raise CkanTokenError(f"{source} is empty")
    if len(value) > TOKEN_MAX_LENGTH:
        raise CkanTokenError(
            f"{source} is too long ({len(value)} characters, at most {TOKEN_MAX_LENGTH})"
        )
    if len(value) < TOKEN_MIN_LENGTH:
        raise CkanTokenError(
            f"{source} is too short ({len(value)} characters, at least {TOKEN_MIN_LENGTH})"
        )
    for char in value:
        if ord(char) < 0x20 or ord(char) == 0x7F or 0x80 <= ord(char) < 0xA0:
            raise CkanTokenError(f"{source} contains a control character")
        if char.isspace():
            raise CkanTokenError(f"{source} contains whitespace inside it")
        if not 0x21 <= ord(char) <= 0x7E:
            raise CkanTokenError(f"{source} contains a character that is not printable ASCII")
    return value


def _secret_forms(secret: str) -> list[str]:
    """The ways a secret can appear in a text: as is, stripped, escaped by repr/JSON/URLs,
    and with its whitespace collapsed (CkanError messages are made one line) or split off."""
    forms = {secret, secret.strip(), repr(secret)[1:-1], json.dumps(secret)[1:-1],
             json.dumps(secret).replace("/", "\\/")[1:-1], quote(secret, safe=""),
             " ".join(secret.split())}
    forms.update(part for part in secret.split() if len(part) >= TOKEN_MIN_LENGTH)
    # Longest first, so a form containing another is masked whole; tiny forms would mask
    # ordinary words (a validated token is at least TOKEN_MIN_LENGTH long).
    return sorted((f for f in forms if len(f) >= 4), key=len, reverse=True)


def scrub_secret(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` (in its usual escaped forms) and Authorization values masked."""
    if secret:
        for form in _secret_forms(secret):
            text = text.replace(form, MASK)
    return _AUTH_HEADER.sub(lambda m: m.group(1) + MASK, text)


def _scrub_data(value: Any, secret: str | None) -> Any:
    """``scrub_secret`` applied to every string (keys too) of JSON-like data."""
    if isinstance(value, str):
        return scrub_secret(value, secret)
    if isinstance(value, Mapping):
        return {_scrub_data(k, secret): _scrub_data(v, secret) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub_data(v, secret) for v in value]
    return value


def _error_detail(error: Mapping[str, Any]) -> str:
    """CKAN's error object as a short text: the message, or field: problems for validation."""
    parts = []
    message = error.get("message")
    if message:
        parts.append(str(message))
    for key, value in error.items():
        if key in ("__type", "message"):
            continue
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {value}")
    return ", ".join(parts)[:500]


# ---------------------------------------------------------------------------------------------
# Client


class CkanClient:
    """A small CKAN Action API client (CKAN 2.9 and later).

    >>> client = CkanClient("http://127.0.0.1:5000", token)      # doctest: +SKIP
    >>> client.call("package_show", {"id": "my-dataset"})         # doctest: +SKIP
    """

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        upload_timeout: float = 600.0,
        retries: int = 3,
        backoff: float = 0.5,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        # Checked here too (not only in ckan_settings), so no caller can put a bad header on
        # the wire; a CkanTokenError names no token.
        self._token = check_token(token, "the CKAN token given to CkanClient") if token else None
        self.timeout = timeout
        self.upload_timeout = upload_timeout
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        origin = urlsplit(self.url)
        self._origin = (origin.scheme, origin.netloc)

    def __repr__(self) -> str:  # never shows the token
        return f"CkanClient({self.url!r}, token={'***' if self._token else None})"

    @property
    def has_token(self) -> bool:
        return self._token is not None

    # -- low level -----------------------------------------------------------------------------

    def _headers(self, url: str) -> dict[str, str]:
        parts = urlsplit(url)
        if self._token and (parts.scheme, parts.netloc) == self._origin:
            return {"Authorization": self._token}
        return {}

    def _scrub(self, text: str) -> str:
        return scrub_secret(text, self._token)

    def _safe_error(self, exc: Exception, action: str) -> CkanError:
        """A copy of ``exc`` as a :class:`CkanError` (same class if it is one), token masked.

        The copy carries no ``__cause__``/``__context__``: the original exception (whose text,
        arguments or traceback locals may hold the token or the Authorization header) is
        dropped here, so it reaches no traceback, log or Prefect state.
        """
        if isinstance(exc, CkanError):
            cls: type[CkanError] = type(exc)
            message = str(exc)
            status, error = exc.status, exc.error
        else:
            cls, status, error = CkanError, None, {}
            message = f"CKAN {action}: {type(exc).__name__}: {exc}"
        return cls(
            self._scrub(message),
            action=self._scrub(getattr(exc, "action", action)),
            status=status,
            error=_scrub_data(error, self._token),
        )

    def call(
        self,
        action: str,
        data: Mapping[str, Any] | None = None,
        *,
        upload: Path | None = None,
    ) -> Any:
        """Call ``action`` and return its ``result``.

        With ``upload``, the request is multipart: ``data`` values become form fields and the
        file is sent as ``upload`` (as ``resource_create``/``resource_update`` expect).
        Any failure is a :class:`CkanError` whose text holds no token (see :meth:`_safe_error`).
        """
        try:
            return self._call(action, data, upload)
        except Exception as exc:  # noqa: BLE001 - every failure is re-raised, masked
            failure = self._safe_error(exc, action)
        raise failure from None  # outside the except block: no implicit __context__ either

    def _call(self, action: str, data: Mapping[str, Any] | None, upload: Path | None) -> Any:
        url = f"{self.url}/api/3/action/{action}"
        data = dict(data or {})
        attempt = 0
        while True:
            try:
                response = self._send(url, data, upload)
            except requests.ConnectTimeout as exc:  # never reached the server: safe to retry
                failure: str | int = f"connection timed out ({type(exc).__name__})"
            except requests.Timeout as exc:
                raise CkanTimeoutError(
                    f"CKAN {action}: no answer from {self.url} within "
                    f"{self.upload_timeout if upload else self.timeout:g}s; it may still have "
                    "been applied, check before repeating",
                    action=action,
                ) from exc
            except requests.ConnectionError as exc:
                failure = f"cannot connect to {self.url} ({type(exc).__name__})"
            except requests.RequestException as exc:  # e.g. a broken answer: not retried
                raise CkanError(
                    f"CKAN {action}: {type(exc).__name__}: {exc}", action=action
                ) from exc
            else:
                if response.status_code < 500:
                    return self._result(action, response, data)
                failure = response.status_code
            if attempt >= self.retries:
                if isinstance(failure, int):
                    return self._result(action, response, data)  # raises for the 5xx
                raise CkanError(
                    f"CKAN {action}: {failure}, gave up after {attempt + 1} attempts",
                    action=action,
                )
            delay = self.backoff * (2**attempt)
            log.warning(
                "CKAN %s: %s, retry %d/%d in %.1fs",
                action,
                f"HTTP {failure}" if isinstance(failure, int) else failure,
                attempt + 1,
                self.retries,
                delay,
            )
            self._sleep(delay)
            attempt += 1

    def _send(self, url: str, data: dict[str, Any], upload: Path | None) -> requests.Response:
        headers = self._headers(url)
        if upload is None:
            return self.session.post(url, json=data, headers=headers, timeout=(10, self.timeout))
        form = {
            k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
            for k, v in data.items()
            if v is not None
        }
        with open(upload, "rb") as fh:  # reopened on every attempt
            return self.session.post(
                url,
                data=form,
                files={"upload": (upload.name, fh, "application/octet-stream")},
                headers=headers,
                timeout=(10, self.upload_timeout),
            )

    def _result(
        self, action: str, response: requests.Response, data: Mapping[str, Any] | None = None
    ) -> Any:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if status < 400 and isinstance(body, dict) and body.get("success") is True:
            log.debug("CKAN %s: HTTP %d", action, status)
            return body.get("result")
        error = body.get("error") if isinstance(body, dict) else None
        # Masked before anything is cut short, so a server echoing the token (or a header)
        # cannot leave a fragment of it in the message.
        error = _scrub_data(error, self._token) if isinstance(error, dict) else {}
        text = self._scrub(response.text or "").strip()
        detail = _error_detail(error) or text[:200] or self._scrub(response.reason or "")
        kind = error.get("__type") or self._scrub(response.reason or "") or "error"
        hint = ""
        if status in (401, 403):
            hint = (
                " (no API token was given)"
                if not self._token
                else " (check the API token and its user's rights)"
            )
        elif status == 404 and data:
            ref = data.get("id") or data.get("name")
            hint = f" ({ref!r})" if isinstance(ref, str) else ""
        cls = _ERROR_CLASSES.get(status, CkanError)
        raise cls(
            f"CKAN {action}: HTTP {status} {kind}: {detail}{hint}",
            action=action,
            status=status,
            error=error,
        )

    # -- actions used by publish_dataset -------------------------------------------------------

    def status_show(self) -> dict[str, Any]:
        return self.call("status_show")

    def organization_show(self, id: str) -> dict[str, Any]:
        return self.call("organization_show", {"id": id, "include_datasets": False})

    def organization_create(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return self.call("organization_create", data)

    def organization_patch(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return self.call("organization_patch", data)

    def package_show(self, id: str) -> dict[str, Any]:
        return self.call("package_show", {"id": id})

    def package_create(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return self.call("package_create", data)

    def package_patch(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return self.call("package_patch", data)

    def package_resource_reorder(self, id: str, order: list[str]) -> Any:
        return self.call("package_resource_reorder", {"id": id, "order": order})

    def resource_create(
        self, data: Mapping[str, Any], upload: Path | None = None
    ) -> dict[str, Any]:
        return self.call("resource_create", data, upload=upload)

    def resource_update(
        self, data: Mapping[str, Any], upload: Path | None = None
    ) -> dict[str, Any]:
        return self.call("resource_update", data, upload=upload)

    def resource_patch(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return self.call("resource_patch", data)

    def resource_delete(self, id: str) -> Any:
        return self.call("resource_delete", {"id": id})

    # -- downloads -----------------------------------------------------------------------------

    def download_sha256(self, url: str) -> str:
        """Stream a (resource) URL and return its sha256. The token goes only to our origin.

        Failures are :class:`CkanError` with the token masked, as for :meth:`call`.
        """
        try:
            return self._download_sha256(url)
        except Exception as exc:  # noqa: BLE001 - every failure is re-raised, masked
            failure = self._safe_error(exc, "download")
        raise failure from None

    def _download_sha256(self, url: str) -> str:
        try:
            with self.session.get(
                url, headers=self._headers(url), timeout=(10, self.upload_timeout), stream=True
            ) as r:
                if r.status_code >= 400:
                    cls = _ERROR_CLASSES.get(r.status_code, CkanError)
                    raise cls(
                        f"CKAN download {url}: HTTP {r.status_code} {r.reason}",
                        action="download",
                        status=r.status_code,
                    )
                h = hashlib.sha256()
                for chunk in r.iter_content(1 << 16):
                    h.update(chunk)
                return h.hexdigest()
        except requests.Timeout as exc:
            raise CkanTimeoutError(f"CKAN download {url}: timed out", action="download") from exc
        except requests.ConnectionError as exc:
            raise CkanError(
                f"CKAN download {url}: cannot connect ({type(exc).__name__})", action="download"
            ) from exc


# ---------------------------------------------------------------------------------------------
# Specs and results


def sha256_file(path: Path) -> str:
    return sha256_of(path)


@dataclass(frozen=True)
class OrganizationSpec:
    name: str
    title: str


@dataclass(frozen=True)
class FileSpec:
    """One resource: a local file uploaded under a resource ``name`` (unique in the dataset)."""

    path: Path
    name: str
    format: str
    sha256: str | None = None  # computed from the file when None
    description: str = ""

    def resolved_sha256(self) -> str:
        return (self.sha256 or sha256_file(self.path)).lower()


@dataclass
class DatasetSpec:
    organization: OrganizationSpec
    name: str  # stable CKAN dataset name (lowercase letters, digits, - and _)
    title: str
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    files: list[FileSpec] = field(default_factory=list)
    license_id: str | None = None
    private: bool = False

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any]) -> DatasetSpec:
        """Build from plain data, e.g. ``{"organization": {"name", "title"}, "files": [...]}``."""
        org = spec["organization"]
        files = [
            f
            if isinstance(f, FileSpec)
            else FileSpec(
                path=Path(f["path"]),
                name=f["name"],
                format=f["format"],
                sha256=f.get("sha256"),
                description=f.get("description", ""),
            )
            for f in spec.get("files", [])
        ]
        return cls(
            organization=org
            if isinstance(org, OrganizationSpec)
            else OrganizationSpec(name=org["name"], title=org["title"]),
            name=spec["name"],
            title=spec["title"],
            notes=spec.get("notes", ""),
            tags=list(spec.get("tags", [])),
            extras=dict(spec.get("extras", {})),
            files=files,
            license_id=spec.get("license_id"),
            private=bool(spec.get("private", False)),
        )


@dataclass
class PublishResult:
    """What :func:`publish_dataset` did. Resource lists hold resource names."""

    dataset_name: str
    dataset_id: str | None = None
    dataset_url: str | None = None
    organization: str = "unchanged"  # created | updated | unchanged
    dataset: str = "unchanged"  # created | updated | unchanged
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    reordered: bool = False
    resource_ids: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(
            self.organization != "unchanged"
            or self.dataset != "unchanged"
            or self.created
            or self.updated
            or self.deleted
            or self.reordered
        )

    def summary(self) -> str:
        return (
            f"{self.dataset_name}: organization {self.organization}, dataset {self.dataset}; "
            f"resources created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, deleted {self.deleted}"
        )


class PublishError(Exception):
    """``publish_dataset`` stopped midway. ``result`` holds what was done; ``pending`` the
    resource names (to upload, update or delete) that were not. Rerunning completes it."""

    def __init__(self, message: str, *, result: PublishResult, pending: list[str]) -> None:
        self.result = result
        self.pending = pending
        super().__init__(" ".join(message.split()))


# ---------------------------------------------------------------------------------------------
# publish_dataset


def _extra_value(value: Any) -> str:
    return (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    )


def _dataset_fields(spec: DatasetSpec, org_id: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": spec.name,
        "title": spec.title,
        "notes": spec.notes,
        "owner_org": org_id,
        "private": spec.private,
        "tags": [{"name": t} for t in sorted(set(spec.tags))],
        "extras": [{"key": k, "value": _extra_value(v)} for k, v in sorted(spec.extras.items())],
    }
    if spec.license_id is not None:
        data["license_id"] = spec.license_id
    return data


def _dataset_differences(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> list[str]:
    diffs = []
    for key in ("name", "title", "owner_org", "private", "license_id"):
        if key in wanted and current.get(key) != wanted[key]:
            diffs.append(key)
    if (current.get("notes") or "") != (wanted.get("notes") or ""):
        diffs.append("notes")
    if sorted(t["name"] for t in current.get("tags", [])) != [t["name"] for t in wanted["tags"]]:
        diffs.append("tags")
    have = {e["key"]: e["value"] for e in current.get("extras", [])}
    if have != {e["key"]: e["value"] for e in wanted["extras"]}:
        diffs.append("extras")
    if current.get("state", "active") != "active":
        diffs.append("state")
    return diffs


def _resource_fields(f: FileSpec, sha: str) -> dict[str, Any]:
    return {"name": f.name, "format": f.format, "description": f.description, "sha256": sha}


def _resource_metadata_differs(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    for key, value in wanted.items():
        have, want = str(current.get(key) or ""), str(value or "")
        if key in ("format", "sha256"):  # CKAN normalises format names ("csv" -> "CSV")
            have, want = have.lower(), want.lower()
        if have != want:
            return True
    return False


def publish_dataset(client: CkanClient, spec: DatasetSpec | Mapping[str, Any]) -> PublishResult:
    """Make the catalogue's dataset match ``spec`` and report what changed.

    Raises :class:`PublishError` if it stops midway (the message lists what was and was not
    done), :class:`ValueError` for a bad spec (checked before anything is sent).
    """
    if not isinstance(spec, DatasetSpec):
        spec = DatasetSpec.from_mapping(spec)

    # Local checks first, so a bad spec touches nothing.
    names = [f.name for f in spec.files]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"dataset {spec.name}: resource names must be unique, repeated: {dupes}")
    hashes: dict[str, str] = {}
    for f in spec.files:
        if not Path(f.path).is_file():
            raise ValueError(
                f"dataset {spec.name}: file for resource {f.name!r} not found: {f.path}"
            )
        actual = sha256_file(Path(f.path))
        if f.sha256 and f.sha256.lower() != actual:
            raise ValueError(
                f"dataset {spec.name}: sha256 of {f.path} is {actual}, spec says {f.sha256}"
            )
        hashes[f.name] = actual

    result = PublishResult(dataset_name=spec.name)
    pending: list[str] = list(names)
    step = "organization"

    def fail(exc: Exception) -> PublishError:
        done = (
            f"created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, deleted {result.deleted}"
        )
        return PublishError(
            f"publishing dataset {spec.name!r} stopped at {step}: {exc} | done: organization "
            f"{result.organization}, dataset {result.dataset}, resources {done} | not done: "
            f"{pending} | rerun publish_dataset to complete",
            result=result,
            pending=list(pending),
        )

    try:
        # 1. organization
        try:
            org = client.organization_show(spec.organization.name)
        except CkanNotFoundError:
            org = client.organization_create(
                {"name": spec.organization.name, "title": spec.organization.title}
            )
            result.organization = "created"
        else:
            if org.get("title") != spec.organization.title or org.get("state") != "active":
                org = client.organization_patch(
                    {"id": org["id"], "title": spec.organization.title, "state": "active"}
                )
                result.organization = "updated"

        # 2. dataset (metadata only; resources follow one by one)
        step = "dataset"
        wanted = _dataset_fields(spec, org["id"])
        try:
            pkg = client.package_show(spec.name)
        except CkanNotFoundError:
            pkg = client.package_create(wanted)
            result.dataset = "created"
        else:
            diffs = _dataset_differences(pkg, wanted)
            if diffs:
                log.info("dataset %s: patching %s", spec.name, ", ".join(diffs))
                pkg = client.package_patch({"id": pkg["id"], **wanted, "state": "active"})
                result.dataset = "updated"
        result.dataset_id = pkg["id"]
        result.dataset_url = f"{client.url}/dataset/{pkg['name']}"

        # 3. resources, matched by name; duplicates of a name on the server count as stale
        existing: dict[str, dict[str, Any]] = {}
        stale: list[dict[str, Any]] = []
        for res in pkg.get("resources", []):
            if res.get("name") in hashes and res["name"] not in existing:
                existing[res["name"]] = res
            else:
                stale.append(res)
        pending += [f"delete {r.get('name') or r['id']}" for r in stale]

        for f in spec.files:
            step = f"resource {f.name!r}"
            sha = hashes[f.name]
            fields = _resource_fields(f, sha)
            res = existing.get(f.name)
            if res is None:
                new = client.resource_create(
                    {"package_id": pkg["id"], **fields}, upload=Path(f.path)
                )
                result.created.append(f.name)
                result.resource_ids[f.name] = new["id"]
            elif (res.get("sha256") or "").lower() != sha or res.get("url_type") != "upload":
                client.resource_update({"id": res["id"], **fields}, upload=Path(f.path))
                result.updated.append(f.name)
                result.resource_ids[f.name] = res["id"]
            elif _resource_metadata_differs(res, fields):
                client.resource_patch({"id": res["id"], **fields})
                result.updated.append(f.name)
                result.resource_ids[f.name] = res["id"]
            else:
                result.unchanged.append(f.name)
                result.resource_ids[f.name] = res["id"]
            pending.remove(f.name)

        for res in stale:
            label = res.get("name") or res["id"]
            step = f"deleting resource {label!r}"
            client.resource_delete(res["id"])
            result.deleted.append(label)
            pending.remove(f"delete {label}")

        # 4. resource order as in the spec
        step = "resource order"
        order = [result.resource_ids[n] for n in names]
        current = [r["id"] for r in pkg.get("resources", []) if r["id"] in set(order)] + [
            result.resource_ids[n] for n in result.created
        ]
        if order and current != order:
            client.package_resource_reorder(pkg["id"], order)
            result.reordered = True
    except Exception as exc:
        raise fail(exc) from exc

    log.info("published %s", result.summary())
    return result
