"""The attachment links of a web page: ``<a href>`` to a file yusuan reads (PDF, XLS(X), DOC(X)).

Many departments publish their budget as an article page whose text is the narrative and whose
tables are linked files. This module only finds those links; fetching them (a page read by
URL) or reporting them (a local page) is the ingest stage's and the package's business.

A link counts when its URL path (query and fragment left aside) ends in one of the suffixes of
``words.attachment_suffixes`` in schemas/vocabulary.yaml, whatever the case. Its href is
resolved against the page's ``<base href>`` and the page's own URL; a page read from a local
file without either keeps a relative href as printed (a root-relative ``/upload/…`` says where
to look on the publisher's site). The link's label is its text, else its ``title``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from yusuan.core.vocabulary import words
from yusuan.extract.html import SPACES, decode_html

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class AttachmentLink:
    """One linked file of a page."""

    url: str  # absolute when the page or its <base> says where it lies; else the href as printed
    text: str  # the link's text, spaces collapsed
    title: str = ""  # its title attribute
    line: int = 0  # the line of the page source where the link starts

    @property
    def label(self) -> str:
        """What the page calls the file: its text, else its title."""
        return self.text or self.title


def attachment_suffixes() -> frozenset[str]:
    return frozenset(f".{s.lower()}" for s in words("attachment_suffixes"))


def is_attachment_url(url: str) -> bool:
    """The URL's path (without query or fragment) ends in a suffix of a file yusuan reads."""
    path = unquote(urlsplit(url.strip()).path)
    return PurePosixPath(path).suffix.lower() in attachment_suffixes()


def attachment_links(data: bytes, name: str, page_url: str = "") -> list[AttachmentLink]:
    """The attachment links of a page's bytes, in page order, each URL once.

    ``page_url``: where the page was fetched from ("" for a local file)."""
    import lxml.etree
    import lxml.html

    text = decode_html(data, name)
    if not text.strip():
        return []
    try:
        root = lxml.html.document_fromstring(XML_DECLARATION.sub("", text))  # lxml refuses str input with an encoding declaration
    except (lxml.etree.ParserError, ValueError):
        return []
    base = page_url
    for element in root.iter("base"):
        href = (element.get("href") or "").strip()
        if href:  # the first <base href> counts (HTML); <base target> alone says nothing of URLs
            base = urljoin(page_url, href) if page_url else href
            break
    links: list[AttachmentLink] = []
    seen: set[str] = set()
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or not is_attachment_url(href):
            continue
        url = urljoin(base, href) if base else href
        if url in seen:
            continue
        seen.add(url)
        label = SPACES.sub(" ", anchor.text_content() or "").strip(" \u3000")
        title = SPACES.sub(" ", anchor.get("title") or "").strip(" \u3000")
        links.append(AttachmentLink(url, label, title, anchor.sourceline or 0))
    return links
