"""The code list resources made from the reference rows remembered once per process: the rows
a package gets are those built afresh from the compiled list, and a document's names in one
package never reach the next."""

from __future__ import annotations

import pytest

from yusuan.core import codelists
from yusuan.core.schemas import resource_specs


def afresh(resource):
    """The rows as the writer built them before they were remembered."""
    spec = next(s for s in resource_specs() if s["name"] == resource)
    return [{f: ref.get(f, "") for f in spec["fields"]} | {"name_source": "reference"} for ref in codelists._reference(spec["codelist"])]


def amount(code, name, field="function_code"):
    return {field: code, "item_name": name, "subject_code": code}


def test_reference_rows_are_the_rows_built_afresh():
    for resource in codelists.CODE_LISTS.values():
        made = list(codelists._reference_rows(resource))
        expected = afresh(resource)
        assert made == expected
        assert [list(r) for r in made] == [list(r) for r in expected]  # the fields' order too


def test_a_documents_names_stay_in_its_own_package():
    some = next(r for r in codelists._reference_rows("function_classification") if len(r["code"]) == 7)
    renamed = codelists.function_rows([amount(some["code"], "一个别的名字")])
    row = next(r for r in renamed if r["code"] == some["code"])
    assert (row["name_zh"], row["name_source"]) == ("一个别的名字", "document")
    again = codelists.function_rows([])
    row = next(r for r in again if r["code"] == some["code"])
    assert (row["name_zh"], row["name_source"]) == (some["name_zh"], "reference")
    assert again == sorted(afresh("function_classification"), key=lambda r: r["code"])
    remembered = {id(r) for r in codelists._reference_rows("function_classification")}
    assert not any(id(r) in remembered for r in renamed)  # the renamed package's rows are its own
    assert again is codelists.function_rows([])  # unchanged: one shared object, which no one can change
    with pytest.raises(TypeError):
        row["name_zh"] = "一个别的名字"


def test_a_code_the_list_lacks_is_added_to_this_package_only():
    added = codelists.economic_rows([amount("39977", "打印的名称", "economic_code")])
    assert any(r["code"] == "39977" and r["name_source"] == "document" for r in added)
    assert not any(r["code"] == "39977" for r in codelists.economic_rows([]))
