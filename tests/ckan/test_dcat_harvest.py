"""ckanext-dcat harvests the served catalogue into a real CKAN.

The catalogue of two generated packages is built with a base URL and served by
``python -m http.server`` on 127.0.0.1. ckanext-dcat's RDF parser (installed in the local
CKAN's venv by ``scripts/ckan/ckan-local.sh setup``) reads ``dcat.jsonld`` and follows its
pages; the datasets it makes must carry the licence, the dates and absolute download URLs
that resolve to the files (same sha256), and the real CKAN must accept them.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from yusuan.catalogue.build import build_catalogue

HERE = Path(__file__).resolve().parent
DOCUMENTS = ("fj-quanzhou-12345-2026-dwys", "js-renda-2019-bmys")
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(processed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """An output folder with two packages and its catalogue, served on loopback."""
    from yusuan.package.writer import write_package

    output = tmp_path_factory.mktemp("harvest")
    for doc_id in DOCUMENTS:
        write_package(processed[doc_id], output)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(output)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        build_catalogue(output, base_url=base)
        for _ in range(100):
            try:
                NO_PROXY.open(base + "catalogue/dcat.jsonld", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield output, base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _ckan_python() -> Path:
    return Path(os.environ.get("CKAN_HOME", "/tmp/yusuan-ckan")) / "venv" / "bin" / "python"


def _harvest(base: str) -> dict:
    proc = subprocess.run(
        [str(_ckan_python()), str(HERE / "ckanext_dcat_harvest.py"), base + "catalogue/dcat.jsonld"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_ckanext_dcat_reads_licence_dates_and_resolvable_downloads(ckan, served, unique: str):
    output, base = served
    harvested = _harvest(base)
    assert harvested["pages"] == [base + "catalogue/dcat.jsonld", base + "catalogue/dcat/pages/1.jsonld"]
    datasets = {d["url"]: d for d in harvested["datasets"]}
    assert sorted(datasets) == [f"{base}catalogue/datasets/{d}.html" for d in DOCUMENTS]
    from yusuan.catalogue.state_db import StateStore

    store = StateStore(output / "catalogue")
    state = store.load()
    store.close()

    for doc_id in DOCUMENTS:
        ds = datasets[f"{base}catalogue/datasets/{doc_id}.html"]
        descriptor = json.loads((output / doc_id / "datapackage.json").read_text(encoding="utf-8"))
        extras = {e["key"]: e["value"] for e in ds["extras"]}
        assert ds["license_id"] == "other-at"  # mapped by ckanext-dcat from the licence document
        assert ds["title"] == descriptor["title"]
        assert extras["identifier"] == doc_id
        assert extras["uri"] == f"{base}catalogue/datasets/{doc_id}.html#dataset"
        dates = state.datasets[doc_id]
        assert extras["issued"].replace("+00:00", "Z") == dates.issued
        assert extras["modified"].replace("+00:00", "Z") == dates.modified
        assert extras["contact_name"] and extras["contact_url"].startswith(base)
        assert extras["temporal_start"] == descriptor["fiscalPeriod"]["start"]

        files = {f"{base}{doc_id}/datapackage.json"}
        for res in descriptor["resources"]:
            files |= {f"{base}{doc_id}/{res['path']}", f"{base}{doc_id}/{res['parquet']['path']}"}
        urls = {r["download_url"] for r in ds["resources"]}
        assert files | {f"{base}catalogue/downloads/{doc_id}.zip"} <= urls
        for resource in ds["resources"]:
            url = resource["download_url"]
            assert url.startswith(base), url
            assert resource["issued"] and resource["modified"]
            assert resource["license"] in (
                f"{base}catalogue/licence.html#data", "https://creativecommons.org/licenses/by/4.0/"
            )
            with NO_PROXY.open(url, timeout=30) as response:
                assert response.status == 200
                assert hashlib.sha256(response.read()).hexdigest() == resource["hash"], url
        codelists = [r for r in ds["resources"] if r["download_url"].endswith("/function_classification.csv")]
        assert [r["license"] for r in codelists] == ["https://creativecommons.org/licenses/by/4.0/"]

    # and a real CKAN takes the harvested datasets as they are
    client = ckan.client()
    org = client.organization_create({"name": unique[:100], "title": "harvest test"})
    for n, ds in enumerate(harvested["datasets"]):
        created = client.package_create({**ds, "name": f"{unique}-{n}"[:100], "owner_org": org["id"]})
        shown = client.package_show(created["id"])
        assert shown["license_id"] == "other-at"
        assert shown["license_title"] == "Other (Attribution)"
        extras = {e["key"]: e["value"] for e in shown["extras"]}
        assert extras["issued"] == next(e["value"] for e in ds["extras"] if e["key"] == "issued")
        assert {r["url"] for r in shown["resources"]} == {r["url"] for r in ds["resources"]}
