"""An encrypted PDF gets a reason in words, not an empty exception name."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.hostile_pages import write_pdf
from yusuan.core.errors import ExtractionError
from yusuan.core.model import SourceFile
from yusuan.extract import pdf, pdfium

# the standard security handler (RC4, revision 2) with a user password that is not empty:
# a reader cannot open the file without the password
STANDARD_ENCRYPTION = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"


@pytest.mark.parametrize("reader", [pdfium.pdf_to_blocks, pdf.pdf_to_blocks], ids=["pdfium", "pdfplumber"])
def test_an_encrypted_pdf_says_it_needs_a_password(tmp_path: Path, reader):
    path = write_pdf(tmp_path / "locked.pdf", b"BT /F1 12 Tf 72 720 Td (budget) Tj ET", encrypt=STANDARD_ENCRYPTION)
    with pytest.raises(ExtractionError) as raised:
        reader(SourceFile(path, "full", "0" * 64))
    message = str(raised.value)
    assert message.startswith("locked.pdf: encrypted PDF that needs a password")
    assert "PdfminerException" not in message
