"""The DCAT of the catalogue built from the samples against DCAT-AP's mandatory and
recommended properties (schemas/shacl/dcat-ap-core.ttl, checked with pyshacl).

Warnings (recommended properties) count as failures: the catalogue fills them all.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from yusuan.catalogue.build import build_catalogue

REPO = Path(__file__).resolve().parents[2]
SHAPES = REPO / "schemas" / "shacl" / "dcat-ap-core.ttl"

rdflib = pytest.importorskip("rdflib", reason="rdflib is a test dependency ([test] extra)")
pyshacl = pytest.importorskip("pyshacl", reason="pyshacl is a test dependency ([test] extra)")


def catalogue_graph(catalogue: Path) -> rdflib.Graph:
    """The record and every page: what a harvester following hydra:next reads."""
    graph = rdflib.Graph()
    graph.parse(catalogue / "dcat.jsonld", format="json-ld")
    for page in sorted((catalogue / "dcat" / "pages").glob("*.jsonld")):
        graph.parse(page, format="json-ld")
    return graph


def validate(graph: rdflib.Graph) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _report, text = pyshacl.validate(graph, shacl_graph=shapes, allow_warnings=False, inference="none")
    return conforms, text


@pytest.fixture(scope="module")
def absolute_catalogue(package_output: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("absolute")
    for folder in package_output.iterdir():
        if folder.is_dir() and not folder.name.startswith(".") and folder.name != "catalogue":
            shutil.copytree(folder, output / folder.name)
    return build_catalogue(output, base_url="https://data.example.org/yusuan")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_relative_catalogue_conforms(catalogue: Path, package_ids):
    graph = catalogue_graph(catalogue)
    conforms, text = validate(graph)
    assert conforms, text
    datasets = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")))
    assert len(datasets) == len(package_ids)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_absolute_catalogue_conforms_and_every_iri_is_under_the_base_url(absolute_catalogue: Path):
    graph = catalogue_graph(absolute_catalogue)
    conforms, text = validate(graph)
    assert conforms, text
    ours = "https://data.example.org/yusuan/"
    outside = {
        str(term) for s, p, o in graph if p != rdflib.RDF.type
        for term in (s, o) if isinstance(term, rdflib.URIRef) and not str(term).startswith(ours)
    }
    vocabularies = ("http://publications.europa.eu/resource/authority/", "https://www.iana.org/assignments/",
                    "http://spdx.org/rdf/terms#", "http://www.w3.org/ns/dqv#", "https://creativecommons.org/",
                    "https://www.gov.cn/", "https://github.com/", "https://datapackage.org/")
    assert sorted(u for u in outside if not u.startswith(vocabularies)) == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_shapes_catch_a_dataset_without_title_or_licence(catalogue: Path, tmp_path: Path):
    page = json.loads((catalogue / "dcat" / "pages" / "1.jsonld").read_text(encoding="utf-8"))
    node = next(n for n in page["@graph"] if n.get("@type") == "dcat:Dataset")
    del node["dct:title"]
    for dist in node["dcat:distribution"]:
        dist.pop("dct:license", None)
    graph = rdflib.Graph()
    graph.parse(data=json.dumps(page), format="json-ld", publicID=(catalogue / "dcat/pages/1.jsonld").as_uri())
    graph.parse(catalogue / "dcat.jsonld", format="json-ld")
    conforms, text = validate(graph)
    assert not conforms
    assert "dct:title" in text or "terms/title" in text
    assert "license" in text
