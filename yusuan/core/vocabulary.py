"""The words and patterns the readers match, from schemas/vocabulary.yaml.

The Python code names what it looks for (``pattern("unit_line")``, ``words("total_words")``);
the Chinese it looks for is data, beside the table titles and headers of the other schemas/
files. A pattern may use a shared part as ``${name}`` (``parts`` in the file), so that, for
example, the Chinese numerals of an enumerator are written once.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from yusuan.core.errors import SchemaError
from yusuan.core.schema_files import load_schema_file

PART = re.compile(r"\$\{(\w+)\}")


@cache
def _data() -> dict[str, Any]:
    return load_schema_file("vocabulary.yaml")


def _entry(section: str, name: str) -> Any:
    try:
        return _data()[section][name]
    except KeyError:
        raise SchemaError(f"schemas/vocabulary.yaml: no {section} entry {name!r}") from None


def expand(text: str) -> str:
    """``${part}`` replaced by the part of that name, recursively."""
    parts = _data().get("parts", {})

    def replace(match: re.Match[str]) -> str:
        if match.group(1) not in parts:
            raise SchemaError(f"schemas/vocabulary.yaml: no part {match.group(1)!r}")
        return expand(parts[match.group(1)])

    return PART.sub(replace, text)


@cache
def pattern(name: str) -> re.Pattern[str]:
    """The compiled regular expression ``patterns.<name>``."""
    source = expand(_entry("patterns", name))
    try:
        return re.compile(source)
    except re.error as exc:
        raise SchemaError(f"schemas/vocabulary.yaml: patterns.{name}: {exc}") from exc


def pattern_text(name: str) -> str:
    """``patterns.<name>`` as text, to be combined into a larger pattern."""
    return expand(_entry("patterns", name))


@cache
def words(name: str) -> tuple[str, ...]:
    """The word list ``words.<name>`` (a word may be a single character)."""
    return tuple(_entry("words", name))


@cache
def word(name: str) -> str:
    """A single word ``words.<name>`` (remembered: the checks ask for a few words hundreds of
    thousands of times, issue 14)."""
    value = _entry("words", name)
    if not isinstance(value, str):
        raise SchemaError(f"schemas/vocabulary.yaml: words.{name} is a list, not one word")
    return value


@cache
def mapping(name: str) -> dict[str, Any]:
    """The table ``mappings.<name>`` (word -> id, or code length -> level name …)."""
    return dict(_entry("mappings", name))


@cache
def money_units() -> dict[str, Decimal]:
    """Unit word -> yuan per unit (元 1, 万元 10000 …)."""
    return {unit: Decimal(str(factor)) for unit, factor in _entry("mappings", "money_units").items()}
