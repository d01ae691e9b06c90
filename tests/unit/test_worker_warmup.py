"""The fork server's warm-up (yusuan/ingest/worker_warmup.py) leaves a publication's worker
nothing to load: no schema file to parse, no module to import. Each publication runs in a
worker forked from that server, so whatever is loaded lazily is paid once per publication
(0.3–0.5 s each before the warm-up covered Frictionless and every cached loader)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from pathlib import Path
import yusuan.ingest.worker_warmup  # what the fork server imports
from yusuan.core import schema_files
from yusuan.ingest.sources import read_manifest
from yusuan.package.process import process_document

read = []
real = schema_files.load_schema_file
def counting(name, *args, **kwargs):
    read.append(str(name))
    return real(name, *args, **kwargs)
schema_files.load_schema_file = counting
import yaml
real_yaml = yaml.load
def yaml_counting(stream, *args, **kwargs):
    read.append(getattr(stream, "name", "a YAML text"))
    return real_yaml(stream, *args, **kwargs)
yaml.load = yaml_counting

document = next(d for d in read_manifest(Path(sys.argv[1])) if d.document_id == sys.argv[2])
before = set(sys.modules)
process_document(document)
print(json.dumps({"read": read, "imported": sorted(set(sys.modules) - before)}))
"""


@pytest.mark.parametrize("document_id", ["js-renda-2019-bmys", "fj-quanzhou-12345-2026-dwys"])
def test_a_worker_after_the_warm_up_loads_nothing(document_id: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "raw" / "sources.csv"), document_id],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["read"] == [], "schema files read by a worker: warm them in worker_warmup.py"
    assert found["imported"] == [], "modules imported by a worker: import them in worker_warmup.py"
