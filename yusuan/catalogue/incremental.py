"""Re-render only the datasets that changed.

The build state (:mod:`yusuan.catalogue.state_db`) keeps per package a page key and its index
card. The key is the
sha256 of everything a dataset page is made of: the sha256 of each of the package's files, the
renderer (templates, static files, the catalogue's code, the schemas it reads, the yusuan
version) and the base URL. A package whose key is unchanged gets its previous page copied and
its previous card reused, without reading its CSVs again; anything else is rendered. Why the
renderer is in the key: a template fix must reach every page, not only the changed ones.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from yusuan import __version__
from yusuan.catalogue.index import PackageInfo
from yusuan.core.schema_files import schemas_dir

HERE = Path(__file__).resolve().parent
RENDERER_CODE = ("site.py", "cards.py", "figures.py", "svg.py", "links.py", "incremental.py")
RENDERER_SCHEMAS = ("name_parts.yaml", "regions.yaml", "checks.yaml", "package.yaml", "columns.yaml")


@cache
def renderer_fingerprint() -> str:
    """sha256 over the files that decide how a page looks (read once per process)."""
    h = hashlib.sha256(__version__.encode())
    files = sorted((HERE / "templates").glob("*")) + sorted((HERE / "static").glob("*"))
    files += [HERE / name for name in RENDERER_CODE] + [HERE.parent / "core" / "names.py"]
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
