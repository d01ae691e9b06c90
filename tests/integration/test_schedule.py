"""The annual deployment (schedule, parameters, targets) and incremental flow runs."""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "raw" / "fj-quanzhou-12345-2026-dwys" / "publication.txt"
SAMPLE_SHA = "531ed8e3a56163de88a81f93eb42e47c4c9ec4f0277f9ca7b9b97b43ba94afdb"
HEADER = "document_id,issuer,region,fiscal_year,kind,role,url,path,sha256,source\n"
CONTENT_TYPES = {".shtml": "text/html; charset=utf-8", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FAST_FETCH = {"min_interval": 0.0, "max_retries": 0, "jitter": False, "allow_private_addresses": True}


# -- the deployment object (no server) ----------------------------------------------------------


def test_deployment_has_an_annual_schedule_in_shanghai_time_and_the_parameters():
    from prefect.utilities.callables import parameter_schema
    from yusuan.flows.deployment import annual_ingest, build_deployment

    deployment = build_deployment()
    assert deployment.name == "annual"
    assert deployment.flow_name == "yusuan-annual"
    assert deployment.entrypoint == "flows/deployment.py:annual_ingest"
    [schedule] = deployment.schedules
    assert schedule.active
    assert schedule.schedule.cron == "0 6 1 3 *"  # 06:00 on 1 March
    assert schedule.schedule.timezone == "Asia/Shanghai"
    assert deployment.parameters == {"year": None, "manifest": "raw/sources.csv", "output": "output", "targets": ["folder", "catalogue"]}
    properties = parameter_schema(annual_ingest.fn).properties
    assert {"year", "manifest", "output", "targets", "force", "runner", "workers", "dask_address"} <= set(properties)

    other = build_deployment(name="annual-2026", year=2026, targets=["folder", "ckan"])
    assert other.name == "annual-2026" and other.parameters["year"] == 2026
    assert other.parameters["targets"] == ["folder", "ckan"]


def test_the_next_runs_are_on_1_march_at_6_in_shanghai():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import anyio
    from prefect.server.schemas.schedules import CronSchedule
    from yusuan.flows.deployment import build_deployment

    declared = build_deployment().schedules[0].schedule
    schedule = CronSchedule(cron=declared.cron, timezone=declared.timezone)  # the server's view of it
    shanghai = ZoneInfo("Asia/Shanghai")

    async def next_two():
        return await schedule.get_dates(n=2, start=datetime(2026, 11, 27, tzinfo=shanghai))

    runs = [d.astimezone(shanghai) for d in anyio.run(next_two)]
    assert [(d.year, d.month, d.day, d.hour, d.minute) for d in runs] == [(2027, 3, 1, 6, 0), (2028, 3, 1, 6, 0)]


def test_unknown_targets_are_skipped_with_a_warning(caplog):
    from yusuan.flows.targets import TARGETS, publish_targets, split_targets

    assert split_targets(["folder", "nowhere", " folder", "", "ckan"]) == (["folder", "ckan"], ["nowhere"])
    seen = []
    TARGETS["test-target"] = lambda outcomes, output: seen.append((len(outcomes), output))
    try:
        with caplog.at_level(logging.WARNING):
            assert publish_targets(["test-target", "nowhere"], [{}], Path("out")) == ["test-target"]
    finally:
        del TARGETS["test-target"]
    assert seen == [(1, Path("out"))]
    assert "target 'nowhere' is not available" in caplog.text


# -- flow runs against a temporary server ---------------------------------------------------------


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def parses(monkeypatch):
    import yusuan.ingest.publication

    calls: list[str] = []
    real = yusuan.ingest.publication.parse_document

    def counting(document, *args, **kwargs):
        calls.append(document.document_id)
        return real(document, *args, **kwargs)

    monkeypatch.setattr(yusuan.ingest.publication, "parse_document", counting)
    return calls


class FileServer:
    """Static files with ETag; answers If-None-Match with 304; counts what it sent."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.sent: Counter[str] = Counter()
        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body = state.files.get(self.path)
                if body is None:
                    state.sent["404"] += 1
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    state.sent["304"] += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                state.sent["200"] += 1
                self.send_response(200)
                self.send_header("Content-Type", CONTENT_TYPES.get(Path(self.path).suffix, "text/plain; charset=utf-8"))
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def file_server():
    server = FileServer({"/2026/a.txt": SAMPLE.read_bytes(), "/2026/b.txt": SAMPLE.read_bytes() + b"\n"})
    yield server
    server.close()


def _read(coroutine_function):
    import anyio

    return anyio.run(coroutine_function)


def test_second_flow_run_over_an_unchanged_manifest_downloads_and_parses_nothing(harness, tmp_path, parses, file_server):
    from prefect.client.orchestration import get_client
    from yusuan.flows.ingest import ingest

    manifest = tmp_path / "raw" / "sources.csv"
    manifest.parent.mkdir()
    manifest.write_text(
        HEADER
        + f"a-2026-dwys,某单位,福建省泉州市,2026,单位预算,full,{file_server.url('/2026/a.txt')},,{SAMPLE_SHA},\n"
        + f"b-2026-dwys,某单位,福建省泉州市,2026,单位预算,full,{file_server.url('/2026/b.txt')},,,\n"
        + f"gone-2026-dwys,某单位,福建省泉州市,2026,单位预算,full,{file_server.url('/2026/gone.txt')},,,\n"
        + "old-2025-dwys,某单位,福建省泉州市,2025,单位预算,full,,old.txt,,\n",
        encoding="utf-8",
    )
    shutil.copy(SAMPLE, manifest.parent / "old.txt")
    output = tmp_path / "output"

    first = ingest(manifest=manifest, output_dir=output, year=2026, fetch_options=FAST_FETCH)
    assert [(o["document_id"], o["status"]) for o in first] == [("a-2026-dwys", "published"), ("b-2026-dwys", "published"), ("gone-2026-dwys", "failed")]
    assert "HTTP 404" in first[2]["error"] and f"{manifest}:4" in first[2]["error"]  # reported, the rest went on
    assert file_server.sent == {"200": 2, "404": 1} and sorted(parses) == ["a-2026-dwys", "b-2026-dwys"]
    assert sorted(p.name for p in output.iterdir() if not p.name.startswith(".")) == ["a-2026-dwys", "b-2026-dwys"]
    assert (manifest.parent / "archive" / "sha256").is_dir()

    second = ingest(manifest=manifest, output_dir=output, year=2026, fetch_options=FAST_FETCH)
    assert [o["status"] for o in second] == ["cached", "cached", "failed"]
    assert file_server.sent == {"200": 2, "304": 2, "404": 2}  # nothing downloaded again
    assert len(parses) == 2  # nothing parsed again

    forced = ingest(manifest=manifest, output_dir=output, only=["a-2026-dwys"], force=True, fetch_options=FAST_FETCH)
    assert [o["status"] for o in forced] == ["published"] and parses[2:] == ["a-2026-dwys"]

    async def runs():
        async with get_client() as client:
            return await client.read_flow_runs(), await client.read_task_runs(), await client.read_artifacts()

    flow_runs, task_runs, artifacts = _read(runs)
    names = {r.name for r in flow_runs}
    assert {"ingest sources.csv 2026", "ingest sources.csv (1 selected) force"} <= names
    assert {"a-2026-dwys", "b-2026-dwys", "resolve batch 1/1: 3 publications, 3 to download"} <= {r.name for r in task_runs}
    summaries = [a for a in artifacts if a.key == "yusuan-ingest-summary"]
    assert any("| 3 | 2 | 0 | 2 | 0 | 2 | 0 | 1 | 0 |" in a.data for a in summaries)  # the first run's counts
    assert any("| 3 | 0 | 2 | 0 | 2 | 0 | 0 | 1 | 0 |" in a.data for a in summaries)  # the second run's counts


def test_annual_flow_ingests_one_year_and_skips_unknown_targets(harness, tmp_path):
    from yusuan.flows.deployment import annual_ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "raw" / "sources.csv", raw / "sources.csv")
    shutil.copytree(ROOT / "raw" / "fj-quanzhou-12345-2026-dwys", raw / "fj-quanzhou-12345-2026-dwys")
    counts = annual_ingest(year=2026, manifest=str(raw / "sources.csv"), output=str(tmp_path / "output"), targets=["folder", "catalogue", "nowhere"])
    assert counts["documents"] == 1 and counts["published"] == 1 and counts["failed"] == 0
    assert (tmp_path / "output" / "fj-quanzhou-12345-2026-dwys" / "datapackage.json").is_file()
    assert (tmp_path / "output" / "catalogue" / "datasets" / "fj-quanzhou-12345-2026-dwys.html").is_file()
    again = annual_ingest(year=2026, manifest=str(raw / "sources.csv"), output=str(tmp_path / "output"))
    assert again["cached"] == 1 and again["parsed"] == 0


def test_a_page_by_url_is_ingested_with_its_attachment_and_asked_for_conditionally_again(harness, tmp_path, parses):
    """The flow over a manifest that lists 昆明 审计局's page by URL: its XLSX attachment (a real
    fixture served in its place) is fetched and read with it; the second run asks for both with
    If-None-Match, downloads nothing and parses nothing (tests/unit/test_html_attachments.py
    has the rest)."""
    import json

    from yusuan.flows.ingest import ingest

    page = ROOT / "tests" / "fixtures" / "html-attachments" / "km-shenji-2026-bmys.html"
    xlsx = ROOT / "tests" / "fixtures" / "office" / "fj-quanzhou-12345-2026-dwys.calc.xlsx"
    server = FileServer({"/c/2026-02-12/5081234.shtml": page.read_bytes(), "/upload/resources/file/2026/02/12/4174854.xlsx": xlsx.read_bytes()})
    try:
        manifest = tmp_path / "raw" / "sources.csv"
        manifest.parent.mkdir()
        manifest.write_text(HEADER + f"km-shenji-2026-bmys,昆明市审计局（汇总）,云南省昆明市,2026,部门预算,full,{server.url('/c/2026-02-12/5081234.shtml')},,,\n", encoding="utf-8")
        output = tmp_path / "output"
        (first,) = ingest(manifest=manifest, output_dir=output, fetch_options=FAST_FETCH)
        assert first["status"] == "published" and first["tables"] > 0 and first["fetch"]["downloaded"] == 2
        sources = json.loads((output / "km-shenji-2026-bmys" / "datapackage.json").read_text(encoding="utf-8"))["sources"]
        assert [(s["role"], s["path"]) for s in sources] == [("full", server.url("/c/2026-02-12/5081234.shtml")), ("tables", server.url("/upload/resources/file/2026/02/12/4174854.xlsx"))]
        (second,) = ingest(manifest=manifest, output_dir=output, fetch_options=FAST_FETCH)
        assert second["status"] == "cached" and second["fetch"]["not_modified"] == 2
        assert server.sent == {"200": 2, "304": 2} and parses == ["km-shenji-2026-bmys"]
    finally:
        server.close()
