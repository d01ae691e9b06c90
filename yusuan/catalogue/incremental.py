"""Re-render only the datasets that changed.

The catalogue keeps ``build-state.json``: per package, a key and its index card. The key is the
sha256 of everything a dataset page is made of: the sha256 of each of the package's files, the
renderer (templates, static files, the catalogue's code, the schemas it reads, the yusuan
version) and the base URL. A package whose key is unchanged gets its previous page copied and
its previous card reused, without reading its CSVs again; anything else is rendered. Why the
renderer is in the key: a template fix must reach every page, not only the changed ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from yusuan import __version__
from yusuan.catalogue.index import PackageInfo
from yusuan.schemas import schemas_dir

STATE_FILE = "build-state.json"
STATE_VERSION = 1
HERE = Path(__file__).resolve().parent
RENDERER_CODE = ("site.py", "cards.py", "figures.py", "svg.py", "links.py", "incremental.py")
RENDERER_SCHEMAS = ("name_parts.yaml", "regions.yaml", "checks.yaml", "package.yaml", "columns.yaml")


@cache
def renderer_fingerprint() -> str:
    """sha256 over the files that decide how a page looks (read once per process)."""
    h = hashlib.sha256(__version__.encode())
    files = sorted((HERE / "templates").glob("*")) + sorted((HERE / "static").glob("*"))
    files += [HERE / name for name in RENDERER_CODE] + [HERE.parent / "names.py"]
    files += [schemas_dir() / name for name in RENDERER_SCHEMAS]
    for path in files:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def package_key(package: PackageInfo, base_url: str | None) -> str:
    h = hashlib.sha256(renderer_fingerprint().encode())
    h.update((base_url or "").encode() + b"\0")
    for f in package.files:
        h.update(f"{f.name}\0{f.sha256}\0{f.declared_sha256 or ''}\n".encode())
    return h.hexdigest()


@dataclass
class BuildState:
    """What the previous build rendered: document id -> {"key", "card"}."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)  # this build: re-rendered ids
    reused: list[str] = field(default_factory=list)  # this build: copied ids

    @classmethod
    def read(cls, catalogue: Path) -> BuildState:
        """The previous state, or an empty one (first build, unreadable or other version)."""
        try:
            data = json.loads((catalogue / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls()
        entries = data.get("packages")
        return cls(entries if isinstance(entries, dict) else {})

    def reusable(self, package: PackageInfo, key: str, previous_page: Path) -> dict[str, Any] | None:
        """The previous card when the package and renderer are unchanged and the page exists."""
        entry = self.entries.get(package.document_id)
        if entry and entry.get("key") == key and isinstance(entry.get("card"), dict) and previous_page.is_file():
            return entry["card"]
        return None

    def write(self, folder: Path, entries: dict[str, dict[str, Any]]) -> None:
        text = json.dumps({"version": STATE_VERSION, "packages": entries}, ensure_ascii=False, sort_keys=True)
        (folder / STATE_FILE).write_text(text + "\n", encoding="utf-8")
