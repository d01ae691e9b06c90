"""The machine side of the catalogue: paged DCAT, per-dataset zips, the licence page.

Written for the datasets that changed only (see :mod:`yusuan.catalogue.build`): a dataset's
DCAT document and zip are made when its package is new or changed, and a DCAT page when one
of its datasets changed; the rest stay as the previous build wrote them. The catalogue
record ``dcat.jsonld`` and ``licence.html`` are small and written every time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yusuan.catalogue import dcat
from yusuan.catalogue.downloads import package_zip
from yusuan.catalogue.index import PackageInfo
from yusuan.catalogue.links import Links
from yusuan.catalogue.settings import CatalogueSettings, catalogue_schema
from yusuan.catalogue.state import BuildState

DATASET_DOCS = "dcat/datasets"
PAGES = "dcat/pages"
DOWNLOADS = "downloads"


@dataclass(frozen=True)
class DatasetLinks:
    """The links a dataset page shows besides its files: paths relative to the output folder
    (the page prints them with ``url()``), the sources and the code-list licence absolute."""

    zip: str
    dcat: str
    sources: list[str]
    licence: str
    licence_codelists: str


def page_links(package: PackageInfo) -> DatasetLinks:
    """For the dataset page: the zip, the dataset's DCAT, the original publication(s) and the
    licences."""
    doc_id = package.document_id
    licences = catalogue_schema()["licences"]
    return DatasetLinks(
        zip=f"catalogue/{DOWNLOADS}/{doc_id}.zip",
        dcat=f"catalogue/{DATASET_DOCS}/{doc_id}.jsonld",
        sources=dcat.source_urls(package),
        licence=f"catalogue/licence.html#{licences['data'].get('page_anchor', 'data')}",
        licence_codelists=str(licences["codelists"]["url"]),
    )


def assign_pages(ids: list[str], state: BuildState, page_size: int, repack: bool) -> dict[str, int]:
    """Page of every dataset: kept from the previous build; new ones fill the last page and
    then open new ones. ``repack``: number them afresh in id order (a full rebuild)."""
    if repack:
        return {doc_id: i // page_size + 1 for i, doc_id in enumerate(sorted(ids))}
    pages = {i: state.datasets[i].page for i in ids if i in state.datasets and state.datasets[i].page > 0}
    counts: dict[int, int] = {}
    for page in pages.values():
        counts[page] = counts.get(page, 0) + 1
    last = max(counts, default=1)
    for doc_id in sorted(i for i in ids if i not in pages):
        if counts.get(last, 0) >= page_size:
            last += 1
        pages[doc_id] = last
        counts[last] = counts.get(last, 0) + 1
    return pages


def _write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def _read_node(target: Path, doc_id: str) -> dict[str, Any]:
    doc = json.loads((target / DATASET_DOCS / f"{doc_id}.jsonld").read_text(encoding="utf-8"))
    return doc["@graph"][0]


def write_harvest(
    staging: Path,
    target: Path,
    changed: dict[str, PackageInfo],
    state: BuildState,
    previous: BuildState,
    settings: CatalogueSettings,
    repack: bool,
) -> None:
    """Write into ``staging`` what changed (``target`` is the previous catalogue, read for
    the unchanged datasets' DCAT nodes). ``state`` holds the new dates and pages of every
    dataset; ``previous`` the previous build's."""
    links = Links(settings.base_url, "dcat/datasets/")
    nodes: dict[str, dict[str, Any]] = {}
    for doc_id, package in changed.items():
        record = state.datasets[doc_id]
        dates = dcat.Dates(record.issued, record.modified)
        zip_path = staging / DOWNLOADS / f"{doc_id}.zip"
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        size, sha = package_zip(package, zip_path)
        extra = [dcat.zip_distribution(package, links, dates, size, sha)]
        node = dcat.dataset(package, links, dates, settings, extra)
        nodes[doc_id] = node
        _write(staging / DATASET_DOCS / f"{doc_id}.jsonld", dcat.dumps(dcat.dataset_document(node, links)))

    ids = sorted(state.datasets)
    pages = max((d.page for d in state.datasets.values()), default=0)
    before = max((d.page for d in previous.datasets.values()), default=0)
    touched = {state.datasets[i].page for i in changed}
    touched |= {d.page for i, d in previous.datasets.items() if i not in state.datasets}
    if pages != before:
        touched |= {before, pages}
    if repack:
        touched = set(range(1, pages + 1))
    members: dict[int, list[str]] = {}
    for doc_id in ids:
        members.setdefault(state.datasets[doc_id].page, []).append(doc_id)
    for number in sorted(p for p in touched if 1 <= p <= pages):
        page_nodes = [nodes.get(i) or _read_node(target, i) for i in members.get(number, [])]
        _write(staging / PAGES / f"{number}.jsonld", dcat.dumps(dcat.page_document(settings, number, pages, page_nodes)))

    dates = dcat.Dates(state.issued, state.modified) if state.issued else None
    record = dcat.record_document(settings, dates, ids, pages)
    _write(staging / "dcat.jsonld", dcat.dumps(record))


def stale_files(target: Path, removed: list[str], pages: int) -> list[Path]:
    """Files of the previous catalogue that no longer belong to it."""
    out = []
    for doc_id in removed:
        out += [
            target / "datasets" / f"{doc_id}.html",
            target / DATASET_DOCS / f"{doc_id}.jsonld",
            target / DOWNLOADS / f"{doc_id}.zip",
        ]
    folder = target / PAGES
    if folder.is_dir():
        out += [p for p in folder.glob("*.jsonld") if not p.stem.isdigit() or int(p.stem) > pages]
    return [p for p in out if p.exists()]
