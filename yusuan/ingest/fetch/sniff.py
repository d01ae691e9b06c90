"""Content-type and magic-byte checks for downloaded publications.

A response declares a kind through its ``Content-Type`` (or, for generic
types such as ``application/octet-stream``, through the file extension of the
URL / ``Content-Disposition`` filename).  The first bytes of the body must then
agree with that kind: a PDF starts with ``%PDF-``, xlsx/docx are zip files,
xls/doc are OLE compound files, html/txt are text.  Government sites often
answer a missing file with an HTML page served as ``application/pdf``; that is
caught here.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

#: bytes of the body kept for sniffing
SNIFF_BYTES = 4096

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: declared MIME type -> kind (file extension used in the archive)
CONTENT_TYPE_KINDS: dict[str, str] = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/msword": "doc",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
}

#: kinds that can be named by a URL / filename extension
EXTENSION_KINDS: dict[str, str] = {
    ".pdf": "pdf",
    ".xlsx": "xlsx",
    ".docx": "docx",
    ".xls": "xls",
    ".doc": "doc",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".txt": "txt",
}

#: binary document kinds; an HTML/text answer for a URL naming one is an error page
DOCUMENT_KINDS = frozenset({"pdf", "xlsx", "docx", "xls", "doc"})

#: office families: the same family may legitimately be served as zip or OLE
_OFFICE_FAMILY = {
    "xlsx": {"zip": "xlsx", "ole": "xls"},
    "xls": {"zip": "xlsx", "ole": "xls"},
    "docx": {"zip": "docx", "ole": "doc"},
    "doc": {"zip": "docx", "ole": "doc"},
}

_FILENAME_RE = re.compile(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", re.IGNORECASE)


_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


class ContentMismatch(ValueError):
    """The body does not match the declared or allowed content kind."""


def media_type(content_type: str | None) -> str:
    """``'application/PDF; charset=x'`` -> ``'application/pdf'`` ('' if missing)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def extension_kind(url: str, content_disposition: str | None = None) -> str | None:
    """Kind named by the Content-Disposition filename or the URL path, if any."""
    names = []
    if content_disposition:
        match = _FILENAME_RE.search(content_disposition)
        if match:
            names.append(unquote(match.group(1)).strip())
    names.append(unquote(urlsplit(url).path))
    for name in names:
        ext = posixpath.splitext(name)[1].lower()
        if ext in EXTENSION_KINDS:
            return EXTENSION_KINDS[ext]
    return None


def sniff(head: bytes) -> str | None:
    """Classify the first bytes: 'pdf', 'zip', 'ole', 'html', 'text' or None (binary)."""
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text
        return "text"
    if b"\x00" in head:
        return None
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        return "html"
    return "text"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):  # Chinese sites: UTF-8 or GBK/GB18030
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def preview(head: bytes, limit: int = 60) -> str:
    """A short printable one-line preview of the body start (or its HTML title)."""
    title = _TITLE_RE.search(head)
    text = _decode(title.group(1) if title else head[:limit])
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()[:limit]
    return f"(title {text!r})" if title else f"(starts {text!r})"


_SNIFF_NAMES = {
    "pdf": "a PDF",
    "zip": "a zip file",
    "ole": "an OLE (legacy Office) file",
    "html": "an HTML page",
    "text": "plain text",
    None: "unrecognised binary data",
}


def resolve_kind(
    declared_type: str, url: str, content_disposition: str | None, head: bytes
) -> str:
    """Decide the kind of a body and check its magic bytes.

    ``declared_type`` is the media type (already checked against the allowed
    list).  Returns the archive extension; raises :class:`ContentMismatch`.
    """
    sniffed = sniff(head)
    found = _SNIFF_NAMES[sniffed]
    named = extension_kind(url, content_disposition)
    declared = CONTENT_TYPE_KINDS.get(declared_type)
    label = declared_type or "no content type"

    if declared is None:  # generic type (e.g. application/octet-stream): use the name
        declared = named
        if declared is None:  # nothing names a kind: accept only an unambiguous PDF
            if sniffed == "pdf":
                return "pdf"
            raise ContentMismatch(
                f"{label} and no known file extension; body is {found} {preview(head)}"
            )
        label = f"{label} named .{declared}"

    if declared in ("html", "txt") and named in DOCUMENT_KINDS:
        raise ContentMismatch(
            f"URL names a .{named} file but server sent {label} (likely an error page) "
            f"{preview(head)}"
        )
    if declared == "pdf":
        if sniffed == "pdf":
            return "pdf"
        raise ContentMismatch(
            f"declared {label} but body is not a PDF (no %PDF- header; looks like {found}) "
            f"{preview(head)}"
        )
    if declared in _OFFICE_FAMILY:
        family = _OFFICE_FAMILY[declared]
        if sniffed in family:
            return family[sniffed]
        raise ContentMismatch(
            f"declared {label} but body is {found}, not a zip/OLE Office file {preview(head)}"
        )
    if declared == "html":
        if sniffed in ("html", "text"):
            return "html"
        raise ContentMismatch(f"declared {label} but body is {found}")
    if declared == "txt":
        if sniffed == "text":
            return "txt"
        raise ContentMismatch(f"declared {label} but body is {found} {preview(head)}")
    raise ContentMismatch(f"unsupported kind {declared!r} for {label}")  # pragma: no cover
