"""package_to_dataset_spec and the CKAN settings, without a CKAN (see tests/ckan for that)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from variants import BLOCKED, FJ, WARNINGS

from yusuan.catalogue.ckan import OrganizationSpec
from yusuan.catalogue.ckan_package import (
    BlockedPackageError,
    CkanConfigError,
    PackageIntegrityError,
    ckan_settings,
    dataset_name,
    package_to_dataset_spec,
)
from yusuan.catalogue.index import PackageReadError, issuer_id
from yusuan.core.hashing import sha256_of

CKAN_TAG = re.compile(r"[\w .-]{2,100}")


def test_spec_maps_the_package(package_output: Path):
    folder = package_output / FJ
    d = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    spec = package_to_dataset_spec(folder)

    assert spec.name == FJ
    assert spec.organization == OrganizationSpec(issuer_id(d["issuer"], d["region"]), d["issuer"])
    assert re.fullmatch(r"cn-issuer-[0-9a-f]{12}", spec.organization.name)
    assert spec.title == f"{d['title_zh']} / {d['title']}"
    assert d["description_zh"] in spec.notes and d["description"] in spec.notes
    assert f"Quality status: **{d['quality_status']}**" in spec.notes
    assert spec.license_id == d["licenses"][0]["name"] == "other-at"  # as ckanext-dcat maps the DCAT licence
    assert {"budget", "预算", d["kind"], d["region"], str(d["fiscal_year"])} <= set(spec.tags)
    assert all(CKAN_TAG.fullmatch(t) for t in spec.tags)

    extras = spec.extras
    assert extras["fiscal_year"] == str(d["fiscal_year"])
    assert extras["region"] == d["region"] and extras["issuer"] == d["issuer"]
    assert extras["kind"] == d["kind"] and extras["kind_id"] == d["kind_id"]
    assert extras["quality_status"] == d["quality_status"]
    assert extras["source_urls"] == [s["path"] for s in d["sources"]]
    assert extras["source_sha256"] == [s["sha256"] for s in d["sources"]]
    assert extras["datapackage_sha256"] == sha256_of(folder / "datapackage.json")
    assert extras["fiscal_period_start"] == d["fiscalPeriod"]["start"]
    assert all(isinstance(v, str | list) for v in extras.values())

    names = [f.name for f in spec.files]
    expected = ["datapackage.json"]
    for res in d["resources"]:
        expected += [res["path"], res["parquet"]["path"]]
    if "quality_report" in d:
        expected.append(d["quality_report"]["path"])
    assert names == expected
    for f in spec.files:
        assert f.path == folder / f.name and f.sha256 == sha256_of(f.path)
        assert f.format in ("JSON", "CSV", "Parquet", "Markdown", "MD")
    amounts = next(f for f in spec.files if f.name == "amounts.csv")
    assert "金额（长表）" in amounts.description and "Amounts (tidy)" in amounts.description


def test_spec_is_stable(package_output: Path):
    assert package_to_dataset_spec(package_output / FJ) == package_to_dataset_spec(package_output / FJ)


def test_quality_report_is_a_resource_and_options_apply(package_output: Path):
    org = OrganizationSpec("existing-org", "Existing")
    spec = package_to_dataset_spec(package_output / WARNINGS, name_prefix="test-", organization=org)
    assert spec.name == f"test-{WARNINGS}" and spec.organization == org
    assert spec.files[-1].name == "quality_report.md" and spec.files[-1].format == "Markdown"
    assert spec.extras["quality_status"] == "warnings"
    assert spec.extras["checks_failed"] == "1" and spec.extras["checks_not_run"] == "1"


def test_blocked_package_is_refused(package_output: Path):
    with pytest.raises(BlockedPackageError, match="blocked"):
        package_to_dataset_spec(package_output / BLOCKED)


def test_altered_file_is_refused(tmp_path: Path, package_output: Path):
    folder = tmp_path / FJ
    shutil.copytree(package_output / FJ, folder)
    with open(folder / "amounts.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    with pytest.raises(PackageIntegrityError, match="amounts.csv"):
        package_to_dataset_spec(folder)
    with pytest.raises(PackageReadError):
        package_to_dataset_spec(tmp_path / "not-a-package")


def test_dataset_name_is_valid_for_ckan():
    assert dataset_name("js-renda-2018-bmys") == "js-renda-2018-bmys"
    odd = dataset_name("JS Renda/2018")
    assert re.fullmatch(r"[a-z0-9_-]{2,100}", odd) and odd.startswith("js-renda-2018-")
    assert odd == dataset_name("JS Renda/2018") != dataset_name("js renda 2018")
    assert len(dataset_name("x" * 300)) <= 100


# --- settings -----------------------------------------------------------------------------------


def _config(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "ckan.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_token_from_environment(tmp_path: Path):
    env = {"YUSUAN_CKAN_URL": "http://127.0.0.1:5000", "YUSUAN_CKAN_TOKEN": "secret-token",
           "YUSUAN_CKAN_CONFIG": str(tmp_path / "none.toml")}
    settings = ckan_settings(environ=env)
    assert (settings.url, settings.token, settings.source) == ("http://127.0.0.1:5000", "secret-token", "YUSUAN_CKAN_TOKEN")
    assert "secret-token" not in repr(settings) and "secret-token" not in repr(settings.client())


def test_token_from_private_config_file(tmp_path: Path):
    path = _config(tmp_path, '[ckan]\nurl = "https://ckan.example.org"\ntoken = "file-token"\n')
    settings = ckan_settings(config=path, environ={})
    assert (settings.url, settings.token) == ("https://ckan.example.org", "file-token")
    env_wins = ckan_settings(config=path, environ={"YUSUAN_CKAN_TOKEN": "env-token"})
    assert env_wins.token == "env-token"
    assert ckan_settings("http://other", config=path, environ={}).url == "http://other"


def test_token_file_and_default_location(tmp_path: Path):
    token = tmp_path / "token"
    token.write_text("from-token-file\n", encoding="utf-8")
    token.chmod(0o600)
    (tmp_path / "yusuan").mkdir()
    _config(tmp_path / "yusuan", f'[ckan]\nurl = "https://c.example"\ntoken_file = "{token}"\n')
    settings = ckan_settings(environ={"XDG_CONFIG_HOME": str(tmp_path)})
    assert settings.token == "from-token-file" and settings.source == str(token)


def test_readable_token_file_is_refused(tmp_path: Path):
    path = _config(tmp_path, '[ckan]\nurl = "https://c.example"\ntoken = "t"\n', mode=0o644)
    with pytest.raises(CkanConfigError, match="chmod 600"):
        ckan_settings(config=path, environ={})


def test_missing_url_or_config_is_an_error(tmp_path: Path):
    with pytest.raises(CkanConfigError, match="no CKAN URL"):
        ckan_settings(environ={"YUSUAN_CKAN_CONFIG": str(tmp_path / "none.toml")})
    with pytest.raises(CkanConfigError, match="not found"):
        ckan_settings(config=tmp_path / "none.toml", environ={})
    no_token = ckan_settings(environ={"YUSUAN_CKAN_URL": "http://x", "YUSUAN_CKAN_CONFIG": str(tmp_path / "n")})
    assert no_token.token is None and not no_token.client().has_token
