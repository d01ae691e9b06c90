"""Drafting a manifest from the documents (yusuan/ingest/drafting.py): identity, region, pairing, ids.

The corpus test reads tests/fixtures/identity_evidence.json, the identity reader's input for
every publication of both corpora with the manifests' values, written by
``benchmarks/identity.py --write-fixture`` (the PDFs of the wide corpus are not in the repo).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yusuan.core.errors import ManifestError
from yusuan.core.ids import document_id_problem
from yusuan.ingest.drafting import (
    Evidence,
    FileReading,
    document_id_for,
    draft_publication,
    manifest_rows,
    manifest_text,
    pair_files,
    reading_from_evidence,
    region_of,
    write_manifest,
)
from yusuan.ingest.sources import read_sources
from yusuan.interpret.identity import PrintedIdentity, identity_from_text

ROOT = Path(__file__).resolve().parents[2]
EVIDENCE = ROOT / "tests" / "fixtures" / "identity_evidence.json"
SHA_A, SHA_B = "a" * 64, "b" * 64


@pytest.mark.parametrize(("issuer", "region"), [
    ("泉州市公安局", "福建省泉州市"),
    ("江苏省人大常委会办公厅", "江苏省"),
    ("中共重庆市委宣传部", "重庆市"),
    ("上海钻石宝玉石交易联合管理办公室", "上海市"),
    ("上海市普陀区人民政府万里街道办事处", "上海市普陀区"),
    ("上海市社区服务中心", "上海市"),  # 社区 is not a district
    ("首都绿化委员会办公室", "北京市"),
    ("长沙职业教育基地综合协调办公室", "湖南省长沙市"),
    ("吉林市财政局", "吉林省吉林市"),
    ("吉林省财政厅", "吉林省"),
    ("某某自治州财政局", "某某自治州"),  # not in regions.yaml: the printed prefix
    ("省人大办公厅", ""),  # no place named
])
def test_region_from_the_issuers_name(issuer, region):
    assert region_of(issuer)[0] == region
    assert bool(region_of(issuer)[1]) == bool(region)  # how it was read is always said


def test_document_ids_are_plain_stable_and_distinct():
    first = document_id_for(2026, "单位预算", [SHA_A])
    assert first == "doc-2026-dwys-aaaaaaaa" and document_id_problem(first) is None
    pair = document_id_for(2019, "部门预算", [SHA_A, SHA_B])
    assert pair.startswith("doc-2019-bmys-") and pair != document_id_for(2019, "部门预算", [SHA_B, SHA_A])
    assert document_id_for(2026, "单位预算", [SHA_A], {first}) == f"{first}-2"


def test_identity_from_a_broken_cover():
    printed = identity_from_text(["江苏省人大常委会办公厅", "2019年度部门预算公开", "目 录", "第一部分 2019年度部门预算情况说明"], [])
    assert (printed.issuer, printed.fiscal_year, printed.kind) == ("江苏省人大常委会办公厅", 2019, "部门预算")
    assert printed.issuer_from == "the cover"


def test_a_breadcrumb_is_not_part_of_the_title():
    printed = identity_from_text(["首页", "部门预决算及“三公”经费", "昆明市审计局（汇总）2026年预算公开", "第一部分 昆明市审计局（汇总）2026年部门预算编制说明"], [])
    assert (printed.issuer, printed.fiscal_year, printed.kind) == ("昆明市审计局(汇总)", 2026, "部门预算")


def test_kind_from_the_headings_when_the_title_does_not_say():
    printed = identity_from_text(["2018 年度江苏省高级", "人民法院预算公开", "目 录", "第一部分 部门概况", "一、主要职能。"], [])
    assert (printed.fiscal_year, printed.kind) == (2018, "部门预算")
    assert "部门概况" in printed.kind_from


def _reading(name: str, issuer: str, year: int | None, kind: str = "", tables: int = 0, folder: str = "a") -> FileReading:
    return FileReading(Path(folder) / name, (name * 64)[:64], PrintedIdentity(issuer, year, kind, "the cover", "the cover", "the cover"), tables)


def test_a_narrative_and_its_tables_are_one_publication():
    narrative = _reading("n.pdf", "江苏省人大常委会办公厅", 2019, "部门预算")
    tables = _reading("t.pdf", "江苏省人大常委会办公厅", 2019, tables=12)
    other = _reading("x.pdf", "泉州市公安局", 2026, "部门预算", tables=9)
    groups = pair_files([narrative, other, tables])
    assert [[(r.name, role) for r, role in g] for g in groups] == [[("n.pdf", "narrative"), ("t.pdf", "tables")], [("x.pdf", "full")]]


def test_files_of_different_years_are_not_paired():
    groups = pair_files([_reading("n.pdf", "甲局", 2019), _reading("t.pdf", "甲局", 2020, tables=3, folder="b")])
    assert [len(g) for g in groups] == [1, 1]


def test_the_only_narrative_and_tables_file_of_a_folder_are_paired():
    # tables printing neither issuer nor year (预算01表 收支总表), in the same folder
    groups = pair_files([_reading("n.pdf", "北京市审计局", 2026, "部门预算"), _reading("t.pdf", "", None, tables=13)])
    assert [[role for _, role in g] for g in groups] == [["narrative", "tables"]]


def test_a_value_that_cannot_be_read_fails_with_one_line_naming_the_file():
    draft = draft_publication(((_reading("p.pdf", "广州市政务服务和数据管理局", None, tables=1), "full"),))
    assert not draft.ok and "p.pdf" in draft.error and "fiscal year" in draft.error and "yusuan manifest" in draft.error
    assert "\n" not in draft.error


def test_the_drafted_manifest_is_an_ordinary_manifest(tmp_path):
    for name in ("n.pdf", "t.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    narrative = FileReading(tmp_path / "n.pdf", SHA_A, PrintedIdentity("泉州市公安局", 2026, "部门预算", "the cover", "the cover", "the cover"))
    tables = FileReading(tmp_path / "t.pdf", SHA_B, PrintedIdentity("泉州市公安局", 2026, "", "the tables' 编制单位", "the table titles", ""), 9)
    draft = draft_publication(pair_files([narrative, tables])[0])
    assert draft.ok and draft.region == "福建省泉州市" and draft.evidence["kind"] == "the cover of n.pdf"
    assert manifest_text(manifest_rows([draft], tmp_path)).splitlines()[0] == "document_id,issuer,region,fiscal_year,kind,file,role,sha256,source"
    manifest = write_manifest([draft], tmp_path / ".manifest" / "drafted.csv", metadata_source="inferred_from_document")
    with pytest.raises(ManifestError, match="outside the manifest's folder"):
        read_sources(manifest)  # ../n.pdf: the run passes allow_outside (the user named the files)
    publication = read_sources(manifest, allow_outside=True)[0]
    assert publication.document_id == draft.document_id and publication.metadata_source == "inferred_from_document"
    assert [e.role for e in publication.entries] == ["narrative", "tables"]
    assert publication.entries[0].path == (tmp_path / "n.pdf").resolve()


def _corpus() -> list[dict]:
    return json.loads(EVIDENCE.read_text(encoding="utf-8"))


def _drafted(entry: dict):
    readings = [reading_from_evidence(Path(f["name"]), Evidence(f["sha256"], tuple(f["lines"]), tuple(map(tuple, f["tables"])), f["prose_lines"])) for f in entry["files"]]
    groups = pair_files(readings)
    return groups, draft_publication(groups[0])


def test_identity_over_both_corpora():
    """Year and kind right for ≥ 95 % of the 80 corpus publications, and never wrong: a value
    that is not read is missing (the publication fails and asks for a manifest), not guessed."""
    corpus = _corpus()
    assert len(corpus) >= 80
    right = {"issuer": 0, "fiscal_year": 0, "kind": 0, "grouping": 0}
    for entry in corpus:
        groups, draft = _drafted(entry)
        got = {"issuer": draft.issuer, "fiscal_year": draft.fiscal_year, "kind": draft.kind}
        for name in ("fiscal_year", "kind"):
            assert got[name] in (entry[name], None, ""), f"{entry['document_id']}: {name} read as {got[name]!r}, the manifest says {entry[name]!r}"
            right[name] += got[name] == entry[name]
        right["issuer"] += draft.issuer == entry["issuer"].replace("（", "(").replace("）", ")")
        right["grouping"] += [[role for _, role in g] for g in groups] == [entry["roles"]]
    share = {name: count / len(corpus) for name, count in right.items()}
    assert share["fiscal_year"] >= 0.95 and share["kind"] >= 0.95, share
    assert share["issuer"] >= 0.9 and share["grouping"] >= 0.95, share
