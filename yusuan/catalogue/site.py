"""A static, browsable catalogue of the packages of an output folder.

``build_catalogue(output)`` writes ``output/catalogue/``:

* ``index.html``: every dataset, filterable by year, region, issuer, kind and quality status
  (a small script in ``static/``; no network, works opened from disk);
* ``datasets/<document_id>.html``: metadata, downloads, charts (inline SVG, a wide and a phone
  drawing), failed checks, in Chinese with English alongside;
* ``dictionary.html``: the data dictionary, one page linked from every dataset;
* ``cards/<n>.js``: the index's cards in shards (compact; the index page loads every shard
  and shows the cards a page at a time), ``index/<n>.json``, ``index/<n>.csv``, and the
  small ``index.json`` that lists them, ``index.csv`` (:mod:`yusuan.catalogue.shards`);
  the machine side (paged DCAT-AP, zips, the bulk archive, ``licence.html``) is
  :mod:`yusuan.catalogue.harvest`; what the next build needs to re-render only changed
  datasets is in the build state (:mod:`yusuan.catalogue.state_db`).

Every URL is built by ``links.url_for``: relative without a base URL, so the folder works
from file:// and from any web server that serves the output folder; absolute under it. The
build is incremental (:mod:`yusuan.catalogue.build`): pages are written to a staging folder
and moved into place file by file, only changed datasets are re-rendered, and a rerun over
unchanged packages gives the same bytes.
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from yusuan import __version__
from yusuan.catalogue.cards import card, kind_en
from yusuan.catalogue.figures import Chart, package_charts, read_csv
from yusuan.catalogue.harvest import page_links
from yusuan.catalogue.incremental import package_key
from yusuan.catalogue.index import (
    PackageFile,
    PackageInfo,
    Skipped,
)
from yusuan.catalogue.links import page_url
from yusuan.catalogue.shards import shard_files, write_shard, write_top_index
from yusuan.catalogue.state import summary_of
from yusuan.catalogue.state_db import Entry
from yusuan.catalogue.svg import bar_chart, narrow_bar_chart, share, wan
from yusuan.core.errors import SchemaError
from yusuan.core.names import issuer_english, region_english
from yusuan.core.schemas import check_rules

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)
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


_BACKTICKS = re.compile(r"`([^`\n]+)`")


def inline_code(text: object) -> Markup:
    """Text with Markdown `code` spans shown as <code> instead of literal backticks (the rest
    escaped), for descriptions written in Markdown style (package.yaml, checks.yaml)."""
    escaped = str(escape(str(text)))
    return Markup(_BACKTICKS.sub(r"<code>\1</code>", escaped))


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
    env.filters.update(wan=wan, share=share, size=file_size, url=lambda s: quote(str(s), safe=""), md=inline_code)
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
        "svg_narrow": Markup(narrow_bar_chart(chart)) if chart.drawable else None,
        "whole": whole,
    }


def check_note(package: PackageInfo) -> dict[str, Any]:
    """What the failed checks are, so that a "passed" badge is never next to a bare
    "8 failed": failed checks of severity info are rounding notes, which do not change the
    quality status, and the status line says so."""
    cs = package.checks
    failed = _count(cs.get("checks_failed"))
    errors, warnings, notes = (_count(cs.get(k)) for k in ("checks_errors", "checks_warnings", "checks_notes"))
    return {
        "failed": failed,
        "errors": errors,
        "warnings": warnings,
        "notes": notes,
        "only_notes": failed > 0 and failed == notes,
        # a package written before the summary counted severities: no breakdown is invented
        "split": failed > 0 and errors + warnings + notes == failed,
    }


def _count(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


TOP_DOWNLOADS = ("amounts", "source_tables", "checks")


def top_downloads(package: PackageInfo) -> list[PackageFile]:
    """The few files most people want, shown under the title: the descriptor and the CSVs of
    the main resources (the full list stays further down)."""
    wanted = [package.files[0]]
    for name in TOP_DOWNLOADS:
        wanted += [f for f in package.files if f.resource == name and f.role == "csv"]
    return wanted + [f for f in package.files if f.role == "quality_report"]


def dataset_context(
    package: PackageInfo, charts: list[Chart] | None = None, base_url: str | None = None
) -> dict[str, Any]:
    page = f"catalogue/{package.page_name()}"
    url = page_url(page, base_url)
    folder = package.folder.name
    issuer, region = str(package.get("issuer")), str(package.get("region"))
    return {
        "url": url,
        "p": package,
        "d": package.descriptor,
        "kind_en": kind_en(package),
        "actual": "决算" in str(package.get("kind")),
        "issuer_en": issuer_english(issuer),
        "region_en": region_english(region),
        "note": check_note(package),
        "file_url": lambda name: url(f"{folder}/{name}"),
        "downloads": downloads(package),
        "top_downloads": top_downloads(package),
        "reports": [f for f in package.files if f.role == "quality_report"],
        "descriptor": package.files[0],
        "mismatches": package.hash_mismatches(),
        "checks": failed_checks(package),
        "checks_file": (package.resource("checks") or {}).get("path"),
        "charts": [chart_context(c) for c in (package_charts(package) if charts is None else charts)],
        "resources": [r for r in package.get("resources", []) if isinstance(r, dict)],
        "harvest": page_links(package),
    }


def dictionary_resources(packages: list[PackageInfo]) -> list[dict[str, Any]]:
    """Every resource the packages publish, once, as the first package (by id) describes it;
    resources only some packages have are listed too."""
    seen: dict[str, dict[str, Any]] = {}
    for package in packages:
        if seen and set(package.resource_names()) <= set(seen):
            continue  # nothing new: its descriptor need not be read (incremental builds)
        for r in package.get("resources", []):
            if isinstance(r, dict) and r.get("name") and r["name"] not in seen:
                seen[str(r["name"])] = r
    return list(seen.values())


FILTERS = (
    ("fiscal_year", "年度", "Year"),
    ("region", "地区", "Region"),
    ("issuer", "发布单位", "Issuer"),
    ("kind", "类型", "Kind"),
    ("quality_status", "质量状态", "Quality"),
)


def index_context(
    counts: dict[int, int], shards: int, skipped: list[Skipped], base_url: str | None = None
) -> dict[str, Any]:
    """``counts``: packages per non-empty listing shard; the page loads each shard's cards."""
    url = page_url("catalogue/index.html", base_url)
    scripts = [shard_files(n, shards)[0] for n in sorted(counts)]
    return {
        "url": url, "count": sum(counts.values()), "skipped": skipped, "filters": FILTERS, "card_scripts": scripts,
    }


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass
class SiteResult:
    """What :func:`write_site` did: ids rendered and copied, and the state entries to keep for
    the datasets it rendered or copied (the others' entries are unchanged)."""

    rendered: list[str]
    reused: list[str]
    entries: dict[str, Entry]


def write_site(
    shard_packages: dict[int, list[PackageInfo]],
    counts: dict[int, int],
    shards: int,
    packages: list[PackageInfo],
    skipped: list[Skipped],
    folder: Path,
    base_url: str | None = None,
    previous: Path | None = None,
    old_entries: dict[str, Entry] | None = None,
    only: set[str] | None = None,
) -> SiteResult:
    """Write the catalogue's pages and the listing shards it must rewrite into ``folder`` (an
    empty staging folder).

    ``shard_packages``: the listing shards to write, each with its packages in id order;
    ``counts``: packages per non-empty shard (all of them, for the index page and
    ``index.json``); ``packages``: the packages the data dictionary is made from, in id order
    (build._dictionary_packages: each one that brings a resource no earlier package has).
    ``old_entries``: the previous build's state entries of the packages in ``shard_packages``.
    A package of those shards whose id is not in ``only`` (the document ids that changed
    since the previous build) keeps its card and its page stays where it is in ``previous``;
    a changed one whose page key (see incremental.py) is unchanged gets its previous page
    copied; the others are rendered."""
    env = environment()
    old_entries = old_entries or {}
    shutil.copytree(HERE / "static", folder / "static")
    (folder / "datasets").mkdir()
    page = env.get_template("dataset.html")
    result = SiteResult([], [], {})
    for number, members in sorted(shard_packages.items()):
        cards: list[dict[str, Any]] = []
        for package in members:
            doc_id = package.document_id
            entry = old_entries.get(doc_id)
            if (
                only is not None
                and doc_id not in only
                and previous is not None
                and entry is not None
                and (previous / package.page_name()).is_file()
            ):
                cards.append(entry.card)
                continue
            key = package_key(package, base_url)
            target = folder / package.page_name()
            previous_page = previous / package.page_name() if previous else None
            if entry is not None and entry.page_key == key and previous_page is not None and previous_page.is_file():
                shutil.copyfile(previous_page, target)
                result.reused.append(doc_id)
                entry_card = entry.card
            else:
                charts = package_charts(package)
                target.write_text(page.render(**dataset_context(package, charts, base_url)), encoding="utf-8")
                result.rendered.append(doc_id)
                entry_card = card(package, charts)
            summary = getattr(package, "summary", None)
            result.entries[doc_id] = Entry(summary if summary else summary_of(package.descriptor), key, entry_card)
            cards.append(entry_card)
        write_shard(folder, number, shards, members, cards)
    html = env.get_template("index.html").render(**index_context(counts, shards, skipped, base_url))
    (folder / "index.html").write_text(html, encoding="utf-8")
    dictionary = env.get_template("dictionary.html").render(
        url=page_url("catalogue/dictionary.html", base_url), resources=dictionary_resources(packages)
    )
    (folder / "dictionary.html").write_text(dictionary, encoding="utf-8")
    write_top_index(folder, previous, counts, shards, skipped)
    kept = sum(counts.values()) - len(result.rendered)
    log.info("catalogue: %d dataset pages rendered, %d unchanged and copied", len(result.rendered), kept)
    return result


def write_licence_page(folder: Path, base_url: str | None = None) -> None:
    """``licence.html``: the licences of schemas/catalogue.yaml, whose anchors are the
    licence URIs of the DCAT (``licence.html#data``)."""
    from yusuan.catalogue.settings import catalogue_schema

    html = environment().get_template("licence.html").render(
        url=page_url("catalogue/licence.html", base_url), licences=catalogue_schema()["licences"]
    )
    (folder / "licence.html").write_text(html, encoding="utf-8")


