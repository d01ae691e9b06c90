"""Every URL the catalogue's pages print is built here, so that a base URL (where the output
folder is published) changes all of them at once.

Paths are given relative to the *output folder* (``catalogue/index.html``,
``<document_id>/amounts.csv``); ``url_for`` returns either an absolute URL under
``base_url`` or a path relative to the page that prints it, so that the catalogue also works
opened from disk (file://) when there is no base URL.

:class:`Links` is the same idea for the machine-readable side (DCAT documents, zips, licence
URIs), whose paths are given relative to the *catalogue* folder: absolute under ``base_url``
(which harvesters need) or relative to the document that holds them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import quote

from yusuan.catalogue.index import CATALOGUE_DIR


def url_for(path: str, base_url: str | None = None, *, page: str = "catalogue/index.html") -> str:
    """The URL of ``path`` (relative to the output folder, ``/``-separated, unquoted) as
    printed on ``page`` (also relative to the output folder).

    >>> url_for("fj-2026/amounts.csv", page="catalogue/datasets/fj-2026.html")
    '../../fj-2026/amounts.csv'
    >>> url_for("fj-2026/amounts.csv", "https://data.example.org/yusuan")
    'https://data.example.org/yusuan/fj-2026/amounts.csv'
    >>> url_for("catalogue/index.html#issuer=财政局", page="catalogue/datasets/x.html")
    '../index.html#issuer=%E8%B4%A2%E6%94%BF%E5%B1%80'
    """
    target, hash_, fragment = path.partition("#")
    quoted = quote(target, safe="/")
    tail = hash_ + quote(fragment, safe="=&%") if hash_ else ""  # values arrive quoted
    if base_url:
        return base_url.rstrip("/") + "/" + quoted.lstrip("/") + tail
    start = posixpath.dirname(page) or "."
    return posixpath.relpath(quoted or ".", start) + tail


def page_url(page: str, base_url: str | None = None):
    """A ``url(path)`` function for one page, as the templates call it."""

    def url(path: str) -> str:
        return url_for(path, base_url, page=page)

    return url


@dataclass(frozen=True)
class Links:
    base_url: str | None = None  # normalised: ends with "/"
    here: str = ""  # folder of the linking document inside the catalogue, ending with "/"

    def at(self, here: str) -> Links:
        """The same links as seen from another folder of the catalogue."""
        return Links(self.base_url, here)

    @property
    def _up(self) -> str:
        return "../" * self.here.count("/")

    def catalogue(self, path: str = "") -> str:
        """A file of the catalogue (``path`` relative to the catalogue folder, URL-quoted)."""
        if self.base_url:
            return f"{self.base_url}{CATALOGUE_DIR}/{path}"
        return f"{self._up}{path}" or "./"

    def package_file(self, folder: str, name: str) -> str:
        """A file of a package (``folder`` is the package's folder name)."""
        path = f"{quote(folder)}/{quote(name)}"
        return f"{self.base_url}{path}" if self.base_url else f"{self._up}../{path}"

    # The catalogue's own documents, in one place so pages, DCAT and index agree.
    def dataset_page(self, document_id: str) -> str:
        return self.catalogue(f"datasets/{quote(document_id)}.html")

    def dataset_uri(self, document_id: str) -> str:
        return self.dataset_page(document_id) + "#dataset"

    def dataset_dcat(self, document_id: str) -> str:
        return self.catalogue(f"dcat/datasets/{quote(document_id)}.jsonld")

    def dcat_page(self, number: int) -> str:
        return self.catalogue(f"dcat/pages/{number}.jsonld")

    def dataset_zip(self, document_id: str) -> str:
        return self.catalogue(f"downloads/{quote(document_id)}.zip")

    def catalogue_uri(self) -> str:
        return self.catalogue("index.html#catalogue")

    def licence(self, anchor: str) -> str:
        return self.catalogue(f"licence.html#{anchor}")
