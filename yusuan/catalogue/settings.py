"""The catalogue's settings: base URL, contact point, publisher, licences, DCAT page size.

Defaults come from ``schemas/catalogue.yaml``; an installation overrides them in a config
file (``[catalogue]`` of ``$YUSUAN_CATALOGUE_CONFIG``, else
``$XDG_CONFIG_HOME/yusuan/catalogue.toml``, else ``~/.config/yusuan/catalogue.toml``)::

    [catalogue]
    base_url = "https://data.example.org/yusuan/"   # where the output folder is served
    contact_name = "Open data team"
    contact_email = "opendata@example.org"
    contact_url = "https://example.org/contact"
    publisher_name = "Example open data portal"
    publisher_url = "https://example.org/"

``base_url`` is also ``YUSUAN_BASE_URL`` and, first of all, ``--base-url`` (``yusuan run``,
``yusuan catalogue``, ``python -m yusuan.flows``, the flow's ``base_url`` parameter). Without a base
URL every link is relative, so a catalogue opened from disk (file://) still works; with one,
every URI in DCAT, pages and index is absolute, which harvesters need (they resolve relative
IRIs against their own machine).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from yusuan.catalogue.config_file import read_section
from yusuan.catalogue.index import CatalogueError
from yusuan.core.schema_files import SAFE_LOADER, schemas_dir


class CatalogueConfigError(CatalogueError):
    """The catalogue config file or a setting (such as the base URL) cannot be used."""


@cache
def catalogue_schema() -> dict[str, Any]:
    """``schemas/catalogue.yaml`` (titles, licences, contact defaults)."""
    path = schemas_dir() / "catalogue.yaml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueConfigError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("licences"), dict):
        raise CatalogueConfigError(f"{path}: no licences section")
    return data


def normalise_base_url(url: str | None) -> str | None:
    """``https://host/path/`` (always one trailing slash) or None; anything that is not an
    absolute http(s) URL is refused, since a harvester could not resolve it either."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CatalogueConfigError(f"base URL {url!r} is not an absolute http(s) URL")
    if parts.query or parts.fragment:
        raise CatalogueConfigError(f"base URL {url!r} must not have a query or fragment")
    return url.rstrip("/") + "/"


@dataclass(frozen=True)
class CatalogueSettings:
    """Everything about the catalogue that is not in the packages themselves."""

    base_url: str | None = None
    contact_name: str = ""
    contact_email: str = ""
    contact_url: str = ""
    publisher_name: str = ""
    publisher_url: str = ""
    page_size: int = 100

    def key(self) -> str:
        """What the rendered files depend on: a change rewrites every dataset."""
        return repr(self)


def default_config_path(environ: Mapping[str, str] = os.environ) -> Path:
    if environ.get("YUSUAN_CATALOGUE_CONFIG"):
        return Path(environ["YUSUAN_CATALOGUE_CONFIG"])
    base = Path(environ["XDG_CONFIG_HOME"]) if environ.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return base / "yusuan" / "catalogue.toml"


def _config_section(path: Path, required: bool) -> dict[str, Any]:
    if not path.is_file():
        if required:
            raise CatalogueConfigError(f"catalogue config file not found: {path}")
        return {}
    section = read_section(path, "catalogue", CatalogueConfigError)
    known = set(CatalogueSettings.__dataclass_fields__)
    unknown = sorted(set(section) - known)
    if unknown:
        raise CatalogueConfigError(f"{path}: unknown setting(s) {unknown} (known: {sorted(known)})")
    return section


def catalogue_settings(
    base_url: str | None = None,
    config: Path | None = None,
    environ: Mapping[str, str] = os.environ,
) -> CatalogueSettings:
    """Settings from, in this order: the arguments, ``YUSUAN_BASE_URL``, the config file,
    ``schemas/catalogue.yaml``. A config file named explicitly must exist."""
    schema = catalogue_schema()
    contact = schema.get("contact") or {}
    publisher = schema.get("publisher") or {}
    explicit = config or environ.get("YUSUAN_CATALOGUE_CONFIG")
    section = _config_section(Path(config) if config else default_config_path(environ), bool(explicit))
    values: dict[str, Any] = {
        "contact_name": str(contact.get("name", "")),
        "contact_email": str(contact.get("email", "")),
        "contact_url": str(contact.get("url", "")),
        "publisher_name": str(publisher.get("name", "")),
        "publisher_url": str(publisher.get("url", "")),
        "page_size": int(schema.get("page_size", 100)),
    }
    values.update(section)
    url = base_url or environ.get("YUSUAN_BASE_URL") or section.get("base_url")
    values["base_url"] = normalise_base_url(url)
    if not isinstance(values["page_size"], int) or values["page_size"] < 1:
        raise CatalogueConfigError(f"page_size must be a positive integer, not {values['page_size']!r}")
    return CatalogueSettings(**values)
