"""Classification codes of tables that print names only.

Some layouts print the function or economic classification by name and indentation alone
(杭州: 科学技术支出 / 技术研究与开发 / 科技成果转化与扩散; 深圳 基本支出总表: 工资福利支出 /
基本工资), and every summary table prints its expenditure classes by name (一、一般公共服务支出).
A row's code is inferred from its name and the rows above it, as a reader would: a name is
looked up first among the 项 of the 款 last read, then among the 款 of the class last read,
then among the classes. Names must be the list's names (compared without spaces, quotes and
bracket width; a revenue line 国有资本经营预算 is not the class 国有资本经营预算支出), and only
names on the expenditure side are looked up. A name found nowhere gets no code. An inferred code is recorded
as inferred (``subject_code_source``), never as printed.

A name the code list does not hold under the parent last read (a 项 added after the list was
compiled, 信访业务 2014004; a 项 renamed, 经营主体管理 for 市场主体管理 2013804) is then looked up
among the codes the same publication prints with that name under that parent, in its tables
that print codes (:class:`PrintedCodes`): the document's own words win over the compiled
list. A name printed under one parent with two different codes is not used.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from yusuan.core.editions import edition_names, edition_of, former_names
from yusuan.core.schemas import normalize_label


def name_key(name: str) -> str:
    return normalize_label(name).replace("（", "(").replace("）", ")")


@cache
def _index(classification: str, edition: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Class names -> code, and parent code -> {child name -> code}, in the names of the
    document's edition (a 2018 summary table prints 医疗卫生与计划生育支出 for class 210)."""
    classes: dict[str, str] = {}
    children: dict[str, dict[str, str]] = defaultdict(dict)
    for code, name in edition_names(classification, edition).items():
        key = name_key(name)
        if len(code) == 3:
            classes.setdefault(key, code)
        elif len(code) in (5, 7):
            children[code[:-2]].setdefault(key, code)
    for code, name in former_names(classification).items():  # after the edition's own names
        if len(code) == 3:
            classes.setdefault(name_key(name), code)
        else:
            children[code[:-2]].setdefault(name_key(name), code)
    return classes, dict(children)


class PrintedCodes:
    """The codes a publication prints with their names, by classification and parent code:
    ``{classification: {parent code: {name key: code}}}``, names printed with two codes under
    one parent left out."""

    def __init__(self) -> None:
        self._children: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        self._ambiguous: set[tuple[str, str, str]] = set()
        self.names: set[tuple[str, str]] = set()  # (classification, name key) of every name added: "may it help?"

    def add(self, classification: str, code: str, name: str) -> None:
        key = name_key(name)
        if len(code) not in (5, 7) or not key:
            return
        parent, seen = code[:-2], self._children[classification][code[:-2]]
        if (classification, parent, key) in self._ambiguous:
            return
        if seen.setdefault(key, code) != code:
            del seen[key]
            self._ambiguous.add((classification, parent, key))
        self.names.add((classification, key))

    def child(self, classification: str, parent: str, key: str) -> str:
        return self._children.get(classification, {}).get(parent, {}).get(key, "")

    def __bool__(self) -> bool:
        return bool(self.names)


class NameCodes:
    """The codes of one column of names, read top to bottom."""

    def __init__(self, classification: str, fiscal_year: int | None = None, printed: PrintedCodes | None = None):
        self.classification = classification
        self.edition = edition_of(classification, fiscal_year)
        self.printed = printed  # the publication's own codes, after the code list
        self.current: list[str] = []  # the class, 款 and 项 last read

    def infer(self, name: str) -> str:
        classes, children = _index(self.classification, self.edition)
        key = name_key(name)
        if not key:
            return ""
        for parent in reversed(self.current):
            code = children.get(parent, {}).get(key)
            if code:
                return self._read(code)
        code = classes.get(key, "")
        if code:
            self.current = [code]
            return code
        if self.printed is not None:
            for parent in reversed(self.current):
                code = self.printed.child(self.classification, parent, key)
                if code:
                    return self._read(code)
        return ""

    def _read(self, code: str) -> str:
        self.current = [c for c in self.current if len(c) < len(code)] + [code]
        return code
