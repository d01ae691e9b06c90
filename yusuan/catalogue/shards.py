"""The catalogue's listings in shards, so that one new package rewrites one shard, not 10,000 rows.

A package's shard is fixed by its document id alone (a stable hash, :func:`shard_of`): adding,
changing or removing a package touches its shard and no other, and a full build puts every
package in the same shard an incremental one does, so both write the same bytes. Per shard
(``<n>`` zero-padded, see :func:`shard_name`):

* ``cards/<n>.js``: the index page's cards of the shard (:mod:`yusuan.catalogue.cards`); the
  page loads every shard with a ``<script>`` tag and joins them back in id order;
* ``index/<n>.json`` and ``index/<n>.csv``: the listing rows of the shard's packages, in id
  order.

``index.json`` is a small document that lists the parts (with their package counts) and the
skipped folders; ``index.csv`` stays one file for people who open it in a spreadsheet, made by
concatenating the shards' CSV files (bytes, no row is formatted again). Empty shards have no
files. The number of shards is ``listing_shards`` in ``schemas/catalogue.yaml``; changing it
rebuilds the catalogue (it is part of the build key).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from yusuan.catalogue.cards import cards_script
from yusuan.catalogue.index import PackageInfo, Skipped, index_csv

CARDS_DIR = "cards"
INDEX_DIR = "index"
INDEX_VERSION = 2  # 1: index.json held every row under "packages"


def shard_of(doc_id: str, count: int) -> int:
    """The shard of a document id: the first 4 bytes of its sha256, modulo ``count``. A hash
    of the id only (not its position) so that no package moves when another one arrives."""
    return int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:4], "big") % count


def shard_name(number: int, count: int) -> str:
    """``07`` of 32 shards, ``007`` of 128: names sort in shard order."""
    return f"{number:0{len(str(max(count - 1, 1)))}d}"


def shard_files(number: int, count: int) -> tuple[str, str, str]:
    """The catalogue-relative paths of a shard's cards, JSON and CSV."""
    name = shard_name(number, count)
    return f"{CARDS_DIR}/{name}.js", f"{INDEX_DIR}/{name}.json", f"{INDEX_DIR}/{name}.csv"


def write_shard(folder: Path, number: int, count: int, packages: list[PackageInfo], cards: list[dict[str, Any]]) -> None:
    """The three files of one shard into ``folder`` (a staging folder); ``packages`` and
    ``cards`` in id order."""
    cards_path, json_path, csv_path = (folder / p for p in shard_files(number, count))
    cards_path.parent.mkdir(exist_ok=True)
    json_path.parent.mkdir(exist_ok=True)
    cards_path.write_text(cards_script(cards), encoding="utf-8")
    rows = {"packages": [p.index_row() for p in packages]}
    json_path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    csv_path.write_text(index_csv(packages), encoding="utf-8")


def top_index(counts: dict[int, int], count: int, skipped: list[Skipped]) -> dict[str, Any]:
    """``index.json``: the parts of the listing and the folders left out."""
    parts = []
    for number in sorted(counts):
        _cards, json_path, csv_path = shard_files(number, count)
        parts.append({"json": json_path, "csv": csv_path, "packages": counts[number]})
    return {
        "version": INDEX_VERSION,
        "packages": sum(counts.values()),
        "parts": parts,
        "skipped": [{"folder": s.folder, "error": s.error} for s in skipped],
    }


def write_top_index(staging: Path, target: Path | None, counts: dict[int, int], count: int, skipped: list[Skipped]) -> None:
    """``index.json`` and ``index.csv`` into ``staging``. A shard's CSV is read from
    ``staging`` when this build wrote it, else from the previous catalogue ``target``."""
    text = json.dumps(top_index(counts, count, skipped), ensure_ascii=False, indent=2)
    (staging / "index.json").write_text(text + "\n", encoding="utf-8")
    header = index_csv([]).encode("utf-8")
    with open(staging / "index.csv", "wb") as out:
        out.write(header)
        for number in sorted(counts):
            rel = shard_files(number, count)[2]
            source = staging / rel if (staging / rel).is_file() or target is None else target / rel
            data = source.read_bytes()
            if not data.startswith(header):
                raise ValueError(f"{source}: not a listing shard (header differs)")
            out.write(data[len(header) :])


def stale_shard_files(target: Path, counts: dict[int, int], count: int) -> list[Path]:
    """Shard files of the previous catalogue that no longer belong to it (their shard is empty
    now, or the number of shards changed)."""
    keep = {path for number in counts for path in shard_files(number, count)}
    out: list[Path] = []
    for folder in (CARDS_DIR, INDEX_DIR):
        if (target / folder).is_dir():
            out += [p for p in (target / folder).iterdir() if f"{folder}/{p.name}" not in keep]
    return out


def read_index_rows(catalogue: Path) -> list[dict[str, Any]]:
    """Every row of the listing, in id order, following the parts of ``index.json`` (for
    harvesters and tests that want the whole list)."""
    top = json.loads((catalogue / "index.json").read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for part in top["parts"]:
        rows += json.loads((catalogue / part["json"]).read_text(encoding="utf-8"))["packages"]
    return sorted(rows, key=lambda r: r["document_id"])


def read_cards(catalogue: Path) -> list[dict[str, Any]]:
    """Every card of the index page, in id order, from the shards ``index.json`` lists (for
    tests and benchmarks; the page does the same in catalogue.js)."""
    from yusuan.catalogue.cards import read_cards_script

    top = json.loads((catalogue / "index.json").read_text(encoding="utf-8"))
    out: list[dict[str, Any]] = []
    for part in top["parts"]:
        shard = part["json"].removeprefix(f"{INDEX_DIR}/").removesuffix(".json")
        out += read_cards_script((catalogue / CARDS_DIR / f"{shard}.js").read_text(encoding="utf-8"))
    return sorted(out, key=lambda c: c["id"])
