"""Write yusuan/core/row_types.py: one TypedDict per resource of schemas/resources.yaml, with
the Python type of each field from schemas/fields.yaml.

    python scripts/row_types.py          # rewrite the module
    python scripts/row_types.py --check  # exit 1 if it is out of date (the tests run this)

The rows the stages build are plain dicts (cheap to build, to serialise and to send between
processes); these types let an editor or mypy check a row literal's keys, and
yusuan.core.resource_rows.row_key_problems checks them at run time, so a misspelt key is an
error instead of an empty column.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yusuan.core.schemas import field_dictionary, resource_specs  # noqa: E402

TARGET = ROOT / "yusuan" / "core" / "row_types.py"
PYTHON_TYPES = {"string": "str", "integer": "int", "number": "Decimal", "boolean": "bool", "date": "str", "array": "list[Any]", "object": "dict[str, Any]"}


def render() -> str:
    fields = field_dictionary()
    lines = [
        '"""Row types of the package resources, generated from schemas/ by scripts/row_types.py:',
        'do not edit by hand (the tests check that it is up to date)."""',
        "",
        "from __future__ import annotations",
        "",
        "from decimal import Decimal",
        "from typing import TypedDict",
        "",
    ]
    names = []
    for spec in resource_specs():
        name = "".join(part.capitalize() for part in spec["name"].split("_")) + "Row"
        names.append((spec["name"], name))
        lines += ["", f"class {name}(TypedDict, total=False):", f'    """{spec["title"]} ({spec["name"]})."""', ""]
        for field in spec["fields"]:
            python = PYTHON_TYPES[fields[field]["type"]]
            lines.append(f"    {field}: {python} | None")
        lines.append("")
    lines += ["", "ROW_TYPES: dict[str, type] = {"]
    lines += [f'    "{resource}": {name},' for resource, name in names]
    lines += ["}", ""]
    text = "\n".join(lines)
    if "Any]" in text:
        text = text.replace("from typing import TypedDict", "from typing import Any, TypedDict")
    return text


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.is_file() and TARGET.read_text(encoding="utf-8") == text else 1)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
