"""The attachments of an HTML publication page: links found, the issuer's own followed (a page
fetched by URL), other units' never merged, unread links named (a local page).

The pages are copies of real pages of the wide corpus (tests/fixtures/html-attachments/,
SOURCES.csv): 昆明's two 部门预算 pages link one XLSX of the same publication by a
root-relative href; 重庆's 宣传部 page links eight PDFs, each a different unit's (or level's)
own budget. The attachments are not in the corpus: the loopback server serves real fixture
files in their place.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from tests.unit.static_site import StaticSite
from yusuan.core.model import SourceDocument, SourceFile
from yusuan.extract.html_links import AttachmentLink, attachment_links, is_attachment_url
from yusuan.ingest.attachments import FOUND_FILE
from yusuan.ingest.fetch.download import FetchPolicy, HostLimiter, RawArchive
from yusuan.ingest.run import RunOptions, run_publications
from yusuan.ingest.sources import read_sources, resolve
from yusuan.package.page_attachments import own_and_others, unread_attachment_findings
from yusuan.package.process import process_document
from yusuan.package.writer import publish_package

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "html-attachments"
CQ = PAGES / "cq-xuanchuan-2026-bmys.html"
KM_SHENJI = PAGES / "km-shenji-2026-bmys.html"
KM_ZFB = PAGES / "km-zfb-2026-bmys.html"
XLSX = ROOT / "tests" / "fixtures" / "office" / "fj-quanzhou-12345-2026-dwys.calc.xlsx"
PDF = ROOT / "tests" / "fixtures" / "corpus-wide-pages" / "bj-xinfang-2026-bmys-p5-p6.pdf"
KM_XLSX_PATH = "/upload/resources/file/2026/02/12/4174854.xlsx"
CQ_ISSUER = "中共重庆市委宣传部"
CQ_LABELS = [
    "1．中共重庆市委宣传部", "2．中共重庆市委宣传部（本级）", "3．重庆市社会思想动态研究中心", "4．重庆市出版监测中心",
    "5．重庆市版权保护中心", "6．重庆市新时代文明实践指导中心", "7．重庆市新闻工作者协会", "8．重庆红岩革命历史文化中心",
]
HEADER = "document_id,issuer,region,fiscal_year,kind,role,url,path,sha256,source\n"
FAST = FetchPolicy(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, jitter=False, min_interval=0, max_per_host=4, allow_private_addresses=True)
def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- links found ------------------------------------------------------------------------------


def test_links_of_the_chongqing_page_are_its_eight_absolute_pdf_links():
    links = attachment_links(CQ.read_bytes(), CQ.name)
    assert [link.label for link in links] == CQ_LABELS
    assert links[0].url == "http://images.wenming.cn/web_cq/gggs/202603/W020260302537384806293.pdf"
    assert links[1].url == "http://images1.wenming.cn/web_cq/gggs/202603/W020260302421824996655.pdf"
    assert all(link.url.endswith(".pdf") for link in links)


@pytest.mark.parametrize(
    ("page", "href", "title"),
    [
        (KM_SHENJI, KM_XLSX_PATH, "昆明市审计局（汇总）2026年预算公开目录附表"),
        (KM_ZFB, "/upload/resources/file/2026/03/11/4179587.xlsx", "昆明市人民政府机关2026年部门预算公开表"),
    ],
)
def test_links_of_the_kunming_pages_resolve_against_the_page_url(page, href, title):
    (local,) = attachment_links(page.read_bytes(), page.name)
    assert local.url == href  # a local page: as printed (its <base> gives a target, not a URL)
    assert local.title == title and local.label == title  # text and title say the same here
    (fetched,) = attachment_links(page.read_bytes(), page.name, "https://www.km.gov.cn/c/2026-02-12/5081234.shtml")
    assert fetched.url == "https://www.km.gov.cn" + href


def test_base_href_case_query_strings_and_what_is_not_an_attachment():
    page = b"""<html><head><base href="https://czj.example.gov.cn/files/"></head><body>
    <a href="2026/Budget.PDF?id=3">A</a> <a href="2026/Budget.PDF?id=3">again</a>
    <a href="/t/tables.XLSX#sheet">B</a> <a href="news.html">news</a> <a href="x.pdf.html">page</a>
    <a href="b.docx" title="T"></a> <a>no href</a></body></html>"""
    links = attachment_links(page, "page.html", "https://www.example.gov.cn/a/b.html")
    assert [(link.url, link.label) for link in links] == [
        ("https://czj.example.gov.cn/files/2026/Budget.PDF?id=3", "A"),
        ("https://czj.example.gov.cn/t/tables.XLSX#sheet", "B"),
        ("https://czj.example.gov.cn/files/b.docx", "T"),
    ]
    assert is_attachment_url("https://x.gov.cn/a.Xls?download=1") and not is_attachment_url("https://x.gov.cn/a.xls/view")


# -- whose the links are ---------------------------------------------------------------------


def test_the_chongqing_department_follows_only_its_own_link_not_its_benji_nor_the_units():
    links = attachment_links(CQ.read_bytes(), CQ.name)
    own, others = own_and_others(links, CQ_ISSUER, "部门预算")
    assert [link.label for link in own] == CQ_LABELS[:1]
    assert [link.label for link in others] == CQ_LABELS[1:]
    # the 本级 publication (a 单位预算) has its own link
    own, _ = own_and_others(links, "中共重庆市委宣传部（本级）", "单位预算")
    assert [link.label for link in own] == CQ_LABELS[1:2]


def test_one_link_is_the_page_s_own_even_when_it_does_not_print_the_issuer():
    (link,) = attachment_links(KM_ZFB.read_bytes(), KM_ZFB.name)
    assert own_and_others([link], "昆明市人民政府办公室机关", "部门预算") == ([link], [])
    two = [link, AttachmentLink("https://x.gov.cn/b.pdf", "附表2")]
    assert own_and_others(two, "昆明市人民政府办公室机关", "部门预算") == ([], two)  # several, none named: none merged


# -- a local page: the links named in the checks --------------------------------------------------


def local_document(page: Path, issuer: str, doc_id: str) -> SourceDocument:
    return SourceDocument(doc_id, issuer, "某地", 2026, "部门预算", (SourceFile(page, "full", sha(page)),))


def test_a_local_page_names_the_links_it_did_not_read():
    cq = unread_attachment_findings(local_document(CQ, CQ_ISSUER, "cq-xuanchuan-2026-bmys"))
    assert [(f.check_id, f.severity) for f in cq] == [("attachments_read", "warning")] + [("attachments_read", "info")] * 7
    assert cq[0].actual == "http://images.wenming.cn/web_cq/gggs/202603/W020260302537384806293.pdf" and cq[0].actual in cq[0].message
    (km,) = unread_attachment_findings(local_document(KM_ZFB, "昆明市人民政府办公室机关", "km-zfb-2026-bmys"))
    assert km.severity == "warning" and km.message.endswith(": /upload/resources/file/2026/03/11/4179587.xlsx")


def test_a_local_page_s_package_shows_the_unread_attachment_in_its_checks():
    result = process_document(local_document(KM_SHENJI, "昆明市审计局（汇总）", "km-shenji-2026-bmys"))
    (row,) = [c for c in result.resources["checks"] if c["check_id"] == "attachments_read"]
    assert row["status"] == "failed" and row["severity"] == "warning" and KM_XLSX_PATH in row["message"]
    assert row["file_name"] == KM_SHENJI.name


# -- a page fetched by URL ----------------------------------------------------------------------


def manifest(tmp_path: Path, url: str, doc_id: str, issuer: str) -> Path:
    path = tmp_path / "sources.csv"
    path.write_text(HEADER + f"{doc_id},{issuer},云南省昆明市,2026,部门预算,full,{url},,,\n", encoding="utf-8")
    return path


def test_a_page_by_url_gets_its_attachment_as_a_tables_file_with_its_own_url_and_sha256(tmp_path):
    page_path = "/c/2026-02-12/5081234.shtml"
    with StaticSite({page_path: KM_SHENJI.read_bytes(), KM_XLSX_PATH: XLSX.read_bytes()}) as site:
        (publication,) = read_sources(manifest(tmp_path, site.root + page_path, "km-shenji-2026-bmys", "昆明市审计局（汇总）"))
        archive = RawArchive(tmp_path / "archive")
        resolved = resolve(publication, archive, FAST, limiter=HostLimiter())
        assert resolved.ok and resolved.downloaded == 2 and not resolved.document.findings
        page, table = resolved.document.files
        assert (page.role, page.sha256, page.url) == ("full", sha(KM_SHENJI), site.root + page_path)
        assert (table.role, table.sha256, table.url, table.name) == ("tables", sha(XLSX), site.root + KM_XLSX_PATH, "4174854.xlsx")
        assert table.path.read_bytes() == XLSX.read_bytes()

        again = resolve(publication, archive, FAST, limiter=HostLimiter())  # conditional requests for both
        assert again.not_modified == 2 and again.downloaded == 0 and again.document == resolved.document

    result = process_document(resolved.document)
    rows = {(r["file_name"], r["file_role"], r["sha256"]) for r in result.resources["source_files"]}
    assert rows == {(page.name, "full", page.sha256), ("4174854.xlsx", "tables", table.sha256)}
    amounts = result.resources["amounts"]
    assert amounts and {(r["file_name"], r["sha256"]) for r in amounts} == {("4174854.xlsx", table.sha256)}
    assert {(r["file_name"], r["sha256"]) for r in result.resources["narrative_figures"]} == {(page.name, page.sha256)}
    assert not [c for c in result.resources["checks"] if c["check_id"] in ("attachments_read", "publication_has_tables")]

    folder, _ = publish_package(result, tmp_path / "out")
    sources = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["sources"]
    assert [(s["role"], s["path"], s["sha256"]) for s in sources] == [("full", page.url, page.sha256), ("tables", table.url, table.sha256)]


def test_a_failed_attachment_does_not_lose_the_publication(tmp_path):
    page_path = "/c/2026-02-12/5081234.shtml"
    with StaticSite({page_path: KM_SHENJI.read_bytes()}) as site:  # the XLSX answers 404
        (publication,) = read_sources(manifest(tmp_path, site.root + page_path, "km-shenji-2026-bmys", "昆明市审计局（汇总）"))
        resolved = resolve(publication, RawArchive(tmp_path / "archive"), FAST, limiter=HostLimiter())
    assert resolved.ok and [f.role for f in resolved.document.files] == ["full"]
    (finding,) = resolved.document.findings
    assert finding.severity == "warning" and finding.actual == site.root + KM_XLSX_PATH
    assert "HTTP 404" in finding.message and site.root + KM_XLSX_PATH in finding.message

    result = process_document(resolved.document)
    assert not result.is_blocked
    (row,) = [c for c in result.resources["checks"] if c["check_id"] == "attachments_read"]
    assert row["status"] == "failed" and "HTTP 404" in row["message"] and site.root + KM_XLSX_PATH in row["message"]


def chongqing_site_files(root: str) -> dict[str, bytes]:
    """The 重庆 page with its two image hosts pointed at the loopback site, and the department's own PDF."""
    page = CQ.read_bytes().replace(b"http://images1.wenming.cn", root.encode()).replace(b"http://images.wenming.cn", root.encode())
    return {"/web_cq/gggs/202603/t20260302_1.shtml": page, "/web_cq/gggs/202603/W020260302537384806293.pdf": PDF.read_bytes()}


def test_a_page_linking_other_units_merges_none_of_them_and_drafts_their_manifest_lines(tmp_path):
    with StaticSite({}) as site:
        site.files.update(chongqing_site_files(site.root))
        sources = tmp_path / "sources.csv"
        sources.write_text(HEADER + f"cq-xuanchuan-2026-bmys,{CQ_ISSUER},重庆市,2026,部门预算,full,{site.root}/web_cq/gggs/202603/t20260302_1.shtml,,,\n", encoding="utf-8")
        warnings: list[str] = []
        (outcome,) = run_publications(sources, tmp_path / "out", RunOptions(policy=FAST, archive_dir=tmp_path / "archive", on_warning=warnings.append))
    fetched = {path for path, count in site.requests.items() if count}
    assert fetched == {"/web_cq/gggs/202603/t20260302_1.shtml", "/web_cq/gggs/202603/W020260302537384806293.pdf"}  # no other unit asked for
    assert outcome["status"] == "published", outcome
    package = json.loads((tmp_path / "out" / "cq-xuanchuan-2026-bmys" / "datapackage.json").read_text(encoding="utf-8"))
    page = site.files["/web_cq/gggs/202603/t20260302_1.shtml"]
    assert [(s["role"], s["sha256"]) for s in package["sources"]] == [("full", hashlib.sha256(page).hexdigest()), ("tables", sha(PDF))]
    with (tmp_path / "out" / "cq-xuanchuan-2026-bmys" / "checks.csv").open(encoding="utf-8") as handle:
        notes = [row for row in csv.DictReader(handle) if row["check_id"] == "attachments_read"]
    assert len(notes) == 7 and {row["severity"] for row in notes} == {"info"}

    drafted = read_sources(tmp_path / "out" / FOUND_FILE)  # lines a user can add to the manifest as they are
    assert [p.issuer for p in drafted] == [label.split("．", 1)[1] for label in CQ_LABELS[1:]]
    assert [p.entries[0].url for p in drafted] == [f"{site.root}/web_cq/gggs/202603/{name}" for name in (
        "W020260302421824996655.pdf", "W020260302421825205723.pdf", "W020260302421825525665.pdf", "W020260302421825729798.pdf",
        "W020260302421825917702.pdf", "W020260302421826137528.pdf", "W020260302421826301033.pdf")]
    assert any(FOUND_FILE in w and "7" in w for w in warnings)


def test_a_page_s_own_attachments_are_fetched_up_to_the_policy_s_limit(tmp_path):
    """Links that all name the issuer are the page's own: past FetchPolicy.max_attachments
    they are not fetched, each named in a warning, and the publication is still resolved."""
    links = "".join(f'<p><a href="/f/{n}.pdf">{n}．中共重庆市委宣传部 附表{n}</a></p>' for n in range(1, 5))
    page = f"<html><body><p>中共重庆市委宣传部2026年部门预算</p>{links}</body></html>".encode()
    files = {"/page.shtml": page} | {f"/f/{n}.pdf": PDF.read_bytes() + str(n).encode() for n in range(1, 5)}
    with StaticSite(files) as site:
        path = tmp_path / "sources.csv"
        path.write_text(HEADER + f"cq-2026-bmys,{CQ_ISSUER},重庆市,2026,部门预算,full,{site.root}/page.shtml,,,\n", encoding="utf-8")
        policy = FetchPolicy(**{**FAST.__dict__, "max_attachments": 2})
        resolved = resolve(read_sources(path)[0], RawArchive(tmp_path / "archive"), policy, limiter=HostLimiter())
    assert [f.name for f in resolved.document.files] == ["page.shtml.html", "1.pdf", "2.pdf"]
    assert site.requests == Counter({"/page.shtml": 1, "/f/1.pdf": 1, "/f/2.pdf": 1})
    assert [(f.severity, f.actual) for f in resolved.document.findings] == [("warning", f"{site.root}/f/3.pdf"), ("warning", f"{site.root}/f/4.pdf")]
    assert "more than 2 attachments" in resolved.document.findings[0].message
