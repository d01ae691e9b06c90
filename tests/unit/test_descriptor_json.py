"""datapackage.json's text from descriptor_json is json.dumps' text, character for character,
for real package descriptors and for descriptors made to trip it."""

from __future__ import annotations

import json
import math

import pytest

from yusuan.package import descriptor_json as module
from yusuan.package.descriptor_json import descriptor_json, indented_text, nested_text
from yusuan.package.writer import write_package


def stdlib(value, indent=2):
    return json.dumps(value, ensure_ascii=False, indent=indent)


@pytest.mark.parametrize("document_id", ["fj-quanzhou-12345-2026-dwys", "js-renda-2019-bmys"])
def test_a_written_package_descriptor_is_json_dumps_text(processed, tmp_path, document_id):
    package = write_package(processed[document_id], tmp_path)
    text = (package / "datapackage.json").read_text(encoding="utf-8")
    descriptor = json.loads(text)
    assert text == stdlib(descriptor) + "\n"
    module._indented.clear()
    for indent in (1, 2, 4):  # first from json.dumps, then from the memo
        assert descriptor_json(descriptor, indent) == stdlib(descriptor, indent)
        assert descriptor_json(descriptor, indent) == stdlib(descriptor, indent)


def tricky_schema(n):
    return {
        "fields": [
            {"name": f"f{n}", "title": 'quote " backslash \\ line\nbreak \t tab \u2028 sep \x00 nul 中文', "constraints": {"required": True, "enum": []}},
            {"name": "n", "type": "number", "example": 1.5, "big": 10**30, "neg": -0.0, "nan": math.nan, "inf": -math.inf, "none": None, "false": False},
            {"nested": [[], {}, [[1, [2, {"a": [3]}]]], {"empty": {}}]},
        ],
        "primaryKey": ["f"],
        "missingValues": [""],
    }


def test_tricky_values_and_nesting():
    descriptor = {
        "name": "x",
        "resources": [
            {"name": "a", "schema": tricky_schema(1), "parquet": {"hash": "h"}},
            {"name": "b", "schema": {}},
            {"name": "c", "schema": tricky_schema(1), "after": [1, 2]},
            {"name": "d", "schema": tricky_schema(2)},
        ],
        "after": {"k": "v"},
    }
    for _ in range(2):
        assert descriptor_json(descriptor) == stdlib(descriptor)


def test_anything_unusual_is_json_dumps():
    class Mapping(dict):
        pass

    for descriptor in (
        {"resources": [{"name": "a", "schema": "s"}]}, {"resources": [{"name": "a"}]}, {"resources": []}, {"resources": "r"}, {},
        {"resources": ({"name": "a", "schema": {"x": 1}},)}, Mapping(resources=[{"name": "a", "schema": {"x": 1}}]),
    ):
        assert descriptor_json(descriptor) == stdlib(descriptor)


def test_the_placeholder_in_the_document_text_falls_back(monkeypatch):
    class Fixed:
        hex = "0" * 32

    monkeypatch.setattr(module.uuid, "uuid4", lambda: Fixed())
    token = "yusuan-schema-" + "0" * 32 + "-"
    descriptor = {"title": token + "0", "resources": [{"name": "a", "schema": {"fields": []}}]}
    assert descriptor_json(descriptor) == stdlib(descriptor)
    descriptor = {"resources": [{"name": token + "1", "schema": {"fields": [1]}}, {"name": "b", "schema": {"x": token}}]}
    assert descriptor_json(descriptor) == stdlib(descriptor)


def test_the_memo_tells_apart_values_that_compare_equal():
    # 1, 1.0 and True are equal in Python and written differently
    for value in ({"v": 1}, {"v": 1.0}, {"v": True}, {"v": [1]}, {"v": (1,)}):
        assert indented_text(value, 2) == stdlib(value)
        assert nested_text(value, 2, 3) == stdlib({"a": [{"s": value}]})[len('{\n  "a": [\n    {\n      "s": ') : -len("\n    }\n  ]\n}")]


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(module, "KEPT", 3)
    module._indented.clear()
    for n in range(10):
        assert indented_text({"n": n}, 2) == stdlib({"n": n})
    assert len(module._indented) == 3
