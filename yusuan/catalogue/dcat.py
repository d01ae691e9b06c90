"""The catalogue as DCAT-AP in JSON-LD, paged so that 10,000 packages stay small.

* ``dcat.jsonld``: the catalogue record (``dcat:Catalog`` with title, publisher, licence,
  dates, the IRIs of its datasets) and a ``hydra:PartialCollectionView`` pointing at the
  first page, as ckanext-dcat's harvester follows it (``hydra:next``);
* ``dcat/pages/<n>.jsonld``: the full descriptions of up to ``page_size`` datasets;
* ``dcat/datasets/<document_id>.jsonld``: one dataset, for whoever wants just that one.

One ``dcat:Dataset`` per package; one ``dcat:Distribution`` per file (datapackage.json,
every resource's CSV and Parquet, the quality report when there is one, the package zip)
with its IANA media type, EU file type, byte size, ``spdx:checksum`` (sha256), licence and
dates. Texts are language-tagged literals (``zh`` and ``en``). Code-list resources carry the
project's CC BY 4.0 licence, everything else the data licence of ``schemas/catalogue.yaml``.

IRIs come from :class:`~yusuan.catalogue.links.Links`: absolute under ``base_url`` when it
is set (what harvesters need), relative to the document otherwise (a JSON-LD processor
resolves them against the document's location, so file:// works).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote

from yusuan.catalogue.index import DESCRIPTOR, PackageFile, PackageInfo, issuer_id
from yusuan.catalogue.links import Links
from yusuan.catalogue.settings import CatalogueSettings, catalogue_schema
from yusuan.core.schemas import resource_specs

CONTEXT: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dqv": "http://www.w3.org/ns/dqv#",
    "oa": "http://www.w3.org/ns/oa#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcatap": "http://data.europa.eu/r5r/",
}
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGES = [{"@id": f"{EU}language/ZHO"}, {"@id": f"{EU}language/ENG"}]
COUNTRY = {"@id": f"{EU}country/CHN"}
THEMES = [{"@id": f"{EU}data-theme/GOVE"}, {"@id": f"{EU}data-theme/ECON"}]
FILE_TYPES = {"CSV": "CSV", "Parquet": "PARQUET", "JSON": "JSON", "HTML": "HTML"}
IANA = "https://www.iana.org/assignments/media-types/"
PUBLIC = {"@id": f"{EU}access-right/PUBLIC"}
STABLE = {"@id": f"{EU}planned-availability/STABLE"}
ZIP_TYPE = {"@id": f"{EU}file-type/ZIP"}


def text(zh: str, en: str) -> list[dict[str, str]]:
    """A language-tagged pair; an empty side is left out."""
    out = []
    if zh:
        out.append({"@value": zh, "@language": "zh"})
    if en:
        out.append({"@value": en, "@language": "en"})
    return out


def _is_chinese(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)


def _typed(value: Any, datatype: str) -> dict[str, str]:
    return {"@value": str(value), "@type": f"xsd:{datatype}"}




def _date(value: str) -> dict[str, str]:
    return _typed(value, "dateTime")


@dataclass(frozen=True)
class Dates:
    """When a dataset (or the catalogue) first appeared here and when its content last changed."""

    issued: str
    modified: str


def licence_uri(which: str, links: Links) -> str:
    lic = catalogue_schema()["licences"][which]
    return str(lic.get("url") or links.licence(str(lic.get("page_anchor", which))))


def licence_nodes(links: Links) -> list[dict[str, Any]]:
    """Both licence documents, described once in every DCAT document that refers to them
    (distributions name them by IRI: a page of 100 datasets would otherwise repeat them
    some 3,000 times)."""
    return [licence_node("data", links), licence_node("codelists", links)]


def licence_node(which: str, links: Links) -> dict[str, Any]:
    """A ``dct:LicenseDocument`` from ``schemas/catalogue.yaml`` (``data`` or ``codelists``).

    Its English ``dct:title`` is CKAN's title for the licence's CKAN id, which is how
    ckanext-dcat maps a licence it does not know by URI to a CKAN ``license_id``; the
    licence's own name is its ``skos:prefLabel``, what it allows is ``dct:description`` and
    the regulation that makes the data public is ``dct:source`` (the basis, not the licence).
    """
    lic = catalogue_schema()["licences"][which]
    node: dict[str, Any] = {
        "@id": licence_uri(which, links),
        "@type": "dct:LicenseDocument",
        "dct:identifier": str(lic["id"]),
        "dct:title": {"@value": str(lic["ckan_title"]), "@language": "en"},
        "skos:prefLabel": text(lic["title"]["zh"], lic["title"]["en"]),
        "dct:description": text(lic["statement"]["zh"], lic["statement"]["en"]),
    }
    basis = lic.get("basis")
    if isinstance(basis, dict) and basis.get("url"):
        node["dct:source"] = {
            "@id": basis["url"],
            "dct:title": text(basis.get("zh", ""), basis.get("en", "")),
        }
    return node


def contact_point(settings: CatalogueSettings, links: Links) -> dict[str, Any]:
    """A vCard for questions about the catalogue (configurable, see settings)."""
    node: dict[str, Any] = {"@type": "vcard:Organization", "vcard:fn": settings.contact_name or "yusuan"}
    if settings.contact_email:
        node["vcard:hasEmail"] = {"@id": f"mailto:{settings.contact_email}"}
    node["vcard:hasURL"] = {"@id": settings.contact_url or links.catalogue("index.html")}
    return node


def _checksum(sha256: str) -> dict[str, Any]:
    return {
        "@type": "spdx:Checksum",
        "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
        "spdx:checksumValue": _typed(sha256, "hexBinary"),
    }


@cache
def codelist_resources() -> frozenset[str]:
    """Resources that are the project's code lists (``codelist:`` in schemas/resources.yaml)."""
    return frozenset(str(r["name"]) for r in resource_specs() if r.get("codelist"))


def _is_codelist(package: PackageInfo, f: PackageFile) -> bool:
    res = package.resource(f.resource) if f.resource else None
    return bool(f.resource in codelist_resources() or (res and res.get("codelist")))


def _distribution(
    package: PackageInfo, f: PackageFile, links: Links, dates: Dates | None
) -> dict[str, Any]:
    url = {"@id": links.package_file(package.folder.name, f.name)}
    label = f"{f.title_zh}（{f.format}）" if f.title_zh else f.name
    label_en = f"{f.title} ({f.format})" if f.title else f.name
    dist: dict[str, Any] = {
        "@id": f"{links.dataset_page(package.document_id)}#file-{quote(f.name)}",
        "@type": "dcat:Distribution",
        "dct:identifier": f.name,
        "dct:title": text(label, label_en),
        "dct:description": text(f.description_zh or label, f.description or label_en),
        "dcat:downloadURL": url,
        "dcat:accessURL": url,
        "dcat:mediaType": {"@id": IANA + f.media_type},
        "dcat:byteSize": _typed(f.bytes, "nonNegativeInteger"),
        "spdx:checksum": _checksum(f.sha256),
        "dct:license": {"@id": licence_uri("codelists" if _is_codelist(package, f) else "data", links)},
        "dcatap:availability": STABLE,
    }
    # the EU file type where there is one, else the IANA media type (Markdown has none)
    fmt = f"{EU}file-type/{FILE_TYPES[f.format]}" if f.format in FILE_TYPES else IANA + f.media_type
    dist["dct:format"] = {"@id": fmt}
    if dates:
        dist["dct:issued"] = _date(dates.issued)
        dist["dct:modified"] = _date(dates.modified)
    if f.name == DESCRIPTOR and package.get("$schema"):
        dist["dct:conformsTo"] = {"@id": package.get("$schema")}
    return dist


def zip_distribution(package: PackageInfo, links: Links, dates: Dates | None, size: int, sha256: str) -> dict[str, Any]:
    """The whole package folder as one zip (with Excel-friendly CSV copies inside)."""
    url = {"@id": links.dataset_zip(package.document_id)}
    node: dict[str, Any] = {
        "@id": f"{links.dataset_page(package.document_id)}#file-zip",
        "@type": "dcat:Distribution",
        "dct:identifier": f"{package.document_id}.zip",
        "dct:title": text("整个数据包（ZIP）", "The whole package (ZIP)"),
        "dct:description": text(
            "数据包文件夹的全部文件，另附 excel/ 文件夹：带字节顺序标记（BOM）的 UTF-8 CSV，可直接用 Excel 打开。",
            "Every file of the package folder, plus an excel/ folder with the CSV files as UTF-8 "
            "with a byte-order mark, which Excel opens correctly.",
        ),
        "dcat:downloadURL": url,
        "dcat:accessURL": url,
        "dcat:mediaType": {"@id": IANA + "application/zip"},
        "dct:format": ZIP_TYPE,
        "dcat:byteSize": _typed(size, "nonNegativeInteger"),
        "spdx:checksum": _checksum(sha256),
        "dct:license": {"@id": licence_uri("data", links)},
        "dcatap:availability": STABLE,
    }
    if dates:
        node["dct:issued"] = _date(dates.issued)
        node["dct:modified"] = _date(dates.modified)
    return node


def _quality(package: PackageInfo, dataset_id: str) -> dict[str, Any]:
    c = package.checks
    summary = (
        f"checks {c.get('checks_passed', '?')} passed / {c.get('checks_failed', '?')} failed / "
        f"{c.get('checks_not_run', '?')} not run"
    )
    summary_zh = (
        f"校验 通过 {c.get('checks_passed', '?')} 项 / 未通过 {c.get('checks_failed', '?')} 项 / "
        f"未执行 {c.get('checks_not_run', '?')} 项"
    )
    return {
        "@type": "dqv:QualityAnnotation",
        "oa:motivatedBy": {"@id": "dqv:qualityAssessment"},
        "oa:hasTarget": {"@id": dataset_id},
        "oa:hasBody": {
            "@type": "oa:TextualBody",
            "rdf:value": package.quality_status,
            "dct:description": text(summary_zh, summary),
        },
    }


GITHUB_SOURCE = re.compile(r"github:(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{7,40})\s+(?P<path>\S.*)")


def source_url(source: str) -> str | None:
    """The web address of a manifest ``source``: an http(s) URL as it is, and the manifests'
    ``github:OWNER/REPO@COMMIT PATH`` notation (an archived copy in a repository, pinned to
    a commit) as that file's address on GitHub. Anything else (a note such as "seed sample")
    has none."""
    source = source.strip()
    if source.startswith(("http://", "https://")):
        return source
    m = GITHUB_SOURCE.fullmatch(source)
    if m:
        return f"https://github.com/{m['repo']}/blob/{m['commit']}/{quote(m['path'].strip())}"
    return None


def source_urls(package: PackageInfo) -> list[str]:
    """The original publications' web addresses (from the manifest's ``source``), in order,
    each once."""
    urls = [source_url(str(s.get("path", ""))) for s in package.get("sources", []) if isinstance(s, dict)]
    return list(dict.fromkeys(u for u in urls if u))


def _sources(package: PackageInfo) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """(``dct:source`` nodes for sources with a web address, a provenance text per source).

    A source known only as a local file (a manifest entry without a URL) has no IRI a
    harvester could use, so it is named in the provenance statement instead, with its sha256.
    """
    nodes, statements = [], []
    for s in package.get("sources", []):
        if not isinstance(s, dict):
            continue
        where, sha = str(s.get("path", "")), str(s.get("sha256", ""))
        url = source_url(where)
        if url:
            node: dict[str, Any] = {"@id": url, "dct:title": str(s.get("title", ""))}
            if sha:
                node["spdx:checksum"] = _checksum(sha)
            nodes.append(node)
        statements.append(f"{s.get('title', '')} {where} sha256 {sha}".strip())
    return nodes, [{"@value": " · ".join(statements)}] if statements else []


def dataset(
    package: PackageInfo,
    links: Links | None = None,
    dates: Dates | None = None,
    settings: CatalogueSettings | None = None,
    extra_distributions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One package as a ``dcat:Dataset`` node (no ``@context``)."""
    links = links or Links()
    settings = settings or CatalogueSettings()
    dataset_id = links.dataset_uri(package.document_id)
    issuer, region = str(package.get("issuer")), str(package.get("region"))
    period = package.get("fiscalPeriod", {})
    keywords = [k for k in package.get("keywords", []) if isinstance(k, str)]
    node: dict[str, Any] = {
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:identifier": package.document_id,
        "dct:title": text(str(package.get("title_zh")), str(package.get("title"))),
        "dct:description": text(str(package.get("description_zh")), str(package.get("description"))),
        "dcat:keyword": [
            {"@value": k, "@language": "zh" if _is_chinese(k) else "en"} for k in keywords
        ]
        + text(str(package.get("kind")), str(package.get("kind_id")).replace("_", " ")),
        "dcat:theme": THEMES,
        "dct:language": LANGUAGES,
        "dct:publisher": {
            "@id": links.catalogue(f"dcat.jsonld#{issuer_id(issuer, region)}"),
            "@type": "foaf:Agent",
            "foaf:name": {"@value": issuer, "@language": "zh"},
        },
        "dct:spatial": [
            {"@type": "dct:Location", "skos:prefLabel": {"@value": region, "@language": "zh"}},
            COUNTRY,
        ],
        "dct:accessRights": PUBLIC,
        "dcat:contactPoint": contact_point(settings, links),
        "dcat:landingPage": {"@id": links.dataset_page(package.document_id)},
        "owl:versionInfo": str(package.get("version")),
        "dqv:hasQualityAnnotation": _quality(package, dataset_id),
        "dcat:distribution": [_distribution(package, f, links, dates) for f in package.files]
        + list(extra_distributions or []),
    }
    if dates:
        node["dct:issued"] = _date(dates.issued)
        node["dct:modified"] = _date(dates.modified)
    if isinstance(period, dict) and period.get("start") and period.get("end"):
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _typed(period["start"], "date"),
            "dcat:endDate": _typed(period["end"], "date"),
        }
    sources, provenance = _sources(package)
    if sources:
        node["dct:source"] = sources
    if provenance:
        node["dct:provenance"] = {"@type": "dct:ProvenanceStatement", "rdfs:label": provenance}
    pages = source_urls(package)
    if pages:  # the original publication, where a person reads it
        node["foaf:page"] = [{"@id": url} for url in pages]
    return node


def catalogue_node(
    settings: CatalogueSettings, links: Links, dates: Dates | None, dataset_ids: list[str]
) -> dict[str, Any]:
    """The ``dcat:Catalog`` record itself: what it is, who publishes it, its licence and
    dates, and the IRIs of its datasets (their descriptions are on the pages)."""
    schema = catalogue_schema()
    publisher: dict[str, Any] = {"@type": "foaf:Agent", "foaf:name": settings.publisher_name or "yusuan"}
    if settings.publisher_url:
        publisher["foaf:homepage"] = {"@id": settings.publisher_url}
    node: dict[str, Any] = {
        "@id": links.catalogue_uri(),
        "@type": "dcat:Catalog",
        "dct:title": text(schema["title"]["zh"], schema["title"]["en"]),
        "dct:description": text(schema["description"]["zh"], schema["description"]["en"]),
        "dct:publisher": publisher,
        "dct:language": LANGUAGES,
        "dct:spatial": COUNTRY,
        "dct:license": licence_node("codelists", links),
        "dcat:contactPoint": contact_point(settings, links),
        "foaf:homepage": {"@id": links.catalogue("index.html")},
        "dcat:themeTaxonomy": {"@id": f"{EU}data-theme"},
        "dcat:dataset": [{"@id": links.dataset_uri(i)} for i in dataset_ids],
    }
    if dates:
        node["dct:issued"] = _date(dates.issued)
        node["dct:modified"] = _date(dates.modified)
    return node


def record_document(
    settings: CatalogueSettings, dates: Dates | None, dataset_ids: list[str], pages: int
) -> dict[str, Any]:
    """``dcat.jsonld``: the catalogue record plus the paging view (first, last, total)."""
    links = Links(settings.base_url, "")
    graph: list[dict[str, Any]] = [catalogue_node(settings, links, dates, dataset_ids)]
    if pages:
        graph.append(
            {
                "@id": links.catalogue("dcat.jsonld"),
                "@type": "hydra:PartialCollectionView",
                "hydra:first": {"@id": links.dcat_page(1)},
                "hydra:next": {"@id": links.dcat_page(1)},
                "hydra:last": {"@id": links.dcat_page(pages)},
                "hydra:totalItems": _typed(len(dataset_ids), "integer"),
            }
        )
    return {"@context": CONTEXT, "@graph": graph}


def page_document(
    settings: CatalogueSettings, number: int, pages: int, nodes: list[dict[str, Any]]
) -> dict[str, Any]:
    """``dcat/pages/<number>.jsonld``: the full descriptions of one page of datasets, linked
    from the catalogue, and the links to the previous and next pages. Nothing on it depends
    on the other pages' contents, so adding a dataset rewrites only the page it lands on
    (and the previous last page, whose ``hydra:next`` now exists)."""
    links = Links(settings.base_url, "dcat/pages/")
    view: dict[str, Any] = {
        "@id": links.dcat_page(number),
        "@type": "hydra:PartialCollectionView",
        "hydra:first": {"@id": links.dcat_page(1)},
    }
    if number > 1:
        view["hydra:previous"] = {"@id": links.dcat_page(number - 1)}
    if number < pages:
        view["hydra:next"] = {"@id": links.dcat_page(number + 1)}
    catalogue_ref = {
        "@id": links.catalogue_uri(),
        "@type": "dcat:Catalog",
        "dcat:dataset": [{"@id": n["@id"]} for n in nodes],
    }
    return {"@context": CONTEXT, "@graph": [catalogue_ref, view, *licence_nodes(links), *nodes]}


def dataset_document(node: dict[str, Any], links: Links) -> dict[str, Any]:
    """``dcat/datasets/<document_id>.jsonld``: one dataset on its own (first in the graph)."""
    return {"@context": CONTEXT, "@graph": [node, *licence_nodes(links)]}


def dumps(document: dict[str, Any]) -> str:
    """Compact JSON, one line: these documents are for machines, and indentation made a page
    of 100 datasets a third larger."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
