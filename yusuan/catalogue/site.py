"""A static, browsable catalogue of the packages of an output folder.

``build_catalogue(output)`` writes ``output/catalogue/``:

* ``index.html``: every dataset, filterable by year, region, issuer, kind and quality status
  (a small script in ``static/``; no network, works opened from disk);
* ``datasets/<document_id>.html``: metadata, charts (inline SVG), downloads, failed checks and
  the data dictionary, in Chinese with English alongside;
* ``dcat.jsonld`` (DCAT-AP), ``index.json`` and ``index.csv``.

Every link is relative, so the folder works from file:// and from any web server that serves
the output folder. The catalogue is written to a temporary folder beside it and moved into
place when complete; the output is byte-for-byte reproducible (no timestamps).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from yusuan import __version__
from yusuan.catalogue.dcat import write_dcat
from yusuan.catalogue.figures import Chart, package_charts, read_csv
from yusuan.catalogue.index import (
    CATALOGUE_DIR,
    CatalogueError,
    PackageFile,
    PackageInfo,
    Skipped,
    scan_packages,
    write_index,
)
from yusuan.catalogue.svg import bar_chart, share, wan
from yusuan.core.atomic import staged_folder
from yusuan.core.errors import SchemaError
from yusuan.core.schemas import check_rules

HERE = Path(__file__).resolve().parent
STATUS = {
    "passed": ("通过", "passed"),
    "warnings": ("有警告", "warnings"),
    "blocked": ("不予发布", "blocked"),
}
CHECK_STATUS = {"failed": ("未通过", "failed"), "not_run": ("未执行", "not run"), "passed": ("通过", "passed")}


def status_label(status: str) -> tuple[str, str]:
    return STATUS.get(status, ("未知", status or "unknown"))


def file_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    size = n / 1024
    for unit in ("KB", "MB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def kind_en(package: PackageInfo) -> str:
    return str(package.get("kind_id")).replace("_", " ")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(wan=wan, share=share, size=file_size, url=lambda s: quote(str(s)))
    env.globals.update(status_label=status_label, version=__version__)
    return env


# ---------------------------------------------------------------------------------------------
# Page contexts


@dataclass
class Download:
    title_zh: str
    title: str
    name: str
    files: list[PackageFile]


def downloads(package: PackageInfo) -> list[Download]:
    out: list[Download] = []
    for f in package.files:
        if f.resource and out and out[-1].name == f.resource:
            out[-1].files.append(f)
        else:
            out.append(Download(f.title_zh, f.title, f.resource or f.name, [f]))
    return out


def failed_checks(package: PackageInfo) -> list[dict[str, Any]]:
    try:
        rules = check_rules()
    except SchemaError:
        rules = {}
    rows = []
    for row in read_csv(package.resource_path("checks")):
        if row.get("status") == "passed":
            continue
        rule = rules.get(row.get("check_id", ""), {})
        status = row.get("status", "")
        status_zh, status_en = CHECK_STATUS.get(status, (status, status.replace("_", " ")))
        rows.append(
            {
                **row,
                "status_zh": status_zh,
                "status_en": status_en,
                "rule_zh": rule.get("description_zh", ""),
                "rule_en": rule.get("description", ""),
            }
        )
    return rows


def chart_context(chart: Chart) -> dict[str, Any]:
    parts = [b.yuan for b in chart.bars if b.yuan is not None and not b.indent]
    whole = chart.total_yuan
    if whole is None and parts:
        whole = sum(parts, Decimal(0))
    return {
        "chart": chart,
        "svg": Markup(bar_chart(chart)) if chart.drawable else None,
        "whole": whole,
    }


def dataset_context(package: PackageInfo) -> dict[str, Any]:
    folder = f"../../{quote(package.folder.name)}/"
    return {
        "root": "../",
        "p": package,
        "d": package.descriptor,
        "kind_en": kind_en(package),
        "files_href": folder,
        "downloads": downloads(package),
        "reports": [f for f in package.files if f.role == "quality_report"],
        "descriptor": package.files[0],
        "mismatches": package.hash_mismatches(),
        "checks": failed_checks(package),
        "checks_file": (package.resource("checks") or {}).get("path"),
        "charts": [chart_context(c) for c in package_charts(package)],
        "resources": [r for r in package.get("resources", []) if isinstance(r, dict)],
    }


def _options(packages: list[PackageInfo], key: str) -> list[tuple[str, int]]:
    values = [str(p.get(key)) for p in packages]
    order = sorted(set(values), reverse=key == "fiscal_year")
    return [(v, values.count(v)) for v in order]


def index_context(packages: list[PackageInfo], skipped: list[Skipped]) -> dict[str, Any]:
    return {
        "root": "",
        "packages": packages,
        "skipped": skipped,
        "kind_en": {p.document_id: kind_en(p) for p in packages},
        "filters": [
            ("fiscal_year", "年度", "Year", _options(packages, "fiscal_year")),
            ("region", "地区", "Region", _options(packages, "region")),
            ("issuer", "发布单位", "Issuer", _options(packages, "issuer")),
            ("kind", "类型", "Kind", _options(packages, "kind")),
            ("quality_status", "质量状态", "Quality", _options(packages, "quality_status")),
        ],
    }


# ---------------------------------------------------------------------------------------------
# Writing


def write_site(
    packages: list[PackageInfo], skipped: list[Skipped], folder: Path, base_url: str | None = None
) -> None:
    """Write the whole catalogue into ``folder`` (an empty staging folder)."""
    env = environment()
    shutil.copytree(HERE / "static", folder / "static")
    (folder / "datasets").mkdir()
    html = env.get_template("index.html").render(**index_context(packages, skipped))
    (folder / "index.html").write_text(html, encoding="utf-8")
    page = env.get_template("dataset.html")
    for package in packages:
        html = page.render(**dataset_context(package))
        (folder / package.page_name()).write_text(html, encoding="utf-8")
    write_dcat(packages, folder, base_url)
    write_index(packages, skipped, folder)


def build_catalogue(output_dir: Path, *, base_url: str | None = None) -> Path:
    """Build ``output_dir/catalogue/`` from every ``output_dir/*/datapackage.json``.

    ``base_url``: where the output folder is published, to make the DCAT download URLs
    absolute (relative to dcat.jsonld otherwise). Returns the catalogue folder.
    """
    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        raise CatalogueError(f"output folder not found: {output_dir}")
    target = output_dir / CATALOGUE_DIR
    if (target / "datapackage.json").exists():
        raise CatalogueError(f"{target} is a data package, not a catalogue: not replacing it")
    from yusuan.core.output_lock import output_lock

    with output_lock(output_dir):
        packages, skipped = scan_packages(output_dir)
        with staged_folder(target) as staging:
            write_site(packages, skipped, staging, base_url)
    return target
