"""The package's CSV is byte for byte what pandas' to_csv wrote before (pandas is the reference here)."""

from __future__ import annotations

import pandas as pd
import pytest

from yusuan.package.writer import write_csv

TRICKY = [
    ["a", "", "1,234.50", 'he said "yes"'],
    ["", "", "", ""],
    ["line\nbreak", "carriage\rreturn", " spaced ", "中文，标点"],
    ["-0.000001", "true", "#", "'quote'"],
]


@pytest.mark.parametrize("rows", [TRICKY, [], [["x", "y", "z", "w"]]], ids=["tricky", "no-rows", "one-row"])
def test_csv_bytes_are_pandas_bytes(tmp_path, rows):
    names = ["c1", "c2", "c3", "c4"]
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    write_csv(ours, names, iter(rows))
    pd.DataFrame(rows, columns=names, dtype=object).to_csv(theirs, index=False, lineterminator="\n", encoding="utf-8")
    assert ours.read_bytes() == theirs.read_bytes()


def test_single_column_with_empty_values(tmp_path):
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    rows = [[""], ["a"], [""]]
    write_csv(ours, ["only"], iter(rows))
    pd.DataFrame(rows, columns=["only"], dtype=object).to_csv(theirs, index=False, lineterminator="\n", encoding="utf-8")
    assert ours.read_bytes() == theirs.read_bytes()
