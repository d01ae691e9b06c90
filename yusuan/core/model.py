"""Small data classes passed between the stages of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SourceFile:
    """One file of a publication, as listed in the manifest."""

    path: Path
    role: str
    sha256: str
    # where the file was downloaded from, for a file the manifest does not list itself (an
    # attachment linked from a page: yusuan/ingest/attachments.py); "" otherwise
    url: str = ""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class SourceDocument:
    """A publication: one or more files that together make one budget or final account."""

    document_id: str
    issuer: str
    region: str
    fiscal_year: int
    kind: str
    files: tuple[SourceFile, ...]
    source: str = ""
    metadata_source: str = "manifest"  # or "inferred_from_document" (yusuan/ingest/drafting.py)
    # what the ingest stage found about the files before reading them (an attachment of a page
    # that could not be fetched, another unit's publication linked from it): published as checks
    findings: tuple[Finding, ...] = field(default=(), hash=False)


@dataclass(frozen=True)
class Origin:
    """Where a piece of text was printed: file, page (1-based, None for text exports), line."""

    file: str
    sha256: str
    page: int | None
    line: int


# Markers for a grid cell covered by a merged cell (PDF grids): the covering cell starts
# to the left in the same row, or in a row above.
COVERED_LEFT = "\x00L"
COVERED_ABOVE = "\x00U"


@dataclass(frozen=True)
class Word:
    x0: float
    x1: float
    text: str


@dataclass
class TextLine:
    """A line of running text (not inside a table grid)."""

    text: str
    origin: Origin
    continues: bool = False  # the line runs to the right margin: its paragraph goes on below
    words: tuple[Word, ...] = ()  # PDF lines: the words with their horizontal position


@dataclass
class Grid:
    """A table grid as printed: rows of cell strings (None for a cell covered by a merged cell).

    ``row_origins`` gives the origin of each row (a grid may continue over pages).
    """

    rows: list[list[str | None]]
    row_origins: list[Origin]
    column_bounds: list[tuple[float, float]] | None = None  # PDF grids: x-range of each column

    @property
    def origin(self) -> Origin:
        return self.row_origins[0]


Block = TextLine | Grid


@dataclass
class FileExtract:
    """What a reader found in one file."""

    blocks: list[Block]
    page_count: int = 0
    pages_without_text: list[int] = field(default_factory=list)  # image-only pages
    blank_pages: list[int] = field(default_factory=list)  # nothing printed at all
    hidden_chars: dict[int, int] = field(default_factory=dict)  # page -> characters printed off the page


@dataclass
class ExtractedDocument:
    """The text lines and grids of all files of a publication, in reading order."""

    document: SourceDocument
    blocks: list[Block]
    pages_without_text: list[tuple[str, int]] = field(default_factory=list)
    page_count: int = 0
    hidden_chars: list[tuple[str, int, int]] = field(default_factory=list)  # file, page, characters
    blank_pages: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class RawTable:
    """A table found in a publication, cells still as printed."""

    table_id: str
    title: str
    label: str
    unit_text: str
    compiled_by: str
    header: list[list[str]]
    body: list[list[str | None]]  # None: covered by a merged cell
    body_origins: list[Origin]
    notes: list[str]
    origin: Origin
    sequence: int = 0
    column_bounds: list[tuple[float, float]] | None = None
    # the publication's contents page says this table is left empty, with its reason and page
    declared_empty: str = ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.header + self.body), default=0)


@dataclass
class Finding:
    """Something about the input the user should know; ``error`` blocks publishing."""

    check_id: str
    severity: str
    message: str
    table_id: str = ""
    page: int | None = None
    file: str = ""
    row: str = ""
    field: str = ""
    expected: str = ""
    actual: str = ""
    table_sequence: int | None = None  # the table the finding is about, when it is about one
