"""The catalogue in a real headless Chromium, opened from disk (file://) and served by
``python -m http.server`` on 127.0.0.1: pages render, charts draw, filters work, every link
resolves, no console errors, no request leaves the machine.

Chromium comes from Debian (``apt-get install -y chromium``); the session installs it when
missing and it runs as root, else the tests fail with a message saying what to do. Chromium
is driven over the DevTools protocol (cdp.py), no WebDriver needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from cdp import Browser, CdpError, Page, find_chromium, install_chromium
from variants import FJ, WARNINGS

MODES = ("file", "http")
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

    def go(relative: str) -> tuple[str, Page]:
        page.goto(url_of(mode, catalogue, base, relative))
        return mode, page

    return go


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


def test_index_renders_and_filters(open_page, catalogue: Path):
    packages = json.loads((catalogue / "index.json").read_text(encoding="utf-8"))["packages"]
    mode, page = open_page("index.html")
    assert page.evaluate("document.documentElement.dataset.catalogueReady") == "1"
    assert page.evaluate("document.title").startswith("预算数据目录")
    visible = "document.querySelectorAll('#datasets tbody tr:not([hidden])').length"
    assert page.evaluate(visible) == len(packages)

    year = str(packages[0]["fiscal_year"])
    page.evaluate(f"""(() => {{ const s = document.getElementById('filter-fiscal_year');
        s.value = '{year}'; s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()""")
    expected = sum(str(p["fiscal_year"]) == year for p in packages)
    assert page.evaluate(visible) == expected
    assert f"显示 {expected} / {len(packages)}" in page.evaluate("document.getElementById('count').textContent")

    page.evaluate("""(() => { const s = document.getElementById('filter-kind');
        s.value = '单位决算'; s.dispatchEvent(new Event('change', {bubbles: true})); })()""")
    both = sum(str(p["fiscal_year"]) == year and p["kind"] == "单位决算" for p in packages)
    assert page.evaluate(visible) == both
    assert page.evaluate("document.getElementById('no-match').hidden") == (both != 0)

    page.evaluate("document.getElementById('filters').reset()")
    page.evaluate("new Promise(r => setTimeout(r, 50))")
    assert page.evaluate(visible) == len(packages)

    page.evaluate("(() => { const t = document.getElementById('filter-text');"
                  " t.value = '测试单位'; t.dispatchEvent(new Event('input')); })()")
    assert page.evaluate(visible) == sum("测试单位" in p["issuer"] for p in packages)
    assert check_links(page, mode) >= len(packages) * 2
    assert_no_errors(page)


def test_index_filter_preset_from_address(open_page, catalogue: Path):
    packages = json.loads((catalogue / "index.json").read_text(encoding="utf-8"))["packages"]
    issuer = next(p["issuer"] for p in packages if p["document_id"] == FJ)
    _, page = open_page("index.html")
    page.goto("about:blank")  # a fresh document: the preset is read on load
    _, page = open_page(f"index.html#issuer={quote(issuer)}")
    ids = page.evaluate(
        "Array.from(document.querySelectorAll('#datasets tbody tr:not([hidden])')).map(r => r.id)"
    )
    assert ids == [f"ds-{p['document_id']}" for p in packages if p["issuer"] == issuer]
    page.evaluate(f"window.location.hash = 'fiscal_year={packages[-1]['fiscal_year']}'")
    page.evaluate("new Promise(r => setTimeout(r, 50))")  # hashchange: the new preset only
    ids = page.evaluate(
        "Array.from(document.querySelectorAll('#datasets tbody tr:not([hidden])')).map(r => r.id)"
    )
    assert ids == [
        f"ds-{p['document_id']}" for p in packages if p["fiscal_year"] == packages[-1]["fiscal_year"]
    ]
    assert_no_errors(page)


CHART_JS = """
Array.from(document.querySelectorAll('svg.chart')).map(svg => ({
  id: svg.id,
  width: svg.getBoundingClientRect().width,
  bars: Array.from(svg.querySelectorAll('rect.bar')).filter(r => r.getBoundingClientRect().width > 0).length,
}))
"""


@pytest.mark.parametrize("document_id", [FJ, WARNINGS])
def test_dataset_page_renders_charts_and_links(open_page, document_id: str):
    mode, page = open_page(f"datasets/{document_id}.html")
    assert page.evaluate("document.querySelector('h1').textContent").strip()
    charts = page.evaluate(CHART_JS)
    assert [c["id"] for c in charts] == [
        "chart-function", "chart-economic", "chart-basic_project", "chart-three_public"
    ]
    assert all(c["width"] > 100 and c["bars"] >= 1 for c in charts), charts
    assert page.evaluate("document.querySelectorAll('details.resource').length") >= 10
    assert check_links(page, mode) > 20
    assert_no_errors(page)


def test_every_dataset_page_loads_without_errors(page: Page, catalogue: Path):
    started = time.monotonic()
    for path in sorted((catalogue / "datasets").glob("*.html")):
        page.goto(path.as_uri())
        assert page.evaluate("document.readyState") == "complete"
        assert_no_errors(page)
    assert time.monotonic() - started < 60


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
