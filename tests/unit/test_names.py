"""English names of issuers and regions (yusuan/names.py, schemas/name_parts.yaml and the
``divisions`` of schemas/regions.yaml), over the issuers of both shared corpora
(tests/fixtures/corpus_issuers.tsv: region and issuer as the corpora's source.json print them)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from yusuan.names import FULL, NONE, PARTIAL, coverage, issuer_english, region_english, region_lead

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "corpus_issuers.tsv"
CJK = re.compile(r"[\u3400-\u9fff]")


def corpus_rows() -> list[dict[str, str]]:
    with open(FIXTURE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("上海市普陀区财政局", "Shanghai Putuo District Finance Bureau"),
        ("江苏省高级人民法院", "Jiangsu Provincial High People's Court"),
        ("中共江苏省委办公厅", "CPC Jiangsu Provincial Committee General Office"),
        ("江苏省人大常委会办公厅", "Jiangsu Provincial People's Congress Standing Committee General Office"),
        ("上海市普陀区人民政府万里街道办事处", "Shanghai Putuo District People's Government Wanli Sub-district Office"),
        ("泉州市公安局（本级）", "Quanzhou Municipal Public Security Bureau (own unit)"),
        ("福州市民政局(本级)", "Fuzhou Municipal Civil Affairs Bureau (own unit)"),
        ("泉州市 12345 政务服务便民热线中心", "Quanzhou Municipal 12345 Government Services Hotline Centre"),
    ],
)
def test_known_names(zh: str, en: str):
    name = issuer_english(zh)
    assert (name.en, name.status, name.unknown) == (en, FULL, ())


def test_longest_part_wins():
    # 人民代表大会常务委员会办公厅 is one part; 办公厅 alone would lose "Standing Committee"
    assert issuer_english("南京市人民代表大会常务委员会办公厅").en == (
        "Nanjing Municipal People's Congress Standing Committee General Office"
    )
    assert issuer_english("无锡市司法局").en == "Wuxi Municipal Justice Bureau"


def test_unknown_piece_stays_chinese_and_is_reported():
    name = issuer_english("上海市普陀区长征镇人民政府")
    assert name.status == PARTIAL and name.unknown == ("长征",)
    assert name.en == "Shanghai Putuo District 长征 Town People's Government"
    nothing = issuer_english("某某某")
    assert (nothing.status, nothing.en, nothing.unknown) == (NONE, "某某某", ("某某某",))


def test_regions_by_division_code():
    assert (region_english("上海市普陀区").en, region_english("上海市普陀区").code) == ("Putuo District, Shanghai", "310107")
    assert (region_english("江苏省").en, region_english("江苏省").code) == ("Jiangsu Province", "320000")
    assert region_english("福建省泉州市").en == "Quanzhou, Fujian"
    assert region_english("火星").status == NONE


def test_region_lead_never_doubles_the_place():
    assert region_lead("江苏省", "江苏省人大常委会办公厅") == ""
    assert region_lead("福建省泉州市", "泉州市公安局") == "福建省"
    assert region_lead("上海市普陀区", "中共上海市普陀区委社会工作部") == ""
    assert region_lead("北京市", "首都绿化委员会办公室") == "北京市"


def test_coverage_over_both_corpora():
    """Every issuer of corpus/ and corpus-wide/ gets an English name with no Chinese left in it.
    (The word list was written from these names: this guards it, it does not measure how well
    it generalises; see docs/catalogue.md.)"""
    rows = corpus_rows()
    assert len(rows) == 72
    result = coverage([r["issuer"] for r in rows])
    assert (result["total"], result[FULL], result["unknown"]) == (72, 72, [])
    for r in rows:
        assert not CJK.search(issuer_english(r["issuer"]).en), r["issuer"]
        assert region_english(r["region"]).status == FULL, r["region"]
