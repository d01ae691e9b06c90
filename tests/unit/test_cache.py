"""Incremental runs: the cache key, cache hits and misses, and no download / no parse when unchanged."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections import Counter
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import yusuan.ingest.cache
import yusuan.ingest.publication
from yusuan.core.model import SourceDocument, SourceFile
from yusuan.ingest.cache import ResultCache, cache_key, code_version
from yusuan.ingest.fetch.download import FetchPolicy
from yusuan.ingest.publication import ingest_document
from yusuan.ingest.run import RunOptions, run_publications

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "raw" / "fj-quanzhou-12345-2026-dwys" / "publication.txt"
SAMPLE_SHA = "531ed8e3a56163de88a81f93eb42e47c4c9ec4f0277f9ca7b9b97b43ba94afdb"
FAST = FetchPolicy(connect_timeout=2, read_timeout=5, max_retries=0, jitter=False, min_interval=0, max_per_host=4, allow_private_addresses=True)
HEADER = "document_id,issuer,region,fiscal_year,kind,role,url,path,sha256,source\n"


@pytest.fixture
def parses(monkeypatch):
    """Count the calls of the parser made by the incremental step."""
    calls: list[str] = []
    real = yusuan.ingest.publication.parse_document

    def counting(document, *args, **kwargs):
        calls.append(document.document_id)
        return real(document, *args, **kwargs)

    monkeypatch.setattr(yusuan.ingest.publication, "parse_document", counting)
    return calls


def sample_document(tmp_path: Path, name: str = "publication.txt", data: bytes | None = None) -> SourceDocument:
    path = tmp_path / name
    path.write_bytes(SAMPLE.read_bytes() if data is None else data)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return SourceDocument("fj-quanzhou-12345-2026-dwys", "泉州市12345政务服务便民热线中心", "福建省泉州市", 2026, "单位预算", (SourceFile(path, "full", sha),), "seed")


# -- the key ----------------------------------------------------------------------------------


def test_code_version_covers_version_schemas_and_library(tmp_path, monkeypatch):
    version = code_version()
    assert version.startswith(yusuan.__version__ + "+") and version == code_version()
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    monkeypatch.setenv("YUSUAN_SCHEMAS", str(schemas))
    code_version.cache_clear()
    try:
        assert code_version() == version  # same content, another place
        (schemas / "checks.yaml").write_text((schemas / "checks.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        code_version.cache_clear()
        assert code_version() != version
        monkeypatch.delenv("YUSUAN_SCHEMAS")
        code_version.cache_clear()
        library = tmp_path / "library"
        shutil.copytree(yusuan.ingest.cache.LIBRARY_DIR, library, ignore=shutil.ignore_patterns("__pycache__"))
        monkeypatch.setattr(yusuan.ingest.cache, "LIBRARY_DIR", library)
        assert code_version() == version
        (library / "core" / "numbers.py").write_text((library / "core" / "numbers.py").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        code_version.cache_clear()
        assert code_version() != version
    finally:
        code_version.cache_clear()


def test_cache_key_changes_with_files_metadata_and_code(tmp_path):
    document = sample_document(tmp_path)
    key = cache_key(document, "1+a")
    assert key == cache_key(document, "1+a")
    assert cache_key(document, "1+b") != key
    changed_file = replace(document, files=(replace(document.files[0], sha256="0" * 64),))
    assert cache_key(changed_file, "1+a") != key
    assert cache_key(replace(document, issuer="另一单位"), "1+a") != key


# -- hits and misses ------------------------------------------------------------------------------


def test_unchanged_document_is_not_parsed_again_changed_or_forced_is(tmp_path, parses):
    document = sample_document(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    first = ingest_document(document, output, cache)
    assert first["status"] == "published" and first["parsed"] and parses == [document.document_id]
    assert first["pages"] == 0 and first["amounts"] == 203
    # the parse ran in a worker: its CPU and memory are counted in the outcome
    assert first["library_cpu_seconds"] > 0 and first["worker_peak_rss_mib"] > 0

    second = ingest_document(document, output, cache)
    assert second["status"] == "cached" and second["cached"] and not second["parsed"]
    assert second["amounts"] == first["amounts"] and second["path"] == first["path"]
    assert second["library_cpu_seconds"] == 0 and second["worker_peak_rss_mib"] == 0
    assert len(parses) == 1

    assert ingest_document(document, output, cache, force=True)["status"] == "published"
    assert len(parses) == 2

    edited = sample_document(tmp_path, data=SAMPLE.read_bytes() + b"\n")
    assert ingest_document(edited, output, cache)["status"] == "published"
    assert len(parses) == 3
    assert ingest_document(edited, output, cache)["status"] == "cached"
    assert len(parses) == 3

    assert ingest_document(edited, output, None)["status"] == "published"  # no cache at all
    assert len(parses) == 4


def test_a_changed_or_missing_package_is_rebuilt(tmp_path, parses):
    document = sample_document(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    ingest_document(document, output, cache)
    package = output / document.document_id
    (package / "amounts.csv").write_text("tampered\n", encoding="utf-8")
    assert ingest_document(document, output, cache)["status"] == "published"
    shutil.rmtree(package)
    assert ingest_document(document, output, cache)["status"] == "published"
    assert ingest_document(document, tmp_path / "elsewhere", cache)["status"] == "published"  # per output folder
    assert len(parses) == 4
    assert ingest_document(document, output, cache)["status"] == "cached"
    assert ingest_document(document, tmp_path / "elsewhere", cache)["status"] == "cached"


def test_a_new_code_version_invalidates(tmp_path, parses, monkeypatch):
    document = sample_document(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    ingest_document(document, output, cache)
    monkeypatch.setattr(yusuan.ingest.cache, "code_version", lambda: "0.0.0+other")
    assert ingest_document(document, output, cache)["status"] == "published"
    assert len(parses) == 2


def test_unreadable_publications_are_cached_as_failed(tmp_path, parses):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n")
    document = SourceDocument("broken-2020-bmys", "某单位", "某省", 2020, "部门预算", (SourceFile(broken, "full", hashlib.sha256(broken.read_bytes()).hexdigest()),))
    first = ingest_document(document, tmp_path / "output", tmp_path / "cache")
    assert first["status"] == "failed" and "broken.pdf" in first["error"]
    second = ingest_document(document, tmp_path / "output", tmp_path / "cache")
    assert second["status"] == "failed" and second["cached"] and second["error"] == first["error"]
    assert parses == ["broken-2020-bmys"]
    assert not (tmp_path / "output" / "broken-2020-bmys").exists()


def test_a_corrupt_cache_entry_is_a_miss(tmp_path, parses):
    document = sample_document(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    ingest_document(document, output, cache)
    entry = ResultCache(cache)._entry_path(document.document_id, output)  # noqa: SLF001
    entry.write_text("{not json", encoding="utf-8")
    assert ingest_document(document, output, cache)["status"] == "published"
    assert len(parses) == 2


# -- a whole incremental run over a manifest with URLs ---------------------------------------------


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
                body = state.files[self.path]
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    state.sent["304"] += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                state.sent["200"] += 1
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
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


def test_second_run_over_an_unchanged_manifest_downloads_and_parses_nothing(tmp_path, parses):
    server = FileServer({"/a.txt": SAMPLE.read_bytes(), "/b.txt": SAMPLE.read_bytes() + b"\n"})
    try:
        manifest = tmp_path / "raw" / "sources.csv"
        manifest.parent.mkdir()
        shutil.copy(SAMPLE, manifest.parent / "local.txt")
        manifest.write_text(
            HEADER
            + f"a-2026-dwys,某单位,福建省泉州市,2026,单位预算,full,{server.url('/a.txt')},,{SAMPLE_SHA},\n"
            + f"b-2026-dwys,某单位,福建省泉州市,2026,单位预算,full,{server.url('/b.txt')},,,\n"
            + "c-2026-dwys,某单位,福建省泉州市,2026,单位预算,full,,local.txt,,\n",
            encoding="utf-8",
        )
        output = tmp_path / "output"
        first = run_publications(manifest, output, RunOptions(policy=FAST))
        assert [o["status"] for o in first] == ["published"] * 3
        assert server.sent == {"200": 2} and len(parses) == 3
        assert (output / ".cache").is_dir() and not (manifest.parent / "archive" / "cache").exists()

        second = run_publications(manifest, output, RunOptions(policy=FAST))
        assert [o["status"] for o in second] == ["cached"] * 3
        assert server.sent == {"200": 2, "304": 2}  # asked, nothing downloaded
        assert len(parses) == 3  # nothing parsed
        assert [o["fetch"] for o in second] == [{"downloaded": 0, "not_modified": 1, "local": 0}] * 2 + [{"downloaded": 0, "not_modified": 0, "local": 1}]

        server.files["/b.txt"] = SAMPLE.read_bytes() + b"\n\n"  # republished upstream
        third = run_publications(manifest, output, RunOptions(policy=FAST))
        assert [o["status"] for o in third] == ["cached", "published", "cached"]
        assert server.sent["200"] == 3 and parses[3:] == ["b-2026-dwys"]

        forced = run_publications(manifest, output, RunOptions(force=True, only=["a-2026-dwys"], policy=FAST))
        assert [o["status"] for o in forced] == ["published"] and parses[4:] == ["a-2026-dwys"]
    finally:
        server.close()
