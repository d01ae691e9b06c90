"""`yusuan run FILE…` without a manifest, as a user runs it: a subprocess in a folder holding
only their PDFs. The expected values are typed from the documents' covers:

- js-renda-2018-bmys/bmys.pdf, page 1: "江苏省人大常委会办公厅2018年度部门 / 预算公开"
- js-renda-2019-bmys/narrative.pdf, page 1: "江苏省人大常委会办公厅 / 2019年度部门预算公开";
  tables.pdf prints "部门： 江苏省人大常委会办公厅" on its tables
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"


def _run(cwd: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "yusuan.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _document_row(output: Path) -> tuple[Path, dict[str, str]]:
    packages = [p.parent for p in output.glob("*/datapackage.json")]
    assert len(packages) == 1, packages
    with (packages[0] / "document.csv").open(encoding="utf-8") as handle:
        return packages[0], next(csv.DictReader(handle))


@pytest.fixture
def one_pdf(tmp_path: Path) -> Path:
    shutil.copy(RAW / "js-renda-2018-bmys" / "bmys.pdf", tmp_path / "bmys.pdf")
    return tmp_path


def test_run_one_pdf_without_a_manifest(one_pdf):
    result = _run(one_pdf, "run", "bmys.pdf", "--no-prefect", "--targets", "folder")
    assert result.returncode == 0, result.stderr
    package, row = _document_row(one_pdf / "output")
    assert (row["issuer"], row["region"], row["fiscal_year"], row["kind"]) == ("江苏省人大常委会办公厅", "江苏省", "2018", "部门预算")
    assert row["metadata_source"] == "inferred_from_document"
    assert package.name.startswith("doc-2018-bmys-")
    line = next(line for line in result.stdout.splitlines() if line.startswith(package.name))
    assert "from the cover of bmys.pdf" in line and "region 江苏省 (from the issuer's name)" in line
    assert (one_pdf / "output" / ".manifest" / "drafted.csv").is_file()
    assert _run(one_pdf, "validate", str(package / "datapackage.json")).returncode == 0


def test_run_a_folder_with_a_narrative_and_its_tables(tmp_path):
    folder = tmp_path / "downloads"
    shutil.copytree(RAW / "js-renda-2019-bmys", folder)
    result = _run(tmp_path, "run", "downloads", "--no-prefect", "--targets", "folder")
    assert result.returncode == 0, result.stderr
    package, row = _document_row(tmp_path / "output")
    assert (row["issuer"], row["fiscal_year"], row["kind"]) == ("江苏省人大常委会办公厅", "2019", "部门预算")
    with (package / "source_files.csv").open(encoding="utf-8") as handle:
        assert {(r["file_name"], r["file_role"]) for r in csv.DictReader(handle)} == {("narrative.pdf", "narrative"), ("tables.pdf", "tables")}


def test_a_file_that_cannot_be_drafted_is_one_line_asking_for_a_manifest(tmp_path):
    (tmp_path / "notes.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    result = _run(tmp_path, "run", "notes.txt", "--no-prefect")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("yusuan: error:")]
    assert errors and "notes.txt" in errors[0] and "yusuan manifest" in errors[0]
    assert not (tmp_path / "output").exists() or not list((tmp_path / "output").glob("*/datapackage.json"))


def test_one_bad_file_fails_alone(one_pdf):
    (one_pdf / "notes.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    result = _run(one_pdf, "run", ".", "--no-prefect", "--targets", "folder")
    assert result.returncode == 1  # the other publication is written
    assert "notes.txt" in result.stderr and "yusuan manifest" in result.stderr
    _, row = _document_row(one_pdf / "output")
    assert row["fiscal_year"] == "2018"
    again = _run(one_pdf, "run", ".", "--no-prefect")  # the output folder (catalogue pages) is not scanned
    assert "index.html" not in again.stderr and len(list((one_pdf / "output").glob("*/datapackage.json"))) == 1


def test_manifest_command_prints_a_manifest_to_edit(one_pdf):
    result = _run(one_pdf, "manifest", "bmys.pdf")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [(r["file"], r["role"], r["issuer"], r["fiscal_year"], r["kind"]) for r in rows] == [("bmys.pdf", "full", "江苏省人大常委会办公厅", "2018", "部门预算")]
    written = _run(one_pdf, "manifest", ".", "--output-manifest", "m.csv")
    assert written.returncode == 0 and (one_pdf / "m.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[5] == "bmys.pdf"


def test_run_one_pdf_with_the_prefect_flow(one_pdf):
    """The default path (Prefect, temporary local server): about 25 s on 2 cores."""
    result = _run(one_pdf, "run", "bmys.pdf", "--targets", "folder", timeout=400)
    assert result.returncode == 0, result.stderr
    _, row = _document_row(one_pdf / "output")
    assert (row["fiscal_year"], row["kind"], row["metadata_source"]) == ("2018", "部门预算", "inferred_from_document")
