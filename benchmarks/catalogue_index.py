"""Size and in-browser speed of the catalogue's index page at 100, 1,000 and 10,000 packages.

The cards are synthesised from the real cards of a built catalogue (``<output>/catalogue/
cards/*.js``): each real card is repeated with a new id and year, so names, amounts and English
names are real. For each size the index is written (index.html, the cards' shards, static/) and
opened in headless Chromium from disk; measured: the bytes of index.html and of all card shards,
the time until the page is ready (``loadEventEnd``: the shards parsed, the first 50 cards and
the facets drawn) and
the time of one search, with ratios to the 100-package run of the same invocation.

    python benchmarks/catalogue_index.py OUTPUT [--sizes 100 1000 10000]

Needs Chromium (as the browser tests). Run it under ``flock /tmp/yusuan-heavy.lock``.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "catalogue"))

from cdp import Browser, find_chromium  # noqa: E402

from yusuan.catalogue.build import listing_shards  # noqa: E402
from yusuan.catalogue.cards import CARD_FIELDS, cards_script  # noqa: E402
from yusuan.catalogue.shards import read_cards, shard_files, shard_of  # noqa: E402
from yusuan.catalogue.site import HERE, environment, index_context  # noqa: E402


def real_cards(output: Path) -> list[dict]:
    return read_cards(output / "catalogue")


def synthesise(cards: list[dict], n: int) -> list[dict]:
    """n cards; every 5 share an issuer (one body, five years), so the string table holds
    n / 5 issuers: a conservative guess (the shared corpora have ~1 publication per issuer)."""
    out = []
    for i in range(n):
        c = dict(cards[i % len(cards)])
        body = i // 5
        c["id"] = f"{c['id']}-{i:05d}"
        c["fiscal_year"] = str(2015 + i % 5)
        c["issuer"] = f"{c['issuer']}{body}"
        c["issuer_en"] = f"{c['issuer_en']} {body}"
        c["issuer_id"] = f"{c['issuer_id']}{body}"
        c["title_zh"] = f"{c['issuer']}{c['fiscal_year']}年{c['kind']}"
        c["title_en"] = f"{c['issuer_en']} {c['fiscal_year']} {c['kind_en']}"
        c["datapackage"] = f"../{c['id']}/datapackage.json"
        out.append(c)
    return out


def write_index(folder: Path, cards: list[dict]) -> bytes:
    """The index page and the cards' shards as a build writes them; returns the shards' bytes."""
    shutil.copytree(HERE / "static", folder / "static")
    count = listing_shards()
    shards: dict[int, list[dict]] = {}
    for c in sorted(cards, key=lambda c: c["id"]):
        shards.setdefault(shard_of(c["id"], count), []).append(c)
    (folder / "cards").mkdir()
    js = b""
    for number, members in sorted(shards.items()):
        text = cards_script(members)
        (folder / shard_files(number, count)[0]).write_text(text, encoding="utf-8")
        js += text.encode("utf-8")
    counts = {n: len(m) for n, m in shards.items()}
    html = environment().get_template("index.html").render(**index_context(counts, count, []))
    (folder / "index.html").write_text(html, encoding="utf-8")
    return js


READY = "performance.getEntriesByType('navigation')[0].loadEventEnd"
SEARCH = """(() => { const t0 = performance.now(); const t = document.getElementById('filter-text');
  t.value = 'court'; t.dispatchEvent(new Event('input', {bubbles: true}));
  return performance.now() - t0; })()"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="an output folder with a built catalogue")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    args = parser.parse_args()
    cards = real_cards(args.output)
    assert set(cards[0]) == set(CARD_FIELDS)
    binary = find_chromium()
    if binary is None:
        print("Chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        browser = Browser(binary, Path(tmp) / "profile").start()
        try:
            page = browser.new_page()
            for n in args.sizes:
                folder = Path(tmp) / f"n{n}"
                folder.mkdir()
                js = write_index(folder, synthesise(cards, n))
                page.goto((folder / "index.html").as_uri())
                ready = page.evaluate(READY)
                search = min(page.evaluate(SEARCH) for _ in range(3))
                page.evaluate("(() => { const t = document.getElementById('filter-text'); t.value = '';"
                              " t.dispatchEvent(new Event('input', {bubbles: true})); })()")
                shown = page.evaluate("document.querySelectorAll('#cards li.card').length")
                rows.append((n, (folder / "index.html").stat().st_size, len(js), len(gzip.compress(js)), ready, search, shown))
        finally:
            browser.close()
    base = rows[0]
    print("| packages | index.html | card shards | gzipped | bytes/card | ready (ms) | × | search 'court' (ms) | × | cards drawn |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, html, js, gz, ready, search, shown in rows:
        print(
            f"| {n:,} | {html:,} | {js:,} | {gz:,} | {js / n:.0f} | {ready:.0f} | {ready / base[4]:.1f} "
            f"| {search:.1f} | {search / max(base[5], 0.1):.1f} | {shown} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
