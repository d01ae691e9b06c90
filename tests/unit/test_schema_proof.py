"""The proof of a staged CSV's validity (yusuan/checks/schema_proof.py) against Frictionless.

Differential: real staged files of a sample package are mutated (every field type, each
constraint, keys, header, cells, blank rows, encodings, dialects, odd number spellings) and,
for every resource the mutation can touch, *proved valid ⇒ stock Frictionless says valid*.
Where Frictionless finds errors, the check rows published are Frictionless' own, with the proof
tried or not. And the proof does prove the real packages (otherwise it saves nothing).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from frictionless import Package, Resource, Schema

import yusuan.checks.frictionless_staged as frictionless_staged
import yusuan.checks.schema_proof as schema_proof
import yusuan.checks.schema_validation as schema_validation
from tests.unit.staged_csv import edit_csv
from yusuan.checks.engine import CheckRun
from yusuan.checks.schema_validation import _schema, record, validate_staged
from yusuan.core.resource_format import table_schema
from yusuan.core.schemas import resource_specs
from yusuan.package.writer import write_package

DOC = "fj-quanzhou-12345-2026-dwys"
SPECS = resource_specs()
NAMES = [s["name"] for s in SPECS]


@pytest.fixture(scope="module")
def package(tmp_path_factory, processed) -> Path:
    """The sample's package as written: a real text publication with amounts, code lists, checks."""
    return write_package(processed[DOC], tmp_path_factory.mktemp("proof"))


def forget() -> None:
    schema_validation._memo.clear()
    schema_proof.forget()
    frictionless_staged.forget()


def stock_valid(folder: Path, names: list[str]) -> dict[str, bool]:
    """Stock Frictionless (``Resource``, the full schema descriptors of schemas/), resource by
    resource inside one package: the oracle."""
    package = Package(
        resources=[Resource(name=s["name"], path=f"{s['name']}.csv", format="csv", encoding="utf-8", schema=Schema.from_descriptor(table_schema(s))) for s in SPECS],
        basepath=str(folder),
    )
    return {name: package.get_resource(name).validate().valid for name in names}


def affected(name: str) -> list[str]:
    """The resource and those whose foreign keys reference it."""
    return [name] + [s["name"] for s in SPECS if any(fk["resource"] == name for fk in s.get("foreign_keys") or [])]


def proved(folder: Path, names: list[str]) -> dict[str, bool]:
    prover = schema_proof.Prover(folder, NAMES, _schema)
    return {name: prover.proves(name) for name in names}


# -- mutations ---------------------------------------------------------------------------------


def cell(resource: str, field: str, value: str, *, where: Callable[[dict[str, str]], bool] = lambda row: True) -> Callable[[Path], str]:
    """Set ``field`` of the first row that ``where`` accepts to ``value``."""

    def mutate(folder: Path) -> str:
        def edit(header: list[str], rows: list[list[str]]) -> list[list[str]]:
            index = header.index(field)
            for row in rows:
                if where(dict(zip(header, row, strict=True))):
                    row[index] = value
                    return rows
            raise AssertionError(f"no row of {resource} to set {field} in")

        edit_csv(folder / f"{resource}.csv", edit)
        return resource

    return mutate


def rows(resource: str, edit: Callable[[list[str], list[list[str]]], list[list[str]]]) -> Callable[[Path], str]:
    def mutate(folder: Path) -> str:
        edit_csv(folder / f"{resource}.csv", edit)
        return resource

    return mutate


def text(resource: str, edit: Callable[[str], str]) -> Callable[[Path], str]:
    def mutate(folder: Path) -> str:
        path = folder / f"{resource}.csv"
        path.write_bytes(edit(path.read_text(encoding="utf-8")).encode("utf-8"))
        return resource

    return mutate


def raw(resource: str, edit: Callable[[bytes], bytes]) -> Callable[[Path], str]:
    def mutate(folder: Path) -> str:
        path = folder / f"{resource}.csv"
        path.write_bytes(edit(path.read_bytes()))
        return resource

    return mutate


def rewritten(resource: str, **options: object) -> Callable[[Path], str]:
    """The same cells written with another csv dialect."""

    def mutate(folder: Path) -> str:
        path = folder / f"{resource}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            table = list(csv.reader(handle))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n", **options).writerows(table)  # type: ignore[arg-type]
        path.write_text(out.getvalue(), encoding="utf-8")
        return resource

    return mutate


def rewritten_rows(resource: str, edit: Callable[[list[list[str]]], list[list[str]]]) -> Callable[[Path], str]:
    """Every row, the header included, edited."""

    def mutate(folder: Path) -> str:
        path = folder / f"{resource}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            table = list(csv.reader(handle))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(edit(table))
        path.write_text(out.getvalue(), encoding="utf-8")
        return resource

    return mutate


def header(resource: str, edit: Callable[[list[str]], list[str]]) -> Callable[[Path], str]:
    def mutate(folder: Path) -> str:
        path = folder / f"{resource}.csv"
        first, rest = path.read_text(encoding="utf-8").split("\n", 1)
        path.write_text(",".join(edit(first.split(","))) + "\n" + rest, encoding="utf-8")
        return resource

    return mutate


def coded(row: dict[str, str]) -> bool:
    return bool(row["function_code"])


def table_two(row: dict[str, str]) -> bool:
    return row["table_sequence"] == "2"


def swap(labels: list[str]) -> list[str]:
    return [labels[1], labels[0], *labels[2:]]


NUMBER_SPELLINGS = ["+1.5", " 1.5", "1.5 ", "1e2", "1E-2", "NaN", "nan", "Infinity", "-inf", "1.", ".5", "1_000", "1,000", "１２", "٣", "0x10", "1.5.1", "--1", "-0", "-0.00", "12345678901234567890123456789012.5", "x"]
INTEGER_SPELLINGS = ["+1", " 1", "1 ", "01", "1.0", "1e1", "１", "1_0", "-0", "-", "9" * 19, "9" * 4400, "x"]
BOOLEAN_SPELLINGS = ["True", "TRUE", "1", "0", "yes", " true", "false ", "t"]

MUTATIONS: dict[str, Callable[[Path], str]] = {
    "unchanged": text("amounts", lambda t: t),
    # number (amounts.amount, amounts.amount_yuan: plain numbers)
    **{f"number {s!r}": cell("amounts", "amount", s) for s in NUMBER_SPELLINGS},
    "number amount_yuan empty": cell("amounts", "amount_yuan", ""),
    # integer (item_level plain; table_sequence and row_number in keys)
    **{f"integer {s[:24]!r}": cell("amounts", "item_level", s) for s in INTEGER_SPELLINGS},
    "integer key spelled 02 in source_tables": cell("source_tables", "table_sequence", "02", where=table_two),
    "integer key spelled 02 in amounts": cell("amounts", "table_sequence", "02", where=table_two),
    "integer key +2 in amounts": cell("amounts", "table_sequence", "+2", where=table_two),
    # boolean
    **{f"boolean {s!r}": cell("amounts", "is_of_which", s) for s in BOOLEAN_SPELLINGS},
    "boolean empty": cell("amounts", "is_of_which", ""),
    # constraints
    "required empty": cell("amounts", "document_id", ""),
    "required empty in a code list": cell("function_classification", "code", ""),
    "enum wrong case": cell("amounts", "row_role", "Total"),
    "enum trailing space": cell("amounts", "row_role", "total "),
    "enum empty, not required": cell("amounts", "row_role", ""),
    "enum empty listed": cell("amounts", "unit_printed", ""),
    "pattern upper case": cell("source_tables", "sha256", "A" * 64),
    "pattern short": cell("source_tables", "sha256", "a" * 63),
    "pattern trailing newline": cell("source_tables", "sha256", "a" * 64 + "\n"),
    "pattern empty": cell("source_tables", "sha256", ""),
    # keys
    "primary key duplicate row": rows("amounts", lambda h, r: [*r, r[0]]),
    "primary key duplicate in a code list": rows("function_classification", lambda h, r: [*r, r[5]]),
    "primary key all empty": rows("glossary", lambda h, r: [["" if n in ("document_id", "term_number") else v for n, v in zip(h, r[0], strict=True)], *r[1:]]),
    "foreign key miss": cell("amounts", "function_code", "9999999", where=coded),
    "foreign key emptied": cell("amounts", "function_code", "", where=coded),
    "foreign key code list row dropped": rows("function_classification", lambda h, r: [x for x in r if not x[h.index("code")].startswith("201")]),
    "foreign key source table dropped": rows("source_tables", lambda h, r: [x for x in r if x[h.index("table_sequence")] != "2"]),
    "foreign key code list empty": rows("function_classification", lambda h, r: []),
    # header
    "header label renamed": header("amounts", lambda labels: ["doc_id", *labels[1:]]),
    "header label upper case": header("amounts", lambda labels: [labels[0].upper(), *labels[1:]]),
    "header labels swapped": header("glossary", swap),
    "header label blank": header("glossary", lambda labels: ["", *labels[1:]]),
    "header label duplicated": header("glossary", lambda labels: [labels[0], labels[0], *labels[2:]]),
    "header only": rows("glossary", lambda h, r: []),
    "header missing": text("glossary", lambda t: t.split("\n", 1)[1]),
    "header twice": text("glossary", lambda t: t.split("\n", 1)[0] + "\n" + t),
    "column dropped": rewritten_rows("glossary", lambda table: [row[:-1] for row in table]),
    "empty file": text("glossary", lambda t: ""),
    # cells and rows
    "extra cell": rows("amounts", lambda h, r: [[*r[0], "x"], *r[1:]]),
    "extra empty cell": rows("amounts", lambda h, r: [[*r[0], ""], *r[1:]]),
    "missing cell": rows("amounts", lambda h, r: [r[0][:-1], *r[1:]]),
    "blank row of commas": rows("glossary", lambda h, r: [*r[:2], [""] * len(h), *r[2:]]),
    "empty line in the middle": text("glossary", lambda t: t.replace("\n", "\n\n", 2)),
    "empty line at the end": text("glossary", lambda t: t + "\n"),
    "no newline at the end": text("glossary", lambda t: t.rstrip("\n")),
    # bytes and dialects
    "bad utf-8 byte": raw("glossary", lambda b: b.replace("名".encode(), b"\xff", 1) if "名".encode() in b else b[:-2] + b"\xff\n"),
    "latin-1 byte": raw("glossary", lambda b: b[:-1] + "é".encode("latin-1") + b"\n"),
    "byte order mark": raw("glossary", lambda b: b"\xef\xbb\xbf" + b),
    "crlf line ends": raw("glossary", lambda b: b.replace(b"\n", b"\r\n")),
    "carriage return in a quoted cell": cell("glossary", "definition", "a\rb"),
    "newline in a quoted cell": cell("glossary", "definition", "a\nb"),
    "semicolons": rewritten("glossary", delimiter=";"),
    "semicolons in source_tables": rewritten("source_tables", delimiter=";"),
    "tabs": rewritten("glossary", delimiter="\t"),
    "every cell quoted": rewritten("glossary", quoting=csv.QUOTE_ALL),
    "space after every comma": text("glossary", lambda t: t.replace(",", ", ")),
    "pipes in every definition": rows("glossary", lambda h, r: [[v + "|a|b|c" if n == "definition" else v for n, v in zip(h, x, strict=True)] for x in r]),
    "single quotes around cells": rows("glossary", lambda h, r: [[f"'{v}'" if n == "term" else v for n, v in zip(h, x, strict=True)] for x in r]),
    "quote in a cell": cell("glossary", "term", 'a"b'),
}

# What stock Frictionless says of the mutated resource (documents the mutation does what its
# name says; the property under test is the implication below, whatever these are).
INVALID = {
    *(f"number {s!r}" for s in ["1,000", "0x10", "1.5.1", "--1", "x"]),
    *(f"integer {s[:24]!r}" for s in ["1.0", "1e1", "-", "9" * 4400, "x"]),
    *(f"boolean {s!r}" for s in ["yes", " true", "false ", "t"]),
    "required empty", "required empty in a code list", "enum wrong case", "enum trailing space",
    "pattern upper case", "pattern short", "primary key duplicate row", "primary key duplicate in a code list",
    "primary key all empty", "foreign key miss", "foreign key code list row dropped",
    "foreign key source table dropped", "foreign key code list empty", "header label renamed",
    "header label upper case", "header labels swapped", "header label blank", "header label duplicated",
    "header missing", "header twice", "column dropped", "empty file", "extra cell", "extra empty cell",
    "missing cell", "blank row of commas", "empty line in the middle", "empty line at the end",
    "bad utf-8 byte", "latin-1 byte",
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_proved_valid_means_frictionless_says_valid(package, tmp_path, monkeypatch, mutation):
    folder = shutil.copytree(package, tmp_path / "staged")
    target = MUTATIONS[mutation](folder)
    names = affected(target)
    forget()
    verdict = proved(folder, names)
    valid = stock_valid(folder, names)
    unsound = [name for name in names if verdict[name] and not valid[name]]
    assert not unsound, f"{mutation}: proved valid, Frictionless finds errors in {unsound}"
    monkeypatch.setattr(schema_proof, "CHUNK_ROWS", 3)  # the file read three rows at a time: the same verdict
    forget()
    assert proved(folder, names) == verdict
    if mutation in INVALID:
        assert not all(valid.values()), f"{mutation}: the mutation should break {target}"


def test_the_proof_does_not_take_what_it_cannot_read(package, tmp_path):
    """Spellings Frictionless accepts but the proof leaves to it (no shortcut guessed right)."""
    for mutation in ["number '+1.5'", "number '1e2'", "number 'NaN'", "integer ' 1'", "semicolons", "byte order mark", "crlf line ends"]:
        folder = shutil.copytree(package, tmp_path / mutation.replace("'", "").replace(" ", "_"))
        target = MUTATIONS[mutation](folder)
        forget()
        assert stock_valid(folder, [target])[target], mutation
        assert not proved(folder, [target])[target], mutation


def test_the_proof_proves_the_real_packages(processed, tmp_path):
    """The sample publications of raw/ (a text export, two PDF publications): every resource."""
    for document_id in processed.sample_ids:
        folder = write_package(processed[document_id], tmp_path)
        forget()
        assert proved(folder, NAMES) == dict.fromkeys(NAMES, True), document_id


CHECKED_MUTATIONS = [
    "number 'x'", "integer '1.0'", "boolean 'yes'", "required empty", "enum wrong case", "pattern short",
    "primary key duplicate row", "primary key all empty", "foreign key miss", "foreign key source table dropped",
    "header label renamed", "header twice", "column dropped", "extra cell", "missing cell", "blank row of commas",
    "empty line at the end", "bad utf-8 byte", "header label duplicated", "empty file",
]


@pytest.mark.parametrize("mutation", CHECKED_MUTATIONS)
def test_the_check_rows_of_an_invalid_package_are_frictionless(package, tmp_path, monkeypatch, mutation):
    folder = shutil.copytree(package, tmp_path / "staged")
    MUTATIONS[mutation](folder)

    def check_rows() -> list[dict]:
        forget()
        run = CheckRun(DOC)
        validation = validate_staged(folder, NAMES)
        record(run, validation)
        return run.results

    with_proof = check_rows()
    monkeypatch.setenv(schema_proof.ENVIRONMENT, "frictionless")
    frictionless_only = check_rows()
    assert with_proof == frictionless_only
    assert any(r["check_id"].startswith("frictionless_") and r["status"] == "failed" for r in with_proof), mutation


def test_the_switch_sends_every_resource_to_frictionless(package, monkeypatch):
    calls: list[str] = []
    real = schema_proof.Prover.proves

    def counting(self, name):
        calls.append(name)
        return real(self, name)

    monkeypatch.setattr(schema_proof.Prover, "proves", counting)
    forget()
    assert validate_staged(package, NAMES).valid and calls == NAMES
    calls.clear()
    monkeypatch.setenv(schema_proof.ENVIRONMENT, "frictionless")
    forget()
    assert validate_staged(package, NAMES).valid and calls == []


def test_the_dialect_is_the_one_frictionless_sniffs(package):
    """frictionless_dialect gives the dialect Frictionless' parser settles on for each file."""
    for spec in SPECS:
        path = package / f"{spec['name']}.csv"
        with Resource(path=str(path), format="csv", encoding="utf-8") as resource:
            control = resource.dialect.get_control("csv")
            with path.open(encoding="utf-8", newline="") as handle:
                mine = schema_proof.frictionless_dialect([line for _, line in zip(range(schema_proof.SAMPLE_LINES), handle, strict=False)])
            assert (mine.delimiter, mine.quotechar, mine.skipinitialspace, mine.escapechar) == (
                control.to_python().delimiter, control.to_python().quotechar, control.to_python().skipinitialspace, control.to_python().escapechar
            ), spec["name"]


def test_a_descriptor_frictionless_rejects_is_not_proved(package):
    """The proof stands on the descriptor's validation as Resource.validate does it first."""
    schemas = {"glossary": _schema("glossary"), "Not A Name!": _schema("glossary")}
    assert schema_proof.descriptors_valid(("glossary", "Not A Name!"), schemas.__getitem__) == {"glossary"}
    report = Resource(name="Not A Name!", path="glossary.csv", basepath=str(package), format="csv", encoding="utf-8", schema=_schema("glossary")).validate()
    assert not report.valid


@pytest.mark.parametrize(
    "columns",
    [
        {"a": ["1", "02", "2", ""]},  # two texts of one value, and an empty cell
        {"a": ["1", "1", "3"]},
        {"a": ["1", "02", "2", "1"], "b": ["x", "y", "y", "x"]},
        {"a": ["", ""], "b": ["", "z"]},
        {"a": []},
    ],
)
def test_key_sets_are_the_sets_of_the_rows_typed_tuples(columns):
    """key_set against the tuples of every row (the oracle): the typed values, not the texts."""
    names = list(columns)
    rows = len(columns[names[0]])
    table = schema_proof._Table({n: set(c) for n, c in columns.items()}, dict(columns), rows, dict.fromkeys(names, read_integer_or_text))
    expected = set(zip(*([read_integer_or_text(t)[0] for t in columns[n]] for n in names), strict=True))
    assert table.key_set(names) == expected
    for name in names:
        assert table.key_set([name]) == {(read_integer_or_text(t)[0],) for t in columns[name]}


def read_integer_or_text(text: str) -> tuple[Any, None]:
    return (int(text) if text.isdigit() else text or None, None)
