"""The catalogue in a real headless Chromium, opened from disk (file://) and served by
``python -m http.server`` on 127.0.0.1, at desktop width and at a phone's 390 px: pages
render, the search finds datasets in Chinese and English, filters come from the address and
go back into it, facet counts follow the search, charts draw with readable labels and show
the numbers of amounts.csv, every link resolves, no console errors, no request leaves the
machine.

Chromium comes from Debian (``apt-get install -y chromium``); the session installs it when
missing and it runs as root, else the tests fail with a message saying what to do. Chromium
is driven over the DevTools protocol (cdp.py), no WebDriver needed.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from cdp import Browser, CdpError, Page, find_chromium, install_chromium
from variants import COURT, FJ, SAMPLES, WARNINGS

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`

MODES = ("file", "http")
WIDTHS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    binary = find_chromium()
    if binary is None and os.environ.get("YUSUAN_CHROMIUM"):
        pytest.fail(f"YUSUAN_CHROMIUM={os.environ['YUSUAN_CHROMIUM']} is not a binary", pytrace=False)
    if binary is None:
        try:
            binary = install_chromium()
        except CdpError as exc:
            pytest.fail(str(exc), pytrace=False)
    try:
        chromium = Browser(binary, tmp_path_factory.mktemp("chromium") / "profile").start()
    except CdpError as exc:
        pytest.fail(f"cannot start Chromium ({binary}): {exc}", pytrace=False)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def server(package_output: Path, catalogue: Path) -> Iterator[str]:
    """``python -m http.server`` on 127.0.0.1 serving the output folder; its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
         "--directory", str(package_output)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 40123 (http://...) ..."
        if "port" not in line:
            pytest.fail(f"http.server did not start: {line!r}", pytrace=False)
        port = int(line.split(" port ")[1].split()[0])
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def page(browser: Browser) -> Page:
    return browser.new_page()


def url_of(mode: str, catalogue: Path, server_url: str | None, relative: str) -> str:
    path, hash_, fragment = relative.partition("#")
    if mode == "file":
        return (catalogue / path).as_uri() + hash_ + fragment
    return f"{server_url}/catalogue/{relative}"


@pytest.fixture(params=MODES)
def open_page(request: pytest.FixtureRequest, page: Page, catalogue: Path):
    mode = request.param
    base = request.getfixturevalue("server") if mode == "http" else None
    page.set_viewport(*WIDTHS["desktop"][:2])

    def go(relative: str) -> tuple[str, Page]:
        page.goto("about:blank")  # a fresh document each time: the address is read on load
        page.goto(url_of(mode, catalogue, base, relative))
        return mode, page

    return go


@pytest.fixture(params=list(WIDTHS))
def sized_page(request: pytest.FixtureRequest, page: Page, catalogue: Path):
    """Pages from disk at desktop width and at 390 px (a phone, viewport meta applied)."""
    width, height, mobile = WIDTHS[request.param]
    page.set_viewport(width, height, mobile=mobile)

    def go(relative: str) -> Page:
        page.goto("about:blank")
        page.goto(url_of("file", catalogue, None, relative))
        return page

    yield request.param, go
    page.set_viewport(*WIDTHS["desktop"][:2])


# Links that leave the catalogue on purpose (licences, the regulation, the original
# publication) say so with rel="license" / rel="external"; tests/catalogue/test_pages.py
# checks where they point. Every other link must stay on the machine.
LINKS_JS = """
Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]'))
  .filter(e => !(/\\b(license|external)\\b/.test(e.getAttribute('rel') || '')
                 && /^https?:/.test(e.getAttribute('href') || '')))
  .map(e => e.href || e.src)
"""


def check_links(page: Page, mode: str) -> int:
    links = sorted(set(page.evaluate(LINKS_JS)))
    for link in links:
        parts = urlsplit(link)
        if parts.scheme == "data":
            continue
        assert parts.scheme == mode, f"link leaves the catalogue: {link}"
        if mode == "file":
            assert Path(unquote(parts.path)).is_file(), f"missing file: {link}"
        else:
            assert parts.hostname == "127.0.0.1", f"external link: {link}"
            with NO_PROXY.open(link.split("#")[0], timeout=10) as response:
                assert response.status == 200, link
    return len(links)


def assert_no_errors(page: Page) -> None:
    page.settle()
    assert page.errors() == []


def index_rows(catalogue: Path) -> list[dict]:
    from yusuan.catalogue.shards import read_index_rows

    return read_index_rows(catalogue)


SHOWN = "Array.from(document.querySelectorAll('#cards li.card')).map(c => c.id)"


def search(page: Page, text: str) -> list[str]:
    page.evaluate(f"""(() => {{ const t = document.getElementById('filter-text');
        t.value = {json.dumps(text)}; t.dispatchEvent(new Event('input', {{bubbles: true}})); }})()""")
    return sorted(page.evaluate(SHOWN))


def choose(page: Page, key: str, value: str) -> None:
    page.evaluate(f"""(() => {{ const s = document.getElementById('filter-{key}');
        s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()""")


def ids(rows: list[dict]) -> list[str]:
    return sorted(f"ds-{r['document_id']}" for r in rows)


def test_index_lists_every_dataset_and_its_links_resolve(open_page, catalogue: Path):
    rows = index_rows(catalogue)
    mode, page = open_page("index.html")
    assert page.evaluate("document.documentElement.dataset.catalogueReady") == "1"
    assert page.evaluate("document.title").startswith("预算数据目录")
    assert sorted(page.evaluate(SHOWN)) == ids(rows)
    assert page.evaluate("document.getElementById('count').dataset.found") == str(len(rows))
    assert check_links(page, mode) >= len(rows) * 2
    assert_no_errors(page)


def test_search_in_chinese_and_english(sized_page, catalogue: Path):
    rows = index_rows(catalogue)
    _, go = sized_page
    page = go("index.html")
    court = ids([r for r in rows if "法院" in r["issuer"]])
    assert court == [f"ds-{COURT}"]
    assert search(page, "court") == court  # English name composed from name_parts.yaml
    assert search(page, "Court") == court
    assert search(page, "法院") == court
    assert search(page, "高级法院") == []  # every character pair must occur: 级法 does not
    assert search(page, "ourt") == []  # tokens, not a raw substring
    congress = ids([r for r in rows if "人大" in r["issuer"]])
    assert len(congress) == 2
    assert search(page, "人大") == congress
    assert search(page, "standing committee") == congress
    assert search(page, "2018") == ids([r for r in rows if str(r["fiscal_year"]) == "2018"])
    assert search(page, "court 2018") == court
    assert search(page, f"{FJ}") == ids([r for r in rows if r["document_id"] == FJ])
    assert search(page, "320000") == ids([r for r in rows if r["region"] == "江苏省"])  # division code
    assert search(page, "nothing-like-this") == []
    assert not page.evaluate("document.getElementById('no-match').hidden")
    assert "q=nothing-like-this" in page.evaluate("location.hash")
    assert_no_errors(page)


def test_facet_counts_follow_the_search_and_other_filters(open_page, catalogue: Path):
    rows = index_rows(catalogue)
    _, page = open_page("index.html")
    counts = """(key) => Object.fromEntries(Array.from(document.getElementById('filter-' + key).options)
        .filter(o => o.value).map(o => [o.value, Number(o.dataset.count)]))"""
    years = sorted({str(r["fiscal_year"]) for r in rows})

    def expected(selected: list[dict]) -> dict[str, int]:
        return {y: sum(str(r["fiscal_year"]) == y for r in selected) for y in years}

    assert page.evaluate(f"({counts})('fiscal_year')") == expected(rows)
    search(page, "人大")
    assert page.evaluate(f"({counts})('fiscal_year')") == expected([r for r in rows if "人大" in r["issuer"]])
    search(page, "")
    choose(page, "kind", "单位决算")
    kind_rows = [r for r in rows if r["kind"] == "单位决算"]
    assert page.evaluate(f"({counts})('fiscal_year')") == expected(kind_rows)
    # a facet's own choice does not shrink its own counts
    assert page.evaluate("(" + counts + ")('kind')")["单位预算"] == sum(r["kind"] == "单位预算" for r in rows)
    assert sorted(page.evaluate(SHOWN)) == ids(kind_rows)
    assert_no_errors(page)


def test_filters_come_from_the_address_and_go_back_into_it(open_page, catalogue: Path):
    rows = index_rows(catalogue)
    issuer = next(r["issuer"] for r in rows if r["document_id"] == FJ)
    _, page = open_page(f"index.html#issuer={quote(issuer)}&sort=year")
    assert page.evaluate("document.getElementById('filter-issuer').value") == issuer
    assert page.evaluate("document.getElementById('sort').value") == "year"
    assert sorted(page.evaluate(SHOWN)) == ids([r for r in rows if r["issuer"] == issuer])
    choose(page, "fiscal_year", "2026")
    hash_ = unquote(page.evaluate("location.hash"))
    assert f"issuer={issuer}" in hash_ and "fiscal_year=2026" in hash_ and "sort=year" in hash_
    year = str(rows[-1]["fiscal_year"])
    page.evaluate(f"window.location.hash = 'fiscal_year={year}'")
    page.evaluate("new Promise(r => setTimeout(r, 50))")  # hashchange: the new address only
    assert page.evaluate("document.getElementById('filter-issuer').value") == ""
    assert sorted(page.evaluate(SHOWN)) == ids([r for r in rows if str(r["fiscal_year"]) == year])
    assert_no_errors(page)


def test_an_unknown_filter_value_says_so_and_shows_nothing(open_page):
    _, page = open_page(f"index.html#issuer={quote('不存在的单位')}")
    assert page.evaluate(SHOWN) == []
    assert not page.evaluate("document.getElementById('unknown-filter').hidden")
    note = page.evaluate("document.getElementById('unknown-filter').textContent")
    assert "issuer = 不存在的单位" in note and "Unknown filter value" in note
    assert_no_errors(page)


def test_sorting_by_total_year_and_name(open_page, catalogue: Path):
    rows = index_rows(catalogue)
    _, page = open_page("index.html#sort=total")
    totals = page.evaluate("Array.from(document.querySelectorAll('#cards li.card')).map(c => c.dataset.totalYuan)")
    numbers = [Decimal(t) for t in totals if t]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) >= 5
    assert all(not t for t in totals[len(numbers):])  # datasets without a total come last
    choose(page, "fiscal_year", "")
    page.evaluate("(() => { const s = document.getElementById('sort'); s.value = 'year';"
                  " s.dispatchEvent(new Event('change', {bubbles: true})); })()")
    years = page.evaluate("Array.from(document.querySelectorAll('#cards li.card')).map(c => Number(c.dataset.fiscal_year))")
    assert years == sorted(years, reverse=True) and len(years) == len(rows)
    assert_no_errors(page)


def test_index_cards_keep_their_labels_and_show_the_total(sized_page):
    width, go = sized_page
    page = go(f"index.html#q={FJ}")
    card = page.evaluate(f"""(() => {{ const c = document.getElementById('ds-{FJ}');
        return {{labels: Array.from(c.querySelectorAll('dt')).filter(d => d.getBoundingClientRect().width > 0)
                   .map(d => d.textContent),
                 total: c.querySelector('dd.f-total').textContent,
                 overflow: document.documentElement.scrollWidth - window.innerWidth}}; }})()""")
    assert [label.split()[0] for label in card["labels"]] == ["年度", "地区", "发布单位", "类型", "支出合计"]
    # printed on the publication's 收支预算总表: 支出合计 1182.04 (万元)
    assert card["total"].startswith("1,182.04 万元")
    assert card["overflow"] <= 0, f"{width}: the index scrolls sideways"
    assert_no_errors(page)


FONT_JS = """
Array.from(document.querySelectorAll('svg.chart')).filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Array.from(svg.querySelectorAll('text')).map(t =>
      ({text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale}));
  })
"""


def test_dataset_page_is_readable_and_downloads_are_near_the_top(sized_page):
    width, go = sized_page
    page = go(f"datasets/{FJ}.html")
    visible = page.evaluate("Array.from(document.querySelectorAll('svg.chart'))"
                            ".filter(s => s.getBoundingClientRect().width > 0).map(s => s.id)")
    suffix = "-narrow" if width == "phone" else ""
    assert visible == [f"chart-{c}{suffix}" for c in ("function", "economic", "basic_project", "three_public")]
    small = [t for t in page.evaluate(FONT_JS) if t["px"] < 12]
    assert small == [], f"{width}: chart text under 12 px: {small[:5]}"
    top = page.evaluate("document.getElementById('quick-downloads').getBoundingClientRect().top + scrollY")
    assert top < page.evaluate("innerHeight"), f"{width}: downloads start at {top}px"
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    assert_no_errors(page)


def _wan(yuan: str) -> str:
    return format((Decimal(yuan) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), ",.2f")


def test_chart_numbers_are_those_of_amounts_csv(sized_page, package_output: Path):
    """The function chart of the Fujian package, as the browser shows it, against the 类 rows of
    its source table in amounts.csv (read here with the csv module, not with figures.py)."""
    width, go = sized_page
    page = go(f"datasets/{FJ}.html")
    shown = page.evaluate("""Array.from(document.querySelectorAll('svg.chart'))
        .filter(s => s.id.startsWith('chart-function') && s.getBoundingClientRect().width > 0)
        .flatMap(s => Array.from(s.querySelectorAll('g.bar-row')).map(g =>
          [g.dataset.key, g.querySelector('text.value').textContent]))""")
    source = page.evaluate("document.querySelector('#figure-function small').textContent")
    with open(package_output / FJ / "amounts.csv", encoding="utf-8", newline="") as fh:
        amounts = list(csv.DictReader(fh))
    with open(package_output / FJ / "source_tables.csv", encoding="utf-8", newline="") as fh:
        table = next(t for t in csv.DictReader(fh) if t["table_title_zh"] and t["table_title_zh"] in source)
    # the documented rule: a class's amount is its 类 row, else the sum of its 款, else 项 rows
    by_level: dict[str, dict[str, Decimal]] = {}
    for r in amounts:
        if (r["table_sequence"], r["measure"], r["row_role"], r["is_blank"]) == (table["table_sequence"], "total", "item", "false"):
            levels = by_level.setdefault(r["class_code"], {})
            levels[r["subject_level"]] = levels.get(r["subject_level"], Decimal(0)) + Decimal(r["amount_yuan"])
    expected = [
        [code, _wan(str(next(levels[lv] for lv in ("class", "section", "item") if lv in levels)))]
        for code, levels in sorted(by_level.items())
    ]
    assert shown == expected and len(shown) >= 3, width
    # the 一般公共服务支出 class printed on the publication's summary table: 1142.73 万元
    assert ["201", "1,142.73"] in shown


def test_final_accounts_page_says_actual_outturn(page: Page, catalogue: Path):
    page.set_viewport(*WIDTHS["desktop"][:2])
    page.goto((catalogue / "datasets" / "sh-putuo-template-2024-bmjs.html").as_uri())
    text = page.evaluate("document.body.innerText")
    assert "决算数" in text and "actual outturn" in text
    sources = page.evaluate("Array.from(document.querySelectorAll('figcaption small')).map(s => s.textContent)")
    assert sources and all("决算" in s for s in sources), sources
    three = page.evaluate("document.querySelector('#figure-three_public .empty').textContent")
    assert "empty table" in three and "No table" not in three
    assert_no_errors(page)


@pytest.mark.parametrize("document_id", [FJ, WARNINGS, *SAMPLES[1:]])
def test_dataset_page_renders_charts_and_links(open_page, document_id: str):
    mode, page = open_page(f"datasets/{document_id}.html")
    assert page.evaluate("document.querySelector('h1').textContent").strip()
    charts = page.evaluate(CHART_JS)
    assert [c["id"] for c in charts if c["width"] > 0] == [
        "chart-function", "chart-economic", "chart-basic_project", "chart-three_public"
    ]
    assert all(c["bars"] >= 1 for c in charts if c["width"] > 0), charts
    assert page.evaluate("document.querySelectorAll('#dictionary li').length") >= 10
    assert check_links(page, mode) > 20
    assert_no_errors(page)


def test_dictionary_page_is_one_page_linked_from_each_dataset(open_page, catalogue: Path):
    mode, page = open_page(f"datasets/{FJ}.html")
    href = page.evaluate("document.getElementById('dictionary-link').href")
    page.goto(href)
    assert page.evaluate("document.querySelectorAll('section.resource').length") >= 10
    assert check_links(page, mode) > 10
    assert_no_errors(page)


CHART_JS = """
Array.from(document.querySelectorAll('svg.chart')).map(svg => ({
  id: svg.id,
  width: svg.getBoundingClientRect().width,
  bars: Array.from(svg.querySelectorAll('rect.bar')).filter(r => r.getBoundingClientRect().width > 0).length,
}))
"""


def test_every_dataset_page_loads_without_errors(page: Page, catalogue: Path):
    for path in sorted((catalogue / "datasets").glob("*.html")):
        page.goto(path.as_uri())
        assert page.evaluate("document.readyState") == "complete"
        assert_no_errors(page)


def test_the_harness_sees_errors(page: Page, tmp_path: Path):
    """The checks above are only worth something if a broken page is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>'
        '<img src="missing.png"><script>console.error("oops"); undefined_function();</script>'
        "</body></html>",
        encoding="utf-8",
    )
    page.goto(bad.as_uri())
    page.settle()
    errors = "\n".join(page.errors())
    assert "console.error: oops" in errors
    assert "undefined_function" in errors
    assert "ERR_FILE_NOT_FOUND" in errors


def _many_cards(catalogue: Path, n: int) -> list[dict]:
    """n cards: the real ones repeated, each with its own id and issuer."""
    from yusuan.catalogue.shards import read_cards

    real = read_cards(catalogue)
    many = []
    for i in range(n):
        c = dict(real[i % len(real)], id=f"{real[i % len(real)]['id']}-{i}")
        c["issuer"] = f"{c['issuer']}{i}"
        many.append(c)
    return many


def _write_sharded_index(catalogue: Path, folder: Path, cards: list[dict]) -> dict[int, list[dict]]:
    """index.html, static/ and the cards in 32 shards, as a build writes them; the shards."""
    import shutil

    from yusuan.catalogue.cards import cards_script
    from yusuan.catalogue.shards import shard_files, shard_of
    from yusuan.catalogue.site import environment, index_context

    shutil.copytree(catalogue / "static", folder / "static")
    shards: dict[int, list[dict]] = {}
    for c in sorted(cards, key=lambda c: c["id"]):
        shards.setdefault(shard_of(c["id"], 32), []).append(c)
    (folder / "cards").mkdir()
    for number, members in shards.items():
        (folder / shard_files(number, 32)[0]).write_text(cards_script(members), encoding="utf-8")
    counts = {n: len(m) for n, m in shards.items()}
    html = environment().get_template("index.html").render(**index_context(counts, 32, []))
    (folder / "index.html").write_text(html, encoding="utf-8")
    return shards


def test_a_package_is_found_in_any_shard(page: Page, catalogue: Path, tmp_path: Path):
    """300 cards in 32 shards: the page joins every shard (count, first page in id order as the
    one-file list had it), and a search finds a card of each shard."""
    many = _many_cards(catalogue, 300)
    shards = _write_sharded_index(catalogue, tmp_path, many)
    assert len(shards) == 32
    page.set_viewport(*WIDTHS["desktop"][:2])
    page.goto("about:blank")
    page.goto((tmp_path / "index.html").as_uri())
    assert page.evaluate("document.getElementById('count').dataset.found") == "300"
    joined = page.evaluate("Array.from(document.querySelectorAll('#cards li.card')).map(c => c.id)")
    assert len(joined) == 50
    for members in shards.values():
        last = members[-1]["id"]
        found = search(page, last)  # every word must start a word of the card: "-6" finds "-62" too
        assert f"ds-{last}" in found and len(found) < 10
    assert_no_errors(page)


def test_a_facet_with_hundreds_of_values_stays_usable(page: Page, catalogue: Path, tmp_path: Path):
    """300 cards (the real ones, renamed to 300 issuers): a select lists at most 100 values and
    says how many more there are; a value beyond them still works from the address."""
    many = _many_cards(catalogue, 300)
    _write_sharded_index(catalogue, tmp_path, many)
    page.set_viewport(*WIDTHS["desktop"][:2])
    last = many[-1]["issuer"]
    page.goto("about:blank")
    page.goto((tmp_path / "index.html").as_uri() + "#issuer=" + quote(last))
    options = page.evaluate("Array.from(document.getElementById('filter-issuer').options)"
                            ".map(o => [o.value, o.disabled, o.dataset.more || ''])")
    listed = [o[0] for o in options if o[0] and not o[1]]
    assert len(listed) in (100, 101) and last in listed  # the top 100 and the chosen one
    assert options[-1] == ["", True, str(300 - len(listed))]
    assert page.evaluate("document.getElementById('filter-issuer').value") == last
    assert page.evaluate(SHOWN) == [f"ds-{many[-1]['id']}"]
    assert page.evaluate("document.getElementById('unknown-filter').hidden")
