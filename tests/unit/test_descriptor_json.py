"""descriptor_json against ``json.dumps(..., ensure_ascii=False, indent=2)``, the oracle: the
same text of real package descriptors, of made ones reaching each rule (empty containers, keys
the encoder converts, every class of value, schemas equal as values but not as text) and of
random ones."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from yusuan.package import writer
from yusuan.package.writer import descriptor_json, write_package

DOCS = ["fj-quanzhou-12345-2026-dwys", "js-renda-2019-bmys"]


def oracle(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("doc", DOCS)
def test_a_real_descriptor_is_written_as_json_writes_it(processed, tmp_path, doc):
    text = (write_package(processed[doc], tmp_path) / "datapackage.json").read_text(
        encoding="utf-8"
    )
    descriptor = json.loads(text)
    assert text == oracle(descriptor) + "\n"
    assert descriptor_json(descriptor) == oracle(descriptor)
    assert descriptor_json(descriptor) == oracle(
        descriptor
    )  # the schemas' texts kept from the first


SCHEMA = {
    "fields": [{"name": "a", "type": "integer", "constraints": {"required": True}}],
    "primaryKey": ["a"],
}
MADE = [
    {},
    {"resources": []},
    {"resources": [{}]},
    {"resources": [{"schema": {}}, {"schema": []}, {"schema": None}]},
    {
        "resources": [
            {"schema": SCHEMA},
            {
                "schema": {
                    **SCHEMA,
                    "fields": [{"name": "a", "type": "integer", "constraints": {"required": 1}}],
                }
            },
        ]
    },
    {"resources": "not a list"},
    {"resources": [1, "two", None, {"schema": SCHEMA, "bytes": 3}]},
    {1: "int key", "a": 2},
    {"a": {True: 1, None: 2, 2.5: 3}},
    {"text": 'line\nbreak "quoted" \\ back\tslash \x00 \u2028 中文 \U0001f600'},
    {
        "numbers": [0, -1, 10**30, 1.5, -0.0, 1e300, float("nan"), float("inf")],
        "flags": [True, False, None],
    },
    {
        "nested": {
            "empty dict": {},
            "empty list": [],
            "list": [[], [{}], [[1, 2]]],
            "tuple": (1, "x"),
        }
    },
    {
        "check_summary": {"passed": 3, "failed": 0},
        "resources": [
            {"name": "x", "schema": SCHEMA, "parquet": {"path": "x.parquet", "bytes": 10}}
        ],
    },
]


@pytest.mark.parametrize("descriptor", MADE, ids=range(len(MADE)))
def test_made_descriptors_are_written_as_json_writes_them(descriptor):
    assert descriptor_json(descriptor) == oracle(descriptor)


def test_schemas_equal_as_values_are_kept_apart_by_their_text():
    writer.SCHEMA_TEXTS.clear()
    one = {"resources": [{"schema": {"required": True}}]}
    other = {"resources": [{"schema": {"required": 1}}]}
    assert one == other
    assert descriptor_json(one) == oracle(one) and descriptor_json(other) == oracle(other)
    assert descriptor_json(one) != descriptor_json(other)


def random_value(chance: random.Random, depth: int) -> Any:
    kinds = ["str", "int", "float", "bool", "none"] + (["dict", "list"] * 2 if depth < 4 else [])
    kind = chance.choice(kinds)
    if kind == "str":
        return "".join(chance.choice('a"\\\n中 ') for _ in range(chance.randint(0, 4)))
    if kind == "int":
        return chance.randint(-5, 5)
    if kind == "float":
        return chance.choice([0.5, -2.0, 1e-7])
    if kind == "bool":
        return chance.random() < 0.5
    if kind == "none":
        return None
    if kind == "list":
        return [random_value(chance, depth + 1) for _ in range(chance.randint(0, 3))]
    return {
        chance.choice(["schema", "resources", "k", "中"]) + str(i): random_value(chance, depth + 1)
        for i in range(chance.randint(0, 3))
    }


def test_random_descriptors_are_written_as_json_writes_them():
    chance = random.Random(29)
    for _ in range(500):
        resources = [
            {"schema": random_value(chance, 1), "name": random_value(chance, 2)}
            for _ in range(chance.randint(0, 3))
        ]
        descriptor = {"a": random_value(chance, 0), "resources": resources}
        assert descriptor_json(descriptor) == oracle(descriptor)
