"""The attachments of a publication page fetched by URL: which to follow, and what to report.

A department often publishes its budget as an article page (the narrative) whose tables are
linked files (PDF, XLS(X), DOC(X); links found by :mod:`yusuan.extract.html_links`). When the
manifest names such a page by URL, the attachments of the page's own issuer are downloaded
through the same path as the page (politeness, limits, SSRF guard, archive, conditional
requests) and added to the publication after the page, with role ``tables``.

Which links are the issuer's own is the rule of :func:`yusuan.package.page_attachments.own_and_others`
(one link: the page's; several: those naming the issuer, not a department's 本级). The others
are not read; each is reported as a publication found, with a drafted manifest line to review
and add (``found_publications.csv`` in the output folder).

A link that cannot be fetched does not lose the publication: it is published with a finding
(check ``attachments_read``) naming the URL and the reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from yusuan.core.model import Finding, SourceFile
from yusuan.extract.html_links import AttachmentLink, attachment_links
from yusuan.package.page_attachments import CHECK_ID, link_name, own_and_others


class Publication(Protocol):
    """What the rule and the drafts need of the page's publication (a sources.Publication)."""

    document_id: str
    issuer: str
    region: str
    fiscal_year: int
    kind: str


FOUND_FILE = "found_publications.csv"
FOUND_COLUMNS = ("document_id", "issuer", "region", "fiscal_year", "kind", "role", "url", "source")

# the fetch of one attachment URL: the file, or the reason it could not be had (one line)
FetchAttachment = Callable[[str], "SourceFile | str"]


@dataclass(frozen=True)
class PageAttachments:
    """What following a page's attachments gave: files to add, findings, publications found."""

    files: tuple[SourceFile, ...] = ()
    findings: tuple[Finding, ...] = ()
    found: tuple[dict[str, str], ...] = field(default=())


def is_fetchable(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def follow_page(
    page: SourceFile,
    page_url: str,
    publication: Publication,
    fetch_attachment: FetchAttachment,
    skip: Iterable[str] = (),
    most: int = 20,
) -> PageAttachments:
    """Fetch the own attachments of a page read from ``page_url`` (its final URL after
    redirects), the first ``most`` of them; ``skip``: URLs the manifest lists itself (not
    fetched twice)."""
    listed = set(skip)
    links = [link for link in attachment_links(page.path.read_bytes(), page.name, page_url) if link.url not in listed]
    own, others = own_and_others(links, publication.issuer, publication.kind)
    files: list[SourceFile] = []
    findings: list[Finding] = []
    for number, link in enumerate(own):
        if number >= most:
            got = f"more than {most} attachments (FetchPolicy.max_attachments)"
        elif is_fetchable(link.url):
            got = fetch_attachment(link.url)
        else:
            got = "not an http(s) URL"
        if isinstance(got, SourceFile):
            files.append(got)
        else:
            findings.append(Finding(CHECK_ID, "warning", f"attachment {link.label!r} of the page {page_url} not read: {got}", file=page.name, actual=link.url))
    found = drafted_lines(others, publication, page_url)
    findings += [
        Finding(CHECK_ID, "info", f"attachment {link.label!r} of the page {page_url} is not this publication's (it names another unit or level): not merged; a drafted manifest line is in {FOUND_FILE}", file=page.name, actual=link.url)
        for link in others
    ]
    return PageAttachments(tuple(files), tuple(findings), tuple(found))


def drafted_lines(links: Sequence[AttachmentLink], publication: Publication, page_url: str) -> list[dict[str, str]]:
    """A sources.csv line per link of another publication, to review before adding: the issuer
    is the link's label (without its enumerator), the region, year and kind are the page's."""
    return [
        {
            "document_id": f"{publication.document_id}-linked-{number}",
            "issuer": link_name(link) or link.label,
            "region": publication.region,
            "fiscal_year": str(publication.fiscal_year),
            "kind": publication.kind,
            "role": "full",
            "url": link.url,
            "source": f"linked from {page_url} ({link.label}); drafted: check issuer and kind",
        }
        for number, link in enumerate(links, start=1)
    ]


def found_text(lines: Iterable[dict[str, str]]) -> str:
    """The drafted lines as a CSV file with a header (the columns of sources.csv it fills)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, FOUND_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(lines)
    return out.getvalue()

