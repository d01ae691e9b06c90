"""Rows shared by every package of the process (SharedRows: the COFOG weights, the code
concordance, a code list no document completed) cannot be changed, are the rows the code before
built for each package, and a package written from them is byte for byte the package written
from ordinary lists of equal rows, with the writer's memos or without them."""

from __future__ import annotations

import copy
import pickle
import threading
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

import yusuan.package.staged_validation as staged_validation
import yusuan.package.writer as writer
from yusuan.core import codelists, cofog
from yusuan.core.editions import concordance_rows
from yusuan.core.resource_rows import SharedRow, SharedRows, shared_rows
from yusuan.core.schemas import normalize_label, resource_specs
from yusuan.package.parquet_memo import SharedRowsMemo, ValuesMemo
from yusuan.package.process import shared_concordance_rows

Row = dict[str, Any]
DOC = "fj-quanzhou-12345-2026-dwys"
CODE_LISTS = [
    ("function_classification", "function_code", "function"),
    ("economic_classification", "economic_code", "economic"),
    ("government_economic_classification", "government_economic_code", "government_economic"),
]


def rows_before(
    resource: str, amounts: list[Row], code_field: str, classification: str
) -> list[Row]:
    """codelists._rows as it was before the shared rows (commit 860064c): the oracle."""
    fields = next(s for s in resource_specs() if s["name"] == resource)["fields"]
    spec = next(s for s in resource_specs() if s["name"] == resource)
    reference = [
        {f: ref.get(f, "") for f in fields} | {"name_source": "reference"}
        for ref in codelists._reference(spec["codelist"])
    ]
    rows = [row.copy() for row in reference]
    known = {r["code"]: r for r in rows}
    printed: set[str] = set()
    for amount in amounts:
        code = amount[code_field]
        if not code or code in printed:
            continue
        printed.add(code)
        name = (amount.get("_code_names") or {}).get(classification) or amount["item_name"]
        if code in known:
            listed = known[code]
            own = (
                amount["item_name"]
                if amount.get("subject_code") == code
                else codelists._name_enumerator().sub("", normalize_label(name))
            )
            if own and codelists.comparable_name(own) != codelists.comparable_name(
                listed["name_zh"]
            ):
                name = own
                listed.update(
                    {f: "" for f in fields if f not in ("code", "level", "parent_code")}
                    | {"name_zh": name, "name_source": "document"}
                )
            continue
        parent = code[:-2] if len(code) > 3 else ""
        known[code] = {f: "" for f in fields} | {
            "code": code,
            "level": codelists.LEVEL_NAMES.get(len(code), ""),
            "parent_code": parent,
            "name_zh": name,
            "name_source": "document",
        }
        rows.append(known[code])
    return sorted(rows, key=lambda r: r["code"])


def same_rows(found: list[Row], expected: list[Row]) -> None:
    """Equal rows, in the same order, each with its keys in the same order and equal values of
    the same classes (what the CSV and Parquet files are made of)."""
    assert found == expected
    assert [list(r.items()) for r in found] == [list(r.items()) for r in expected]
    assert [[type(v) for v in r.values()] for r in found] == [
        [type(v) for v in r.values()] for r in expected
    ]


# --- the rows refuse to be changed -------------------------------------------------------

ROW_CHANGES = {
    "set": lambda r: r.__setitem__("code", "x"),
    "delete": lambda r: r.__delitem__("code"),
    "update": lambda r: r.update(code="x"),
    "merge in place": lambda r: r.__ior__({"code": "x"}),
    "setdefault": lambda r: r.setdefault("new", "x"),
    "pop": lambda r: r.pop("code"),
    "popitem": lambda r: r.popitem(),
    "clear": lambda r: r.clear(),
}
LIST_CHANGES = {
    "set": lambda rows: rows.__setitem__(0, {}),
    "set a slice": lambda rows: rows.__setitem__(slice(0, 1), []),
    "delete": lambda rows: rows.__delitem__(0),
    "append": lambda rows: rows.append({}),
    "extend": lambda rows: rows.extend([{}]),
    "insert": lambda rows: rows.insert(0, {}),
    "pop": lambda rows: rows.pop(),
    "remove": lambda rows: rows.remove(rows[0]),
    "clear": lambda rows: rows.clear(),
    "sort": lambda rows: rows.sort(key=lambda r: r["code"]),
    "reverse": lambda rows: rows.reverse(),
    "add in place": lambda rows: rows.__iadd__([{}]),
    "repeat in place": lambda rows: rows.__imul__(2),
}


def made_rows() -> SharedRows:
    return shared_rows(
        [{"code": "201", "weight": Decimal("0.5")}, {"code": "202", "weight": Decimal("1")}]
    )


@pytest.mark.parametrize("change", ROW_CHANGES, ids=list(ROW_CHANGES))
def test_a_shared_row_cannot_be_changed(change):
    rows = made_rows()
    before = [dict(r) for r in rows]
    with pytest.raises(TypeError):
        ROW_CHANGES[change](rows[0])
    assert rows == before


@pytest.mark.parametrize("change", LIST_CHANGES, ids=list(LIST_CHANGES))
def test_shared_rows_cannot_be_changed(change):
    rows = made_rows()
    before = [dict(r) for r in rows]
    with pytest.raises(TypeError):
        LIST_CHANGES[change](rows)
    assert rows == before and len(rows) == 2


def test_every_shared_resource_refuses_to_be_changed():
    for rows in (
        cofog.cofog_weight_rows(),
        shared_concordance_rows(),
        *(codelists._reference_resource(r) for r, _f, _c in CODE_LISTS),
    ):
        assert type(rows) is SharedRows and rows and all(type(r) is SharedRow for r in rows)
        with pytest.raises(TypeError):
            rows.append({})
        with pytest.raises(TypeError):
            rows[0]["code"] = "x"


def test_copies_and_pickled_rows_are_ordinary():
    rows = made_rows()
    mine = rows[0].copy()
    mine["code"] = "x"  # a copy is the package's own
    assert type(mine) is dict and rows[0]["code"] == "201"
    assert type(rows.copy()) is list and rows.copy() == rows
    assert type(sorted(rows, key=lambda r: r["code"])) is list
    # a result sent back from a worker process is pickled: its rows are its own, not shared
    for again in (pickle.loads(pickle.dumps(rows)), copy.deepcopy(rows)):
        assert type(again) is list and all(type(r) is dict for r in again)
        same_rows(again, rows)
        again[0]["code"] = "x"
        again.append({})
    assert type(copy.copy(rows)) is list and all(
        r is s for r, s in zip(copy.copy(rows), rows, strict=True)
    )
    assert shared_rows(rows)[0] is rows[0]  # a row already shared is kept as it is
    assert (
        rows == [dict(r) for r in rows] and [dict(r) for r in rows] == rows
    )  # equal to a list of equal rows
    assert rows == made_rows()


def test_a_result_sent_back_from_a_worker_is_written_as_ordinary_rows(
    processed, tmp_path, monkeypatch
):
    result = processed[DOC]
    again = pickle.loads(pickle.dumps(result))
    assert not any(type(rows) is SharedRows for rows in again.resources.values())
    monkeypatch.setattr(staged_validation, "SHARED_CSV", SharedRowsMemo())
    monkeypatch.setattr(writer, "SHARED_PARQUET", SharedRowsMemo())
    first = package_files(writer.write_package(result, tmp_path / "shared"))
    assert package_files(writer.write_package(again, tmp_path / "pickled")) == first
    kept = [entry[0] for entry in staged_validation.SHARED_CSV._entries.values()]
    assert not any(
        rows is again.resources[name] for rows in kept for name in again.resources
    )  # not kept


# --- the rows are those the code before built ------------------------------------------------


def test_the_cofog_weights_are_one_object_with_the_rows_built_before():
    rows = cofog.cofog_weight_rows()
    assert rows is cofog.cofog_weight_rows()
    expected = [
        {"code": code, "division": d, "weight": w}
        for code in cofog._mappings()
        for d, w in cofog.weights(code)
    ]
    same_rows(rows, expected)


def test_the_concordance_is_one_object_with_the_rows_built_before():
    assert shared_concordance_rows() is shared_concordance_rows()
    same_rows(shared_concordance_rows(), concordance_rows())


def amount(code: str, name: str, field: str, subject: str | None = None, **extra: Any) -> Row:
    return {
        field: code,
        "item_name": name,
        "subject_code": code if subject is None else subject,
        **extra,
    }


def adversarial_amounts(resource: str, field: str, classification: str) -> list[list[Row]]:
    """Amount lists that add, rename, repeat or leave a code list unchanged."""
    listed = [r for r in codelists._reference_rows(resource)]
    first, second, last = listed[0], listed[len(listed) // 2], listed[-1]
    return [
        [],
        [amount("", "无编码", field)],
        [amount(first["code"], first["name_zh"], field)],  # printed with the list's name: unchanged
        [
            amount(second["code"], second["name_zh"] + "支出", field)
        ],  # the same name, compared without 支出
        [amount(second["code"], "另一个名称", field)],  # renamed
        [
            amount(second["code"], "另一个名称", field),
            amount(second["code"], "第三个名称", field),
        ],  # the first name wins
        [amount("99999", "新科目", field), amount("99999", "又一个", field)],  # added once
        [
            amount("9999901", "新项", field),
            amount(last["code"], "改名", field),
            amount(first["code"], first["name_zh"], field),
        ],
        [
            amount(
                second["code"],
                "印在旁边",
                field,
                subject="1",
                _code_names={classification: "一、另起的名称"},
            )
        ],
        [
            amount(second["code"], "", field, subject="1", _code_names={classification: "一、"})
        ],  # no own name left: unchanged
    ]


@pytest.mark.parametrize("resource,field,classification", CODE_LISTS)
def test_a_code_list_is_the_list_built_before(resource, field, classification):
    shared = codelists._reference_resource(resource)
    branches = set()
    for amounts in adversarial_amounts(resource, field, classification):
        found = codelists._rows(resource, amounts, field, classification)
        expected = rows_before(resource, amounts, field, classification)
        same_rows(found, expected)
        unchanged = all(r["name_source"] == "reference" for r in expected) and len(expected) == len(
            shared
        )
        branches.add(unchanged)
        if unchanged:
            assert found is shared
        else:
            assert type(found) is list and all(
                type(r) is dict for r in found
            )  # the package's own rows
            found[0]["code"] = found[0]["code"]  # they can be changed
    assert branches == {True, False}


@pytest.mark.parametrize("resource,field,classification", CODE_LISTS)
def test_the_samples_code_lists_are_the_lists_built_before(
    processed, resource, field, classification
):
    kinds = set()
    for result in processed.samples():
        amounts = result.resources["amounts"]
        found = codelists._rows(resource, amounts, field, classification)
        same_rows(found, rows_before(resource, amounts, field, classification))
        same_rows(result.resources[resource], found)
        kinds.add(found is codelists._reference_resource(resource))
    assert True in kinds  # a sample that completes no code list shares it
    if resource == "function_classification":
        assert kinds == {True, False}  # and the js-renda budgets complete the function list


# --- the writer reuses what it made of shared rows ---------------------------------------------


def test_the_memo_reuses_only_the_very_same_shared_rows():
    memo, calls = SharedRowsMemo(), []

    def make(label: str) -> str:
        calls.append(label)
        return label

    rows, equal = made_rows(), made_rows()
    assert memo.made(("r",), rows, lambda: make("first")) == "first"
    assert memo.made(("r",), rows, lambda: make("again")) == "first"  # the same object
    assert memo.made(("r",), equal, lambda: make("equal")) == "equal"  # equal rows, another object
    assert memo.made(("other",), rows, lambda: make("other key")) == "other key"
    plain = [dict(r) for r in rows]
    assert memo.made(("r",), plain, lambda: make("list")) == "list"
    assert (
        memo.made(("r",), plain, lambda: make("list again")) == "list again"
    )  # a list is never remembered
    assert calls == ["first", "equal", "other key", "list", "list again"]


def test_the_memo_is_bounded_and_keeps_what_it_remembers_alive():
    memo = SharedRowsMemo(max_entries=2)
    kept = [made_rows() for _ in range(3)]
    for i, rows in enumerate(kept):
        memo.made(("r",), rows, lambda i=i: i)
    assert memo.made(("r",), kept[0], lambda: "made again") == "made again"  # the oldest forgotten
    assert memo.made(("r",), kept[2], lambda: "made again") == 2
    assert all(entry[0] is not None for entry in memo._entries.values())


def test_the_memo_from_several_threads():
    memo = SharedRowsMemo(max_entries=4)
    objects = [made_rows() for _ in range(7)]

    def work(worker: int, answers: list[bool]) -> None:
        answers.append(
            all(
                memo.made(("r",), objects[i % 7], lambda i=i: i % 7) == i % 7
                for i in range(worker, worker + 2000)
            )
        )

    answers: list[bool] = []
    threads = [threading.Thread(target=work, args=(w, answers)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [True] * 4


def as_lists(result: Any) -> Any:
    """The result with every shared resource an ordinary list of ordinary rows (equal values)."""
    resources = {
        name: [dict(r) for r in rows] if type(rows) is SharedRows else rows
        for name, rows in result.resources.items()
    }
    return replace(result, resources=resources)


def package_files(folder: Any) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_package_of_shared_rows_is_the_package_of_lists(processed, tmp_path, monkeypatch):
    result = processed[DOC]
    shared = [name for name, rows in result.resources.items() if type(rows) is SharedRows]
    assert {"cofog_weights", "code_concordance"} <= set(shared)
    monkeypatch.setattr(staged_validation, "CSV_MEMO", ValuesMemo(max_entries=0))
    monkeypatch.setattr(writer, "PARQUET_MEMO", ValuesMemo(max_entries=0))
    monkeypatch.setattr(staged_validation, "SHARED_CSV", SharedRowsMemo())
    monkeypatch.setattr(writer, "SHARED_PARQUET", SharedRowsMemo())
    without = package_files(
        writer.write_package(as_lists(result), tmp_path / "lists")
    )  # no memo at all
    first = package_files(writer.write_package(result, tmp_path / "first"))
    assert staged_validation.SHARED_CSV._entries and writer.SHARED_PARQUET._entries
    makes: list[str] = []
    monkeypatch.setattr(
        staged_validation,
        "_csv_of_rows",
        lambda rows, spec, made=staged_validation._csv_of_rows: (
            makes.append(spec["name"]) or made(rows, spec)
        ),
    )
    again = package_files(writer.write_package(result, tmp_path / "again"))
    assert not set(makes) & set(shared)  # the shared resources' CSVs came from the memo
    assert set(makes) == set(result.resources) - set(shared)
    assert without == first == again


def test_shared_rows_changed_behind_the_memo_are_not_possible_by_ordinary_means(processed):
    rows = processed[DOC].resources["cofog_weights"]
    with pytest.raises(TypeError):
        rows[0]["weight"] = Decimal("0.3")
    with pytest.raises(TypeError):
        rows.append({"code": "1", "division": "01", "weight": Decimal(1)})
