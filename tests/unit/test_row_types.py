"""Row types come from schemas/, and a row key the resource does not define is an error."""

import subprocess
import sys
from pathlib import Path

import pytest

from yusuan.core.errors import SchemaError
from yusuan.core.resource_rows import check_row_keys, row_key_problems
from yusuan.core.row_types import ROW_TYPES
from yusuan.core.schemas import resource_specs

ROOT = Path(__file__).resolve().parents[2]


def test_the_generated_row_types_are_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "row_types.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, "run: python scripts/row_types.py"


def test_every_resource_has_a_row_type_with_its_fields():
    for spec in resource_specs():
        assert list(ROW_TYPES[spec["name"]].__annotations__) == spec["fields"]


def test_a_misspelt_key_is_named():
    rows = {"amounts": [{"document_id": "x", "amount_yaun": 1}], "figures": []}
    assert row_key_problems(rows) == [
        "amounts: unknown key 'amount_yaun' (not a field of the resource in schemas/resources.yaml)",
        "figures: not a resource of schemas/resources.yaml",
    ]
    with pytest.raises(SchemaError, match="amount_yaun"):
        check_row_keys(rows)


def test_working_keys_of_the_stages_are_not_problems():
    assert row_key_problems({"amounts": [{"document_id": "x", "_code_names": {}}]}) == []
