"""Rows checked against their resource's fields before they are written.

The stages build rows as plain dicts (see yusuan/core/row_types.py for their types). A key that
is not a field of the resource (a misspelt name) would otherwise vanish from the CSV and leave
its column empty; here it is a SchemaError naming the resource and the key. Keys that start
with "_" are working data of the stages (e.g. the names printed beside a row's codes, for the
code checks) and are never written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yusuan.core.errors import SchemaError
from yusuan.core.schemas import resource_specs


def row_key_problems(resources: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    """``resource: unknown key 'x'`` for every key of a row that its resource does not define,
    and every resource that resources.yaml does not know."""
    specs = {spec["name"]: set(spec["fields"]) for spec in resource_specs()}
    problems = []
    for name, rows in resources.items():
        if name not in specs:
            problems.append(f"{name}: not a resource of schemas/resources.yaml")
            continue
        keys = set().union(*rows) if rows else set()  # every key once, gathered in C (issue 14)
        unknown = sorted(key for key in keys - specs[name] if not key.startswith("_"))
        problems += [f"{name}: unknown key {key!r} (not a field of the resource in schemas/resources.yaml)" for key in unknown]
    return problems


def check_row_keys(resources: Mapping[str, list[dict[str, Any]]]) -> None:
    problems = row_key_problems(resources)
    if problems:
        raise SchemaError("rows do not match schemas/: " + "; ".join(problems))
