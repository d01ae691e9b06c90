"""The sources manifest: validation (one-line errors naming the line) and resolving files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.unit.static_site import StaticSite
from yusuan.core.errors import ManifestError
from yusuan.ingest.fetch.download import FetchPolicy, HostLimiter, RawArchive
from yusuan.ingest.sources import (
    file_name_for,
    read_manifest,
    read_sources,
    resolve,
    resolve_all,
    select,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "raw" / "fj-quanzhou-12345-2026-dwys" / "publication.txt"
SAMPLE_SHA = "531ed8e3a56163de88a81f93eb42e47c4c9ec4f0277f9ca7b9b97b43ba94afdb"
HEADER = "document_id,issuer,region,fiscal_year,kind,role,url,path,sha256,source\n"
FAST = FetchPolicy(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, jitter=False, min_interval=0, max_per_host=4, allow_private_addresses=True)


def write(tmp_path: Path, text: str, name: str = "sources.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line(doc="a-2026-dwys", issuer="某单位", region="某省", year="2026", kind="单位预算", role="full", url="", path="a.txt", sha="", note="") -> str:
    return f"{doc},{issuer},{region},{year},{kind},{role},{url},{path},{sha},{note}\n"


# -- the shipped manifest -----------------------------------------------------------------------


def test_shipped_sources_manifest_gives_the_same_documents_as_the_old_manifest():
    publications = read_sources(ROOT / "raw" / "sources.csv")
    documents = [resolve(p).document for p in publications]
    assert documents == read_manifest(ROOT / "raw" / "manifest.csv")
    assert [p.document_id for p in publications] == ["fj-quanzhou-12345-2026-dwys", "js-renda-2018-bmys", "js-renda-2019-bmys"]
    assert [e.role for e in publications[2].entries] == ["narrative", "tables"]


def test_old_manifest_format_is_read_too():
    publications = read_sources(ROOT / "raw" / "manifest.csv")
    assert len(publications) == 3 and all(not p.is_remote for p in publications)


def test_select_by_year_and_id():
    publications = read_sources(ROOT / "raw" / "sources.csv")
    assert [p.document_id for p in select(publications, year=2018)] == ["js-renda-2018-bmys"]
    assert [p.document_id for p in select(publications, only=["js-renda-2019-bmys"])] == ["js-renda-2019-bmys"]
    assert select(publications, only=["js-renda-2019-bmys"], year=2018) == []


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (line(year="20x6"), ":2: fiscal_year '20x6' is not a year"),
        (line(year="1890"), ":2: fiscal_year 1890 is out of range"),
        (line(kind="预算"), ":2: kind '预算' is not one of"),
        (line(role="annex"), ":2: role 'annex' is not one of full, narrative, tables, page"),
        (line(doc="A 2026"), ":2: document_id 'A 2026' must be lower-case"),
        (line(url="ftp://x.gov.cn/a.pdf", path=""), ":2: url 'ftp://x.gov.cn/a.pdf' is not an http(s) URL"),
        (line(url="https://x.gov.cn/a.pdf"), ":2: give a url or a path, not both"),
        (line(path=""), ":2: no url and no path"),
        (line(sha="abc"), ":2: sha256 'abc' is not 64 hex digits"),
        (line(issuer=""), ":2: empty issuer"),
        (line(role="narrative", path="n.pdf") + line(role="tables", path="t.pdf", year="2025"), ":3: fiscal_year '2025' differs from line 2"),
        (line(role="full", path="a.pdf") + line(role="tables", path="t.pdf"), ":2: role 'full' is a whole publication in one file"),
        (line(role="narrative", path="n.pdf") + line(role="tables", path="n.pdf"), ":3: n.pdf is already listed on line 2"),
        (line() + "b,某单位,某省,2026,单位预算,full,,b.txt,,note,extra\n", ":3: 11 fields, the header has 10"),
    ],
)
def test_bad_lines_are_one_line_errors_naming_the_line(tmp_path, text, message):
    manifest = write(tmp_path, HEADER + text)
    with pytest.raises(ManifestError) as error:
        read_sources(manifest)
    assert message in str(error.value)
    assert str(error.value).startswith(str(manifest) + ":")
    assert "\n" not in str(error.value)


def test_missing_columns_missing_file_and_not_utf8(tmp_path):
    with pytest.raises(ManifestError, match="manifest not found"):
        read_sources(tmp_path / "nope.csv")
    with pytest.raises(ManifestError, match=r":1: missing column\(s\) kind, role"):
        read_sources(write(tmp_path, "document_id,issuer,region,fiscal_year,path\n"))
    with pytest.raises(ManifestError, match=":1: needs a url or a path column"):
        read_sources(write(tmp_path, "document_id,issuer,region,fiscal_year,kind,role\n"))
    (tmp_path / "gbk.csv").write_bytes(HEADER.encode() + line(issuer="泉州").encode("gb18030"))
    with pytest.raises(ManifestError, match="not UTF-8"):
        read_sources(tmp_path / "gbk.csv")


def test_blank_lines_bom_and_short_lines_are_accepted(tmp_path):
    text = "\ufeff" + HEADER + "\n" + line() + "b-2026-dwys,某单位,某省,2026,单位预算,full,,b.txt\n"
    publications = read_sources(write(tmp_path, text))
    assert [p.document_id for p in publications] == ["a-2026-dwys", "b-2026-dwys"]
    assert publications[1].entries[0].path == (tmp_path / "b.txt").resolve()


# -- resolving local files ----------------------------------------------------------------------


def test_a_missing_file_or_a_bad_checksum_fails_only_its_publication(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "good.txt")
    shutil.copy(SAMPLE, tmp_path / "other.txt")
    text = HEADER + line(doc="good", path="good.txt", sha=SAMPLE_SHA) + line(doc="gone", path="gone.txt") + line(doc="changed", path="other.txt", sha="0" * 64)
    manifest = write(tmp_path, text)
    good, gone, changed = resolve_all(read_sources(manifest))
    assert good.ok and good.document.files[0].sha256 == SAMPLE_SHA and good.local == 1
    assert not gone.ok and gone.error == f"{manifest}:3: file {tmp_path / 'gone.txt'} not found"
    assert not changed.ok and changed.error.startswith(f"{manifest}:4: sha256 of other.txt does not match the manifest")


# -- resolving URLs ---------------------------------------------------------------------------


def test_urls_are_downloaded_into_the_archive_then_asked_for_conditionally(tmp_path):
    with StaticSite({"/2026/%E6%B3%89%E5%B7%9E.txt": SAMPLE.read_bytes()}) as server:
        url = server.url("/2026/%E6%B3%89%E5%B7%9E.txt")
        manifest = write(tmp_path, HEADER + line(url=url, path="", sha=SAMPLE_SHA) + line(doc="b-2026-dwys", url=server.url("/gone.pdf"), path=""))
        archive = RawArchive(tmp_path / "archive")
        publications = read_sources(manifest)
        first, failed = (resolve(p, archive, FAST, limiter=HostLimiter()) for p in publications)
        assert first.ok and first.downloaded == 1 and server.sent["200"] == 1
        file = first.document.files[0]
        assert file.name == "泉州.txt" and file.sha256 == SAMPLE_SHA
        assert file.path.read_bytes() == SAMPLE.read_bytes()
        assert archive.find(SAMPLE_SHA).samefile(file.path)  # a link to the immutable blob
        assert first.document.source == url
        assert not failed.ok and failed.error.startswith(f"{manifest}:3: download failed: {server.url('/gone.pdf')}: HTTP 404")

        again = resolve(publications[0], archive, FAST, limiter=HostLimiter())
        assert again.ok and again.not_modified == 1 and again.downloaded == 0
        assert server.sent["200"] == 1 and server.sent["304"] == 1
        assert again.document == first.document


def test_a_url_entry_without_an_archive_fails_cleanly(tmp_path):
    manifest = write(tmp_path, HEADER + line(url="https://example.gov.cn/a.pdf", path=""))
    resolved = resolve(read_sources(manifest)[0], None)
    assert not resolved.ok and "no raw archive" in resolved.error


def test_file_names_for_downloads():
    assert file_name_for("https://x.gov.cn/a/b/2026%E5%B9%B4%E9%A2%84%E7%AE%97.pdf", "pdf") == "2026年预算.pdf"
    assert file_name_for("https://x.gov.cn/download?id=3", "pdf") == "download.pdf"
    assert file_name_for("https://x.gov.cn/", "xlsx") == "download.xlsx"
    assert file_name_for("https://x.gov.cn/a.PDF", "pdf") == "a.PDF"
