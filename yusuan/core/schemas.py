"""The only reader of ``schemas/``: table registry, header vocabulary, fields, resources, checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from yusuan.core.errors import SchemaError
from yusuan.core.numbers import CELL_MEMO, clean_cell
from yusuan.core.schema_files import load_schema_file, schemas_dir
from yusuan.core.schema_models import check_references
from yusuan.core.vocabulary import pattern, word

LEADING_YEAR = pattern("leading_year")
YEAR_IN_HEADER = pattern("year_in_header")
HEADER_NOISE = pattern("header_noise")
HEADER_PERIOD_WORD = pattern("header_period_word")
QUOTES = "\"'“”‘’「」『』〝〞"
_NO_QUOTES = str.maketrans("", "", QUOTES)
SEEN_LIMIT = 1 << 13  # titles or headers whose answer a Registry remembers


@lru_cache(maxsize=CELL_MEMO)
def normalize_label(text: str | None) -> str:
    """NFKC, no whitespace, no quotes: the form titles and headers are matched in.
    Remembered (titles and headers are matched again and again), the memo asked directly:
    a label is normalised some 700,000 times a run (issue 14)."""
    return "" if text is None else clean_cell(text).translate(_NO_QUOTES)




def _load(name: str) -> Any:
    return load_schema_file(name)


def schema_problems() -> list[str]:
    """Every id one schemas/ file uses and another does not define: fields of resources,
    table ids and measure ids of checks, topics of narrative targets (empty when all agree).
    ``yusuan validate-schemas`` and the tests call it; a problem names the file and rule."""
    columns = _load("columns.yaml")
    return check_references(
        fields=_load("fields.yaml")["fields"],
        resources=_load("resources.yaml")["resources"],
        rules=_load("checks.yaml")["rules"],
        table_ids={t["id"] for t in _load("source_tables.yaml")["tables"]},
        measure_ids={m["id"] for m in columns["measures"]},
        topics={t["topic"] for t in _load("narrative.yaml")["topics"]},
    )


def _compile(patterns: list[str], where: str) -> list[re.Pattern[str]]:
    """Patterns are matched against normalised text, so they are written half-width (NFKC)."""
    try:
        return [re.compile(p) for p in patterns]
    except re.error as exc:
        raise SchemaError(f"{where}: bad pattern: {exc}") from exc


BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One pattern that fully matches a text when one of ``patterns`` fully matches it (their
    alternation: a full match backtracks through every alternative), to ask once of the many
    texts that match none (issue 14). None when the alternation could differ from asking
    each: different flags, a backreference (its group number shifts), a group name used
    twice or an inline flag the combined pattern cannot take."""
    if not patterns or len({p.flags for p in patterns}) > 1 or any(BACKREFERENCE.search(p.pattern) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


@dataclass(frozen=True)
class TableSpec:
    id: str
    title_zh: str
    title_en: str
    kind: str
    classification: str
    fund_scope: str
    titles: tuple[re.Pattern[str], ...]
    headers: tuple[str, ...] = ()
    in_template: bool = True  # one of the standard tables of the disclosure templates
    rows_read_as: str = ""  # the id of the table whose rows this one's are read like (a fund's own 三公 table)


@dataclass(frozen=True)
class Measure:
    id: str
    zh: str
    en: str
    headers: tuple[re.Pattern[str], ...]
    components: tuple[str, ...] = ()


@dataclass
class Registry:
    """Everything the parser needs from schemas/, loaded once."""

    tables: list[TableSpec]
    title_noise: list[re.Pattern[str]]
    label_pattern: re.Pattern[str]
    label_at_start: re.Pattern[str]
    compiled_by_pattern: re.Pattern[str]
    code_headers: list[re.Pattern[str]]
    code_part_headers: dict[str, int]
    label_headers: list[re.Pattern[str]]
    unit_headers: list[re.Pattern[str]]
    attribute_headers: list[re.Pattern[str]]
    fallback_label_headers: list[re.Pattern[str]]
    ignore_headers: list[re.Pattern[str]]
    scope_headers: list[re.Pattern[str]]
    column_number_marks: list[re.Pattern[str]]
    classifications: dict[str, dict[str, Any]]
    period_headers: dict[str, list[re.Pattern[str]]]
    measures: list[Measure]
    sides: dict[str, list[str]]
    column_groups: dict[str, list[str]]
    grouping_words: set[str]
    row_roles: dict[str, list[re.Pattern[str]]]
    of_which_prefixes: list[str]
    topics: list[dict[str, Any]]
    count_units: list[str]
    increase_words: list[str]
    decrease_words: list[str]
    section_endings: list[str]
    core_components: tuple[str, ...] = ()
    by_id: dict[str, TableSpec] = field(default_factory=dict)
    # answers of identify_title and measure, remembered: the registry does not change after
    # loading, and the same titles and headers are asked about on every page (issue 14)
    _titles_seen: dict[str, TableSpec | None] = field(default_factory=dict, repr=False, compare=False)
    _measures_seen: dict[str, Measure | None] = field(default_factory=dict, repr=False, compare=False)
    _roles_seen: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _known_headers_seen: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _measures_by_id: dict[str, Measure] = field(default_factory=dict, repr=False, compare=False)
    _any_title: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _any_measure: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.by_id = {t.id: t for t in self.tables}
        self._any_title = any_of([p for spec in self.tables for p in spec.titles])
        self._any_measure = any_of([p for m in self.measures for p in m.headers])
        for m in self.measures:  # the first of an id, as a scan of the list finds it
            self._measures_by_id.setdefault(m.id, m)

    def normalize_title(self, title: str) -> str:
        """The title without its label, enumerator, year, scope words, issuer and suffixes
        (title_noise, applied until nothing more comes off)."""
        text = normalize_label(title)
        previous = None
        while text != previous:
            previous = text
            for noise in self.title_noise:
                text = noise.sub("", text)
        return text

    def label_of(self, text: str) -> str:
        """The table label a title or line starts with (公开01表, 预算表12, 表1), '' if none."""
        match = self.label_at_start.match(normalize_label(text))
        return match.group(0) if match else ""

    def identify_title(self, title: str) -> TableSpec | None:
        if title in self._titles_seen:
            return self._titles_seen[title]
        text = self.normalize_title(title)
        found = None
        if text and (self._any_title is None or self._any_title.fullmatch(text)):  # most lines are no title
            found = next((spec for spec in self.tables if any(p.fullmatch(text) for p in spec.titles)), None)
        if len(self._titles_seen) < SEEN_LIMIT:
            self._titles_seen[title] = found
        return found

    def measure(self, header: str) -> Measure | None:
        if header in self._measures_seen:
            return self._measures_seen[header]
        text = HEADER_NOISE.sub("", normalize_label(header))
        found = self._measure_of(text)
        if found is None and not text and YEAR_IN_HEADER.fullmatch(normalize_label(header)):
            found = self._measure_of(word("total_word"))  # a column headed by a year alone: that year's amount
        elif found is None and HEADER_PERIOD_WORD.match(text):
            # 上年预算数 is 预算数 of the year before (the period is read apart: Registry.period),
            # as 2025年预算数 is once its year is taken off
            found = self._measure_of(HEADER_PERIOD_WORD.sub("", text))
        if len(self._measures_seen) < SEEN_LIMIT:
            self._measures_seen[header] = found
        return found

    def _measure_of(self, text: str) -> Measure | None:
        # most texts asked (every cell of a grid's first rows, through is_known_header) name no
        # measure: one alternation of every header pattern answers them (issue 14)
        if text and (self._any_measure is None or self._any_measure.fullmatch(text)):
            return next((m for m in self.measures if any(p.fullmatch(text) for p in m.headers)), None)
        return None

    def tables_read_as(self, table_id: str) -> frozenset[str]:
        """The table and the tables whose rows are read like it (``rows_read_as``)."""
        return frozenset(t.id for t in self.tables if table_id in (t.id, t.rows_read_as))

    def is_side_or_group(self, header: str) -> bool:
        text = normalize_label(header)
        return any(text in words for words in (*self.sides.values(), *self.column_groups.values()))

    def period(self, header: str, fiscal_year: int | None) -> str:
        """previous / current / later / change when the header says which year a column is
        about (later: a year after the publication's, 2027年 | 2028年 of a medium-term plan)."""
        text = normalize_label(header)
        year = YEAR_IN_HEADER.match(text)
        if year and fiscal_year:
            stated = int(year.group(1))
            return "previous" if stated < fiscal_year else "current" if stated == fiscal_year else "later"
        for period, patterns in self.period_headers.items():
            if any(p.fullmatch(text) for p in patterns):
                return period
        return ""

    def is_period_word(self, text: str) -> bool:
        """The normalised text is a period word of ``period_headers`` and nothing else (上年, 增减变化)."""
        return any(p.fullmatch(text) for ps in self.period_headers.values() for p in ps)

    def is_scope(self, header: str) -> bool:
        """A header that restates the table's scope (一般公共预算支出, 收入预算, 决算数)."""
        text = HEADER_NOISE.sub("", normalize_label(header))
        return any(p.fullmatch(text) for p in self.scope_headers)

    def is_known_header(self, header: str) -> bool:
        """The header is in the vocabulary (a measure, label, code, attribute or ignored column).
        Remembered like the titles and measures: the table stage asks it of every cell of a
        grid's first rows, and the header parts again when it joins them (issue 14)."""
        if header in self._known_headers_seen:
            return self._known_headers_seen[header]
        known = self._is_known_header(header)
        if len(self._known_headers_seen) < SEEN_LIMIT:
            self._known_headers_seen[header] = known
        return known

    def _is_known_header(self, header: str) -> bool:
        if normalize_label(header) in self.grouping_words:
            return True
        text = HEADER_NOISE.sub("", normalize_label(header))
        if not text:
            return False
        if any(p.fullmatch(text) for ps in self.period_headers.values() for p in ps):
            return True
        patterns = self.code_headers + self.label_headers + self.attribute_headers + self.fallback_label_headers + self.ignore_headers + self.scope_headers
        words = {w for group in (*self.sides.values(), *self.column_groups.values()) for w in group} | self.grouping_words
        return text in words or self.measure(text) is not None or any(p.fullmatch(text) for p in patterns)

    def measure_by_id(self, measure_id: str) -> Measure | None:
        """Indexed, not scanned: the checks ask for a measure a quarter of a million times a
        run (issue 14)."""
        return self._measures_by_id.get(measure_id)

    def row_role(self, label: str) -> str:
        if label in self._roles_seen:
            return self._roles_seen[label]
        role = next((role for role, patterns in self.row_roles.items() if any(p.fullmatch(label) for p in patterns)), "item")
        if len(self._roles_seen) < SEEN_LIMIT:
            self._roles_seen[label] = role
        return role


@cache
def load_registry() -> Registry:
    tables_doc = _load("source_tables.yaml")
    label = tables_doc["label"]
    columns = _load("columns.yaml")
    narrative = _load("narrative.yaml")
    tables = [
        TableSpec(
            id=t["id"],
            title_zh=t["title_zh"],
            title_en=t["title_en"],
            kind=t["kind"],
            classification=t["classification"],
            fund_scope=t["fund_scope"],
            titles=tuple(_compile(t.get("titles", []), f"source_tables.yaml {t['id']}")),
            headers=tuple(t.get("headers", [])),
            in_template=bool(t.get("in_template", True)),
            rows_read_as=t.get("rows_read_as", ""),
        )
        for t in tables_doc["tables"]
    ]
    measures = [
        Measure(
            id=m["id"],
            zh=m["zh"],
            en=m["en"],
            headers=tuple(_compile(m["headers"], f"columns.yaml {m['id']}")),
            components=tuple(m.get("components", [])),
        )
        for m in columns["measures"]
    ]
    known = {m.id for m in measures}
    for m in measures:
        unknown = set(m.components) - known
        if unknown:
            raise SchemaError(f"columns.yaml: measure {m.id} has unknown components {sorted(unknown)}")
    return Registry(
        tables=tables,
        title_noise=_compile([p.replace("{label}", label) for p in tables_doc["title_noise"]], "title_noise"),
        label_pattern=re.compile(f"^(?:{label})$"),
        label_at_start=re.compile(f"^(?:{label})"),
        compiled_by_pattern=re.compile(tables_doc["compiled_by_pattern"]),
        code_headers=_compile(columns["code_headers"], "code_headers"),
        code_part_headers=columns["code_part_headers"],
        label_headers=_compile(columns["label_headers"], "label_headers"),
        unit_headers=_compile(columns["unit_headers"], "unit_headers"),
        attribute_headers=_compile(columns["attribute_headers"], "attribute_headers"),
        fallback_label_headers=_compile(columns["fallback_label_headers"], "fallback_label_headers"),
        ignore_headers=_compile(columns["ignore_headers"], "ignore_headers"),
        scope_headers=_compile(columns["scope_headers"], "scope_headers"),
        column_number_marks=_compile(columns["column_number_marks"], "column_number_marks"),
        core_components=tuple(columns.get("core_components", [])),
        period_headers={k: _compile(v, f"period_headers {k}") for k, v in columns["period_headers"].items()},
        classifications={
            name: {"header_words": _compile(spec["header_words"], f"classifications {name}"), "first_digits": [str(d) for d in spec["first_digits"]], "lengths": tuple(spec["lengths"])}
            for name, spec in columns["classifications"].items()
        },
        measures=measures,
        sides={k: [normalize_label(v) for v in vs] for k, vs in columns["sides"].items()},
        column_groups={k: [normalize_label(v) for v in vs] for k, vs in columns["column_groups"].items()},
        grouping_words={normalize_label(w) for w in columns["grouping_words"]},
        row_roles={k: _compile(v, f"row_roles {k}") for k, v in columns["row_roles"].items()},
        of_which_prefixes=[normalize_label(p) for p in columns["of_which_prefixes"]],
        topics=narrative["topics"],
        count_units=[normalize_label(u) for u in narrative["count_units"]],
        increase_words=narrative["increase_words"],
        decrease_words=narrative["decrease_words"],
        section_endings=narrative.get("section_endings", []),
    )


@cache
def field_dictionary() -> dict[str, dict[str, Any]]:
    return _load("fields.yaml")["fields"]


@cache
def resource_specs() -> list[dict[str, Any]]:
    specs = _load("resources.yaml")["resources"]
    fields = field_dictionary()
    for spec in specs:
        missing = [f for f in spec["fields"] if f not in fields]
        if missing:
            raise SchemaError(f"resources.yaml: {spec['name']} uses undefined fields {missing}")
    return specs


@cache
def package_metadata() -> dict[str, Any]:
    return _load("package.yaml")


@cache
def region_names() -> dict[str, Any]:
    """schemas/regions.yaml: provinces and their prefecture-level cities (region from an issuer's name)."""
    return _load("regions.yaml")["provinces"]


@cache
def fund_names() -> tuple[str, ...]:
    """schemas/columns.yaml: fund names that contain 预算 without naming the phase."""
    return tuple(_load("columns.yaml").get("fund_names", []))


@cache
def fund_measures() -> dict[str, str]:
    """schemas/columns.yaml: a fund's measure -> the fund scope of an amount of that fund whose
    measure a header above it names (interpret/three_public.py, interpret/fund_parts.py)."""
    return dict(_load("columns.yaml").get("fund_measures", {}))


@cache
def fund_split_measures() -> frozenset[str]:
    """schemas/columns.yaml: group measures whose fund columns are that measure of the fund."""
    return frozenset(_load("columns.yaml").get("fund_split_measures", []))


@cache
def comparison_phases() -> frozenset[str]:
    """schemas/columns.yaml: the phases of budgets printed beside a final account's outturn."""
    return frozenset(_load("columns.yaml").get("comparison_phases", []))


@cache
def heading_attributes() -> tuple[re.Pattern[str], ...]:
    """schemas/columns.yaml: attribute headers whose filled cells mark a heading row."""
    return tuple(re.compile(p) for p in _load("columns.yaml").get("heading_attributes", []))


@cache
def check_rules() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in _load("checks.yaml")["rules"]}


def codelist_path(file_name: str) -> Path:
    return schemas_dir() / "codelists" / file_name


def publication_kinds() -> tuple[str, ...]:
    """单位预算, 部门预算, 单位决算, 部门决算: the kinds a manifest may name (schemas/package.yaml)."""
    return tuple(package_metadata()["kind_id"])


@cache
def release_schema() -> dict[str, Any]:
    """schemas/release.yaml: the release's own tables and fields, headline figure rules, value labels."""
    return _load("release.yaml")
