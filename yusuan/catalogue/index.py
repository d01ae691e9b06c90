"""Find the data packages of an output folder and describe them for the catalogue.

Everything here reads the written packages only (``<output>/<document_id>/datapackage.json``
and the files it lists), never the pipeline, so a catalogue can be built from packages
copied from elsewhere. The listing is written as ``catalogue/index.json`` and
``catalogue/index.csv``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from yusuan.core.errors import YusuanError
from yusuan.core.hashing import sha256_of

log = logging.getLogger(__name__)

DESCRIPTOR = "datapackage.json"
QUALITY_REPORTS = ("quality_report.html", "quality_report.md")
CATALOGUE_DIR = "catalogue"
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")

# suffix -> (format name, IANA media type)
FORMATS: dict[str, tuple[str, str]] = {
    ".csv": ("CSV", "text/csv"),
    ".parquet": ("Parquet", "application/vnd.apache.parquet"),
    ".json": ("JSON", "application/json"),
    ".md": ("Markdown", "text/markdown"),
    ".html": ("HTML", "text/html"),
}

INDEX_COLUMNS = (
    "document_id",
    "title_zh",
    "title",
    "fiscal_year",
    "region",
    "issuer",
    "kind",
    "kind_id",
    "quality_status",
    "checks_passed",
    "checks_failed",
    "checks_not_run",
    "path",
    "datapackage",
    "sha256",
    "page",
)


def issuer_id(issuer: str, region: str) -> str:
    """A stable ASCII id for a publishing body, used as its CKAN organization name and in its
    DCAT publisher IRI: ``cn-issuer-`` + the first 12 hex digits of the sha256 of
    ``region|issuer`` (NFKC, whitespace removed). The region is part of the key because short
    issuer names (区财政局, 人大常委会办公厅) recur across regions; no pinyin is involved, so
    the id never depends on a romanisation table."""
    key = "|".join("".join(unicodedata.normalize("NFKC", s).split()) for s in (region, issuer))
    return "cn-issuer-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class PackageFile:
    """One file of a package: the descriptor, a resource's CSV or Parquet, a quality report."""

    name: str  # file name inside the package folder
    path: Path
    role: str  # descriptor | csv | parquet | quality_report
    format: str
    media_type: str
    sha256: str
    bytes: int
    resource: str | None = None  # resource name for csv/parquet
    declared_sha256: str | None = None  # the hash datapackage.json gives for the file
    title: str = ""
    title_zh: str = ""
    description: str = ""
    description_zh: str = ""


@dataclass
class PackageInfo:
    """A written package as the catalogue sees it."""

    folder: Path
    descriptor: dict[str, Any]
    sha256: str  # of datapackage.json
    files: list[PackageFile] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        return str(self.descriptor.get("name") or self.folder.name)

    def get(self, key: str, default: Any = "") -> Any:
        value = self.descriptor.get(key)
        return default if value is None else value

    @property
    def quality_status(self) -> str:
        return str(self.get("quality_status", "unknown"))

    @property
    def checks(self) -> dict[str, Any]:
        summary = self.descriptor.get("check_summary")
        return summary if isinstance(summary, dict) else {}

    def hash_mismatches(self) -> list[str]:
        """Files whose sha256 differs from the hash datapackage.json declares for them."""
        return [
            f.name for f in self.files if f.declared_sha256 and f.declared_sha256 != f.sha256
        ]

    def resource(self, name: str) -> dict[str, Any] | None:
        return next((r for r in self.get("resources", []) if r.get("name") == name), None)

    def resource_names(self) -> list[str]:
        return [str(r["name"]) for r in self.get("resources", []) if isinstance(r, dict) and r.get("name")]

    def resource_path(self, name: str) -> Path | None:
        """The CSV of resource ``name`` if the package has it."""
        res = self.resource(name)
        if not res or not isinstance(res.get("path"), str):
            return None
        path = self.folder / res["path"]
        return path if path.is_file() else None

    def page_name(self) -> str:
        return f"datasets/{self.document_id}.html"

    def index_row(self) -> dict[str, Any]:
        checks = self.checks
        return {
            "document_id": self.document_id,
            "title_zh": self.get("title_zh"),
            "title": self.get("title"),
            "fiscal_year": self.get("fiscal_year"),
            "region": self.get("region"),
            "issuer": self.get("issuer"),
            "kind": self.get("kind"),
            "kind_id": self.get("kind_id"),
            "quality_status": self.quality_status,
            "checks_passed": checks.get("checks_passed", ""),
            "checks_failed": checks.get("checks_failed", ""),
            "checks_not_run": checks.get("checks_not_run", ""),
            "path": f"{self.folder.name}/",
            "datapackage": f"../{self.folder.name}/{DESCRIPTOR}",
            "sha256": self.sha256,
            "page": self.page_name(),
        }


class CatalogueError(YusuanError):
    """The catalogue cannot be built (no output folder, two packages with one id)."""


class PackageReadError(CatalogueError):
    """A folder's datapackage.json cannot be used (unreadable, not JSON, files missing)."""


def _declared(entry: dict[str, Any]) -> str | None:
    value = entry.get("hash")
    if not isinstance(value, str):
        return None
    algorithm, _, digest = value.rpartition(":")
    return digest.lower() if algorithm in ("", "sha256") and digest else None


def _file(
    folder: Path,
    name: str,
    role: str,
    resource: dict[str, Any] | None = None,
    declared: str | None = None,
) -> PackageFile:
    path = folder / name
    if not path.is_file():
        raise PackageReadError(f"{folder.name}: {name} is listed but missing")
    fmt, media = FORMATS.get(path.suffix.lower(), ("", "application/octet-stream"))
    res = resource or {}
    return PackageFile(
        name=name,
        path=path,
        role=role,
        format=fmt,
        media_type=media,
        sha256=sha256_of(path),
        bytes=path.stat().st_size,
        resource=res.get("name"),
        title=str(res.get("title", "")),
        title_zh=str(res.get("title_zh", "")),
        description=str(res.get("description", "")),
        description_zh=str(res.get("description_zh", "")),
        declared_sha256=declared,
    )


def _safe_name(folder: Path, name: Any) -> str:
    """A file name listed by the descriptor, refused if it leaves the package folder."""
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise PackageReadError(f"{folder.name}: unusable resource path {name!r}")
    return name


def load_package(folder: Path) -> PackageInfo:
    """Read ``folder/datapackage.json`` and hash every file it lists (plus quality reports)."""
    descriptor_path = folder / DESCRIPTOR
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PackageReadError(f"{folder.name}: cannot read {DESCRIPTOR}: {exc}") from exc
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PackageReadError(f"{folder.name}: {DESCRIPTOR} has no resources list")
    if not SAFE_ID.fullmatch(str(descriptor.get("name") or folder.name)):
        raise PackageReadError(f"{folder.name}: unusable package name {descriptor.get('name')!r}")
    files = [
        PackageFile(
            name=DESCRIPTOR,
            path=descriptor_path,
            role="descriptor",
            format="JSON",
            media_type="application/json",
            sha256=sha256_of(descriptor_path),
            bytes=descriptor_path.stat().st_size,
            title="Data package descriptor",
            title_zh="数据包描述文件",
            description="Frictionless descriptor: metadata, data dictionary and file checksums of the package.",
            description_zh="Frictionless 描述文件：数据包的元数据、数据字典和文件校验值。",
        )
    ]
    for res in descriptor["resources"]:
        if not isinstance(res, dict):
            raise PackageReadError(f"{folder.name}: a resource is not an object")
        files.append(_file(folder, _safe_name(folder, res.get("path")), "csv", res, _declared(res)))
        parquet = res.get("parquet")
        if isinstance(parquet, dict) and parquet.get("path"):
            name = _safe_name(folder, parquet["path"])
            files.append(_file(folder, name, "parquet", res, _declared(parquet)))
    for name in QUALITY_REPORTS:
        if (folder / name).is_file():
            report = _file(folder, name, "quality_report")
            files.append(replace(report, title="Quality report", title_zh="质量报告"))
    return PackageInfo(folder=folder, descriptor=descriptor, sha256=files[0].sha256, files=files)


@dataclass(frozen=True)
class Skipped:
    folder: str
    error: str


def scan_packages(output_dir: Path) -> tuple[list[PackageInfo], list[Skipped]]:
    """Every ``output_dir/*/datapackage.json`` (hidden folders and the catalogue excluded),
    ordered by document id. Unreadable packages are skipped with a warning and reported."""
    packages: list[PackageInfo] = []
    skipped: list[Skipped] = []
    for descriptor in sorted(Path(output_dir).glob(f"*/{DESCRIPTOR}")):
        folder = descriptor.parent
        if folder.name.startswith(".") or folder.name == CATALOGUE_DIR:
            continue
        try:
            packages.append(load_package(folder))
        except PackageReadError as exc:
            log.warning("catalogue: skipping %s", exc)
            skipped.append(Skipped(folder.name, str(exc)))
    packages.sort(key=lambda p: p.document_id)
    ids = [p.document_id for p in packages]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogueError(f"several packages share the document id(s) {dupes}")
    return packages, skipped


def index_document(packages: list[PackageInfo], skipped: list[Skipped]) -> dict[str, Any]:
    return {
        "packages": [p.index_row() for p in packages],
        "skipped": [{"folder": s.folder, "error": s.error} for s in skipped],
    }


def index_csv(packages: list[PackageInfo]) -> str:
    """The catalogue's index for people, who open it in a spreadsheet: a text cell that a
    spreadsheet would run as a formula gets a leading apostrophe (index.json keeps the value
    as it is; the packages' own CSV and Parquet files are data and are never altered)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INDEX_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for p in packages:
        writer.writerow({k: spreadsheet_safe(v) for k, v in p.index_row().items()})
    return buffer.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: Any) -> Any:
    """A text that starts like a formula (=, +, -, @, tab, CR, or their full-width forms),
    prefixed with an apostrophe so that a spreadsheet shows it as text; numbers are kept."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def write_index(packages: list[PackageInfo], skipped: list[Skipped], folder: Path) -> None:
    """``index.json`` and ``index.csv`` in ``folder`` (the catalogue folder)."""
    text = json.dumps(index_document(packages, skipped), ensure_ascii=False, indent=2)
    (folder / "index.json").write_text(text + "\n", encoding="utf-8")
    (folder / "index.csv").write_text(index_csv(packages), encoding="utf-8")
