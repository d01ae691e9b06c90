"""A built wheel carries what a non-editable install needs: schemas/ (as yusuan/_schemas) and
the flows (as yusuan.flows, no generic top-level ``flows``); the main job runs from it."""

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"  # a copy: building writes build/ and *.egg-info
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv*", ".git", "output", "build", "*.egg-info", "__pycache__", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)], check=True, timeout=300)
    (built,) = out.glob("yusuan-*.whl")
    return built


def test_the_wheel_has_schemas_and_flows_inside_the_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"yusuan/_schemas/fields.yaml", "yusuan/_schemas/checks.yaml", "yusuan/flows/ingest.py", "yusuan/catalogue/templates/dataset.html"} <= names
    assert any(n.startswith("yusuan/_schemas/codelists/") for n in names)
    assert not any(n.startswith("flows/") for n in names)


def test_the_main_job_runs_from_the_unpacked_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "work"
    shutil.copytree(ROOT / "raw" / "fj-quanzhou-12345-2026-dwys", work / "raw" / "fj-quanzhou-12345-2026-dwys")
    with (ROOT / "raw" / "manifest.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["document_id"] == "fj-quanzhou-12345-2026-dwys"]
    with (work / "raw" / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    env = {k: v for k, v in os.environ.items() if k != "YUSUAN_SCHEMAS"}
    env["PYTHONPATH"] = str(site)  # the unpacked wheel comes before the editable checkout
    done = subprocess.run(
        [sys.executable, "-c", "import sys, yusuan.core.schemas as s; print(s.schemas_dir()); from yusuan.cli import main; sys.exit(main(sys.argv[1:]))",
         "run", "--no-prefect", "--manifest", "raw/manifest.csv", "--output", "output", "--targets", "folder"],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(site / "yusuan" / "_schemas")
    assert (work / "output" / "fj-quanzhou-12345-2026-dwys" / "datapackage.json").is_file()
