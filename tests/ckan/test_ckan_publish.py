"""publish_dataset against a real CKAN (see conftest.py for how it is started).

Each test uses its own organization and dataset names, so the tests do not depend on
each other or on an empty database.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from yusuan.catalogue.ckan import (
    CkanAuthError,
    CkanClient,
    CkanError,
    CkanNotFoundError,
    DatasetSpec,
    FileSpec,
    OrganizationSpec,
    PublishError,
    publish_dataset,
)

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _spec(name: str, files: list[FileSpec]) -> DatasetSpec:
    return DatasetSpec(
        organization=OrganizationSpec(name=f"{name}-org", title="测试财政厅 Test Finance Dept"),
        name=name,
        title="2024年省级一般公共预算 General public budget 2024",
        notes="Test dataset published by yusuan's CKAN tests.",
        tags=["budget", "预算", "yusuan-test"],
        extras={"fiscal_year": "2024", "level": "province", "yusuan_version": 1},
        files=files,
    )


@pytest.fixture
def files(tmp_path: Path) -> list[FileSpec]:
    a = _write(tmp_path / "revenue.csv", "code,name,amount\n101,税收收入,1234.5\n")
    b = _write(tmp_path / "datapackage.json", '{"name": "test", "resources": []}\n')
    c = _write(tmp_path / "expenditure.csv", "code,name,amount\n201,一般公共服务支出,99\n")
    return [
        FileSpec(a, "revenue.csv", "CSV", sha256=_sha(a), description="Revenue"),
        FileSpec(b, "datapackage.json", "JSON", sha256=_sha(b)),
        FileSpec(c, "expenditure.csv", "csv"),  # sha256 computed; lower-case format
    ]


def test_first_publish_creates_org_dataset_resources(ckan, unique: str, files):
    client = ckan.client()
    result = publish_dataset(client, _spec(unique, files))

    assert result.organization == "created"
    assert result.dataset == "created"
    assert result.created == ["revenue.csv", "datapackage.json", "expenditure.csv"]
    assert result.updated == result.unchanged == result.deleted == []

    org = client.organization_show(f"{unique}-org")
    assert org["title"] == "测试财政厅 Test Finance Dept"
    pkg = client.package_show(unique)
    assert pkg["id"] == result.dataset_id
    assert pkg["organization"]["name"] == f"{unique}-org"
    assert sorted(t["name"] for t in pkg["tags"]) == ["budget", "yusuan-test", "预算"]
    assert {e["key"]: e["value"] for e in pkg["extras"]} == {
        "fiscal_year": "2024",
        "level": "province",
        "yusuan_version": "1",
    }
    assert [r["name"] for r in pkg["resources"]] == [f.name for f in files]
    for f, res in zip(files, pkg["resources"], strict=True):
        assert res["id"] == result.resource_ids[f.name]
        assert res["url_type"] == "upload"
        assert res["sha256"] == _sha(f.path)
        assert client.download_sha256(res["url"]) == _sha(f.path)


def test_second_identical_publish_changes_nothing(ckan, unique: str, files):
    client = ckan.client()
    spec = _spec(unique, files)
    publish_dataset(client, spec)
    before = client.package_show(unique)

    again = publish_dataset(client, spec)

    assert not again.changed
    assert again.organization == again.dataset == "unchanged"
    assert again.unchanged == [f.name for f in files]
    assert again.created == again.updated == again.deleted == []
    after = client.package_show(unique)
    assert after["metadata_modified"] == before["metadata_modified"]
    assert [(r["id"], r["metadata_modified"]) for r in after["resources"]] == [
        (r["id"], r["metadata_modified"]) for r in before["resources"]
    ]


def test_changed_file_updates_resource_in_place(ckan, unique: str, files):
    client = ckan.client()
    first = publish_dataset(client, _spec(unique, files))

    path = files[0].path
    _write(path, path.read_text(encoding="utf-8") + "102,非税收入,10\n")
    files[0] = FileSpec(path, files[0].name, "CSV", sha256=_sha(path), description="Revenue")
    second = publish_dataset(client, _spec(unique, files))

    assert second.updated == ["revenue.csv"]
    assert second.unchanged == ["datapackage.json", "expenditure.csv"]
    assert second.created == second.deleted == []
    assert second.dataset == "unchanged"
    assert second.resource_ids == first.resource_ids  # same resource ids: updated in place
    pkg = client.package_show(unique)
    assert len(pkg["resources"]) == 3
    res = next(r for r in pkg["resources"] if r["name"] == "revenue.csv")
    assert res["id"] == first.resource_ids["revenue.csv"]
    assert res["sha256"] == _sha(path)
    assert client.download_sha256(res["url"]) == _sha(path)


def test_metadata_change_patches_dataset_and_removed_file_is_deleted(ckan, unique: str, files):
    client = ckan.client()
    publish_dataset(client, _spec(unique, files))

    spec = _spec(unique, files[:2])
    spec.title = "New title"
    spec.extras["level"] = "prefecture"
    result = publish_dataset(client, spec)

    assert result.dataset == "updated"
    assert result.deleted == ["expenditure.csv"]
    assert result.unchanged == ["revenue.csv", "datapackage.json"]
    pkg = client.package_show(unique)
    assert pkg["title"] == "New title"
    assert {e["key"]: e["value"] for e in pkg["extras"]}["level"] == "prefecture"
    assert [r["name"] for r in pkg["resources"]] == ["revenue.csv", "datapackage.json"]


def test_interrupted_publish_reports_partial_state_and_rerun_completes(
    ckan, unique: str, files, monkeypatch: pytest.MonkeyPatch
):
    client = ckan.client()
    spec = _spec(unique, files)
    real_create = client.resource_create
    calls: list[str] = []

    def create_then_fail(data, upload=None):
        if calls:
            raise CkanError(
                "CKAN resource_create: HTTP 503 Service Unavailable (simulated)",
                action="resource_create",
                status=503,
            )
        calls.append(data["name"])
        return real_create(data, upload=upload)

    monkeypatch.setattr(client, "resource_create", create_then_fail)
    with pytest.raises(PublishError) as info:
        publish_dataset(client, spec)

    err = info.value
    assert err.result.created == ["revenue.csv"]
    assert err.result.dataset == "created"
    assert err.pending == ["datapackage.json", "expenditure.csv"]
    message = str(err)
    assert "\n" not in message
    assert "stopped at resource 'datapackage.json'" in message
    assert "created ['revenue.csv']" in message
    assert "not done: ['datapackage.json', 'expenditure.csv']" in message
    assert "HTTP 503" in message
    assert isinstance(err.__cause__, CkanError)
    assert [r["name"] for r in client.package_show(unique)["resources"]] == ["revenue.csv"]

    monkeypatch.undo()
    done = publish_dataset(client, spec)
    assert done.unchanged == ["revenue.csv"]
    assert done.created == ["datapackage.json", "expenditure.csv"]
    assert done.organization == done.dataset == "unchanged"
    pkg = client.package_show(unique)
    assert [r["name"] for r in pkg["resources"]] == [f.name for f in files]
    assert not publish_dataset(client, spec).changed


def test_write_without_token_is_403_with_clear_message(ckan, unique: str):
    anonymous = CkanClient(ckan.url)  # no token
    with pytest.raises(CkanAuthError) as info:
        anonymous.package_create({"name": unique, "title": "x"})
    err = info.value
    assert err.status == 403
    assert err.action == "package_create"
    message = str(err)
    assert "\n" not in message
    assert message.startswith("CKAN package_create: HTTP 403")
    assert "no API token was given" in message


def test_bad_token_is_rejected(ckan, unique: str):
    bad = CkanClient(ckan.url, "not-a-valid-token")
    with pytest.raises(CkanAuthError) as info:
        bad.organization_create({"name": f"{unique}-org", "title": "x"})
    assert info.value.status in (401, 403)
    assert "not-a-valid-token" not in str(info.value)
    assert "not-a-valid-token" not in repr(bad)


def test_missing_dataset_is_404(ckan, unique: str):
    with pytest.raises(CkanNotFoundError) as info:
        ckan.client().package_show(f"{unique}-does-not-exist")
    err = info.value
    assert err.status == 404
    assert err.action == "package_show"
    assert "HTTP 404" in str(err) and f"{unique}-does-not-exist" in str(err)


def test_dataset_found_by_search_and_counted_in_organization(ckan, unique: str, files):
    """The no-Solr plugin answers package_search and organization counts from the DB."""
    client = ckan.client()
    publish_dataset(client, _spec(unique, files[:1]))
    found = client.call("package_search", {"fq": f'name:"{unique}"', "include_private": True})
    assert found["count"] == 1 and found["results"][0]["name"] == unique
    org = client.call("organization_show", {"id": f"{unique}-org"})
    assert org["package_count"] == 1
