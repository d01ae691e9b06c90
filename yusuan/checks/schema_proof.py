"""A proof that a staged CSV is valid under its Table Schema, without Frictionless' row loop.

Frictionless validates a staged resource row by row: a ``Row`` per line, a cell reader per
cell (4.8 million cells on the two corpora), each cell's value typed and checked, the primary
and foreign keys looked up as the rows stream. That loop was 19 % of the whole path (issue 14).
Almost every staged file is valid, so most of that work only confirms it.

:meth:`Prover.proves` tries to establish that ``Resource.validate`` would report *no* error
and *no* warning for a staged file, by rules at least as strict as Frictionless' own (read
from Frictionless 5.21, the release pinned in ``pyproject.toml``). The one property that
matters:

    proved valid  ⇒  Frictionless says valid.

Whatever the proof cannot establish is not an error: the resource is handed to Frictionless,
whose report becomes the check rows (its errors and wording). The proof never produces an
error of its own, so a broken file is always described by Frictionless.

What Frictionless does, and what the proof requires instead (yusuan/checks/schema_validation.py
calls it for each resource after the memo of reports):

- **descriptor**: ``Resource.validate`` first validates the resource's descriptor. The staged
  descriptors depend on the resource names and ``schemas/`` only; the proof requires that each
  validated without errors in this process (:func:`descriptors_valid`, once per set of names).
- **bytes**: the file is decoded as UTF-8 (``encoding="utf-8"``; a BOM would switch Frictionless
  to ``utf-8-sig``). Required: strict UTF-8, no BOM, no ``\\r`` (the writer ends lines with
  ``\\n``; a carriage return is a question of line splitting not worth answering here). The
  file is read 16 KiB and 1,024 rows at a time; only each column's distinct texts and
  the key columns' cells are kept (on the largest corpus package the proof's peak is below
  Frictionless').
- **dialect**: Frictionless' CSV parser sniffs the dialect (``csv.Sniffer`` over the first 100
  lines, delimiters ``,\\t;|``, a quote ``'`` taken as ``"``). The proof runs the same sniff on
  the same lines (:func:`frictionless_dialect`) and reads the cells with the dialect it gives,
  so the cells are Frictionless' cells; a dialect other than comma, ``"``, no initial-space
  skipping is not proved.
- **header**: the first row must be the schema's field names exactly, and every row must have
  exactly one cell per field (then Frictionless' header detection, which looks for a row of
  about the sample's mean width, picks row 1, its default; no extra or missing cell, no
  extra, missing, blank, duplicate or incorrect label).
- **blank rows**: no row whose cells are all empty (``""`` is the only missing value).
- **cells**: each distinct text of a column is read once by the field's own Frictionless cell
  reader (``Field.create_cell_reader``: type, format and every constraint — required, enum,
  pattern, min/max…), which must give no note; a field whose reader the proof can read as a
  plain rule takes a shortcut instead: a string field of the default format without
  constraints accepts every text; an integer or number field with Frictionless' defaults and no
  constraints accepts ``-?[0-9]+`` (at most 18 digits) and ``-?[0-9]+(\\.[0-9]+)?`` (at most 30
  digits each side), and the empty cell. Anything else in such a field — ``+1``, ``1e5``,
  ``NaN``, a space, ``1.``, full-width digits — fails the proof, and Frictionless is asked.
- **unique, primary key**: the typed values (the cell reader's values) of a unique field are
  distinct; the primary key's typed tuples are distinct and none is all empty.
- **foreign keys**: each reference must be to another staged resource, itself proved valid
  (so its key cells are typed exactly as Frictionless types them, none a type error); every
  row's typed tuple that is not all empty must be among the referenced file's tuples.

The proof's verdict depends only on the bytes of the file, of the files it references and the
schemas, like Frictionless' report (and the memo of reports in schema_validation.py). Set
``YUSUAN_VALIDATOR=frictionless`` to have Frictionless validate every resource (the proof is
not tried). ``tests/unit/test_schema_proof.py`` mutates real staged files (every field type,
each constraint, keys, header, cells, blank rows, encodings, number spellings) and checks
that whenever the proof says valid, Frictionless says valid.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
import io
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

from yusuan.core import resource_columns
from yusuan.core.resource_columns import column_classes, columns_classes

ENVIRONMENT = "YUSUAN_VALIDATOR"  # "frictionless": every resource validated by Frictionless
SAMPLE_LINES = 100  # frictionless/formats/csv/parser.py SAMPLE_SIZE: the lines the dialect is sniffed from
SNIFFED_DELIMITERS = ",\t;|"  # what Frictionless hands csv.Sniffer when no delimiter is declared
PLAIN_INTEGER = re.compile(r"(?:-?[0-9]{1,18})?")  # int() of it never fails (4,300-digit limit far away)
PLAIN_NUMBER = re.compile(r"(?:-?[0-9]{1,30}(?:\.[0-9]{1,30})?)?")  # Decimal() of it never fails
BLOCK_BYTES = 1 << 14  # bytes of a file decoded at a time (1 MiB raised the peak RSS by 5 MiB; 16 KiB did not, and reads faster)
CHUNK_ROWS = 1024  # rows read at a time: only their key cells outlive the chunk
KEYS_KEPT = 32  # typed key sets of referenced files kept in a process (the code lists, their editions)

_keys: OrderedDict[tuple[Any, ...], frozenset[tuple[Any, ...]]] = OrderedDict()
_keys_lock = threading.Lock()  # packages are written from several threads (flows/ingest.py)


def enabled() -> bool:
    """Whether the proof is tried (not when ``YUSUAN_VALIDATOR=frictionless``)."""
    return os.environ.get(ENVIRONMENT, "").strip().lower() != "frictionless"


@dataclass(frozen=True)
class ProvedReport:
    """What a Frictionless report of a valid resource holds for validate_staged: no task
    errors, no warnings, no package errors."""

    name: str
    tasks: tuple[()] = ()
    errors: tuple[()] = ()
    valid: bool = True


@dataclass
class _Table:
    """A staged file as the proof reads it: each column's distinct texts, and the cells of the
    columns the keys need (the other cells are dropped as the file is read: the memory is that
    of the keys and the distinct values, not of the whole table).

    A kept column's cells are the texts read from the file (:func:`read_table`), or the cells
    the file was written from (:func:`table_of_cells`: ``str``, None or ``int``), each of which
    reads back as its :func:`_cell_text`; ``kept_distinct`` holds the distinct cells of the
    latter (the former's are ``distinct``)."""

    distinct: dict[str, set[str]]
    kept: dict[str, list[Any]]
    rows: int
    readers: dict[str, Callable[[Any], Any]] = dataclasses.field(default_factory=dict)
    kept_distinct: dict[str, set[Any]] = dataclasses.field(default_factory=dict)

    typed_columns: dict[str, list[Any]] = dataclasses.field(default_factory=dict)
    typed_distinct: dict[str, dict[Any, Any]] = dataclasses.field(default_factory=dict)  # each distinct cell's typed value
    # a column's distinct texts' values as the proof read them with the field's reader (the
    # same reader :meth:`typed` would call again on the same texts: read once, issue 14)
    read_values: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)

    def typed(self, name: str) -> list[Any]:
        """The column's values as Frictionless types them: each distinct cell's text read once
        by the field's cell reader. Where every distinct cell's value is the cell itself (the
        same class, equal: a written ``int`` of an integer field, a written text of a string
        field), the column of cells *is* the column of values for every use the proof makes of
        it (equal tuples, equal hashes), and is taken as it is instead of being mapped cell by
        cell (issue 14)."""
        if name not in self.typed_columns:
            read = self.readers[name]
            cells = self.kept[name]
            distinct = self.kept_distinct[name] if name in self.kept_distinct else self.distinct[name]
            known = self.read_values.get(name)
            if known is not None:  # each text already read once by the field's reader (Prover._prove)
                values = self.typed_distinct[name] = {cell: known[_cell_text(cell)] for cell in distinct}
            else:
                values = self.typed_distinct[name] = {cell: read(_cell_text(cell))[0] for cell in distinct}
            self.typed_columns[name] = cells if all(map(_same_value, values, values.values())) else list(map(values.__getitem__, cells))
        return self.typed_columns[name]

    def one_value(self, name: str) -> tuple[Any] | None:
        """``(value,)`` when the column's every row holds one cell, whose typed value is
        ``value``; else None (several distinct cells, even of one typed value, are taken as
        varying: the key sets are then made row by row, as they always may be)."""
        self.typed(name)
        values = self.typed_distinct.get(name)
        if values is None or not self.rows or len(values) != 1:  # typed elsewhere (tests): not known
            return None
        return (next(iter(values.values())),)

    def texts(self, name: str) -> list[str]:
        """The kept column's texts, as the file reads them (tests)."""
        return list(map(_cell_text, self.kept[name]))

    def key_set(self, names: Sequence[str]) -> set[tuple[Any, ...]]:
        """The distinct typed tuples of ``names``, one per row: made straight into the set, so
        that ``zip`` reuses its tuple for every row whose key was seen before instead of
        allocating one per row (issue 14).

        Where every column but one has a single typed value in every row (:meth:`one_value`:
        a package's ``document_id``; a key of one column), the tuples are those values around
        each distinct value of that one column: the same set (equal tuples of equal values),
        made from a set of the column's values without a tuple per row."""
        if not self.rows:
            return set()
        columns = [self.typed(n) for n in names]
        ones = [self.one_value(n) for n in names]
        varying = [index for index, one in enumerate(ones) if one is None]
        if len(varying) > 1:
            return set(zip(*columns, strict=True))
        if not varying:
            return {tuple(one[0] for one in ones if one is not None)}
        index = varying[0]
        head = tuple(one[0] for one in ones[:index] if one is not None)
        tail = tuple(one[0] for one in ones[index + 1 :] if one is not None)
        return {(*head, value, *tail) for value in set(columns[index])}


def _same_value(cell: Any, value: Any) -> bool:
    """Whether a typed value stands for its cell in a key: the cell itself, or of its very
    class and equal to it (so tuples of them are equal and hash alike)."""
    return value is cell or (value.__class__ is cell.__class__ and value == cell)


class Prover:
    """Proves the staged resources of one folder, each at most once (a resource referenced by
    several others is read once)."""

    def __init__(
        self,
        folder: Path,
        names: Iterable[str],
        schema: Callable[[str], Any],
        *,
        digests: dict[str, str] | None = None,
        written: Mapping[str, WrittenCells] | None = None,
    ):
        self.folder = folder
        self.names = list(names)
        self.schema = schema
        self.digests = digests or {}
        self.written = written or {}
        self._tables: dict[str, _Table | None] = {}
        self._proving: set[str] = set()

    def proves(self, name: str) -> bool:
        """True only if Frictionless' ``Resource.validate`` of ``name`` reports no error."""
        if name not in self.names or name not in descriptors_valid(tuple(self.names), self.schema):
            return False
        return self._table(name) is not None

    def _table(self, name: str) -> _Table | None:
        if name not in self._tables:
            if name in self._proving:  # a cycle of references: left to Frictionless
                return None
            self._proving.add(name)
            try:
                self._tables[name] = self._prove(name)
            except Exception:  # noqa: BLE001 - whatever the proof cannot read is Frictionless' to judge
                self._tables[name] = None
            finally:
                self._proving.discard(name)
        return self._tables[name]

    def _prove(self, name: str) -> _Table | None:
        schema = self.schema(name)
        rules = field_rules(name, schema)
        if rules is None:
            return None
        kept = self._key_fields(name)
        needed = {spec.name for spec, rule in zip(schema.fields, rules, strict=True) if not rule.plain} | kept
        table = self._read(name, [f.name for f in schema.fields], kept, needed)
        if table is None:
            return None
        for spec, rule in zip(schema.fields, rules, strict=True):
            if rule.plain:
                continue
            distinct = table.distinct[spec.name]
            if rule.shortcut is not None:
                if not all(map(rule.shortcut.fullmatch, distinct)):
                    return None
                continue
            read = {} if spec.name in table.kept else None  # a kept column's values, for its keys
            for text in distinct:
                value, notes = rule.reader(text)
                if notes:
                    return None
                if read is not None:
                    read[text] = value
            if read is not None:
                table.read_values[spec.name] = read
        table.readers = {spec.name: rule.reader for spec, rule in zip(schema.fields, rules, strict=True)}
        if not _unique(schema, table) or not _primary_key(schema, table):
            return None
        for fk in schema.foreign_keys:
            if not self._foreign_key(name, fk, table):
                return None
        return table

    def _read(self, name: str, names: list[str], kept: set[str], needed: set[str] | None = None) -> _Table | None:
        """The file's table from the cells it was written from, when its bytes (the digest
        of the file as it is now) are those written and the cells read back as themselves
        (:func:`table_of_cells`, the distinct texts of the ``needed`` columns only); else the
        file read (:func:`read_table`)."""
        written = self.written.get(name)
        if written is not None and written.sha256 == self.digests.get(name):
            try:
                return table_of_cells(written, names, kept, needed)
            except _Unread:
                pass
        return read_table(self.folder / f"{name}.csv", names, kept)

    def _key_fields(self, name: str) -> set[str]:
        """The fields of ``name`` whose every cell the keys need: its primary key, unique
        fields, foreign keys, and the fields other staged resources reference in it."""
        schema = self.schema(name)
        wanted = set(schema.primary_key) | {f.name for f in schema.fields if f.constraints.get("unique")}
        wanted.update(n for fk in schema.foreign_keys for n in fk["fields"])
        for other in self.names:
            for fk in self.schema(other).foreign_keys:
                if fk["reference"]["resource"] == name:
                    wanted.update(fk["reference"]["fields"])
        return wanted

    def _foreign_key(self, name: str, fk: dict[str, Any], table: _Table) -> bool:
        source = fk["reference"]["resource"]
        source_key = tuple(fk["reference"]["fields"])
        if not source or source == name or source not in self.names:
            return False  # self-references and resources outside the package: Frictionless' own step
        wanted = self._reference_keys(source, source_key)
        if wanted is None:
            return False
        missing = table.key_set(fk["fields"]).difference(wanted)
        missing.discard(_empty_key(len(fk["fields"])))  # a key all empty is not looked up
        return not missing

    def _reference_keys(self, source: str, source_key: tuple[str, ...]) -> frozenset[tuple[Any, ...]] | None:
        """The referenced file's typed key tuples (all-empty ones left out, as Frictionless'
        lookup leaves them out), if that file is proved valid; kept per bytes in the process."""
        digest = self.digests.get(source)
        memo_key = (source, source_key, digest) if digest else None
        if memo_key is not None:
            with _keys_lock:
                found = _keys.get(memo_key)
                if found is not None:
                    _keys.move_to_end(memo_key)
                    return found
        table = self._table(source)
        if table is None:
            return None
        found = frozenset(table.key_set(source_key).difference((_empty_key(len(source_key)),)))
        if memo_key is not None:
            with _keys_lock:
                _keys[memo_key] = found
                while len(_keys) > KEYS_KEPT:
                    _keys.popitem(last=False)
        return found


def read_table(path: Path, names: list[str], kept: set[str], *, chunk: int | None = None) -> _Table | None:
    """The file read as Frictionless' CSV parser reads it — each column's distinct texts, the
    ``kept`` columns' texts — if the bytes, dialect, header, cell counts and blank rows leave
    no doubt; else None."""
    with path.open("rb") as handle:
        lines = _text_lines(handle)
        sample = list(islice(lines, SAMPLE_LINES))
        if sample and sample[0].startswith("\ufeff"):
            return None
        dialect = frictionless_dialect(sample)
        if not plain_dialect(dialect):
            return None
        return _read_rows(csv.reader(chain(sample, lines), dialect=dialect), names, kept, chunk or CHUNK_ROWS)


def _text_lines(handle: BinaryIO) -> Iterator[str]:
    """The lines Frictionless' ``TextIOWrapper(encoding="utf-8", newline="")`` gives, for a
    file without carriage returns, one at a time: in UTF-8 the byte ``\n`` is only ever a line
    feed, so the file split at it and each piece decoded strictly is the file decoded strictly
    and split after each ``\n``. A carriage return (another line end for the wrapper) raises
    :class:`_Doubt`, a byte that is not UTF-8 (Frictionless' encoding error) UnicodeDecodeError:
    either way the resource goes to Frictionless.

    The file is read a block at a time (:data:`BLOCK_BYTES`, cut after its last ``\n``), each
    block checked and decoded at once and its lines given by ``io.StringIO(newline="")``,
    which splits after each ``\n`` in C (it would split at ``\r`` too, but a block with one
    raises): the same lines as splitting the file line by line in Python (issue 14). A
    bad byte or a carriage return is found a block early rather than a line early; the proof
    reads every line of a file it proves, so its verdict is the same."""
    return chain.from_iterable(_line_blocks(handle))


def _line_blocks(handle: BinaryIO) -> Iterator[io.StringIO]:
    rest = b""
    while block := handle.read(BLOCK_BYTES):
        block = rest + block if rest else block
        end = block.rfind(b"\n") + 1
        if not end:  # no line ends in it yet
            rest = block
            continue
        rest = block[end:]
        yield _lines(block[:end])
    if rest:  # the last line, without a line feed
        yield _lines(rest)


def _lines(data: bytes) -> io.StringIO:
    if b"\r" in data:
        raise _Doubt("a carriage return")
    return io.StringIO(data.decode("utf-8"), newline="")


class _Doubt(Exception):
    """What the proof does not take on: the resource is Frictionless' to validate."""


def _read_rows(reader: Iterator[list[str]], names: list[str], kept: set[str], chunk: int) -> _Table | None:
    """The header checked, then the body ``chunk`` rows at a time: one cell per field, not all
    empty; each column's distinct texts gathered, the ``kept`` columns' texts kept."""
    if next(reader, None) != names:
        return None
    width = len(names)
    distinct: list[set[str]] = [set() for _ in names]
    columns: list[list[str] | None] = [[] if n in kept else None for n in names]
    count = 0
    while body := list(islice(reader, chunk)):
        if any(len(row) != width for row in body) or not all(map(any, body)):
            return None
        count += len(body)
        for column, texts, seen in zip(zip(*body, strict=True), columns, distinct, strict=True):
            seen.update(column)
            if texts is not None:
                texts.extend(column)
    return _Table(dict(zip(names, distinct, strict=True)), {n: c for n, c in zip(names, columns, strict=True) if c is not None}, count)


@dataclass(frozen=True)
class WrittenCells:
    """A staged file as it was written: its sha256, header and each column's cells as the csv
    writer was handed them (str, None or int), and its first :data:`SAMPLE_LINES` lines as
    text, the sample Frictionless sniffs its dialect from (None: bytes the proof reads from
    the file, see :func:`written_cells`)."""

    sha256: str
    header: list[str]
    cells: list[list[Any]]
    sample: str | None
    size: int | None = None  # the file's length in bytes (None: not known)
    # each column's classes where the writer knew them (None: found when asked, :func:`cells_classes`)
    classes: list[set[type] | None] | None = dataclasses.field(default=None, compare=False, repr=False)


class _Unread(Exception):
    """The cells in memory cannot stand for the file's: the file is read instead."""


BOM = "\ufeff".encode()
TEXT_CELLS = frozenset({str, type(None), int})  # the classes whose text csv.writer writes as _cell_text gives it


def written_cells(data: bytes, sha256: str, header: list[str], cells: list[list[Any]], classes: list[set[type] | None] | None = None) -> WrittenCells:
    """What the proof needs to know of a file the writer made of ``header`` and ``cells``
    (:func:`yusuan.core.resource_format.csv_file_bytes`) to read it without reading it back.

    The sample is left out (the file will be read) if the bytes hold a carriage return (the
    file reader's doubt), a NUL or a byte order mark: the argument of :func:`table_of_cells`
    is made only for the bytes it covers."""
    if b"\r" in data or b"\0" in data or data.startswith(BOM):
        return WrittenCells(sha256, header, cells, None, len(data), classes)
    end = 0
    for _ in range(SAMPLE_LINES):
        found = data.find(b"\n", end)
        if found < 0:
            end = len(data)
            break
        end = found + 1
    return WrittenCells(sha256, header, cells, data[:end].decode("utf-8"), len(data), classes)


def table_of_cells(written: WrittenCells, names: list[str], kept: set[str], needed: set[str] | None = None) -> _Table | None:
    """The table :func:`read_table` reads of the written file, made from its cells.

    Why the cells are the file's cells. The file's bytes are ``csv.writer`` (comma, ``"``
    doubled, quoting only where needed, lines ended by ``\n``) of the header and the rows of
    cells, encoded as UTF-8 (the caller checks the file's sha256 is the written one). Then:

    - the bytes are strict UTF-8 without a BOM, carriage return or NUL (:func:`written_cells`
      checked), so :func:`read_table`'s lines are the written text split after each ``\n``
      and its sample is :attr:`WrittenCells.sample`; the same sniff is run on it here, and
      any dialect but the plain one is left to the file reader;
    - with the plain dialect, ``csv.reader`` reads ``csv.writer``'s output back as the cells
      written: a cell with a comma, quote or line feed was quoted (its quotes doubled), any
      other is as it is (leading spaces kept: no initial-space skipping), a row of a single
      empty cell was written ``""``; a ``str`` cell reads back as itself, ``None`` as ``""``,
      an ``int`` as ``str()`` of it (the writer's text of it). Cells of any other class, and
      texts at or over ``csv.field_size_limit()`` (which the reader refuses), are left to the
      file reader;
    - so the header row is ``written.header``, every row has one cell per column, and the
      checks of :func:`_read_rows` (header, blank rows) and its distinct and kept texts are
      taken from the columns. ``tests/unit/test_proof_cells.py`` compares both readings on
      real packages and adversarial cells.

    ``needed``: the columns whose distinct texts the caller reads (None: every column). The
    proof reads none of a plain field's texts (every text is valid) unless its cells are kept
    for the keys, and a set of a column's cells costs a hash and a probe per cell (issue 14: two
    fifths of the staged cells are in such columns). A column left out has no entry in
    ``distinct``; whether it reads an empty text (the blank-row check) is found from its cells
    when it is asked. It is left out only when the file is shorter than the field limit, so
    that no text of it need be measured.
    """
    if written.sample is None or not plain_dialect(frictionless_dialect([written.sample])):
        raise _Unread
    if written.header != names:
        return None
    rows = len(written.cells[0]) if written.cells else 0
    if any(len(column) != rows for column in written.cells):
        raise _Unread
    limit = csv.field_size_limit()
    # a text is at most as long in characters as its UTF-8 in bytes, and each is part of the
    # file: in a file shorter than the limit no text reaches it
    short = written.size is not None and written.size < limit
    distinct: dict[str, set[str]] = {}
    kept_cells: dict[str, list[Any]] = {}
    kept_distinct: dict[str, set[Any]] = {}
    unread: list[tuple[list[Any], set[type]]] = []  # the columns whose texts are not gathered
    for name, column, classes in zip(names, written.cells, cells_classes(written), strict=True):
        if not classes <= TEXT_CELLS:  # before a set of the cells: True == 1, texts differ
            raise _Unread
        if short and needed is not None and name not in needed and name not in kept:
            unread.append((column, classes))
            continue
        cells = set(column)
        distinct[name] = distinct_texts(cells, classes)
        if name in kept:  # the cells themselves, read back as their texts where typed (_Table.typed)
            kept_cells[name] = column
            kept_distinct[name] = cells
        if not short and distinct[name] and max(map(len, distinct[name])) >= limit:
            raise _Unread
    if rows and all("" in seen for seen in distinct.values()) and all(_reads_empty(*column) for column in unread) and _blank_row(written.cells):
        return None
    return _Table(distinct, kept_cells, rows, kept_distinct=kept_distinct)


def cells_classes(written: WrittenCells) -> list[set[type]]:
    """Each written column's classes (:func:`columns_classes`): those the writer knew
    (:attr:`WrittenCells.classes`), the others found now (issue 14: most columns' classes were
    taken with the rows' values, which are the cells written)."""
    known = written.classes
    if known is None or len(known) != len(written.cells):
        return columns_classes(written.cells)
    found = iter(columns_classes([column for column, kinds in zip(written.cells, known, strict=True) if kinds is None]))
    return [next(found) if kinds is None else kinds for kinds in known]


def _reads_empty(cells: list[Any], classes: set[type]) -> bool:
    """Whether a column of cells of ``classes`` (:data:`TEXT_CELLS` only) reads back an empty
    text: a None, or an empty ``str`` (an ``int`` never reads as ``""``, nor equals it)."""
    return type(None) in classes or (str in classes and "" in cells)


NO_CELL = frozenset({None})


def distinct_texts(cells: set[Any], classes: set[type]) -> set[str]:
    """``set(map(_cell_text, cells))``: the texts ``csv.reader`` reads back of a column's
    distinct ``cells``, whose classes (:data:`TEXT_CELLS` only) are ``classes``, without a
    Python call per cell (issue 14). ``str()`` of an exact ``str`` is that string and of an
    exact ``int`` its decimal text, which is :func:`_cell_text` of each; None reads as ``""``.
    A new set, never ``cells`` itself."""
    empty = type(None) in classes
    texts = cells - NO_CELL if empty else set(cells)
    if int in classes:
        texts = set(map(str, texts))
    if empty:
        texts.add("")
    return texts


def cell_texts(cells: list[Any]) -> list[str]:
    """The texts ``csv.reader`` reads back of cells ``csv.writer`` wrote (the list itself when
    every cell is a ``str``)."""
    if column_classes(cells) <= {str}:
        return cells
    return list(map(_cell_text, cells))


def _cell_text(cell: Any) -> str:
    kind = cell.__class__
    if kind is str:
        return cell
    if cell is None:
        return ""
    if kind is int:
        return str(cell)
    raise _Unread


def _blank_row(cells: list[list[Any]]) -> bool:
    """Whether a row's cells all read back as ``""``."""
    return not all(map(any, zip(*map(cell_texts, cells), strict=True)))


def frictionless_dialect(sample: list[str]) -> Any:
    """The ``csv.Dialect`` Frictionless' CSV parser reads a file with whose first lines are
    ``sample`` (``CsvParser.read_cell_stream_create`` with no dialect declared). Its
    ``csv.Sniffer`` is :class:`QuickSniffer`, which gives the same
    dialect without the scans that cannot change it."""
    try:
        config = QuickSniffer().sniff("".join(sample), SNIFFED_DELIMITERS)
    except csv.Error:
        config = csv.excel()
    if config.quotechar == "'":
        config.quotechar = '"'
    sniffed = tuple((value, value.__class__) for value in (config.delimiter, config.lineterminator, config.escapechar, config.quotechar, config.skipinitialspace))
    dialect = SNIFFED_DIALECTS.get(sniffed)
    if dialect is None:
        dialect = SNIFFED_DIALECTS[sniffed] = control_dialect(config)
    return copy.copy(dialect)


# the dialect Frictionless' CSV control gives of each sniffed dialect (:func:`control_dialect`),
# by the values it reads of it and their classes (``1`` is not taken for ``True``); a handful
SNIFFED_DIALECTS: dict[tuple[tuple[Any, type], ...], Any] = {}


def control_dialect(config: Any) -> Any:
    """What Frictionless' parser makes of a sniffed dialect ``config``: a new ``CsvControl``
    (nothing declared, so its ``delimiter`` is the default that was handed to the sniff,
    :data:`SNIFFED_DELIMITERS`) given the sniffed delimiter, line terminator, escape character,
    quote character and initial-space skipping where it has none, and turned into a
    ``csv.Dialect``. It depends on those five values only, so :func:`frictionless_dialect`
    makes it once for each (issue 14: a ``CsvControl`` and its five checked assignments were
    about 40 µs of each of the 850 sniffs of a pass)."""
    from frictionless.formats.csv.control import CsvControl

    control = CsvControl()
    control.set_not_defined("delimiter", config.delimiter, distinct=True)
    control.set_not_defined("line_terminator", config.lineterminator, distinct=True)
    control.set_not_defined("escape_char", config.escapechar, distinct=True)
    control.set_not_defined("quote_char", config.quotechar, distinct=True)
    control.set_not_defined("skip_initial_space", config.skipinitialspace, distinct=True)
    return control.to_python()


def plain_dialect(dialect: Any) -> bool:
    """Comma, double quote doubled, no escape character, no initial spaces skipped: the
    dialect the writer writes (the proof reads with the sniffed dialect; any other is doubt)."""
    return (
        dialect.delimiter == ","
        and dialect.quotechar == '"'
        and dialect.doublequote
        and dialect.escapechar is None
        and not dialect.skipinitialspace
        and dialect.quoting == csv.QUOTE_MINIMAL
    )


@functools.cache
def descriptors_valid(names: tuple[str, ...], schema: Callable[[str], Any]) -> frozenset[str]:
    """The staged resources whose descriptors Frictionless validates without error, built as
    yusuan/checks/schema_validation.py builds them (once per process and set of names)."""
    from frictionless import FrictionlessException, Package

    from yusuan.checks.frictionless_staged import HOOKED, StagedTableResource

    table: Any = StagedTableResource if HOOKED else None
    try:
        if table is None:
            from frictionless import Resource as table
        package = Package(
            resources=[table(name=n, path=f"{n}.csv", format="csv", encoding="utf-8", schema=schema(n)) for n in names],
            basepath=".",
        )
    except Exception:  # noqa: BLE001 - the package cannot be built: nothing is proved
        return frozenset()
    valid = set()
    for name, resource in zip(names, package.resources, strict=True):
        try:
            resource.to_descriptor(validate=True)
        except FrictionlessException:
            continue
        valid.add(name)
    return frozenset(valid)


@dataclass(frozen=True)
class FieldRule:
    """How the proof checks a field's cells. ``reader`` is Frictionless' cell reader of the
    field (its typed values, for keys); ``plain``: every text is valid (a string field of the
    default format without constraints); ``shortcut``: every distinct text must match it;
    otherwise every distinct text must pass ``reader`` without a note."""

    reader: Callable[[Any], Any]
    plain: bool = False
    shortcut: re.Pattern[str] | None = None


def field_rules(name: str, schema: Any) -> list[FieldRule] | None:
    """The rule of each field of ``schema`` (kept per schema object: the staged schemas are
    built once per process). None: a schema the proof does not take on (missing values other
    than the empty cell)."""
    key = (name, id(schema))
    kept = _rules.get(key)
    if kept is None or kept[0] is not schema:
        kept = _rules[key] = (schema, _field_rules(schema))  # the schema kept alive: its id stays its own
    return kept[1]


_rules: dict[tuple[str, int], tuple[Any, list[FieldRule] | None]] = {}


def _field_rules(schema: Any) -> list[FieldRule] | None:
    if list(schema.missing_values) != [""]:
        return None
    rules: list[FieldRule] = []
    for field in schema.fields:
        if field.has_defined("missing_values") and list(field.missing_values) != [""]:
            return None
        rules.append(field_rule(field))
    return rules


# what a field may define and still be read by a plain rule: the rest are options (format,
# bareNumber, groupChar, trueValues …) that change what its reader accepts
PLAIN_DEFINED = frozenset({"name", "type", "constraints", "custom", "schema"})


def field_rule(field: Any) -> FieldRule:
    from frictionless.fields import IntegerField, NumberField, StringField

    reader = field.create_cell_reader()
    constrained = any(v is not None for v in (field.constraints or {}).values())
    if not constrained and set(field.list_defined()) <= PLAIN_DEFINED:
        if isinstance(field, StringField) and field.format in (None, "default"):
            return FieldRule(reader, plain=True)
        if isinstance(field, IntegerField) and field.bare_number is True:
            return FieldRule(reader, shortcut=PLAIN_INTEGER)
        if isinstance(field, NumberField) and (field.bare_number, field.float_number, field.decimal_char, field.group_char) == (True, False, ".", ""):
            return FieldRule(reader, shortcut=PLAIN_NUMBER)
    return FieldRule(reader)


def _unique(schema: Any, table: _Table) -> bool:
    for field in schema.fields:
        if field.constraints.get("unique"):
            values = [v for v in table.typed(field.name) if v is not None]
            if len(set(values)) != len(values):
                return False
    return True


def _primary_key(schema: Any, table: _Table) -> bool:
    """Every row's typed key distinct, and none all empty. A key column with one typed value
    in every row that is not empty (a package's ``document_id``) makes no key all empty and
    no two keys differ by it: the keys are distinct exactly when the rest of them are, and
    only the rest is gathered (issue 14)."""
    if not schema.primary_key:
        return True
    names = list(schema.primary_key)
    ones = {name: one for name in names if (one := table.one_value(name)) is not None}
    if any(one[0] is not None for one in ones.values()):
        rest = [name for name in names if name not in ones]
        return len(table.key_set(rest)) == table.rows if rest else table.rows == 1
    distinct = table.key_set(names)  # one tuple per row: every row's key distinct
    return len(distinct) == table.rows and _empty_key(len(names)) not in distinct


def _empty_key(width: int) -> tuple[None, ...]:
    """The key whose every cell is empty. A typed cell is empty only as None, and no typed
    value (str, int, Decimal, bool, dates, lists, dicts) equals None, so a key tuple is all
    empty exactly when it equals this one: the key sets are tested against it in C, not
    cell by cell in Python."""
    return (None,) * width


def forget() -> None:
    """Drop the remembered key sets (tests)."""
    with _keys_lock:
        _keys.clear()


# the dialect sniff (frictionless_dialect): csv.Sniffer with the same answers for less work

ASCII = [chr(code) for code in range(127)]  # the characters csv.Sniffer._guess_delimiter counts


class QuickSniffer(csv.Sniffer):
    """``csv.Sniffer`` whose guesses skip the work that cannot change their answer: the same
    dialect for less work.

    The proof sniffs each staged file's first 100 lines as Frictionless' CSV parser does
    (:func:`frictionless_dialect`), about 850 samples of 9 KB on the two corpora: 0.6 CPU-s of the path (issue 14). Most of it is
    spent on work whose outcome is fixed before it starts:

    - ``_guess_quote_and_delimiter`` runs four regular expressions over the sample, each of which
      must match a quote character (``["']``) to match at all. A sample with neither ``"`` nor
      ``'`` (more than half of the staged files: no cell needed quoting) matches none of them, and
      the method then returns ``('', False, None, 0)``: that answer is given without the scans.
    - Of a sample with a quote, the same guess (:func:`guess_quote_and_delimiter`) looks for its
      first pattern only where a match can begin (just before a quote character) and runs the
      double-quote search only where a line holds three quote characters between delimiters.
    - ``_guess_delimiter`` counts each of the 127 ASCII characters on every line, but only a
      character among ``delimiters`` can ever enter its table of candidates (``delims``), and what
      it returns is read from that table alone (the first candidate found, the preferred one, or
      the last in sorted order); the modes of the other characters are computed and never used.
      With ``delimiters`` given, only those characters are counted (in ASCII order, as before).
      Without ``delimiters`` every character can be a candidate, and the method is
      ``csv.Sniffer``'s own.

    Everything else (``sniff`` itself, the other patterns of the quote-and-delimiter guess) is
    ``csv.Sniffer``'s code. ``tests/unit/test_dialect_sniff.py`` compares both on every staged
    file of the fixture packages and on samples made to reach each branch.
    """

    def _guess_quote_and_delimiter(
        self, data: str, delimiters: str | None
    ) -> tuple[str, bool, str | None, Any]:
        """``csv.Sniffer``'s guess; without a quote character in ``data`` none of its patterns
        can match, and its answer is the no-match answer."""
        if '"' not in data and "'" not in data:
            return ("", False, None, 0)
        return guess_quote_and_delimiter(data, delimiters)

    def _guess_delimiter(self, data: str, delimiters: str | None) -> tuple[str, Any]:
        """``csv.Sniffer._guess_delimiter`` counting only the characters that may be chosen."""
        if delimiters is None:
            return super()._guess_delimiter(data, delimiters)  # type: ignore[misc]
        return guess_delimiter(data, [char for char in ASCII if char in delimiters], self.preferred)


def guess_delimiter(data: str, candidates: list[str], preferred: list[str]) -> tuple[str, Any]:
    """The body of ``csv.Sniffer._guess_delimiter`` (Python 3.11) with its ``ascii`` list
    replaced by ``candidates``: the same frequency tables, modes and consistency rule for those
    characters, and the same choice among them."""
    lines = list(filter(None, data.split("\n")))
    chunk_length = min(10, len(lines))
    iteration = 0
    char_frequency: dict[str, dict[int, int]] = {}
    modes: dict[str, tuple[int, int]] = {}
    delims: dict[str, tuple[int, int]] = {}
    start, end = 0, chunk_length
    while start < len(lines):
        iteration += 1
        for line in lines[start:end]:
            for char in candidates:
                meta = char_frequency.get(char, {})
                freq = line.count(char)
                meta[freq] = meta.get(freq, 0) + 1
                char_frequency[char] = meta
        for char in char_frequency:
            items = list(char_frequency[char].items())
            if len(items) == 1 and items[0][0] == 0:
                continue
            if len(items) > 1:
                mode = max(items, key=lambda x: x[1])
                items.remove(mode)
                modes[char] = (mode[0], mode[1] - sum(item[1] for item in items))
            else:
                modes[char] = items[0]
        total = float(min(chunk_length * iteration, len(lines)))
        consistency = 1.0
        while len(delims) == 0 and consistency >= 0.9:
            for k, v in modes.items():
                if v[0] > 0 and v[1] > 0 and v[1] / total >= consistency:
                    delims[k] = v
            consistency -= 0.01
        if len(delims) == 1:
            delim = list(delims)[0]
            return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")
        start = end
        end += chunk_length
    if not delims:
        return "", 0
    if len(delims) > 1:
        for d in preferred:
            if d in delims:
                return d, lines[0].count(d) == lines[0].count(f"{d} ")
    delim = max((mode, char) for char, mode in delims.items())[1]  # the largest mode, then character
    return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")


# csv.Sniffer._guess_quote_and_delimiter's patterns (Python 3.11), tried in this order
QUOTED_PATTERNS = [
    re.compile(pattern, re.DOTALL | re.MULTILINE)
    for pattern in (
        r'(?P<delim>[^\w\n"\'])(?P<space> ?)(?P<quote>["\']).*?(?P=quote)(?P=delim)',  # ,".*?",
        r'(?:^|\n)(?P<quote>["\']).*?(?P=quote)(?P<delim>[^\w\n"\'])(?P<space> ?)',  #  ".*?",
        r'(?P<delim>[^\w\n"\'])(?P<space> ?)(?P<quote>["\']).*?(?P=quote)(?:$|\n)',  # ,".*?"
        r'(?:^|\n)(?P<quote>["\']).*?(?P=quote)(?:$|\n)',  #  ".*?" (no delim, no space)
    )
]
QUOTE_CHARACTER = re.compile("[\"']")


def guess_quote_and_delimiter(data: str, delimiters: str | None) -> tuple[str, bool, str | None, Any]:
    """The body of ``csv.Sniffer._guess_quote_and_delimiter`` (Python 3.11), the same answer
    with two scans made shorter (:func:`delimited_quotes`, :func:`doubled_quote`)."""
    matches: list[Any] = []
    for index, regexp in enumerate(QUOTED_PATTERNS):
        matches = delimited_quotes(regexp, data) if index == 0 else regexp.findall(data)
        if matches:
            break
    if not matches:
        return ("", False, None, 0)
    quotes: dict[str, int] = {}
    delims: dict[str, int] = {}
    spaces = 0
    groupindex = regexp.groupindex
    for m in matches:
        key = m[groupindex["quote"] - 1]
        if key:
            quotes[key] = quotes.get(key, 0) + 1
        if "delim" not in groupindex:
            continue
        key = m[groupindex["delim"] - 1]
        if key and (delimiters is None or key in delimiters):
            delims[key] = delims.get(key, 0) + 1
        if "space" not in groupindex:
            continue
        if m[groupindex["space"] - 1]:
            spaces += 1
    quotechar = max(quotes, key=quotes.get)  # type: ignore[arg-type]
    skipinitialspace: Any
    if delims:
        delim = max(delims, key=delims.get)  # type: ignore[arg-type]
        skipinitialspace = delims[delim] == spaces
        if delim == "\n":  # most likely a file with a single column
            delim = ""
    else:  # there is *no* delimiter, it's a single column of quoted data
        delim = ""
        skipinitialspace = 0
    return (quotechar, doubled_quote(data, quotechar, delim), delim, skipinitialspace)


def delimited_quotes(regexp: re.Pattern[str], data: str) -> list[Any]:
    """``regexp.findall(data)`` of the first pattern (a delimiter, an optional space, a quote
    character ...), tried only where a match can begin: one or two characters before a quote
    character. ``findall`` tries every position from the end of the last match on, and at any
    other position the pattern fails at once; it has no anchor, lookbehind or word boundary, so
    ``match`` at a position is the attempt ``findall`` makes there, and every group takes part
    in a match (no group left ``""`` by default).

    Of the first pattern itself, the same attempts are made in C where the extension is on
    (:func:`yusuan.core.resource_columns.delimited_quotes`: the pattern read as one test of a
    character, an optional space and a quote, and a search for the quote followed by the
    delimiter; issue 14: about 13,000 attempts a pass, some of them scanning to the sample's
    end). This function's regular expression stays the oracle."""
    if regexp is QUOTED_PATTERNS[0]:
        made = resource_columns.delimited_quotes(data)
        if made is not None:
            return made
    return delimited_quotes_python(regexp, data)


def delimited_quotes_python(regexp: re.Pattern[str], data: str) -> list[Any]:
    """:func:`delimited_quotes` by the regular expression (the oracle)."""
    found: list[Any] = []
    end = 0
    for quote in QUOTE_CHARACTER.finditer(data):
        for start in (quote.start() - 2, quote.start() - 1):
            if start < end:
                continue
            match = regexp.match(data, start)
            if match is not None:
                found.append(match.groups())
                end = match.end()
    return found


def doubled_quote(data: str, quotechar: str, delim: str) -> bool:
    """Whether ``csv.Sniffer``'s double-quote pattern is found in ``data``. That pattern holds
    three ``quotechar`` with neither ``delim`` nor a line feed between the first and the third;
    the three quote characters that follow the first of them then have neither between them
    either, so where no quote character is followed by two more without ``delim``, a line feed
    or a quote between them (one quick scan) the pattern cannot be found and is not searched."""
    between = f"[^{re.escape(delim)}\\n{quotechar}]*"
    if re.search(f"{quotechar}{between}{quotechar}{between}{quotechar}", data) is None:
        return False
    pattern = r"(({delim})|^)\W*{quote}[^{delim}\n]*{quote}[^{delim}\n]*{quote}\W*(({delim})|$)".format(delim=re.escape(delim), quote=quotechar)
    return re.compile(pattern, re.MULTILINE).search(data) is not None
