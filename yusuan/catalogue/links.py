"""Every URL the catalogue's pages print is built here, so that a base URL (where the output
folder is published) changes all of them at once.

Paths are given relative to the *output folder* (``catalogue/index.html``,
``<document_id>/amounts.csv``); ``url_for`` returns either an absolute URL under
``base_url`` or a path relative to the page that prints it, so that the catalogue also works
opened from disk (file://) when there is no base URL.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote


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
