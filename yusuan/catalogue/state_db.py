"""The catalogue's build state in SQLite (``catalogue/build-state.sqlite``, standard library).

Why not JSON: at 10,000 packages the state was two JSON files of about 9 MB and 4 MB (a summary
and an index card per package) that every run parsed and wrote again in full, about half a
second of a one-package update. In SQLite a run reads only what it needs, one small row per
package for the plan (stat key, sha256, dates, DCAT page, listing shard) and the summaries and
cards of the shards it rewrites, and it writes only the rows that changed, in one transaction
committed last: a build that fails before the commit leaves the previous state as it was, so
the next build redoes what this one did (the same rule as before: the state is never ahead of
the files).

Tables: ``meta`` (build key, catalogue dates, number of listing shards), ``datasets`` (one row
per dataset), ``skipped`` (folders left out and why). ``PRAGMA user_version`` is the layout
version; a file of another version, or one that cannot be read, is replaced and the build is
a full one (nothing is lost but time and, for a damaged file, the datasets' first-seen dates).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yusuan.catalogue.state import BuildState, DatasetState

DB_NAME = "build-state.sqlite"
DB_VERSION = 3
LEGACY_FILES = ("harvest-state.json", "build-state.json")  # the JSON state before version 1
log = logging.getLogger(__name__)

# Two tables for datasets: every run reads all of ``datasets`` (the plan), which is therefore
# kept to the few short columns the plan needs (about 150 bytes a row); the summaries, cards
# and resource names (about 2 kB a row) are in ``entries``, read one shard at a time. In one
# table a run read every page of the 20 MB file to get the short columns.
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    stat TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    issued TEXT NOT NULL,
    modified TEXT NOT NULL,
    page INTEGER NOT NULL,
    shard INTEGER NOT NULL
);
CREATE TABLE entries (
    id TEXT PRIMARY KEY,
    shard INTEGER NOT NULL,
    resources TEXT NOT NULL,  -- JSON list of resource names (the data dictionary needs them all)
    summary TEXT NOT NULL,    -- JSON: what the listings need of the descriptor (state.SUMMARY_KEYS)
    page_key TEXT NOT NULL,   -- incremental.package_key of the rendered dataset page
    card TEXT NOT NULL        -- JSON: the index card (cards.card)
);
CREATE INDEX entries_by_shard ON entries (shard);
CREATE INDEX entries_by_resources ON entries (resources, id);
CREATE TABLE skipped (folder TEXT PRIMARY KEY, error TEXT NOT NULL);
"""


@dataclass
class Entry:
    """The heavy part of a dataset's state: read only for the shards a build rewrites."""

    summary: dict[str, Any]
    page_key: str
    card: dict[str, Any]


class StateStore:
    """The state database of one catalogue folder (opened, read, written by one build under
    the output lock)."""

    def __init__(self, catalogue_dir: Path) -> None:
        self.path = catalogue_dir / DB_NAME
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version == DB_VERSION and {"meta", "datasets", "entries", "skipped"} <= tables:
                return conn
            conn.close()
        except sqlite3.DatabaseError as exc:
            log.warning("catalogue: build state %s unreadable (%s): full build", self.path, exc)
        self.path.unlink(missing_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.executescript(f"BEGIN; {SCHEMA} PRAGMA user_version = {DB_VERSION}; COMMIT;")
        return conn

    def close(self) -> None:
        self.conn.close()

    def load(self) -> BuildState:
        """The previous build's plan-sized state: every dataset without its summary or card."""
        try:
            meta = dict(self.conn.execute("SELECT name, value FROM meta").fetchall())
            state = BuildState(
                key=meta.get("key", ""),
                issued=meta.get("issued", ""),
                modified=meta.get("modified", ""),
                shards=int(meta.get("shards", 0)),
                skipped=dict(self.conn.execute("SELECT folder, error FROM skipped").fetchall()),
            )
            rows = self.conn.execute("SELECT id, folder, stat, sha256, issued, modified, page, shard FROM datasets")
            for doc_id, folder, stat, sha256, issued, modified, page, shard in rows:
                state.datasets[doc_id] = DatasetState(stat, sha256, issued, modified, page, folder=folder, shard=shard)
        except (sqlite3.DatabaseError, ValueError) as exc:
            log.warning("catalogue: build state %s unreadable (%s): full build", self.path, exc)
            return BuildState()
        return state

    def entries(self, shards: set[int]) -> dict[str, Entry]:
        """Summary, page key and card of every dataset in ``shards``."""
        out: dict[str, Entry] = {}
        for shard in sorted(shards):
            rows = self.conn.execute("SELECT id, summary, page_key, card FROM entries WHERE shard = ?", (shard,))
            for doc_id, summary, page_key, card in rows:
                out[doc_id] = Entry(json.loads(summary), page_key, json.loads(card))
        return out

    def first_by_resources(self, per_list: int) -> list[tuple[str, list[str]]]:
        """For each distinct list of resource names, the first ``per_list`` datasets (by id)
        that have it, with the list (for the data dictionary: the caller drops the ids whose
        rows this build replaces, and one of each list's first ``per_list`` survives)."""
        rows = self.conn.execute(
            "SELECT id, resources FROM (SELECT id, resources, ROW_NUMBER() OVER "
            "(PARTITION BY resources ORDER BY id) AS n FROM entries) WHERE n <= ?",
            (per_list,),
        )
        return [(i, json.loads(r)) for i, r in rows]

    def save(self, state: BuildState, entries: dict[str, Entry], light: set[str], removed: list[str]) -> None:
        """Write this build's state in one transaction: the plan rows of ``entries`` and
        ``light`` (datasets whose page, dates or stat key changed without being read again),
        the entries of ``entries`` (datasets read or rendered by this build), delete
        ``removed``."""
        conn = self.conn
        conn.execute("BEGIN")
        try:
            meta = {"key": state.key, "issued": state.issued, "modified": state.modified, "shards": str(state.shards)}
            conn.executemany("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", meta.items())
            conn.execute("DELETE FROM skipped")
            conn.executemany("INSERT INTO skipped (folder, error) VALUES (?, ?)", sorted(state.skipped.items()))
            gone = [(i,) for i in removed]
            conn.executemany("DELETE FROM datasets WHERE id = ?", gone)
            conn.executemany("DELETE FROM entries WHERE id = ?", gone)
            plan_rows = []
            entry_rows = []
            for doc_id in sorted(set(entries) | light):
                d = state.datasets[doc_id]
                plan_rows.append((doc_id, d.folder, d.stat, d.sha256, d.issued, d.modified, d.page, d.shard))
            for doc_id, entry in sorted(entries.items()):
                entry_rows.append((
                    doc_id,
                    state.datasets[doc_id].shard,
                    json.dumps(entry.summary.get("resource_names", []), ensure_ascii=False),
                    json.dumps(entry.summary, ensure_ascii=False, sort_keys=True),
                    entry.page_key,
                    json.dumps(entry.card, ensure_ascii=False, sort_keys=True),
                ))
            conn.executemany("INSERT OR REPLACE INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?)", plan_rows)
            conn.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?)", entry_rows)
            stale_entries = [(d.shard, i) for i in sorted(light - set(entries)) for d in (state.datasets[i],)]
            conn.executemany("UPDATE entries SET shard = ? WHERE id = ?", stale_entries)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def load_legacy_state(catalogue_dir: Path) -> BuildState:
    """The dates and pages of a catalogue built before the state moved to SQLite
    (``harvest-state.json``), so that the first build with this version keeps every dataset's
    ``issued`` and ``modified``. Its build key is dropped: that build is a full one."""
    try:
        data = json.loads((catalogue_dir / LEGACY_FILES[0]).read_text(encoding="utf-8"))
        state = BuildState(issued=str(data["issued"]), modified=str(data["modified"]))
        for doc_id, d in data["datasets"].items():
            state.datasets[doc_id] = DatasetState(
                str(d["stat"]), str(d["sha256"]), str(d["issued"]), str(d["modified"]), int(d.get("page", 0))
            )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return BuildState()
    return state
