"""The attachment links of a publication page: whose they are, and, for a page read from a
local file, a finding per link.

Which links are the publication's own (the simplest rule that never merges two units):

- a page with one attachment link: that file holds the page's tables;
- a page with several: only the links whose text (its leading enumerator such as ``1．``
  dropped) contains the issuer's name, and, for a department's publication (部门预算/决算),
  not the department's own level (``（本级）``: a publication of its own). The others (重庆's
  pages link each unit's own budget: 1．部门, 2．部门（本级）, 3．a centre, …) are other
  publications, never merged.

A page read from a local file (a manifest ``path``) cannot fetch anything, so its tables,
linked as files (:mod:`yusuan.extract.html_links`), are not read; each of its own links becomes a
warning of check ``attachments_read`` naming where the file is (the absolute URL when the page
gives it, else the href as printed), each link of another publication a note. A page fetched by URL has its links followed or reported by
the ingest stage (yusuan/ingest/attachments.py), whose findings come with the document.
"""

from __future__ import annotations

from collections.abc import Sequence

from yusuan.core.model import Finding, SourceDocument, SourceFile
from yusuan.core.schemas import normalize_label
from yusuan.core.vocabulary import pattern, word
from yusuan.extract import is_html_file
from yusuan.extract.html_links import AttachmentLink, attachment_links

CHECK_ID = "attachments_read"


def link_name(link: AttachmentLink) -> str:
    """The link's label as printed without its leading number (1．, 一、)."""
    return pattern("link_enumerator").sub("", link.label).strip()


def names_issuer(link: AttachmentLink, issuer: str, kind: str) -> bool:
    """The link's label contains the issuer's name and is not a department's own level."""
    name, own = normalize_label(link_name(link)), normalize_label(issuer)
    if not own or own not in name:
        return False
    level = pattern("own_level_suffix")
    return not (kind.startswith(word("department_kind")) and level.search(name) and not level.search(own))


def own_and_others(links: Sequence[AttachmentLink], issuer: str, kind: str) -> tuple[list[AttachmentLink], list[AttachmentLink]]:
    """The links that are the publication's own tables, and the others (see the module's rule)."""
    if len(links) == 1:
        return list(links), []
    own = [link for link in links if names_issuer(link, issuer, kind)]
    return own, [link for link in links if link not in own]


def unread_attachment_findings(document: SourceDocument) -> list[Finding]:
    """One finding per attachment link of every local page of the publication."""
    return [finding for page in document.files if not page.url and is_html_file(page) for finding in _unread_links(page, document)]


def _unread_links(page: SourceFile, document: SourceDocument) -> list[Finding]:
    own, others = own_and_others(attachment_links(page.path.read_bytes(), page.name), document.issuer, document.kind)
    return [
        Finding(CHECK_ID, "warning", f"attachment {link.label!r} not read: the page is a local file (list the page's url in the manifest to fetch it): {link.url}", file=page.name, actual=link.url)
        for link in own
    ] + [
        Finding(CHECK_ID, "info", f"attachment {link.label!r} is not this publication's (it names another unit or level): a publication of its own, not read: {link.url}", file=page.name, actual=link.url)
        for link in others
    ]
