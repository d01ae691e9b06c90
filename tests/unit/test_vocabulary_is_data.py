"""The Chinese the code matches is data (schemas/): no Chinese string constant in yusuan/
outside docstrings and user-facing text.

User-facing text is allowed in Python: messages (f-strings, exceptions, log calls, findings)
and the bilingual labels of the rendered reports and pages (the quality report, the
catalogue). Anything else — a table title, a header word, a unit word, a pattern — belongs in
schemas/vocabulary.yaml (or the other schemas/ files) and is read through
yusuan.core.vocabulary.
"""

import ast
import re
from pathlib import Path

from yusuan.core import vocabulary
from yusuan.core.schemas import load_registry

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# modules that render bilingual reports, pages and descriptors: their labels are text for people
PRESENTATION = {"yusuan/checks/quality.py", "yusuan/core/progress.py", "yusuan/release/dictionary.py", "yusuan/release/descriptor.py"}
PRESENTATION_PACKAGES = ("yusuan/catalogue/",)
PATTERN_CALLS = {"compile", "sub", "search", "match", "fullmatch", "findall", "finditer", "split"}


def _constants_in_code(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))  # docstring
        is_pattern_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PATTERN_CALLS and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
        is_message = (
            isinstance(node, (ast.Raise, ast.JoinedStr))
            or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"debug", "info", "warning", "error", "exception", "add"})
            or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"Finding", "print"})
            or (isinstance(node, ast.keyword) and node.arg in {"message", "why", "reason", "help"})
        )
        if is_message and not is_pattern_call:
            allowed.update(id(sub) for sub in ast.walk(node))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CHINESE.search(node.value) and id(node) not in allowed
    ]


def test_no_chinese_vocabulary_in_the_code():
    found = []
    for path in sorted((ROOT / "yusuan").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in PRESENTATION or relative.startswith(PRESENTATION_PACKAGES):
            continue
        found += [f"{relative}:{line}: {text[:40]!r}" for line, text in _constants_in_code(path)]
    assert found == [], "move these to schemas/vocabulary.yaml:\n" + "\n".join(found)


def test_the_checker_finds_a_pattern_but_not_a_message(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""文档"""\nimport re\nUNIT = re.compile(r"万元")\ndef f(x):\n    raise ValueError(f"{x}: 单位")\n', encoding="utf-8")
    assert [text for _, text in _constants_in_code(sample)] == ["万元"]


def test_every_vocabulary_entry_loads():
    data = vocabulary._data()
    for name in data["patterns"]:
        assert vocabulary.pattern(name).pattern
    for name in data["words"]:
        assert vocabulary.words(name) if isinstance(data["words"][name], list) else vocabulary.word(name) is not None
    assert vocabulary.money_units()["万元"] == 10000
    load_registry()


def test_an_unknown_entry_is_an_error_naming_the_file():
    import pytest

    from yusuan.core.errors import SchemaError

    with pytest.raises(SchemaError, match="schemas/vocabulary.yaml: no patterns entry 'nope'"):
        vocabulary.pattern("nope")
