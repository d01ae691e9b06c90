"""An encrypted PDF gets a reason in words, not an empty exception name."""

from __future__ import annotations

from pathlib import Path

import pytest

from yusuan.errors import ExtractionError
from yusuan.extract.pdf import pdf_to_blocks
from yusuan.model import SourceFile


def encrypted_pdf() -> bytes:
    """A one-page PDF under the standard security handler (RC4, revision 2) whose user
    password is not empty: a reader cannot open it without the password."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<" % (len(objects) + 1) + b"ab" * 16 + b"><" + b"ab" * 16 + b">] >>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_an_encrypted_pdf_says_it_needs_a_password(tmp_path: Path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf())
    with pytest.raises(ExtractionError) as raised:
        pdf_to_blocks(SourceFile(path, "full", "0" * 64))
    message = str(raised.value)
    assert message.startswith("locked.pdf: encrypted PDF that needs a password")
    assert "PdfminerException" not in message
