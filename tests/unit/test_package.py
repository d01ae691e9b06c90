"""Published packages: valid Frictionless, bilingual, exact decimals, reproducible bytes."""

import json
from decimal import Decimal

import pyarrow.parquet as pq
from frictionless import Package

from yusuan.package.writer import write_package


def test_packages_validate_and_are_bilingual(tmp_path, processed):
    for result in processed.samples():
        target = write_package(result, tmp_path)
        report = Package(str(target / "datapackage.json")).validate()
        assert report.valid, report.flatten(["name", "rowNumber", "type", "note"])[:5]
        descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
        assert descriptor["title_zh"] and descriptor["title"] and descriptor["languages"] == ["zh", "en"]
        for resource in descriptor["resources"]:
            assert (target / resource["parquet"]["path"]).is_file()
            for field in resource["schema"]["fields"]:
                assert field["title"] and field["title_zh"] and field["description_zh"]


def test_money_is_decimal_in_parquet_and_traced_to_its_source(tmp_path, processed):
    target = write_package(processed["fj-quanzhou-12345-2026-dwys"], tmp_path)
    table = pq.read_table(target / "amounts.parquet")
    assert str(table.schema.field("amount_yuan").type) == "decimal128(28, 2)"
    rows = table.to_pylist()
    row = next(r for r in rows if r["table_id"] == "gpb_expenditure_by_function" and r["subject_code"] == "2010399" and r["measure"] == "project_expenditure")
    assert row["amount_yuan"] == Decimal("10119500.00")
    assert (row["value_printed"], row["unit_printed"]) == ("1011.95", "万元")
    assert row["sha256"] == "531ed8e3a56163de88a81f93eb42e47c4c9ec4f0277f9ca7b9b97b43ba94afdb"
    assert row["line"] > 0 and row["file_name"] == "publication.txt"
    three = [r for r in rows if r["table_id"] == "three_public_expenses" and r["item_name"] == "合计"]
    assert [r["amount_yuan"] for r in three] == [Decimal("10000.00")]


def test_same_input_gives_the_same_bytes(tmp_path, processed):
    result = processed["js-renda-2019-bmys"]
    first = write_package(result, tmp_path / "a")
    second = write_package(result, tmp_path / "b")
    assert {p.name: p.read_bytes() for p in first.iterdir()} == {p.name: p.read_bytes() for p in second.iterdir()}
