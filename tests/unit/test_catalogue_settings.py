"""Catalogue settings: base URL, config file, environment; run options reaching targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from yusuan.flows.targets import accepted_options

from yusuan.catalogue.links import Links
from yusuan.catalogue.settings import CatalogueConfigError, catalogue_settings, normalise_base_url
from yusuan.cli import main


def test_base_url_is_normalised_or_refused():
    assert normalise_base_url("https://data.example.org/yusuan") == "https://data.example.org/yusuan/"
    assert normalise_base_url(" http://127.0.0.1:8000/ ") == "http://127.0.0.1:8000/"
    assert normalise_base_url("") is None and normalise_base_url(None) is None
    for bad in ("data.example.org/yusuan", "file:///srv/output", "ftp://x/", "https://x/?a=1", "https://x/#f"):
        with pytest.raises(CatalogueConfigError, match="base URL"):
            normalise_base_url(bad)


def test_argument_beats_environment_beats_config_file(tmp_path: Path):
    config = tmp_path / "catalogue.toml"
    config.write_text(
        '[catalogue]\nbase_url = "https://from-config.example/"\ncontact_email = "open@example.org"\n'
        'publisher_name = "Example portal"\n',
        encoding="utf-8",
    )
    env = {"YUSUAN_CATALOGUE_CONFIG": str(config)}
    settings = catalogue_settings(environ=env)
    assert settings.base_url == "https://from-config.example/"
    assert settings.contact_email == "open@example.org"
    assert settings.publisher_name == "Example portal"
    assert settings.contact_name  # from schemas/catalogue.yaml
    env["YUSUAN_BASE_URL"] = "https://from-env.example"
    assert catalogue_settings(environ=env).base_url == "https://from-env.example/"
    assert catalogue_settings("https://from-arg.example", environ=env).base_url == "https://from-arg.example/"


def test_config_file_errors_name_the_file(tmp_path: Path):
    config = tmp_path / "catalogue.toml"
    config.write_text('[catalogue]\nbase_ur = "https://typo.example/"\n', encoding="utf-8")
    with pytest.raises(CatalogueConfigError, match=r"catalogue.toml: unknown setting\(s\) \['base_ur'\]"):
        catalogue_settings(config=config, environ={})
    with pytest.raises(CatalogueConfigError, match="not found"):
        catalogue_settings(config=tmp_path / "missing.toml", environ={})
    # no config named and none at the default place: the defaults
    assert catalogue_settings(environ={"XDG_CONFIG_HOME": str(tmp_path / "none")}).base_url is None


def test_links_relative_and_absolute():
    rel = Links(None, "dcat/pages/")
    assert rel.package_file("fj-1", "amounts.csv") == "../../../fj-1/amounts.csv"
    assert rel.dataset_uri("fj-1") == "../../datasets/fj-1.html#dataset"
    assert Links(None, "").catalogue("index.html") == "index.html"
    absolute = Links("https://d.example/out/", "dcat/pages/")
    assert absolute.package_file("fj-1", "金额.csv") == "https://d.example/out/fj-1/%E9%87%91%E9%A2%9D.csv"
    assert absolute.dataset_uri("fj-1") == "https://d.example/out/catalogue/datasets/fj-1.html#dataset"


def test_run_options_reach_only_the_targets_that_take_them():
    def plain(outcomes, output_dir):
        return None

    def catalogue(outcomes, output_dir, base_url=None):
        return None

    options = {"base_url": "https://d.example/", "other": 1}
    assert accepted_options(plain, options) == {}
    assert accepted_options(catalogue, options) == {"base_url": "https://d.example/"}
    assert accepted_options(catalogue, {"base_url": None}) == {}


def test_yusuan_run_refuses_a_bad_base_url_before_any_work(tmp_path: Path, capsys):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("document_id,issuer,region,fiscal_year,kind,file,role,sha256,source\n", encoding="utf-8")
    status = main(["run", "--manifest", str(manifest), "--output", str(tmp_path / "out"), "--no-prefect",
                   "--base-url", "data.example.org"])
    assert status == 2
    assert "base URL 'data.example.org' is not an absolute http(s) URL" in capsys.readouterr().err
    assert not (tmp_path / "out" / "catalogue").exists()
