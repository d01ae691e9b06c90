"""A manifest drafted from the documents themselves, for people who have a PDF and no manifest.

``yusuan run FILE…`` and ``yusuan manifest FILE…`` read each file's cover, titles and
编制单位 lines (:mod:`yusuan.interpret.identity`), infer the region from the issuer's name
(schemas/regions.yaml), pair a narrative file with its tables file, and write the rows of an
ordinary manifest. The run then takes the normal path over that manifest, so nothing
downstream knows or cares that a person did not type it; the package records
``metadata_source = inferred_from_document`` and the run prints where each value was read.

A value that cannot be read is never guessed: the publication fails with one line saying to
write a manifest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from yusuan.core.errors import YusuanError
from yusuan.core.hashing import sha256_of
from yusuan.core.model import SourceFile, TextLine
from yusuan.core.schemas import (
    Registry,
    load_registry,
    normalize_label,
    package_metadata,
    region_names,
)
from yusuan.core.vocabulary import pattern, word, words
from yusuan.interpret.identity import SCAN_LINES, PrintedIdentity, identity_from_text

SUPPORTED = (".pdf", ".xlsx", ".xls", ".docx", ".html", ".htm", ".txt")
MANIFEST_COLUMNS = ("document_id", "issuer", "region", "fiscal_year", "kind", "file", "role", "sha256", "source")
INFERRED = "inferred_from_document"
_PARTY = words("party_prefixes")
PLACE_PREFIX = pattern("place_prefix")
DISTRICT = pattern("district")  # 普陀区, 仓山区, 宜良县: right after a province-level city or a city
NOT_DISTRICTS = frozenset(words("not_districts"))
CITY = word("city_suffix")


@dataclass(frozen=True)
class FileReading:
    """What one file says about itself."""

    path: Path
    sha256: str
    identity: PrintedIdentity = PrintedIdentity()
    tables: int = 0  # tables found
    prose_lines: int = 0  # lines of running text, for the record: not a sign of a narrative (performance tables are wordy)
    error: str = ""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Draft:
    """One publication drafted from its files: the manifest values and where each was read."""

    files: tuple[tuple[FileReading, str], ...]  # (file, role)
    document_id: str = ""
    issuer: str = ""
    region: str = ""
    fiscal_year: int | None = None
    kind: str = ""
    evidence: dict[str, str] = field(default_factory=dict)  # field -> "the cover of bmys.pdf"
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def label(self) -> str:
        return " + ".join(str(reading.path) for reading, _ in self.files)

    def describe(self) -> str:
        """One line: the id and each value with where it was read."""
        if self.error:
            return f"error: {self.error}"
        parts = [f"{name} {value} (from {self.evidence.get(name, '?')})" for name, value in (("issuer", self.issuer), ("region", self.region), ("year", self.fiscal_year), ("kind", self.kind))]
        roles = ", ".join(f"{reading.name}={role}" for reading, role in self.files)
        return f"{self.document_id}: " + "; ".join(parts) + f" [{roles}]"


# -- files ---------------------------------------------------------------------------------------


def collect_files(paths: Iterable[Path], skip: Path | None = None) -> tuple[list[Path], list[str]]:
    """The files named, and the supported files under the folders named (sorted; hidden and
    underscore-prefixed folders and ``skip``, the run's output folder with its catalogue
    pages, left out); one error line per path that is neither."""
    files: list[Path] = []
    errors: list[str] = []
    skipped = skip.resolve() if skip else None
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED and not _hidden(p.relative_to(path)) and not (skipped and p.resolve().is_relative_to(skipped))
            )
            if not found:
                errors.append(f"{path}: no {', '.join(SUPPORTED)} file in this folder")
            files += found
        elif path.is_file():
            if path.suffix.lower() not in SUPPORTED:
                errors.append(f"{path}: unsupported file type {path.suffix!r} (supported: {', '.join(SUPPORTED)})")
            else:
                files.append(path)
        else:
            errors.append(f"{path}: no such file or folder")
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values()), errors


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "_")) for part in relative.parts[:-1]) or relative.name.startswith(".")


@dataclass(frozen=True)
class Evidence:
    """What the identity reader reads in one file: small enough to keep as a test fixture."""

    sha256: str
    lines: tuple[str, ...]  # the first SCAN_LINES text lines, as extracted
    tables: tuple[tuple[str, str], ...]  # (title, compiled_by) of every table
    prose_lines: int  # lines of running text (not claimed by a table)


def extract_evidence(path: Path, registry: Registry | None = None) -> Evidence:
    """Extract one file as the pipeline does (:func:`yusuan.package.process.extracted_to_result`) and
    keep the identity reader's input. Raises YusuanError / OSError for an unreadable file."""
    from yusuan.extract import file_to_blocks
    from yusuan.layout.page_furniture import mark_page_furniture
    from yusuan.layout.tables import read_tables, text_grids_to_lines

    registry = registry or load_registry()
    sha256 = sha256_of(path)
    found = file_to_blocks(SourceFile(path, "full", sha256))
    blocks = text_grids_to_lines(found.blocks, registry)
    furniture = mark_page_furniture(blocks, registry)
    tables, _, claims = read_tables(furniture.without(blocks, "page_furniture"), registry)
    claims.update(furniture)
    lines = [b for b in blocks if isinstance(b, TextLine)]
    prose = sum(1 for line in lines if not claims.role(line) and len(line.text.strip()) >= 20)
    return Evidence(sha256, tuple(line.text for line in lines[:SCAN_LINES]), tuple((t.title, t.compiled_by) for t in tables), prose)


def read_file(path: Path, registry: Registry | None = None) -> FileReading:
    """One file's identity and shape; never raises for a bad file (the error is kept)."""
    try:
        evidence = extract_evidence(path, registry)
    except (YusuanError, OSError, ValueError) as exc:
        message = str(exc).removeprefix(f"{path.name}: ")  # an ExtractionError names the file
        return FileReading(path, "", error=f"{path}: {message}")
    return reading_from_evidence(path, evidence)


def reading_from_evidence(path: Path, evidence: Evidence) -> FileReading:
    identity = identity_from_text(evidence.lines, evidence.tables)
    return FileReading(path, evidence.sha256, identity, len(evidence.tables), evidence.prose_lines)


# -- publications --------------------------------------------------------------------------------


def pair_files(readings: Sequence[FileReading]) -> list[tuple[tuple[FileReading, str], ...]]:
    """Group files into publications: a narrative file (no table) and a tables file of the same
    publication are one (roles narrative, tables); every other file is a publication of its own
    (role ``full``). Input order is kept.

    Same publication: first the same year and an issuer printed alike (one name inside the
    other); then, for what is left, the only narrative and the only tables file of a folder
    (:func:`_may_complete`: a tables file often prints neither issuer nor year, and a narrative
    may name the issuer short where the tables print the full name)."""
    narratives = [r for r in readings if not r.error and r.tables == 0]
    with_tables = [r for r in readings if not r.error and r.tables > 0]
    partner: dict[int, FileReading] = {}
    taken: set[int] = set()
    for narrative in narratives:
        candidates = [t for t in with_tables if id(t) not in taken and _same_publication(narrative.identity, t.identity)]
        # an issuer printed the same way on both beats one that is merely compatible
        candidates.sort(key=lambda t: normalize_label(t.identity.issuer) != normalize_label(narrative.identity.issuer))
        if candidates:
            partner[id(narrative)] = candidates[0]
            taken.add(id(candidates[0]))
    for folder in dict.fromkeys(r.path.parent for r in narratives):
        alone = [n for n in narratives if n.path.parent == folder and id(n) not in partner]
        left = [t for t in with_tables if t.path.parent == folder and id(t) not in taken]
        if len(alone) == 1 and len(left) == 1 and _may_complete(alone[0].identity, left[0].identity):
            partner[id(alone[0])] = left[0]
            taken.add(id(left[0]))
    groups: list[tuple[tuple[FileReading, str], ...]] = []
    for reading in readings:
        if id(reading) in taken:
            continue
        if id(reading) in partner:
            groups.append(((reading, "narrative"), (partner[id(reading)], "tables")))
        else:
            groups.append(((reading, "full"),))
    return groups


def _may_complete(narrative: PrintedIdentity, tables: PrintedIdentity) -> bool:
    """The narrative says which publication it is (a year), the tables file does not claim to
    be a publication of its own (no 部门预算/单位预算 title), and their years do not differ."""
    return narrative.fiscal_year is not None and not tables.kind and not _differ(narrative.fiscal_year, tables.fiscal_year)


def _differ(a: object, b: object) -> bool:
    return bool(a) and bool(b) and a != b


def _same_publication(a: PrintedIdentity, b: PrintedIdentity) -> bool:
    if a.fiscal_year is None or a.fiscal_year != b.fiscal_year or _differ(a.kind, b.kind):
        return False
    first, second = normalize_label(a.issuer), normalize_label(b.issuer)
    return bool(first and second) and (first in second or second in first)


def draft_publication(files: tuple[tuple[FileReading, str], ...], taken_ids: set[str] | None = None) -> Draft:
    """The manifest values of one publication, each from the first file that prints it."""
    broken = [reading.error for reading, _ in files if reading.error]
    if broken:
        return Draft(files, error=broken[0])
    evidence: dict[str, str] = {}
    values: dict[str, object] = {}
    for name, attribute in (("issuer", "issuer"), ("year", "fiscal_year"), ("kind", "kind")):
        for reading, _ in files:
            value = getattr(reading.identity, attribute)
            if value:
                values[name] = value
                evidence[name] = f"{getattr(reading.identity, attribute + '_from')} of {reading.name}"
                break
    issuer, year, kind = str(values.get("issuer", "")), values.get("year"), str(values.get("kind", ""))
    region, how = region_of(issuer)
    if region:
        evidence["region"] = how
    missing = [name for name, value in (("issuer", issuer), ("fiscal year", year), ("kind", kind), ("region", region)) if not value]
    first = files[0][0].path
    if missing:
        return Draft(files, issuer=issuer, region=region, fiscal_year=year if isinstance(year, int) else None, kind=kind, evidence=evidence,
                     error=f"{first}: the {', '.join(missing)} could not be read from the document; write a manifest (`yusuan manifest {first}` drafts one to edit)")
    assert isinstance(year, int)
    doc_id = document_id_for(year, kind, [reading.sha256 for reading, _ in files], taken_ids)
    return Draft(files, doc_id, issuer, region, year, kind, evidence)


def draft_publications(paths: Iterable[Path], registry: Registry | None = None, skip: Path | None = None) -> tuple[list[Draft], list[str]]:
    """Drafts for every file under ``paths`` (not under ``skip``), and one error line per path
    that is not a file."""
    files, errors = collect_files(paths, skip)
    registry = registry or load_registry()
    readings = _distinct([read_file(path, registry) for path in files])
    taken: set[str] = set()
    drafts = []
    for group in pair_files(readings):
        draft = draft_publication(group, taken)
        taken.add(draft.document_id)
        drafts.append(draft)
    return drafts, errors


def _distinct(readings: list[FileReading]) -> list[FileReading]:
    """The same content under two names is one file (the first name)."""
    seen: set[str] = set()
    kept = []
    for reading in readings:
        if reading.sha256 and reading.sha256 in seen:
            continue
        seen.add(reading.sha256)
        kept.append(reading)
    return kept


# -- values --------------------------------------------------------------------------------------


def region_of(issuer: str) -> tuple[str, str]:
    """(region, how it was read) from the start of the issuer's name; ("", "") when no place is
    named there. "泉州市公安局" -> 福建省泉州市; "江苏省人大常委会办公厅" -> 江苏省;
    "上海市普陀区…" -> 上海市普陀区; an issuer that starts with a place not in
    schemas/regions.yaml keeps that printed prefix."""
    name = normalize_label(issuer)
    for prefix in _PARTY:  # 中共重庆市委宣传部: the place follows the party's name
        name = name.removeprefix(prefix)
    region, printed, how = _place(name)
    if not region:
        match = PLACE_PREFIX.match(name)
        if not match:
            return "", ""
        return match.group(1), f"the issuer's name (printed prefix {match.group(1)}, not in schemas/regions.yaml)"
    district = DISTRICT.match(name[len(printed):])
    if district and district.group(1) not in NOT_DISTRICTS:
        return region + district.group(1), f"{how}, district {district.group(1)} as printed"
    return region, how


def _place(name: str) -> tuple[str, str, str]:
    """(region, the printed name it was read from, how) of the place ``name`` starts with."""
    provinces = region_names()
    for province, spec in provinces.items():
        for city in spec.get("cities") or ():
            if name.startswith(f"{city}{CITY}"):
                return f"{province}{city}{CITY}", f"{city}{CITY}", f"the issuer's name ({city}{CITY} is in {province}, schemas/regions.yaml)"
    for province, spec in provinces.items():
        for printed in (province, spec["short"], *(spec.get("aliases") or ())):
            if name.startswith(printed):
                return province, printed, "the issuer's name" + (f" ({printed} → {province})" if printed != province else "")
    for province, spec in provinces.items():  # 长沙职业教育基地…: a city named without 市
        for city in spec.get("cities") or ():
            if len(city) >= 2 and name.startswith(city) and name[len(city): len(city) + 1] not in words("district_suffixes"):
                return f"{province}{city}{CITY}", city, f"the issuer's name ({city} taken as {city}{CITY}, {province})"
    return "", "", ""


def document_id_for(year: int, kind: str, sha256s: Sequence[str], taken: set[str] | None = None) -> str:
    """``doc-<year>-<kind code>-<8 hex of the files' sha256>``: ASCII without a pinyin table,
    stable for the same files, and distinct for different ones."""
    digest = hashlib.sha256("".join(sha256s).encode()).hexdigest() if len(sha256s) > 1 else sha256s[0]
    base = f"doc-{year}-{package_metadata()['kind_code'].get(kind, 'doc')}-{digest[:8]}"
    doc_id, number = base, 2
    while taken and doc_id in taken:
        doc_id, number = f"{base}-{number}", number + 1
    return doc_id


# -- the manifest --------------------------------------------------------------------------------


def manifest_rows(drafts: Iterable[Draft], base: Path, *, metadata_source: str = "") -> list[dict[str, str]]:
    """Manifest lines of the drafts that succeeded, file paths relative to ``base`` (the
    manifest's folder). With ``metadata_source`` the lines carry that column too."""
    rows = []
    for draft in drafts:
        if not draft.ok:
            continue
        note = "drafted from the document by yusuan: " + "; ".join(f"{k} from {v}" for k, v in draft.evidence.items())
        for reading, role in draft.files:
            row = {
                "document_id": draft.document_id, "issuer": draft.issuer, "region": draft.region,
                "fiscal_year": str(draft.fiscal_year), "kind": draft.kind, "file": _relative(reading.path, base),
                "role": role, "sha256": reading.sha256, "source": note,
            }
            if metadata_source:
                row["metadata_source"] = metadata_source
            rows.append(row)
    return rows


def _relative(path: Path, base: Path) -> str:
    """Relative to the manifest's folder when the file is near it (at most two folders up:
    ``<output>/.manifest/`` reaching the project beside the output), else absolute: a path
    climbing to the root is harder to read and no easier to move."""
    try:
        relative = Path(os.path.relpath(path.resolve(), base.resolve()))
    except ValueError:  # another drive (Windows)
        return path.resolve().as_posix()
    return relative.as_posix() if relative.parts[:3].count("..") < 3 else path.resolve().as_posix()


def manifest_text(rows: list[dict[str, str]]) -> str:
    columns = list(MANIFEST_COLUMNS) + (["metadata_source"] if rows and "metadata_source" in rows[0] else [])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_manifest(drafts: Iterable[Draft], path: Path, *, metadata_source: str = "") -> Path:
    """Write the drafted manifest atomically (paths relative to its folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.part")
    temp.write_text(manifest_text(manifest_rows(drafts, path.parent, metadata_source=metadata_source)), encoding="utf-8")
    os.replace(temp, path)
    return path




# -- the commands --------------------------------------------------------------------------------

DRAFTED_MANIFEST = Path(".manifest") / "drafted.csv"


def draft_for_run(paths: Sequence[Path], output_dir: Path) -> tuple[Path, bool]:
    """``yusuan run FILE…``: draft, print one line per publication, write the manifest in the
    output folder (``<output>/.manifest/drafted.csv``, marked inferred_from_document).

    Returns the manifest and whether anything failed. Raises YusuanError when no publication
    could be drafted (there is nothing to run)."""
    drafts, errors = draft_publications(paths, skip=Path(output_dir))
    _report(drafts, errors)
    if not any(d.ok for d in drafts):
        raise YusuanError("no publication could be drafted from the files given; write a manifest (`yusuan manifest FILE…` drafts one to edit)")
    manifest = write_manifest(drafts, Path(output_dir) / DRAFTED_MANIFEST, metadata_source=INFERRED)
    print(f"drafted manifest: {manifest} (check it; `yusuan manifest` writes one to edit)")
    return manifest, bool(errors) or not all(d.ok for d in drafts)


def draft_manifest(paths: Sequence[Path], output: Path | None = None) -> int:
    """``yusuan manifest FILE…``: the drafted manifest on stdout (paths relative to the current
    folder) or in ``output`` (paths relative to its folder); what was inferred goes to stderr."""
    drafts, errors = draft_publications(paths)
    _report(drafts, errors, stream=sys.stderr)
    if output:
        write_manifest(drafts, Path(output))
        print(f"manifest written to {output}", file=sys.stderr)
    else:
        sys.stdout.write(manifest_text(manifest_rows(drafts, Path.cwd())))
    return 0 if not errors and all(d.ok for d in drafts) else 1


def _report(drafts: Sequence[Draft], errors: Sequence[str], stream: TextIO | None = None) -> None:
    for draft in drafts:
        if draft.ok:
            print(draft.describe(), file=stream or sys.stdout)
    for line in [*errors, *(d.error for d in drafts if not d.ok)]:
        print(f"yusuan: error: {line}", file=sys.stderr)
