"""One written data package -> one CKAN dataset (a :class:`DatasetSpec` for ``publish_dataset``).

* dataset name: the document id (already lower-case ASCII with ``-``); an id CKAN would refuse
  is slugged and suffixed with 8 hex digits of its sha256, so it stays unique and stable;
* organization: one per issuer, named by :func:`issuer_id` (``cn-issuer-`` + 12 hex digits of
  the sha256 of ``region|issuer``): ASCII, stable across runs and machines, no romanisation
  table needed; its title is the issuer as printed;
* title and notes in Chinese and English; tags from the package keywords, kind, region, year;
* extras: fiscal year and period, region, issuer, kind, quality status and check counts, the
  source files' references and sha256, the sha256 of datapackage.json, the yusuan version;
* resources: every file of the package (datapackage.json, each resource's CSV and Parquet,
  the quality report if present) with its sha256, so republishing uploads only what changed.

A blocked package (``quality_status == "blocked"``) is refused, and so is a package whose
files no longer match the sha256 its datapackage.json records.

The API token never comes from the command line: :func:`ckan_settings` reads it from the
environment (``YUSUAN_CKAN_TOKEN``) or from a config file readable by its owner only, strips
surrounding whitespace and checks it (:func:`~yusuan.catalogue.ckan.check_token`); an unusable
token is a :class:`CkanConfigError` that says where it came from, never what it is.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yusuan.catalogue.ckan import (
    CkanClient,
    CkanTokenError,
    DatasetSpec,
    FileSpec,
    OrganizationSpec,
    PublishResult,
    check_token,
    publish_dataset,
)
from yusuan.catalogue.config_file import read_section
from yusuan.catalogue.index import PackageInfo, issuer_id, load_package
from yusuan.core.errors import YusuanError

NAME = re.compile(r"[a-z0-9_-]{2,100}")
TAG_DROP = re.compile(r"[^\w .-]+")


class BlockedPackageError(YusuanError):
    """The package's quality status is ``blocked``: it is not published."""


class PackageIntegrityError(YusuanError):
    """A file of the package does not match the sha256 recorded in datapackage.json."""


class CkanConfigError(YusuanError):
    """The CKAN settings are missing or unsafe (e.g. a token file others can read)."""


def dataset_name(document_id: str, prefix: str = "") -> str:
    """A valid, stable CKAN dataset name for a document id."""
    wanted = f"{prefix}{document_id}"
    if NAME.fullmatch(wanted):
        return wanted
    slug = re.sub(r"[^a-z0-9_-]+", "-", wanted.lower()).strip("-")
    digest = hashlib.sha256(wanted.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:90]}-{digest}".lstrip("-")


def organization_for(package: PackageInfo) -> OrganizationSpec:
    issuer, region = str(package.get("issuer")), str(package.get("region"))
    if not issuer:
        raise YusuanError(f"{package.document_id}: the package names no issuer")
    return OrganizationSpec(name=issuer_id(issuer, region), title=issuer)


def _tags(package: PackageInfo) -> list[str]:
    words = [*package.get("keywords", []), package.get("kind"), package.get("kind_id"),
             package.get("region"), str(package.get("fiscal_year"))]
    tags = []
    for word in words:
        tag = " ".join(TAG_DROP.sub(" ", str(word or "")).split())[:100]
        if len(tag) >= 2 and tag not in tags:
            tags.append(tag)
    return tags


def _sources(package: PackageInfo) -> list[dict[str, str]]:
    return [
        {k: str(s.get(k, "")) for k in ("title", "path", "role", "sha256")}
        for s in package.get("sources", [])
        if isinstance(s, dict)
    ]


def _notes(package: PackageInfo) -> str:
    c = package.checks
    lines = [
        str(package.get("description_zh")),
        "",
        str(package.get("description")),
        "",
        f"- 质量状态 Quality status: **{package.quality_status}** "
        f"(校验 checks: {c.get('checks_passed', '?')} passed / {c.get('checks_failed', '?')} "
        f"failed / {c.get('checks_not_run', '?')} not run)",
        f"- 年度 Fiscal year: {package.get('fiscal_year')}",
        f"- 地区 Region: {package.get('region')}",
        f"- 发布单位 Issuer: {package.get('issuer')}",
        f"- 类型 Kind: {package.get('kind')} ({str(package.get('kind_id')).replace('_', ' ')})",
    ]
    for s in _sources(package):
        lines.append(f"- 来源 Source: {s['title']} — {s['path']} (sha256 `{s['sha256']}`)")
    return "\n".join(lines).strip() + "\n"


def _extras(package: PackageInfo) -> dict[str, Any]:
    c = package.checks
    period = package.get("fiscalPeriod", {})
    sources = _sources(package)
    extras: dict[str, Any] = {
        "document_id": package.document_id,
        "title_zh": str(package.get("title_zh")),
        "title_en": str(package.get("title")),
        "fiscal_year": str(package.get("fiscal_year")),
        "region": str(package.get("region")),
        "country": str(package.get("country")),
        "issuer": str(package.get("issuer")),
        "kind": str(package.get("kind")),
        "kind_id": str(package.get("kind_id")),
        "quality_status": package.quality_status,
        "checks_passed": str(c.get("checks_passed", "")),
        "checks_failed": str(c.get("checks_failed", "")),
        "checks_not_run": str(c.get("checks_not_run", "")),
        "source_urls": [s["path"] for s in sources],
        "source_sha256": [s["sha256"] for s in sources],
        "sources": sources,
        "datapackage_sha256": package.sha256,
        "yusuan_version": str(package.get("version")),
        "languages": ",".join(str(x) for x in package.get("languages", [])),
    }
    if isinstance(period, dict):
        extras["fiscal_period_start"] = str(period.get("start", ""))
        extras["fiscal_period_end"] = str(period.get("end", ""))
    return extras


def _files(package: PackageInfo) -> list[FileSpec]:
    specs = []
    for f in package.files:
        titles = " / ".join(t for t in (f.title_zh, f.title) if t)
        texts = " ".join(t for t in (f.description_zh, f.description) if t)
        description = f"{titles}: {texts}" if titles and texts else titles or texts
        specs.append(FileSpec(f.path, f.name, f.format or "data", f.sha256, description))
    return specs


def package_to_dataset_spec(
    package_dir: Path,
    *,
    name_prefix: str = "",
    organization: OrganizationSpec | None = None,
) -> DatasetSpec:
    """The CKAN dataset for the package in ``package_dir``.

    ``name_prefix`` is prepended to the dataset name (e.g. to publish test copies);
    ``organization`` replaces the one derived from the issuer (e.g. an existing organization).
    Raises :class:`BlockedPackageError`, :class:`PackageIntegrityError`, or
    ``PackageReadError`` for a folder that is not a readable package.
    """
    package = load_package(Path(package_dir))
    if package.quality_status == "blocked":
        raise BlockedPackageError(
            f"{package.document_id}: quality status is blocked, not published to CKAN"
        )
    altered = package.hash_mismatches()
    if altered:
        raise PackageIntegrityError(
            f"{package.document_id}: {', '.join(altered)} do not match the sha256 in "
            "datapackage.json; regenerate the package before publishing"
        )
    title_zh, title_en = str(package.get("title_zh")), str(package.get("title"))
    return DatasetSpec(
        organization=organization or organization_for(package),
        name=dataset_name(package.document_id, name_prefix),
        title=f"{title_zh} / {title_en}" if title_zh and title_en else title_zh or title_en,
        notes=_notes(package),
        tags=_tags(package),
        extras=_extras(package),
        files=_files(package),
        license_id=data_licence_id(),
    )


def data_licence_id() -> str:
    """The CKAN licence id of the data (schemas/catalogue.yaml), the one ckanext-dcat maps the
    catalogue's DCAT licence to, so that publishing and harvesting agree."""
    from yusuan.catalogue.settings import catalogue_schema

    return str(catalogue_schema()["licences"]["data"]["ckan_id"])


def publish_package(client: CkanClient, package_dir: Path, **options: Any) -> PublishResult:
    """``publish_dataset(client, package_to_dataset_spec(package_dir, **options))``."""
    return publish_dataset(client, package_to_dataset_spec(package_dir, **options))


# ---------------------------------------------------------------------------------------------
# Settings: URL and token from the environment or a config file, never from the command line


@dataclass(frozen=True)
class CkanSettings:
    """Where to publish. ``token`` is left out of ``repr`` (and so of logs, tracebacks with
    locals and Prefect parameters that show it); ``source`` names where it came from."""

    url: str
    token: str | None = field(default=None, repr=False)
    source: str = ""  # where the token came from (for messages; never the token itself)

    def client(self, **kwargs: Any) -> CkanClient:
        return CkanClient(self.url, self.token, **kwargs)


def default_config_path(environ: Mapping[str, str] = os.environ) -> Path:
    if environ.get("YUSUAN_CKAN_CONFIG"):
        return Path(environ["YUSUAN_CKAN_CONFIG"])
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "yusuan" / "ckan.toml"


def _private(path: Path) -> None:
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise CkanConfigError(
            f"{path} holds a CKAN token but others can read it: run `chmod 600 {path}`"
        )


def ckan_settings(
    url: str | None = None,
    config: Path | None = None,
    environ: Mapping[str, str] = os.environ,
) -> CkanSettings:
    """Where to publish and with which token.

    URL: ``url``, else ``YUSUAN_CKAN_URL``, else ``url`` in the config file. Token:
    ``YUSUAN_CKAN_TOKEN``, else ``token`` or ``token_file`` in the config file. The config
    file is ``config``, else ``YUSUAN_CKAN_CONFIG``, else ``~/.config/yusuan/ckan.toml``::

        [ckan]
        url = "https://catalogue.example.org"
        token = "..."            # or: token_file = "/run/secrets/ckan-token"

    A file holding a token must not be readable by group or others.
    """
    path = Path(config) if config else default_config_path(environ)
    section: dict[str, Any] = {}
    if path.is_file():
        section = read_section(path, "ckan", CkanConfigError)
    elif config:
        raise CkanConfigError(f"CKAN config file not found: {path}")
    url = url or environ.get("YUSUAN_CKAN_URL") or section.get("url")
    if not url:
        raise CkanConfigError(
            f"no CKAN URL: set YUSUAN_CKAN_URL or url in [ckan] of {path}"
        )
    token, source = environ.get("YUSUAN_CKAN_TOKEN") or None, "YUSUAN_CKAN_TOKEN"
    if token is None and section.get("token"):
        _private(path)
        token, source = str(section["token"]), str(path)
    elif token is None and section.get("token_file"):
        token_path = Path(str(section["token_file"])).expanduser()
        try:
            _private(token_path)
            token, source = token_path.read_text(encoding="utf-8"), str(token_path)
        except (OSError, UnicodeDecodeError) as exc:
            # OSError and UnicodeDecodeError texts name the file and the error, not its bytes.
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise CkanConfigError(
                f"cannot read the CKAN token file {token_path}: {reason}"
            ) from None
    if token is None:
        return CkanSettings(url=str(url), token=None, source="")
    try:
        token = check_token(token, f"the CKAN token from {source}")
    except CkanTokenError as exc:  # its message names the source, never the token
        raise CkanConfigError(str(exc)) from None
    return CkanSettings(url=str(url), token=token, source=source)
