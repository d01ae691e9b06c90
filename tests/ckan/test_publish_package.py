"""A generated data package published to the real local CKAN (see conftest.py), then again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yusuan.catalogue.ckan import CkanClient, CkanNotFoundError
from yusuan.catalogue.ckan_package import (
    BlockedPackageError,
    package_to_dataset_spec,
    publish_package,
)

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`

DOCUMENT = "fj-quanzhou-12345-2026-dwys"


@pytest.fixture(scope="module")
def package_dir(processed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from yusuan.package.writer import write_package

    return write_package(processed[DOCUMENT], tmp_path_factory.mktemp("packages"))


def test_publish_generated_package_then_republish_changes_nothing(ckan, unique: str, package_dir: Path):
    client = ckan.client()
    spec = package_to_dataset_spec(package_dir, name_prefix=f"{unique}-")
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))

    first = publish_package(client, package_dir, name_prefix=f"{unique}-")
    assert first.dataset == "created"
    assert first.organization in ("created", "unchanged")  # one organization per issuer, kept
    assert first.created == [f.name for f in spec.files]

    pkg = client.package_show(spec.name)
    assert pkg["organization"]["name"] == spec.organization.name
    assert pkg["organization"]["title"] == descriptor["issuer"]
    assert pkg["title"] == f"{descriptor['title_zh']} / {descriptor['title']}"
    assert pkg["license_id"] == descriptor["licenses"][0]["name"]
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert extras["fiscal_year"] == str(descriptor["fiscal_year"])
    assert extras["region"] == descriptor["region"]
    assert extras["kind"] == descriptor["kind"]
    assert extras["quality_status"] == descriptor["quality_status"]
    assert json.loads(extras["source_sha256"]) == [s["sha256"] for s in descriptor["sources"]]
    assert {"预算", descriptor["kind"]} <= {t["name"] for t in pkg["tags"]}
    resources = {r["name"]: r for r in pkg["resources"]}
    assert list(resources) == [f.name for f in spec.files]
    for f in spec.files:
        assert resources[f.name]["sha256"] == f.sha256
    amounts = resources["amounts.csv"]
    assert client.download_sha256(amounts["url"]) == next(f.sha256 for f in spec.files if f.name == "amounts.csv")

    again = publish_package(client, package_dir, name_prefix=f"{unique}-")
    assert not again.changed
    assert again.organization == again.dataset == "unchanged"
    assert again.unchanged == [f.name for f in spec.files]
    after = client.package_show(spec.name)
    assert after["metadata_modified"] == pkg["metadata_modified"]
    assert [(r["id"], r["metadata_modified"]) for r in after["resources"]] == [
        (r["id"], r["metadata_modified"]) for r in pkg["resources"]
    ]


def test_blocked_package_is_refused_before_any_call(ckan, unique: str, package_dir: Path, tmp_path: Path):
    import shutil

    blocked = tmp_path / "blocked"
    shutil.copytree(package_dir, blocked)
    descriptor = json.loads((blocked / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["quality_status"] = "blocked"
    (blocked / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    client = ckan.client()
    with pytest.raises(BlockedPackageError):
        publish_package(client, blocked, name_prefix=f"{unique}-")
    with pytest.raises(CkanNotFoundError):
        client.package_show(f"{unique}-{DOCUMENT}")
    assert isinstance(client, CkanClient)
