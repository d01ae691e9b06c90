"""schemas/ is checked data: a misspelt key or an unknown id is an error naming the place."""

import shutil
from pathlib import Path

import pytest

from yusuan.core.errors import SchemaError
from yusuan.core.schemas import _load, schema_problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def schemas_copy(tmp_path, monkeypatch):
    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    monkeypatch.setenv("YUSUAN_SCHEMAS", str(copy))
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_schemas_agree_with_each_other():
    assert schema_problems() == []


def test_a_misspelt_key_in_a_rule_is_an_error(schemas_copy):
    _edit(schemas_copy / "checks.yaml", "    tolerance: rounding\n", "    tolerence: rounding\n")
    with pytest.raises(SchemaError, match=r"schemas/checks.yaml: rules\.0\.(tolerance|tolerence)"):
        _load("checks.yaml")


def test_an_unknown_severity_is_an_error(schemas_copy):
    _edit(schemas_copy / "checks.yaml", "    severity: warning\n", "    severity: warn\n")
    with pytest.raises(SchemaError, match=r"rules\.\d+\.severity"):
        _load("checks.yaml")


def test_an_unknown_table_id_in_a_check_is_named(schemas_copy):
    _edit(schemas_copy / "checks.yaml", "table: revenue_summary,", "table: revenue_sumary,")
    assert any("unknown table id 'revenue_sumary'" in p for p in schema_problems())


def test_an_unknown_measure_id_in_a_check_is_named(schemas_copy):
    _edit(schemas_copy / "checks.yaml", "measure: [official_reception]", "measure: [official_receptoin]")
    assert any("unknown measure id 'official_receptoin'" in p for p in schema_problems())


def test_a_resource_field_missing_from_the_dictionary_is_named(schemas_copy):
    _edit(schemas_copy / "resources.yaml", "fields: [document_id, issuer,", "fields: [document_id, issuer_nmae,")
    assert any("field 'issuer_nmae' is not in fields.yaml" in p for p in schema_problems())


def test_a_description_split_by_a_comma_in_flow_yaml_is_caught(schemas_copy):
    # {description: words (a, b)} in YAML flow style makes "b)" a key of its own
    _edit(schemas_copy / "fields.yaml", 'description: "The words before the number (for changes, the subject of the amount they refer to)."',
          "description: The words before the number (for changes, the subject of the amount they refer to).")
    with pytest.raises(SchemaError, match="fields.subject"):
        _load("fields.yaml")
