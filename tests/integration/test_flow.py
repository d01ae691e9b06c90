"""The Prefect flow end to end on the sample publications, against a temporary server."""

from __future__ import annotations

import json
import shutil

import pytest
from frictionless import Package

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def test_flow_writes_a_valid_package_per_publication_and_an_artifact(harness, tmp_path, manifest_path):
    from prefect.client.orchestration import get_client
    from yusuan.flows.ingest import ingest

    raw = tmp_path / "raw"
    shutil.copytree(manifest_path.parent, raw)
    # one broken publication among the good ones: reported, the others still published
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4\n")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write("broken-2020-bmys,某单位,某省,2020,部门预算,broken.pdf,full,\n")
    outcomes = ingest(manifest=raw / "manifest.csv", output_dir=tmp_path / "output")

    by_id = {o["document_id"]: o for o in outcomes}
    assert "error" in by_id.pop("broken-2020-bmys")
    assert sorted(p.name for p in (tmp_path / "output").iterdir() if not p.name.startswith(".")) == sorted(by_id)
    for document_id, outcome in by_id.items():
        # js-renda-2018 prints a wrong percentage in its text (a real error): warnings, published
        assert outcome["quality_status"] in ("passed", "warnings")
        package = tmp_path / "output" / document_id / "datapackage.json"
        assert Package(str(package)).validate().valid
        assert json.loads(package.read_text(encoding="utf-8"))["check_summary"]["amounts"] == outcome["amounts"]

    import anyio

    async def artifacts():
        async with get_client() as client:
            return await client.read_artifacts()

    found = anyio.run(artifacts)
    summary = next(a for a in found if a.key == "yusuan-ingest-summary")
    assert "fj-quanzhou-12345-2026-dwys" in summary.data and "broken-2020-bmys" in summary.data
