"""frictionless_dialect with Frictionless' CSV control consulted once per sniffed dialect: the
same dialect as the control built for every sample (the code before, the oracle), a new object
on every call."""

from __future__ import annotations

import csv
import random
from typing import Any

import pytest

from yusuan.checks import schema_proof


def control_per_sample(sample: list[str]) -> Any:
    """frictionless_dialect as it was: a CsvControl made and consulted for every sample."""
    from frictionless.formats.csv.control import CsvControl

    control = CsvControl()
    delimiter = control.get_defined("delimiter", default=schema_proof.SNIFFED_DELIMITERS)
    try:
        config = schema_proof.QuickSniffer().sniff("".join(sample), delimiter)
    except csv.Error:
        config = csv.excel()
    if config.quotechar == "'":
        config.quotechar = '"'
    control.set_not_defined("delimiter", config.delimiter, distinct=True)
    control.set_not_defined("line_terminator", config.lineterminator, distinct=True)
    control.set_not_defined("escape_char", config.escapechar, distinct=True)
    control.set_not_defined("quote_char", config.quotechar, distinct=True)
    control.set_not_defined("skip_initial_space", config.skipinitialspace, distinct=True)
    return control.to_python()


ATTRIBUTES = ("delimiter", "doublequote", "escapechar", "lineterminator", "quotechar", "quoting", "skipinitialspace")


def described(dialect: Any) -> tuple[Any, ...]:
    return tuple((getattr(dialect, name), type(getattr(dialect, name))) for name in ATTRIBUTES)


MADE = [
    "a,b\n1,2\n",
    "a\tb\n1\t2\n",
    "a;b\n1;2\n3;4\n",
    "a|b\n1|2\n",
    'a,"b,c"\n1,"2,3"\n',
    "a, 'b', 'c'\n1, 'x', 'y'\n",
    'x; "y"; "z"\n1; "2"; "3"\n',
    '"only"\n"quoted"\n',
    "one column\nno delimiter\n",
    "",
    "\n\n",
    'a,"b""c",d\n1,"x""y",2\n',
    "中,文\n一,二\n",
]


@pytest.mark.parametrize("sample", MADE, ids=range(len(MADE)))
def test_made_samples_give_the_controls_dialect(sample):
    for _ in range(2):  # made, then remembered
        assert described(schema_proof.frictionless_dialect([sample])) == described(control_per_sample([sample]))


def test_random_samples_give_the_controls_dialect():
    chance = random.Random(33)
    alphabet = "ab1 ,,;|\t\"'\n中"
    for _ in range(2_000):
        sample = "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 60)))
        assert described(schema_proof.frictionless_dialect([sample])) == described(control_per_sample([sample])), sample


def test_every_call_gives_its_own_dialect():
    first = schema_proof.frictionless_dialect(["a,b\n1,2\n"])
    first.delimiter = ";"
    second = schema_proof.frictionless_dialect(["a,b\n1,2\n"])
    assert second is not first and second.delimiter == ","
    assert list(csv.reader(['a,"b,c"\n'], dialect=second)) == [["a", "b,c"]]


def test_the_remembered_dialects_are_kept_apart_by_the_classes_of_their_values():
    class Config:
        delimiter, lineterminator, escapechar, quotechar = ",", "\r\n", None, '"'

    flags = []
    for flag in (True, 1, False, 0):
        config = Config()
        config.skipinitialspace = flag
        flags.append(schema_proof.control_dialect(config).skipinitialspace)
    assert flags == [True, 1, False, False]
    keys = {key for key in schema_proof.SNIFFED_DIALECTS}
    assert all(type(value) is kind for key in keys for value, kind in key)
