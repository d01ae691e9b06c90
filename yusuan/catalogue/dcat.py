"""The catalogue as DCAT-AP in JSON-LD (``catalogue/dcat.jsonld``).

One ``dcat:Catalog``; one ``dcat:Dataset`` per package; one ``dcat:Distribution`` per file
(datapackage.json, every resource's CSV and Parquet, the quality report when there is one)
with its IANA media type, EU file type, byte size and ``spdx:checksum`` (sha256).
Texts are language-tagged literals (``zh`` and ``en``).

IRIs are relative by default: a JSON-LD processor resolves them against the location of
``dcat.jsonld`` itself, so the download URLs point at the package files whether the
catalogue is opened from disk (file://) or served over HTTP. With ``base_url`` (the URL
under which the output folder is published) they are absolute instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from yusuan import __version__
from yusuan.catalogue.index import DESCRIPTOR, PackageFile, PackageInfo, issuer_id

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
}
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGES = [{"@id": f"{EU}language/ZHO"}, {"@id": f"{EU}language/ENG"}]
COUNTRY = {"@id": f"{EU}country/CHN"}
THEMES = [{"@id": f"{EU}data-theme/GOVE"}, {"@id": f"{EU}data-theme/ECON"}]
FILE_TYPES = {"CSV": "CSV", "Parquet": "PARQUET", "JSON": "JSON", "HTML": "HTML"}
IANA = "https://www.iana.org/assignments/media-types/"


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


def file_url(package: PackageInfo, name: str, base_url: str | None) -> str:
    """Where a package file is, relative to the catalogue folder (or absolute with base_url)."""
    path = f"{quote(package.folder.name)}/{quote(name)}"
    return f"{base_url.rstrip('/')}/{path}" if base_url else f"../{path}"


def _distribution(package: PackageInfo, f: PackageFile, base_url: str | None) -> dict[str, Any]:
    url = {"@id": file_url(package, f.name, base_url)}
    label = f"{f.title_zh}（{f.format}）" if f.title_zh else f.name
    label_en = f"{f.title} ({f.format})" if f.title else f.name
    dist: dict[str, Any] = {
        "@id": f"datasets/{quote(package.document_id)}.html#file-{quote(f.name)}",
        "@type": "dcat:Distribution",
        "dct:identifier": f.name,
        "dct:title": text(label, label_en),
        "dcat:downloadURL": url,
        "dcat:accessURL": url,
        "dcat:mediaType": {"@id": IANA + f.media_type},
        "dcat:byteSize": _typed(f.bytes, "nonNegativeInteger"),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": _typed(f.sha256, "hexBinary"),
        },
    }
    if f.description or f.description_zh:
        dist["dct:description"] = text(f.description_zh, f.description)
    if f.format in FILE_TYPES:
        dist["dct:format"] = {"@id": f"{EU}file-type/{FILE_TYPES[f.format]}"}
    licence = next(iter(package.get("licenses", [])), None)
    if isinstance(licence, dict) and licence.get("path"):
        dist["dct:license"] = {"@id": licence["path"]}
    if f.name == DESCRIPTOR and package.get("$schema"):
        dist["dct:conformsTo"] = {"@id": package.get("$schema")}
    return dist


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


def _sources(package: PackageInfo) -> list[dict[str, Any]]:
    out = []
    for s in package.get("sources", []):
        if not isinstance(s, dict):
            continue
        entry: dict[str, Any] = {"dct:title": s.get("title", ""), "dct:identifier": s.get("path", "")}
        if str(s.get("path", "")).startswith(("http://", "https://")):
            entry["@id"] = s["path"]
        if s.get("sha256"):
            entry["spdx:checksum"] = {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                "spdx:checksumValue": _typed(s["sha256"], "hexBinary"),
            }
        out.append(entry)
    return out


def dataset(package: PackageInfo, base_url: str | None = None) -> dict[str, Any]:
    page = f"datasets/{quote(package.document_id)}.html"
    dataset_id = f"{page}#dataset"
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
            "@id": f"#{issuer_id(issuer, region)}",
            "@type": "foaf:Agent",
            "foaf:name": {"@value": issuer, "@language": "zh"},
        },
        "dct:spatial": [
            {"@type": "dct:Location", "skos:prefLabel": {"@value": region, "@language": "zh"}},
            COUNTRY,
        ],
        "dcat:landingPage": {"@id": page},
        "owl:versionInfo": str(package.get("version")),
        "dqv:hasQualityAnnotation": _quality(package, dataset_id),
        "dcat:distribution": [_distribution(package, f, base_url) for f in package.files],
    }
    if isinstance(period, dict) and period.get("start") and period.get("end"):
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _typed(period["start"], "date"),
            "dcat:endDate": _typed(period["end"], "date"),
        }
    sources = _sources(package)
    if sources:
        node["dct:source"] = sources
    return node


def catalogue(packages: list[PackageInfo], base_url: str | None = None) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@id": "index.html#catalogue",
        "@type": "dcat:Catalog",
        "dct:title": text("预算公开数据目录", "Budget open data catalogue"),
        "dct:description": text(
            "由 yusuan 从政府部门、单位公开的预算、决算文件生成的中英双语开放数据包。",
            "Bilingual open data packages generated by yusuan from the budget and final-account "
            "publications of Chinese government departments and units.",
        ),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": f"yusuan {__version__}"},
        "dct:language": LANGUAGES,
        "foaf:homepage": {"@id": "index.html"},
        "dcat:themeTaxonomy": {"@id": f"{EU}data-theme"},
        "dcat:dataset": [dataset(p, base_url) for p in packages],
    }


def write_dcat(packages: list[PackageInfo], folder: Path, base_url: str | None = None) -> Path:
    path = folder / "dcat.jsonld"
    path.write_text(
        json.dumps(catalogue(packages, base_url), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return path
