"""The paged DCAT-AP catalogue (dcat.jsonld + dcat/pages/*.jsonld + dcat/datasets/*.jsonld),
read as plain JSON and as RDF."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from variants import BLOCKED, FJ, WARNINGS

from yusuan.catalogue.dcat import dataset as dcat_dataset
from yusuan.catalogue.dcat import source_url
from yusuan.catalogue.index import issuer_id, scan_packages
from yusuan.catalogue.links import Links

SPDX_SHA256 = "spdx:checksumAlgorithm_sha256"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _langs(values: list[dict[str, str]]) -> dict[str, str]:
    return {v["@language"]: v["@value"] for v in values}


PAGE = "dcat/pages/1.jsonld"  # the dataset nodes' IRIs are relative to a page (two folders down)


def _resolve(catalogue: Path, relative: str, document: str = PAGE) -> Path:
    """A relative IRI resolved as a JSON-LD processor would, against the file holding it."""
    url = urljoin((catalogue / document).as_uri(), relative)
    return Path(unquote(urlsplit(url).path))


@pytest.fixture(scope="module")
def record(catalogue: Path) -> dict:
    return json.loads((catalogue / "dcat.jsonld").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dcat(catalogue: Path) -> dict:
    """The catalogue record with every page's dataset nodes under ``dcat:dataset``."""
    record = json.loads((catalogue / "dcat.jsonld").read_text(encoding="utf-8"))
    catalogue_node = dict(record["@graph"][0])
    nodes = []
    for page in sorted((catalogue / "dcat" / "pages").glob("*.jsonld")):
        doc = json.loads(page.read_text(encoding="utf-8"))
        nodes += [n for n in doc["@graph"] if n.get("@type") == "dcat:Dataset"]
    return {"@context": record["@context"], **catalogue_node, "dcat:dataset": nodes}


def _datasets(dcat: dict) -> dict[str, dict]:
    return {d["dct:identifier"]: d for d in dcat["dcat:dataset"]}


def test_catalogue_node(dcat: dict, record: dict):
    assert record["@graph"][0]["@type"] == "dcat:Catalog"
    ctx = dcat["@context"]
    assert ctx["dcat"] == "http://www.w3.org/ns/dcat#"
    assert ctx["dct"] == "http://purl.org/dc/terms/"
    assert ctx["spdx"] == "http://spdx.org/rdf/terms#"
    assert dcat["@type"] == "dcat:Catalog"
    assert set(_langs(dcat["dct:title"])) == {"zh", "en"}
    assert set(_langs(dcat["dct:description"])) == {"zh", "en"}


def test_one_dataset_per_package_with_bilingual_metadata(dcat: dict, catalogue: Path, package_ids):
    datasets = _datasets(dcat)
    assert sorted(datasets) == package_ids
    for document_id, ds in datasets.items():
        descriptor = json.loads((catalogue.parent / document_id / "datapackage.json").read_text(encoding="utf-8"))
        assert ds["@type"] == "dcat:Dataset"
        assert _langs(ds["dct:title"]) == {"zh": descriptor["title_zh"], "en": descriptor["title"]}
        assert _langs(ds["dct:description"]) == {"zh": descriptor["description_zh"], "en": descriptor["description"]}
        period = ds["dct:temporal"]
        assert period["@type"] == "dct:PeriodOfTime"
        assert period["dcat:startDate"] == {"@value": descriptor["fiscalPeriod"]["start"], "@type": "xsd:date"}
        assert period["dcat:endDate"] == {"@value": descriptor["fiscalPeriod"]["end"], "@type": "xsd:date"}
        assert period["dcat:startDate"]["@value"].startswith(str(descriptor["fiscal_year"]))
        location = ds["dct:spatial"][0]
        assert location["skos:prefLabel"] == {"@value": descriptor["region"], "@language": "zh"}
        publisher = ds["dct:publisher"]
        assert publisher["foaf:name"] == {"@value": descriptor["issuer"], "@language": "zh"}
        assert publisher["@id"] == "../../dcat.jsonld#" + issuer_id(descriptor["issuer"], descriptor["region"])
        assert _resolve(catalogue, ds["dcat:landingPage"]["@id"]).is_file()
        assert ds["@id"] == ds["dcat:landingPage"]["@id"] + "#dataset"
        keywords = ds["dcat:keyword"]
        assert {k["@language"] for k in keywords} == {"zh", "en"}
        assert {"@value": descriptor["kind"], "@language": "zh"} in keywords
        body = ds["dqv:hasQualityAnnotation"]["oa:hasBody"]
        assert body["rdf:value"] == descriptor["quality_status"]
        web = [source_url(s["path"]) for s in descriptor["sources"] if source_url(s["path"])]
        assert [s["@id"] for s in ds.get("dct:source", [])] == web
        assert [p["@id"] for p in ds.get("foaf:page", [])] == list(dict.fromkeys(web))
        provenance = ds["dct:provenance"]["rdfs:label"][0]["@value"]
        assert all(s["sha256"] in provenance for s in descriptor["sources"])


def test_a_distribution_per_file_with_checksum_and_media_type(dcat: dict, catalogue: Path):
    for document_id, ds in _datasets(dcat).items():
        folder = catalogue.parent / document_id
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        expected = {"datapackage.json"}
        for res in descriptor["resources"]:
            expected |= {res["path"], res["parquet"]["path"]}
        expected |= {p.name for p in folder.glob("quality_report.*")}
        seen = set()
        zips = [d for d in ds["dcat:distribution"] if d["dct:identifier"] == f"{document_id}.zip"]
        assert len(zips) == 1
        assert _resolve(catalogue, zips[0]["dcat:downloadURL"]["@id"]) == catalogue / "downloads" / f"{document_id}.zip"
        for dist in ds["dcat:distribution"]:
            if dist in zips:
                continue
            assert dist["@type"] == "dcat:Distribution"
            path = _resolve(catalogue, dist["dcat:downloadURL"]["@id"])
            assert path.parent == folder and path.is_file()
            assert dist["dcat:accessURL"] == dist["dcat:downloadURL"]
            page, _, anchor = dist["@id"].partition("#")  # the IRI is an anchor of the page
            assert f'id="{anchor}"' in _resolve(catalogue, page).read_text(encoding="utf-8")
            checksum = dist["spdx:checksum"]
            assert checksum["@type"] == "spdx:Checksum"
            assert checksum["spdx:algorithm"] == {"@id": SPDX_SHA256}
            assert checksum["spdx:checksumValue"] == {"@value": _sha(path), "@type": "xsd:hexBinary"}
            assert dist["dcat:byteSize"]["@value"] == str(path.stat().st_size)
            media = dist["dcat:mediaType"]["@id"]
            assert media.startswith("https://www.iana.org/assignments/media-types/")
            suffix = {".csv": "text/csv", ".parquet": "application/vnd.apache.parquet",
                      ".json": "application/json", ".md": "text/markdown"}[path.suffix]
            assert media.endswith("/" + suffix)
            assert set(_langs(dist["dct:title"])) <= {"zh", "en"}
            seen.add(path.name)
        assert seen == expected, document_id
    warn = _datasets(dcat)[WARNINGS]
    assert any(d["dct:identifier"] == "quality_report.md" for d in warn["dcat:distribution"])


def test_quality_of_variants(dcat: dict):
    datasets = _datasets(dcat)
    assert datasets[WARNINGS]["dqv:hasQualityAnnotation"]["oa:hasBody"]["rdf:value"] == "warnings"
    assert datasets[BLOCKED]["dqv:hasQualityAnnotation"]["oa:hasBody"]["rdf:value"] == "blocked"


def test_base_url_makes_every_uri_absolute(package_output: Path):
    packages, _ = scan_packages(package_output)
    fj = next(p for p in packages if p.document_id == FJ)
    ds = dcat_dataset(fj, Links("https://data.example.org/yusuan/", "dcat/datasets/"))
    urls = {d["dcat:downloadURL"]["@id"] for d in ds["dcat:distribution"]}
    assert f"https://data.example.org/yusuan/{FJ}/amounts.csv" in urls
    assert all(u.startswith("https://data.example.org/yusuan/") for u in urls)
    assert ds["@id"] == f"https://data.example.org/yusuan/catalogue/datasets/{FJ}.html#dataset"
    assert ds["dcat:landingPage"]["@id"].startswith("https://data.example.org/yusuan/catalogue/")
    assert ds["dct:publisher"]["@id"].startswith("https://data.example.org/yusuan/catalogue/dcat.jsonld#")
    assert ds["dcat:distribution"][0]["dct:license"] == {"@id": "https://data.example.org/yusuan/catalogue/licence.html#data"}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_parses_as_rdf_and_download_urls_resolve(catalogue: Path, package_ids):
    import rdflib  # a test dependency: fail, never skip
    graph = rdflib.Graph()
    graph.parse(catalogue / "dcat.jsonld", format="json-ld")
    for page in sorted((catalogue / "dcat" / "pages").glob("*.jsonld")):
        graph.parse(page, format="json-ld")
    rows = graph.query(
        """
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX spdx: <http://spdx.org/rdf/terms#>
        SELECT ?id ?url ?sum WHERE {
          ?cat a dcat:Catalog ; dcat:dataset ?ds .
          ?ds a dcat:Dataset ; dct:identifier ?id ; dcat:distribution ?dist .
          ?dist dcat:downloadURL ?url ; spdx:checksum ?c .
          ?c spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sum .
        }
        """
    )
    seen: set[str] = set()
    count = 0
    for document_id, url, checksum in rows:
        path = Path(unquote(urlsplit(str(url)).path))
        assert str(url).startswith("file://") and path.is_file(), url
        assert _sha(path) == str(checksum)
        seen.add(str(document_id))
        count += 1
    assert sorted(seen) == package_ids
    assert count > 2 * len(package_ids)
    titles = graph.query(
        """
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?ds (lang(?t) AS ?lang) WHERE { ?ds a dcat:Dataset ; dct:title ?t }
        """
    )
    langs: dict[str, set[str]] = {}
    for ds, lang in titles:
        langs.setdefault(str(ds), set()).add(str(lang))
    assert len(langs) == len(package_ids)
    assert all(v == {"zh", "en"} for v in langs.values())


def test_source_urls_from_the_manifest_notation():
    assert source_url("https://www.example.gov.cn/a.pdf") == "https://www.example.gov.cn/a.pdf"
    assert source_url("github:ae86jack/open-budget@c32777d pdf_files/省人大办公厅2018预算公开.pdf") == (
        "https://github.com/ae86jack/open-budget/blob/c32777d/pdf_files/"
        "%E7%9C%81%E4%BA%BA%E5%A4%A7%E5%8A%9E%E5%85%AC%E5%8E%852018%E9%A2%84%E7%AE%97%E5%85%AC%E5%BC%80.pdf"
    )
    assert source_url("seed sample") is None
    assert source_url("text export of the original publication") is None


def test_licences_code_lists_cc_by_everything_else_the_data_licence(dcat: dict, catalogue: Path):
    from yusuan.catalogue.dcat import codelist_resources
    from yusuan.catalogue.settings import catalogue_schema

    assert {"function_classification", "economic_classification", "government_economic_classification"} <= codelist_resources()

    licences = catalogue_schema()["licences"]
    page = json.loads((catalogue / PAGE).read_text(encoding="utf-8"))
    described = {n["@id"]: n for n in page["@graph"] if n.get("@type") == "dct:LicenseDocument"}
    data_uri, cc_uri = "../../licence.html#data", "https://creativecommons.org/licenses/by/4.0/"
    assert set(described) == {data_uri, cc_uri}  # each described once per document
    assert described[cc_uri]["dct:title"] == {"@value": "Creative Commons Attribution", "@language": "en"}
    assert described[data_uri]["dct:title"] == {"@value": "Other (Attribution)", "@language": "en"}
    assert described[data_uri]["dct:source"]["@id"] == licences["data"]["basis"]["url"]  # the basis, not the licence
    assert {"zh", "en"} == set(_langs(described[data_uri]["dct:description"]))
    assert _resolve(catalogue, data_uri).name == "licence.html"
    for ds in dcat["dcat:dataset"]:
        for dist in ds["dcat:distribution"]:
            codelist = dist["dct:identifier"].split(".")[0] in codelist_resources()  # codelist: in resources.yaml
            assert dist["dct:license"] == {"@id": cc_uri if codelist else data_uri}
            assert dist["dct:issued"]["@type"] == dist["dct:modified"]["@type"] == "xsd:dateTime"
        assert ds["dct:issued"]["@value"] <= ds["dct:modified"]["@value"]
        assert ds["dcat:contactPoint"]["vcard:fn"]
