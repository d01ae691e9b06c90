"""What the previous catalogue build saw, so that the next one only redoes what changed.

The build state (:mod:`yusuan.catalogue.state_db`, ``catalogue/build-state.sqlite``) keeps,
per dataset: its package folder and a cheap stat key of it, the sha256 of its
``datapackage.json`` (which lists the sha256 of every file, so it changes whenever the content
does), when it first appeared in this catalogue (``issued``), when its content last changed
(``modified``), its DCAT page and its listing shard. Dates therefore survive reruns: a run that
changes nothing changes no date and rewrites no file, which is what lets a harvester harvest
incrementally (``dct:modified``) and keeps the build reproducible.

A package whose stat key is unchanged is not read again (the package writer replaces a
package folder as a whole, which changes the folder's inode). A file edited in place inside
a package folder keeps the key: ``full=True`` (``yusuan catalogue --full``) re-reads and
re-hashes everything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from yusuan.catalogue.index import CATALOGUE_DIR, DESCRIPTOR


def now_utc() -> str:
    """The build's timestamp: UTC, to the second (xsd:dateTime)."""
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def stat_key(folder: Path | str) -> str | None:
    """Inode and mtime of the package folder and of its datapackage.json (None: not a package)."""
    try:
        f = os.stat(folder)
        d = os.stat(os.path.join(folder, DESCRIPTOR))
    except OSError:
        return None
    return f"{f.st_ino}:{f.st_mtime_ns}:{d.st_ino}:{d.st_size}:{d.st_mtime_ns}"


@dataclass
class DatasetState:
    stat: str
    sha256: str  # of datapackage.json
    issued: str
    modified: str
    page: int = 0
    summary: dict[str, Any] = field(default_factory=dict)  # SUMMARY_KEYS of the descriptor
    folder: str = ""  # the package folder's name
    shard: int = -1  # listing shard (shards.shard_of)


# What listings need of a descriptor: kept in the state so that an unchanged package's
# datapackage.json (about 100 kB) is not parsed again just to list it.
SUMMARY_KEYS = (
    "name", "title_zh", "title", "fiscal_year", "region", "issuer", "kind", "kind_id",
    "quality_status", "check_summary",
)


def summary_of(descriptor: dict[str, Any]) -> dict[str, Any]:
    summary = {k: descriptor[k] for k in SUMMARY_KEYS if k in descriptor}
    resources = descriptor.get("resources")
    summary["resource_names"] = [
        str(r["name"]) for r in resources or [] if isinstance(r, dict) and r.get("name")
    ]
    return summary


@dataclass
class BuildState:
    key: str = ""  # settings, version, templates: a change rewrites everything
    issued: str = ""
    modified: str = ""
    shards: int = 0  # number of listing shards the catalogue was written with
    datasets: dict[str, DatasetState] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # folder -> error


def package_folders(output_dir: Path) -> dict[str, str]:
    """Folder name -> stat key (:func:`stat_key`) of every sub-folder of ``output_dir`` that
    holds a ``datapackage.json`` (hidden folders and the catalogue excluded): one directory
    listing and two ``stat`` calls a folder, on plain strings (at 10,000 folders, making a
    ``Path`` of each cost more than the system calls)."""
    found: dict[str, str] = {}
    with os.scandir(output_dir) as entries:
        for entry in entries:
            if entry.name.startswith(".") or entry.name == CATALOGUE_DIR or not entry.is_dir():
                continue
            key = stat_key(entry.path)
            if key is not None:
                found[entry.name] = key
    return dict(sorted(found.items()))


@dataclass
class Plan:
    """Which package folders must be read again, and which kept from the previous build."""

    output_dir: Path
    keys: dict[str, str]  # folder name -> stat key, of every package folder
    reread: list[str]  # folder names to load (new, changed, or everything when full)
    kept: dict[str, str]  # folder name -> document id, unchanged since the previous build

    def folder(self, name: str) -> Path:
        return self.output_dir / name


def plan_build(output_dir: Path, previous: BuildState, key: str, full: bool = False) -> Plan:
    keys = package_folders(output_dir)
    by_stat = {d.stat: doc_id for doc_id, d in previous.datasets.items()}
    reread: list[str] = []
    kept: dict[str, str] = {}
    everything = full or previous.key != key
    for name, stat in keys.items():
        doc_id = by_stat.get(stat)
        if everything or doc_id is None or name in previous.skipped:
            reread.append(name)
        else:
            kept[name] = doc_id
    return Plan(output_dir, keys, reread, kept)
