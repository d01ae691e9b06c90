"""A resource's schemas made once per process and spec (writer.resource_schemas): the same Arrow
schema, schema text, Table Schema and indented JSON as made afresh, looked up by the very spec
and field dictionary objects only."""

from __future__ import annotations

import copy
import json

import pyarrow as pa
import pytest

from yusuan.core.resource_format import table_schema
from yusuan.core.schemas import field_dictionary, resource_specs
from yusuan.package import writer
from yusuan.package.writer import arrow_type, resource_schemas, schema_json

SPECS = resource_specs()


def fresh_arrow(spec, fields):
    return pa.schema([pa.field(n, arrow_type(fields[n])) for n in spec["fields"]])


def oracle(schema, level):
    text = json.dumps(schema, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * level)


@pytest.mark.parametrize("spec", SPECS, ids=[s["name"] for s in SPECS])
def test_each_resource_s_schemas_are_those_made_afresh(spec):
    made = resource_schemas(spec)
    fields = field_dictionary()
    assert made.arrow.equals(fresh_arrow(spec, fields), check_metadata=True)
    assert made.arrow_text == fresh_arrow(spec, fields).to_string()
    assert made.table == table_schema(spec)
    assert json.dumps(made.table, ensure_ascii=False) == json.dumps(table_schema(spec), ensure_ascii=False)
    for level in (0, 1, 3, 3, 0):  # twice each: made, then kept
        assert schema_json(made.table, level) == oracle(table_schema(spec), level)


def test_the_same_spec_gives_the_same_object_and_another_spec_object_its_own():
    spec = SPECS[0]
    assert resource_schemas(spec) is resource_schemas(spec)
    other = copy.deepcopy(spec)
    made = resource_schemas(other)
    assert made is not resource_schemas(spec) and made.spec is other
    assert made.table == resource_schemas(spec).table


def test_a_changed_spec_object_is_made_anew_not_taken_from_the_spec_it_equalled():
    spec = copy.deepcopy(next(s for s in SPECS if len(s["fields"]) > 2))
    before = resource_schemas(spec)
    changed = copy.deepcopy(spec)
    changed["fields"] = changed["fields"][:-1]
    after = resource_schemas(changed)
    assert len(after.arrow) == len(before.arrow) - 1
    assert after.table == table_schema(changed) and after.table != before.table
    assert schema_json(after.table, 2) == oracle(table_schema(changed), 2)


def test_another_field_dictionary_makes_the_schemas_anew(monkeypatch):
    spec = next(s for s in SPECS if any(field_dictionary()[n]["type"] == "integer" for n in s["fields"]))
    kept = resource_schemas(spec)
    name = next(n for n in spec["fields"] if field_dictionary()[n]["type"] == "integer")
    fields = copy.deepcopy(field_dictionary())
    fields[name]["type"] = "string"
    monkeypatch.setattr(writer, "field_dictionary", lambda: fields)
    made = resource_schemas(spec)
    assert made is not kept and made.fields is fields
    assert made.arrow.field(name).type == pa.string() and kept.arrow.field(name).type == pa.int64()
    assert made.arrow.equals(fresh_arrow(spec, fields))


def test_an_equal_table_schema_of_another_object_is_written_by_its_text():
    spec = SPECS[1]
    made = resource_schemas(spec)
    equal = copy.deepcopy(made.table)
    assert schema_json(equal, 2) == schema_json(made.table, 2) == oracle(made.table, 2)
    differs = copy.deepcopy(made.table)
    differs["primaryKey"] = ["x"]
    assert schema_json(differs, 2) == oracle(differs, 2) != oracle(made.table, 2)


def test_the_kept_schemas_are_bounded_and_stay_right_after_they_are_forgotten():
    spec = SPECS[2]
    first = resource_schemas(spec)
    copies = [copy.deepcopy(spec) for _ in range(writer.RESOURCE_SCHEMAS_KEPT + 3)]
    for other in copies:
        assert resource_schemas(other).spec is other
    assert len(writer.RESOURCE_SCHEMAS) <= writer.RESOURCE_SCHEMAS_KEPT
    assert len(writer.TABLE_SCHEMAS) <= writer.RESOURCE_SCHEMAS_KEPT
    again = resource_schemas(spec)
    assert again.table == first.table
    assert schema_json(first.table, 1) == oracle(first.table, 1)  # forgotten: written by its text


def test_a_written_package_s_descriptor_holds_the_kept_schemas(processed, tmp_path):
    doc = "fj-quanzhou-12345-2026-dwys"
    folder = writer.write_package(processed[doc], tmp_path)
    text = (folder / "datapackage.json").read_text(encoding="utf-8")
    descriptor = json.loads(text)
    assert text == json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    by_name = {s["name"]: s for s in SPECS}
    for resource in descriptor["resources"]:
        assert resource["schema"] == table_schema(by_name[resource["name"]])
