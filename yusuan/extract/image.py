"""Page images (PNG/JPEG scans): no text layer. Each file is one page, reported as such.

OCR is not part of the pipeline yet: an image page is never read as an empty table, it is
reported (check page_has_text) so a person can see which pages were not read.
"""

from __future__ import annotations

from yusuan.core.errors import ExtractionError
from yusuan.core.model import FileExtract, SourceFile

MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def image_to_blocks(source: SourceFile) -> FileExtract:
    head = source.path.read_bytes()[:8]
    if not any(head.startswith(magic) for magic in MAGIC):
        raise ExtractionError(source.name, "not a PNG or JPEG image")
    return FileExtract(blocks=[], page_count=1, pages_without_text=[1])
