"""How a resource's values are written: the CSV text of a value and the Frictionless field
descriptor of a field, both from schemas/fields.yaml.

Shared by the package writer and the schema validation check, which must agree byte for byte.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yusuan.core.schemas import field_dictionary


def csv_text(value: Any, field: dict[str, Any]) -> str:
    if value is None:
        return ""
    if field["type"] == "boolean":
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def frictionless_field(name: str) -> dict[str, Any]:
    spec = field_dictionary()[name]
    field: dict[str, Any] = {"name": name, "type": spec["type"]}
    for key in ("title", "title_zh", "description", "description_zh", "columnType", "constraints"):
        if key in spec:
            field[key] = spec[key]
    if spec.get("decimal"):
        field["decimal"] = True
    return field
