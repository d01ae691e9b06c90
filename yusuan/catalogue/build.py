"""Build the catalogue incrementally: only what changed since the previous build is redone.

1. The previous build's state (``catalogue/build-state.sqlite``, :mod:`yusuan.catalogue.state_db`)
   says which package folders it saw, by a stat key; only new or changed folders are read and
   hashed again (:mod:`yusuan.catalogue.state`). The others are :class:`KeptPackage`: their
   descriptor is read only if a page needs it, their files hashed only if asked for.
2. Datasets whose ``datapackage.json`` changed get a new ``modified`` date; new ones an
   ``issued`` date too; all others keep theirs.
3. Everything new is written into a staging folder beside the catalogue: the pages, the
   listing shards that hold a new, changed or removed dataset and the small listings that
   name the shards (:mod:`yusuan.catalogue.site`, :mod:`yusuan.catalogue.shards`), the DCAT
   documents and zips of changed datasets (:mod:`yusuan.catalogue.harvest`). Then each
   staged file replaces its old version (one rename each) and the files of removed datasets
   are deleted. A build that fails before that leaves the previous catalogue as it was.
4. The bulk archive is appended to, the state committed last (one SQLite transaction that
   writes the rows of the datasets this build read): a build interrupted after step 3 is
   redone by the next one, never trusted.

What one new package costs therefore does not grow with the catalogue, except one small row
per package read from the state and one ``stat`` per package folder (the plan), and the
concatenation of ``index.csv`` (bytes). A change of settings (base URL, contact), of yusuan's
version, of the templates or of the number of listing shards rebuilds everything, as does
``full=True``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from yusuan import __version__
from yusuan.catalogue.downloads import BULK_NAME, BulkState, bulk_needs_all, update_bulk
from yusuan.catalogue.harvest import DOWNLOADS, assign_pages, stale_files, write_harvest
from yusuan.catalogue.index import (
    CATALOGUE_DIR,
    DESCRIPTOR,
    CatalogueError,
    PackageFile,
    PackageInfo,
    PackageReadError,
    Skipped,
    load_package,
)
from yusuan.catalogue.settings import CatalogueSettings, catalogue_schema
from yusuan.catalogue.shards import shard_files, shard_of, stale_shard_files
from yusuan.catalogue.state import (
    SUMMARY_KEYS,
    BuildState,
    DatasetState,
    Plan,
    now_utc,
    plan_build,
    summary_of,
)
from yusuan.catalogue.state_db import LEGACY_FILES, Entry, StateStore, load_legacy_state

HERE = Path(__file__).resolve().parent
BULK_STATE = "bulk-state.json"


class KeptPackage(PackageInfo):
    """A package as the build holds it: its summary (what listings need, kept in the state) and
    its files' hashes; the descriptor (about 100 kB, some 0.5 MB as Python objects) is read
    when a page or DCAT document needs it and only the most recently read one is kept, so a
    build of 10,000 packages does not hold 10,000 descriptors. ``files`` hashes the files
    only if the build did not (an unchanged package whose files are asked for)."""

    _recent: ClassVar[tuple[Path, dict[str, Any]] | None] = None

    def __init__(
        self, folder: Path, sha256: str, summary: dict[str, Any], files: list[PackageFile] | None = None
    ) -> None:
        self.folder = folder
        self.sha256 = sha256
        self.summary = summary
        self._descriptor: dict[str, Any] | None = None
        self._files = files

    @classmethod
    def of(cls, package: PackageInfo) -> KeptPackage:
        """A freshly loaded package, holding its hashes but not its descriptor."""
        return cls(package.folder, package.sha256, summary_of(package.descriptor), package.files)

    @property  # type: ignore[override]
    def descriptor(self) -> dict[str, Any]:
        if self._descriptor is not None:
            return self._descriptor
        recent = KeptPackage._recent
        if recent is not None and recent[0] == self.folder:
            return recent[1]
        descriptor = json.loads((self.folder / DESCRIPTOR).read_text(encoding="utf-8"))
        KeptPackage._recent = (self.folder, descriptor)
        return descriptor

    @descriptor.setter
    def descriptor(self, value: dict[str, Any]) -> None:
        self._descriptor = value

    @property  # type: ignore[override]
    def files(self) -> list[PackageFile]:
        if self._files is None:
            self._files = load_package(self.folder).files
        return self._files

    @files.setter
    def files(self, value: list[PackageFile]) -> None:
        self._files = value

    def get(self, key: str, default: Any = "") -> Any:
        if self._descriptor is None and key in SUMMARY_KEYS:
            value = self.summary.get(key)
            return default if value is None else value
        return super().get(key, default)

    @property
    def document_id(self) -> str:
        return str(self.get("name") or self.folder.name)

    def resource_names(self) -> list[str]:
        names = self.summary.get("resource_names")
        return list(names) if self._descriptor is None and isinstance(names, list) else super().resource_names()

    @property
    def checks(self) -> dict[str, Any]:
        summary = self.get("check_summary", None)
        return summary if isinstance(summary, dict) else {}


def build_key(settings: CatalogueSettings) -> str:
    """What every rendered file depends on besides its package: settings, version, the
    templates, the static files and schemas/catalogue.yaml."""
    h = hashlib.sha256(f"{__version__}|{settings.key()}|".encode())
    h.update(json.dumps(catalogue_schema(), sort_keys=True, ensure_ascii=False).encode())
    for folder in ("templates", "static"):
        for path in sorted((HERE / folder).rglob("*")):
            if path.is_file():
                h.update(path.name.encode() + path.read_bytes())
    for module in (
        "site.py", "figures.py", "svg.py", "dcat.py", "harvest.py", "downloads.py", "links.py", "cards.py", "shards.py",
    ):
        if (HERE / module).is_file():
            h.update((HERE / module).read_bytes())
    return h.hexdigest()


def listing_shards() -> int:
    """How many shards the listings are cut into (``listing_shards`` in schemas/catalogue.yaml;
    part of the build key, so a change rebuilds everything)."""
    value = catalogue_schema().get("listing_shards", 32)
    if not isinstance(value, int) or value < 1:
        raise CatalogueError(f"schemas/catalogue.yaml: listing_shards must be a positive integer, not {value!r}")
    return value


def _load(plan: Plan) -> tuple[list[KeptPackage], list[Skipped]]:
    """Read and hash the packages that are new or changed; keep their hashes and summaries."""
    loaded: list[KeptPackage] = []
    skipped: list[Skipped] = []
    for name in plan.reread:
        try:
            loaded.append(KeptPackage.of(load_package(plan.folder(name))))  # descriptor dropped
        except PackageReadError as exc:
            skipped.append(Skipped(name, str(exc)))
    return loaded, skipped


def _merge(staging: Path, target: Path) -> None:
    """Move every staged file over its old version (one rename each)."""
    for root, _dirs, files in os.walk(staging):
        rel = Path(root).relative_to(staging)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(Path(root) / name, target / rel / name)


def _previous_state(target: Path) -> tuple[StateStore | None, BuildState]:
    """The state store of an existing catalogue and what it holds; a catalogue written before
    the store existed gives its JSON state's dates (its build is a full one)."""
    if not target.is_dir():
        return None, BuildState()
    store = StateStore(target)
    previous = store.load()
    if not previous.datasets and (target / LEGACY_FILES[0]).is_file():
        previous = load_legacy_state(target)
    return store, previous


def build_incremental(output_dir: Path, settings: CatalogueSettings, *, full: bool = False) -> Path:
    """Build or update ``output_dir/catalogue/`` (see the module docstring)."""
    from yusuan.catalogue import site  # site renders the pages

    target = output_dir / CATALOGUE_DIR
    store, previous = _previous_state(target)
    try:
        return _build(output_dir, target, settings, store, previous, full, site)
    finally:
        if store is not None:
            store.close()


def _build(
    output_dir: Path,
    target: Path,
    settings: CatalogueSettings,
    store: StateStore | None,
    previous: BuildState,
    full: bool,
    site: Any,
) -> Path:
    key = build_key(settings)
    shards = listing_shards()
    repack = full or previous.key != key or previous.shards != shards
    plan = plan_build(output_dir, previous, key if not repack else "\0", full)
    loaded, skipped = _load(plan)
    loaded_ids = {p.document_id for p in loaded}
    ids = sorted([*loaded_ids, *plan.kept.values()])
    if len(loaded_ids) != len(loaded) or len(set(ids)) != len(ids):
        every = [p.document_id for p in loaded] + list(plan.kept.values())
        raise CatalogueError(f"several packages share the document id(s) {sorted({i for i in every if every.count(i) > 1})}")
    folder_of = {p.document_id: p.folder.name for p in loaded} | {i: n for n, i in plan.kept.items()}

    now = now_utc()
    state = BuildState(key=key, shards=shards, skipped={s.folder: s.error for s in skipped})
    changed: dict[str, PackageInfo] = {}
    sha_of = {p.document_id: p.sha256 for p in loaded}
    for p in loaded:
        old = previous.datasets.get(p.document_id)
        if old is None or old.sha256 != p.sha256 or repack:
            changed[p.document_id] = p
    for doc_id in ids:
        old = previous.datasets.get(doc_id)
        sha = sha_of.get(doc_id) or old.sha256  # type: ignore[union-attr]  # kept ones have a previous state
        content_changed = old is None or old.sha256 != sha
        state.datasets[doc_id] = DatasetState(
            stat=plan.keys[folder_of[doc_id]],
            sha256=sha,
            issued=old.issued if old else now,
            modified=now if content_changed else old.modified,  # type: ignore[union-attr]
            folder=folder_of[doc_id],
            shard=old.shard if old is not None and old.shard >= 0 and not repack else shard_of(doc_id, shards),
        )
    removed = sorted(set(previous.datasets) - set(state.datasets))
    for doc_id, page in assign_pages(ids, previous, settings.page_size, repack).items():
        state.datasets[doc_id].page = page
    content_changes = bool(removed) or any(
        previous.datasets.get(i) is None or previous.datasets[i].sha256 != d.sha256
        for i, d in state.datasets.items()
    )
    state.issued = previous.issued or now
    state.modified = now if content_changes or not previous.modified else previous.modified

    # the listing shards to rewrite: those of every package read again and of removed ones
    counts: dict[int, int] = {}
    for d in state.datasets.values():
        counts[d.shard] = counts.get(d.shard, 0) + 1
    if repack or store is None:
        touched = set(counts)
    else:
        touched = {state.datasets[i].shard for i in loaded_ids} | {previous.datasets[i].shard for i in removed}
        touched &= set(counts)
        # a shard whose files are missing (deleted by hand) is written again, not trusted
        touched |= {n for n in counts if not all((target / f).is_file() for f in shard_files(n, shards))}
    old_entries = store.entries(touched) if store is not None else {}
    loaded_by_id = {p.document_id: p for p in loaded}
    shard_packages = _shard_packages(loaded_by_id, state, old_entries, touched, output_dir)
    providers = _dictionary_packages(loaded_by_id, state, store, set(removed), output_dir)

    output_dir.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{CATALOGUE_DIR}.", dir=output_dir))
    try:
        previous_dir = target if target.is_dir() else None
        result = site.write_site(
            shard_packages, counts, shards, providers, skipped, staging, settings.base_url,
            previous=previous_dir, old_entries=old_entries, only=set(changed),
        )
        write_harvest(staging, target, changed, state, previous, settings, repack)
        site.write_licence_page(staging, settings.base_url)
        if not target.exists():
            staging.chmod(0o755)
            staging.rename(target)
        else:
            _merge(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    pages = max((d.page for d in state.datasets.values()), default=0)
    for path in [*stale_files(target, removed, pages), *stale_shard_files(target, counts, shards)]:
        path.unlink()
    for name in LEGACY_FILES:
        (target / name).unlink(missing_ok=True)

    bulk_path = target / DOWNLOADS / BULK_NAME
    bulk_path.parent.mkdir(exist_ok=True)
    bulk_state_path = target / BULK_STATE
    try:
        bulk = BulkState.from_json(json.loads(bulk_state_path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        bulk = BulkState()
    current = {i: d.sha256 for i, d in state.datasets.items()}
    if bulk_needs_all(bulk_path, current, bulk):
        changed = {
            i: loaded_by_id.get(i) or KeptPackage(output_dir / d.folder, d.sha256, {}) for i, d in state.datasets.items()
        }
    bulk = update_bulk(bulk_path, changed, current, bulk)
    _write_atomic(bulk_state_path, json.dumps(bulk.to_json(), indent=0) + "\n")

    if store is None:
        store = StateStore(target)
        try:
            _save(store, state, previous, result.entries, removed)
        finally:
            store.close()
    else:
        _save(store, state, previous, result.entries, removed)
    return target


def _shard_packages(
    loaded: dict[str, KeptPackage],
    state: BuildState,
    entries: dict[str, Entry],
    touched: set[int],
    output_dir: Path,
) -> dict[int, list[PackageInfo]]:
    """The packages of each listing shard to rewrite, in id order: those read by this build,
    and the kept ones with the summary the state holds (a kept one without a state entry is
    read again, and rendered)."""
    out: dict[int, list[PackageInfo]] = {n: [] for n in touched}
    for doc_id, d in sorted(state.datasets.items()):
        if d.shard not in out:
            continue
        package = loaded.get(doc_id)
        if package is None:
            entry = entries.get(doc_id)
            folder = output_dir / d.folder
            package = KeptPackage(folder, d.sha256, entry.summary) if entry else KeptPackage.of(load_package(folder))
        out[d.shard].append(package)
    return out


def _dictionary_packages(
    loaded: dict[str, KeptPackage],
    state: BuildState,
    store: StateStore | None,
    removed: set[str],
    output_dir: Path,
) -> list[PackageInfo]:
    """The packages the data dictionary is made from, in id order: each one that has a
    resource no package before it (by id) has. The dictionary describes each resource as the
    first package that has it does (site.dictionary_resources); a package whose resource
    names equal an earlier one's adds nothing, so only the first package of each distinct
    list of names is a candidate, and the store gives those without reading 10,000 rows."""
    stale = set(loaded) | removed  # their stored rows are out of date
    candidates = {i: p.resource_names() for i, p in loaded.items()}
    if store is not None:
        for doc_id, names in store.first_by_resources(len(stale) + 1):
            if doc_id not in stale and doc_id in state.datasets:
                candidates[doc_id] = names
    seen: set[str] = set()
    out: list[PackageInfo] = []
    for doc_id in sorted(candidates):
        names = candidates[doc_id]
        if seen and set(names) <= seen:
            continue
        seen |= set(names)
        d = state.datasets[doc_id]
        out.append(loaded.get(doc_id) or KeptPackage(output_dir / d.folder, d.sha256, {"resource_names": names}))
    return out


def _save(store: StateStore, state: BuildState, previous: BuildState, entries: dict[str, Entry], removed: list[str]) -> None:
    """Commit the rows this build changed: full rows for the datasets it rendered or read,
    plan fields for those whose stat key, page or dates moved."""
    light = {
        i for i, d in state.datasets.items()
        if (p := previous.datasets.get(i)) is None
        or (p.stat, p.sha256, p.issued, p.modified, p.page, p.folder, p.shard)
        != (d.stat, d.sha256, d.issued, d.modified, d.page, d.folder, d.shard)
    }
    missing = sorted(i for i in light - set(entries) if i not in previous.datasets or not previous.datasets[i].folder)
    if missing:  # a dataset the store has no row for must have been rendered by this build
        raise CatalogueError(f"build state: no entry for {missing[:3]}")
    same_meta = (state.key, state.issued, state.modified, state.shards, state.skipped) == (
        previous.key, previous.issued, previous.modified, previous.shards, previous.skipped
    )
    if entries or light or removed or not same_meta:  # a run that changes nothing writes nothing
        store.save(state, entries, light, removed)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def build_catalogue(
    output_dir: Path,
    *,
    base_url: str | None = None,
    config: Path | None = None,
    full: bool = False,
) -> Path:
    """Build or update ``output_dir/catalogue/`` from every ``output_dir/*/datapackage.json``.

    ``base_url``: where the output folder is published, to make every URI of the DCAT
    absolute (relative otherwise); it overrides ``YUSUAN_BASE_URL`` and the config file
    (``config``, see :mod:`yusuan.catalogue.settings`). ``full``: re-read and re-render
    every package instead of only the changed ones. Returns the catalogue folder.
    """
    from yusuan.catalogue.settings import catalogue_settings

    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        raise CatalogueError(f"output folder not found: {output_dir}")
    target = output_dir / CATALOGUE_DIR
    if (target / "datapackage.json").exists():
        raise CatalogueError(f"{target} is a data package, not a catalogue: not replacing it")
    from yusuan.core.output_lock import output_lock

    settings = catalogue_settings(base_url=base_url, config=config)
    with output_lock(output_dir):
        return build_incremental(output_dir, settings, full=full)
