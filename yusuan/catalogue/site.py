"""A static, browsable catalogue of the packages of an output folder.

``build_catalogue(output)`` writes ``output/catalogue/``:

* ``index.html``: every dataset, filterable by year, region, issuer, kind and quality status
  (a small script in ``static/``; no network, works opened from disk);
* ``datasets/<document_id>.html``: metadata, charts (inline SVG), downloads, failed checks and
  the data dictionary, in Chinese with English alongside;
* ``index.json`` and ``index.csv``; the machine side (paged DCAT-AP, zips, the bulk
  archive, ``licence.html``) is :mod:`yusuan.catalogue.harvest`.

Links in pages are relative, so the folder works from file:// and from any web server that
serves the output folder. The build is incremental (:mod:`yusuan.catalogue.build`): pages
are written to a staging folder and moved into place, only changed datasets are re-rendered,
and a rerun over unchanged packages gives the same bytes.
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
from yusuan.catalogue.figures import Chart, package_charts, read_csv
from yusuan.catalogue.harvest import page_links
from yusuan.catalogue.index import (
    CATALOGUE_DIR,
    CatalogueError,
    PackageFile,
    PackageInfo,
    Skipped,
    write_index,
)
from yusuan.catalogue.svg import bar_chart, share, wan
from yusuan.errors import SchemaError
from yusuan.schemas import check_rules

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
        "harvest": page_links(package),
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
    packages: list[PackageInfo],
    skipped: list[Skipped],
    folder: Path,
    base_url: str | None = None,
    only: set[str] | None = None,
) -> None:
    """Write the pages and listings into ``folder`` (an empty staging folder); dataset pages
    only for the document ids in ``only`` when given (the others are unchanged)."""
    env = environment()
    shutil.copytree(HERE / "static", folder / "static")
    (folder / "datasets").mkdir()
    html = env.get_template("index.html").render(**index_context(packages, skipped))
    (folder / "index.html").write_text(html, encoding="utf-8")
    page = env.get_template("dataset.html")
    for package in packages:
        if only is not None and package.document_id not in only:
            continue
        html = page.render(**dataset_context(package))
        (folder / package.page_name()).write_text(html, encoding="utf-8")
    write_index(packages, skipped, folder)


def write_licence_page(folder: Path) -> None:
    """``licence.html``: the licences of schemas/catalogue.yaml, whose anchors are the
    licence URIs of the DCAT (``licence.html#data``)."""
    from yusuan.catalogue.settings import catalogue_schema

    html = environment().get_template("licence.html").render(root="", licences=catalogue_schema()["licences"])
    (folder / "licence.html").write_text(html, encoding="utf-8")


def build_catalogue(
    output_dir: Path,
    *,
    base_url: str | None = None,
    config: Path | None = None,
    full: bool = False,
) -> Path:
    """Build or update ``output_dir/catalogue/`` from every ``output_dir/*/datapackage.json``.

    ``base_url``: where the output folder is published, to make every URI of the DCAT
    absolute (relative otherwise); it overrides ``YUSUAN_BASE_URL`` and the config file
    (``config``, see :mod:`yusuan.catalogue.settings`). ``full``: re-read and re-render
    every package instead of only the changed ones. Returns the catalogue folder.
    """
    from yusuan.catalogue.build import build_incremental
    from yusuan.catalogue.settings import catalogue_settings

    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        raise CatalogueError(f"output folder not found: {output_dir}")
    target = output_dir / CATALOGUE_DIR
    if (target / "datapackage.json").exists():
        raise CatalogueError(f"{target} is a data package, not a catalogue: not replacing it")
    from yusuan.output_lock import output_lock

    settings = catalogue_settings(base_url=base_url, config=config)
    with output_lock(output_dir):
        return build_incremental(output_dir, settings, full=full)
