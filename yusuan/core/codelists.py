"""Classification code lists (schemas/codelists/) as package resources.

The reference lists were compiled (see schemas/codelists/SOURCES.md); a code printed in a
document that the list lacks is added with the name printed (name_source = document), so
every code in the data resolves, and names printed in a document are never overwritten.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from typing import Any

from yusuan.core.resource_rows import SharedRow, SharedRows, shared_rows
from yusuan.core.schemas import _load, codelist_path, normalize_label, resource_specs
from yusuan.core.vocabulary import mapping, word

Row = dict[str, Any]
LEVEL_NAMES = mapping("code_levels")  # digits -> 类/款/项
# classification -> the package resource holding its code list
CODE_LISTS = {"function": "function_classification", "economic": "economic_classification", "government_economic": "government_economic_classification"}


@cache
def reference(classification: str) -> dict[str, str]:
    """code -> name_zh of the compiled list for a classification."""
    spec = next(s for s in resource_specs() if s["name"] == CODE_LISTS[classification])
    return {row["code"]: row["name_zh"] for row in _reference(spec["codelist"])}


@cache
def _name_enumerator() -> re.Pattern[str]:
    """An enumerator before a name printed beside its code (schemas/columns.yaml)."""
    return re.compile(_load("columns.yaml")["name_enumerator"])


def comparable_name(name: str) -> str:
    """Names compared without spaces, quotes, bracket width and a trailing 支出."""
    text = normalize_label(name).replace("（", "(").replace("）", ")")
    suffix = word("expenditure")
    return text[: -len(suffix)] if text.endswith(suffix) and len(text) > 4 else text


@cache
def _reference(file_name: str) -> tuple[Row, ...]:
    with codelist_path(file_name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def _reference_rows(resource: str) -> tuple[SharedRow, ...]:
    """The compiled list's rows in the resource's fields (name_source = reference), made once
    per process (1,473 function codes): rows no one can change, shared by every package whose
    document completes none of them, copied by a package that does."""
    spec = next(s for s in resource_specs() if s["name"] == resource)
    fields = spec["fields"]
    return tuple(shared_rows({f: ref.get(f, "") for f in fields} | {"name_source": "reference"} for ref in _reference(spec["codelist"])))


@cache
def _reference_resource(resource: str) -> SharedRows:
    """The resource of a document that prints no code the list lacks and names none otherwise:
    the compiled rows in code order, one object for every such package (the writer reuses what
    it made of it: issue 14)."""
    return shared_rows(sorted(_reference_rows(resource), key=lambda r: r["code"]))


@cache
def _reference_codes(resource: str) -> dict[str, SharedRow]:
    """code -> its compiled row (the last, should a code be listed twice)."""
    return {r["code"]: r for r in _reference_rows(resource)}


def _rows(resource: str, amounts: list[Row], code_field: str, classification: str) -> list[Row]:
    """The code list of a document: the compiled rows, a code it prints that the list lacks
    added with the name printed, a listed code it names otherwise renamed (its name wins).
    Unchanged, it is the shared :func:`_reference_resource`; changed, the package's own rows."""
    fields = next(s for s in resource_specs() if s["name"] == resource)["fields"]
    listed_rows = _reference_rows(resource)
    known = _reference_codes(resource)
    renamed: dict[int, Row] = {}  # id of a compiled row -> the document's own copy of it
    added: list[Row] = []
    printed: set[str] = set()
    for amount in amounts:
        code = amount[code_field]
        if not code or code in printed:
            continue
        printed.add(code)
        name = (amount.get("_code_names") or {}).get(classification) or amount["item_name"]
        if code in known:
            listed = known[code]
            own = amount["item_name"] if amount.get("subject_code") == code else _name_enumerator().sub("", normalize_label(name))
            if own and comparable_name(own) != comparable_name(listed["name_zh"]):
                # the document's edition names the code otherwise (30311 住房公积金 in 2017):
                # its name wins, and the list's English and mappings, about another subject, go
                renamed[id(listed)] = listed.copy() | {f: "" for f in fields if f not in ("code", "level", "parent_code")} | {"name_zh": own, "name_source": "document"}
            continue
        parent = code[:-2] if len(code) > 3 else ""
        added.append({f: "" for f in fields} | {
            "code": code, "level": LEVEL_NAMES.get(len(code), ""), "parent_code": parent, "name_zh": name, "name_source": "document",
        })
    if not renamed and not added:
        return _reference_resource(resource)
    rows = [renamed.get(id(row)) or row.copy() for row in listed_rows] + added  # copies: a document's names update them
    return sorted(rows, key=lambda r: r["code"])


def function_rows(amounts: list[Row]) -> list[Row]:
    return _rows("function_classification", amounts, "function_code", "function")


def economic_rows(amounts: list[Row]) -> list[Row]:
    return _rows("economic_classification", amounts, "economic_code", "economic")


def government_economic_rows(amounts: list[Row]) -> list[Row]:
    return _rows("government_economic_classification", amounts, "government_economic_code", "government_economic")
