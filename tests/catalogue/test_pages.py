"""index.html and the dataset pages, read as files (the browser tests render them)."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from variants import BLOCKED, FJ, WARNINGS

from yusuan.catalogue.cards import read_cards_script
from yusuan.catalogue.shards import read_cards
from yusuan.catalogue.svg import wan


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.external: list[str] = []  # rel="license" / rel="external": leave the catalogue on purpose
        self.rows: list[dict[str, str | None]] = []
        self.options: dict[str, list[str]] = {}
        self.ids: set[str] = set()
        self.svgs = 0
        self.chunks: list[str] = []
        self._select: str | None = None

    @property
    def text(self) -> str:
        """The page's text, whitespace collapsed (what a reader sees, entities decoded)."""
        return " ".join("".join(self.chunks).split())

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        rel = set((a.get("rel") or "").split())
        for key in ("href", "src"):
            if a.get(key):
                external = rel & {"license", "external"} and urlsplit(a[key] or "").scheme
                (self.external if external else self.links).append(a[key] or "")
        if tag == "tr" and "data-fiscal_year" in a:
            self.rows.append(a)
        if tag == "select":
            self._select = a.get("data-filter")
            self.options[self._select or ""] = []
        if tag == "option" and self._select is not None:
            self.options[self._select].append(a.get("value") or "")
        if tag == "svg" and "chart" in (a.get("class") or ""):
            self.svgs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def parse(path: Path) -> Collector:
    c = Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def assert_links_resolve(page: Path, links: list[str]) -> None:
    for link in links:
        parts = urlsplit(link)
        if parts.scheme == "data":
            continue
        assert not parts.scheme and not parts.netloc, f"{page.name}: external link {link}"
        if not parts.path:  # a fragment of the page itself
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        assert target.is_file(), f"{page.name}: {link} -> {target} missing"


def norm(text: object) -> str:
    return " ".join(str(text).split())


def descriptor(output: Path, document_id: str) -> dict:
    return json.loads((output / document_id / "datapackage.json").read_text(encoding="utf-8"))


def cards(catalogue: Path) -> list[dict]:
    for shard in (catalogue / "cards").iterdir():
        text = shard.read_text(encoding="utf-8")
        assert text.startswith("(window.YUSUAN_CARDS = window.YUSUAN_CARDS || []).push(") and text.endswith(");\n")
        assert read_cards_script(text)  # no empty shard is written
    return read_cards(catalogue)


def test_index_loads_a_card_per_dataset(catalogue: Path, package_output: Path, package_ids):
    page = parse(catalogue / "index.html")
    found = cards(catalogue)
    assert [c["id"] for c in found] == list(package_ids)
    descriptors = {i: descriptor(package_output, i) for i in package_ids}
    for c in found:
        d = descriptors[c["id"]]
        for key in ("fiscal_year", "region", "issuer", "kind", "quality_status"):
            assert c[key] == str(d[key]), key
        assert (c["title_zh"], c["title_en"]) == (d["title_zh"], d["title"])
        assert (catalogue / c["page"]).is_file() and (catalogue / c["datapackage"]).is_file()
    for key in ("fiscal_year", "region", "issuer", "kind", "quality_status"):
        assert set(page.options[key]) == {""}, key  # the script fills the options with counts
    raw = "".join(p.read_text(encoding="utf-8") for p in (catalogue / "cards").iterdir())
    assert "<&>" not in raw and "\\u003c&>" in raw  # no "</script" can be smuggled in
    html = (catalogue / "index.html").read_text(encoding="utf-8")
    shards = sorted(p.name for p in (catalogue / "cards").iterdir())
    assert len(shards) > 1
    assert [f'src="cards/{name}"' in html for name in shards] == [True] * len(shards)
    assert html.index(f'src="cards/{shards[-1]}"') < html.index('src="static/catalogue.js"')
    assert 'href="static/catalogue.css"' in html
    assert len(html.encode()) < 8000  # the page does not grow with the number of packages
    assert_links_resolve(catalogue / "index.html", page.links)


def test_every_dataset_page_describes_its_package(catalogue: Path, package_output: Path, package_ids):
    for document_id in package_ids:
        path = catalogue / "datasets" / f"{document_id}.html"
        page = parse(path)
        d = descriptor(package_output, document_id)
        for key in ("title", "title_zh", "description", "description_zh", "issuer", "region", "kind"):
            # Markdown `code` is shown as code: the text without its backticks
            assert norm(str(d[key]).replace("`", "")) in page.text, (document_id, key)
        assert "`" not in page.text, document_id
        for res in d["resources"]:
            assert f"resource-{res['name']}" in page.ids
            assert f"dictionary.html#resource-{res['name']}" in " ".join(page.links)
        assert "dictionary-link" in page.ids
        assert_links_resolve(path, page.links)


def test_the_data_dictionary_is_one_page(catalogue: Path, package_output: Path, package_ids):
    path = catalogue / "dictionary.html"
    page = parse(path)
    for document_id in package_ids:
        for res in descriptor(package_output, document_id)["resources"]:
            assert f"resource-{res['name']}" in page.ids
            for key in ("title", "title_zh"):
                assert norm(res[key]) in page.text, (res["name"], key)
            for field in res["schema"]["fields"]:
                assert field["name"] in page.text
                for key in ("title", "title_zh", "description", "description_zh"):
                    assert norm(field[key].replace("`", "")) in page.text, (res["name"], field["name"], key)
    assert "`" not in page.text
    fj = (catalogue / "datasets" / f"{FJ}.html").read_text(encoding="utf-8")
    assert 'class="fields"' not in fj  # not copied onto every page
    assert_links_resolve(path, page.links)


def test_region_is_not_doubled_and_notes_are_named(catalogue: Path):
    renda = parse(catalogue / "datasets" / "js-renda-2018-bmys.html").text
    assert "江苏省江苏省" not in renda and "江苏省人大常委会办公厅公开的2018年部门预算" in renda
    # js-renda-2019 passes with failed checks that are all notes (checks.csv, severity info)
    text = parse(catalogue / "datasets" / "js-renda-2019-bmys.html").text
    with (catalogue.parent / "js-renda-2019-bmys" / "checks.csv").open(encoding="utf-8") as handle:
        failed = [r for r in csv.DictReader(handle) if r["status"] == "failed"]
    assert failed and all(r["severity"] == "info" for r in failed)
    assert "通过 passed" in text
    assert f"{len(failed)} failed (all {len(failed)} are notes" in text and "均为提示" in text


def test_downloads_link_every_file(catalogue: Path, package_output: Path, package_ids):
    for document_id in package_ids:
        path = catalogue / "datasets" / f"{document_id}.html"
        links = set(parse(path).links)
        d = descriptor(package_output, document_id)
        wanted = {"datapackage.json"} | {r["path"] for r in d["resources"]} | {r["parquet"]["path"] for r in d["resources"]}
        wanted |= {p.name for p in (package_output / document_id).glob("quality_report.*")}
        for name in wanted:
            assert f"../../{document_id}/{name}" in links, (document_id, name)


def test_quality_report_and_failed_checks_are_shown(catalogue: Path, package_output: Path):
    html = (catalogue / "datasets" / f"{WARNINGS}.html").read_text(encoding="utf-8")
    assert f'href="../../{WARNINGS}/quality_report.md"' in html
    assert 'class="status status-warnings"' in html
    with open(package_output / WARNINGS / "checks.csv", encoding="utf-8", newline="") as fh:
        statuses = [r["status"] for r in csv.DictReader(fh)]
    assert html.count('<tr class="check-failed">') == statuses.count("failed") >= 1
    assert html.count('<tr class="check-not_run">') == statuses.count("not_run") >= 1
    assert "revenue_equals_expenditure" in html and "未执行" in html and "not run" in html
    text = parse(catalogue / "datasets" / f"{WARNINGS}.html").text
    assert "no two-sided summary table <with revenue> & expenditure totals was found" in text
    assert "<with revenue>" not in html
    assert "Checks: 0 passed" not in html
    blocked = (catalogue / "datasets" / f"{BLOCKED}.html").read_text(encoding="utf-8")
    assert 'class="status status-blocked"' in blocked and "不予发布" in blocked


def test_checks_table_has_a_row_per_check_not_passed(catalogue: Path, package_output: Path, package_ids):
    for document_id in package_ids:
        with open(package_output / document_id / "checks.csv", encoding="utf-8", newline="") as fh:
            not_passed = [r for r in csv.DictReader(fh) if r["status"] != "passed"]
        html = (catalogue / "datasets" / f"{document_id}.html").read_text(encoding="utf-8")
        assert html.count('<tr class="check-') == len(not_passed), document_id
        if not not_passed:
            assert "所有校验均已通过" in html and "Every check passed" in html


def test_charts_are_inline_svg_in_wan_yuan(catalogue: Path, package_output: Path):
    path = catalogue / "datasets" / f"{FJ}.html"
    page = parse(path)
    assert page.svgs == 8  # each chart drawn wide and for phones
    assert {"figure-function", "figure-economic", "figure-basic_project", "figure-three_public"} <= page.ids
    html = path.read_text(encoding="utf-8")
    assert html.count("单位：万元") >= 4
    with open(package_output / FJ / "amounts.csv", encoding="utf-8", newline="") as fh:
        total = next(
            r["amount_yuan"] for r in csv.DictReader(fh)
            if r["table_id"] == "gpb_expenditure_by_function" and r["row_role"] == "total" and r["measure"] == "total"
        )
    from decimal import Decimal

    assert f"{wan(Decimal(total))} 万元" in html  # the chart's printed total, converted


def test_tampered_file_is_flagged(tmp_path: Path, package_output: Path):
    import shutil

    from yusuan.catalogue.build import build_catalogue

    shutil.copytree(package_output / FJ, tmp_path / FJ)
    with open(tmp_path / FJ / "units.csv", "a", encoding="utf-8") as fh:
        fh.write("tampered\n")
    html = (build_catalogue(tmp_path) / "datasets" / f"{FJ}.html").read_text(encoding="utf-8")
    assert 'id="hash-mismatch"' in html and "units.csv" in html


def test_links_that_leave_the_catalogue_are_the_licences_and_the_original_publications(
    package_output: Path, catalogue: Path
):
    from yusuan.catalogue.dcat import source_url
    from yusuan.catalogue.settings import catalogue_schema

    licences = catalogue_schema()["licences"]
    for path in sorted((catalogue / "datasets").glob("*.html")):
        page = parse(path)
        d = descriptor(package_output, path.stem)
        sources = list(dict.fromkeys(source_url(s["path"]) for s in d["sources"] if source_url(s["path"])))
        assert sorted(page.external) == sorted([licences["codelists"]["url"], *sources]), path.name
        assert "../licence.html#data" in page.links
        assert f"../downloads/{path.stem}.zip" in page.links
        assert f"../dcat/datasets/{path.stem}.jsonld" in page.links
    licence = parse(catalogue / "licence.html")
    assert sorted(licence.external) == sorted([licences["data"]["basis"]["url"], licences["codelists"]["url"]])
    assert {"data", "codelists"} <= licence.ids
    assert licences["data"]["statement"]["zh"] in licence.text
    assert_links_resolve(catalogue / "licence.html", licence.links)
