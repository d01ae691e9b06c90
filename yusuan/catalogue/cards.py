"""The index's cards: one small record per package, shipped to the browser as ``cards/<n>.js``.

Why a script and not rows in ``index.html``: at 10,000 packages, a table with every row and its
markup was a 10 MB page. The cards are a compact array of arrays (a column list plus one row per
package), loaded with a ``<script>`` tag rather than ``fetch`` so that the catalogue keeps
working opened from disk (file:// forbids fetch); the page script shows them a page at a time.
They come in shards (:mod:`yusuan.catalogue.shards`) so that one new package rewrites one
shard; each shard script pushes its part onto ``window.YUSUAN_CARDS``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from yusuan.catalogue.figures import Chart, headline_total
from yusuan.catalogue.index import PackageInfo, issuer_id
from yusuan.catalogue.svg import wan
from yusuan.core.names import issuer_english, region_english

CARD_FIELDS = (
    "id",
    "title_zh",
    "title_en",
    "fiscal_year",
    "region",
    "region_en",
    "region_code",
    "issuer",
    "issuer_en",
    "issuer_en_status",
    "issuer_id",
    "kind",
    "kind_en",
    "kind_id",
    "quality_status",
    "checks_passed",
    "checks_failed",
    "checks_not_run",
    "total_yuan",
    "total_wan",
    "total_source",
    "page",
    "datapackage",
)


def kind_en(package: PackageInfo) -> str:
    return str(package.get("kind_id")).replace("_", " ")


def card(package: PackageInfo, charts: list[Chart]) -> dict[str, Any]:
    """The card of one package. Amounts travel as strings (exact decimals, yuan), with the
    万元 figure the card shows; the English names are composed by yusuan.core.names."""
    issuer = str(package.get("issuer"))
    region = str(package.get("region"))
    issuer_en = issuer_english(issuer)
    region_en = region_english(region)
    total, source = headline_total(charts)
    checks = package.checks
    return {
        "id": package.document_id,
        "title_zh": str(package.get("title_zh")),
        "title_en": str(package.get("title")),
        "fiscal_year": str(package.get("fiscal_year")),
        "region": region,
        "region_en": region_en.en,
        "region_code": region_en.code,
        "issuer": issuer,
        "issuer_en": issuer_en.en,
        "issuer_en_status": issuer_en.status,
        "issuer_id": issuer_id(issuer, region),
        "kind": str(package.get("kind")),
        "kind_en": kind_en(package),
        "kind_id": str(package.get("kind_id")),
        "quality_status": package.quality_status,
        "checks_passed": checks.get("checks_passed", ""),
        "checks_failed": checks.get("checks_failed", ""),
        "checks_not_run": checks.get("checks_not_run", ""),
        "total_yuan": _plain(total),
        "total_wan": wan(total),
        "total_source": source,
        "page": package.page_name(),
        "datapackage": f"../{package.folder.name}/datapackage.json",
    }


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


# Fields whose values repeat across packages (an issuer publishes every year): written once in
# a shard's string table and referred to by number (~350 bytes a package, docs/catalogue.md).
SHARED_FIELDS = (
    "region", "region_en", "region_code", "issuer", "issuer_en", "issuer_en_status", "issuer_id",
    "kind", "kind_en", "kind_id", "quality_status", "total_source", "fiscal_year",
)
DERIVED_FIELDS = ("page", "datapackage")  # rebuilt by the script from id and folder


CARDS_PREFIX = "(window.YUSUAN_CARDS = window.YUSUAN_CARDS || []).push("


def cards_script(cards: list[dict[str, Any]]) -> str:
    """A cards shard: pushes ``{"fields", "shared", "strings", "rows"}`` onto
    ``window.YUSUAN_CARDS``; a shared field's value is an index into ``strings`` (the string
    table is the shard's own); ``folder`` is empty when it is the id."""
    fields = [f for f in CARD_FIELDS if f not in DERIVED_FIELDS] + ["folder"]
    strings: list[str] = []
    number: dict[str, int] = {}
    rows = []
    for c in cards:
        folder = c["datapackage"].removeprefix("../").removesuffix("/datapackage.json")
        values = {**c, "folder": "" if folder == c["id"] else folder}
        row: list[Any] = []
        for f in fields:
            value = values.get(f, "")
            if f in SHARED_FIELDS:
                key = str(value)
                if key not in number:
                    number[key] = len(strings)
                    strings.append(key)
                value = number[key]
            row.append(value)
        rows.append(row)
    payload = {"fields": fields, "shared": list(SHARED_FIELDS), "strings": strings, "rows": rows}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # "</script" cannot occur inside JSON strings that reach the page: escape "<" everywhere
    return CARDS_PREFIX + text.replace("<", "\\u003c") + ");\n"


def read_cards_script(text: str) -> list[dict[str, Any]]:
    """The cards back from a shard script (for tests and benchmarks), as ``card()`` made them."""
    if not text.startswith(CARDS_PREFIX):
        raise ValueError("not a cards shard")
    data = json.loads(text[len(CARDS_PREFIX) : text.rindex(")")])
    shared = set(data["shared"])
    out = []
    for row in data["rows"]:
        c = {f: (data["strings"][v] if f in shared else v) for f, v in zip(data["fields"], row, strict=True)}
        folder = c.pop("folder") or c["id"]
        c["page"] = f"datasets/{c['id']}.html"
        c["datapackage"] = f"../{folder}/datapackage.json"
        out.append(c)
    return out
