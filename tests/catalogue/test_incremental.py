"""Only changed datasets are re-rendered, and an incremental build gives the same bytes as a
full one (yusuan/catalogue/incremental.py, yusuan/catalogue/shards.py)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from variants import FJ, WARNINGS

from yusuan.catalogue import build as catalogue_build
from yusuan.catalogue.build import build_catalogue
from yusuan.catalogue.state_db import DB_NAME

PACKAGES = (FJ, WARNINGS, "js-renda-2018-bmys")


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of the catalogue but the build state (a database: its bytes depend on the
    order of its updates, not on the catalogue)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != DB_NAME
    }


def _counts(caplog: pytest.LogCaptureFixture) -> str:
    return next(r.getMessage() for r in reversed(caplog.records) if "dataset pages rendered" in r.getMessage())


def test_only_changed_datasets_are_rendered(
    tmp_path: Path, package_output: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(catalogue_build, "now_utc", lambda: "2026-01-01T00:00:00Z")  # a fresh state's dates
    for name in PACKAGES:
        shutil.copytree(package_output / name, tmp_path / name)
    caplog.set_level(logging.INFO, logger="yusuan.catalogue.site")
    catalogue = build_catalogue(tmp_path)
    assert _counts(caplog) == "catalogue: 3 dataset pages rendered, 0 unchanged and copied"
    first = _files(catalogue)

    build_catalogue(tmp_path)
    assert _counts(caplog) == "catalogue: 0 dataset pages rendered, 3 unchanged and copied"
    assert _files(catalogue) == first

    # a changed file of one package (the page's sha256 warning must appear): that page only.
    # A file edited in place keeps its folder's stat key, so only a full build (which
    # re-reads every package, yusuan catalogue --full) looks at it again (docs/catalogue.md)
    with open(tmp_path / FJ / "units.csv", "a", encoding="utf-8") as fh:
        fh.write("tampered\n")
    build_catalogue(tmp_path, full=True)
    assert _counts(caplog) == "catalogue: 1 dataset pages rendered, 2 unchanged and copied"
    incremental = _files(catalogue)
    assert 'id="hash-mismatch"' in incremental[f"datasets/{FJ}.html"].decode()

    # the same bytes as a build from scratch
    (catalogue / DB_NAME).unlink()
    build_catalogue(tmp_path)
    assert _counts(caplog) == "catalogue: 3 dataset pages rendered, 0 unchanged and copied"
    assert _files(catalogue) == incremental

    # a removed package leaves the catalogue; a base URL changes every page
    shutil.rmtree(tmp_path / WARNINGS)
    build_catalogue(tmp_path, base_url="https://data.example.org/yusuan/")
    assert _counts(caplog) == "catalogue: 2 dataset pages rendered, 0 unchanged and copied"
    assert not (catalogue / "datasets" / f"{WARNINGS}.html").exists()
    assert not any(WARNINGS in p.read_text(encoding="utf-8") for p in (catalogue / "cards").iterdir())
    page = (catalogue / "datasets" / f"{FJ}.html").read_text(encoding="utf-8")
    assert f'href="https://data.example.org/yusuan/{FJ}/amounts.csv"' in page
    assert 'href="https://data.example.org/yusuan/catalogue/dictionary.html"' in page


def test_a_damaged_state_file_means_a_full_build(tmp_path: Path, package_output: Path, caplog: pytest.LogCaptureFixture):
    shutil.copytree(package_output / FJ, tmp_path / FJ)
    caplog.set_level(logging.INFO, logger="yusuan.catalogue.site")
    catalogue = build_catalogue(tmp_path)
    (catalogue / DB_NAME).write_text("{broken", encoding="utf-8")
    build_catalogue(tmp_path)
    assert _counts(caplog) == "catalogue: 1 dataset pages rendered, 0 unchanged and copied"
