"""pdf_objects.ScannedDocument reads what pdfminer's PDFDocument reads: the same xref
offsets and trailers and the same object for every object number, on every fixture PDF
and on made objects at the edges of the fast reading (anything it does not read is left to
pdfminer, which must then give its own answer)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream
from pdfminer.psparser import PSLiteral

from yusuan.extract import pdf_objects
from yusuan.extract.pdf_objects import NotPlain, ScannedDocument, plain_object

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
FIXTURE_PDFS = sorted(CORPUS.glob("*/*.pdf"))


def same(a: Any, b: Any) -> bool:
    """The same pdfminer object: types, key order, interned names, references' numbers."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, PDFObjRef):
        return a.objid == b.objid
    if isinstance(a, PSLiteral):
        return a is b
    if isinstance(a, PDFStream):
        return same(a.attrs, b.attrs) and a.rawdata == b.rawdata and (a.objid, a.genno) == (b.objid, b.genno)
    return a == b


def answer(document: PDFDocument, objid: int) -> Any:
    try:
        return document.getobj(objid)
    except Exception as exc:  # the same failure is the same answer
        return type(exc)


def both(data: bytes) -> tuple[PDFDocument | type, ScannedDocument | type]:
    def opened(make: Any) -> Any:
        try:
            return make()
        except Exception as exc:
            return type(exc)

    return opened(lambda: PDFDocument(PDFParser(BytesIO(data)))), opened(lambda: ScannedDocument(PDFParser(BytesIO(data)), data))


def assert_same_documents(theirs: PDFDocument, ours: ScannedDocument) -> int:
    """Same xrefs and trailers, the same answer for every object number; how many."""
    assert len(theirs.xrefs) == len(ours.xrefs)
    for x_theirs, x_ours in zip(theirs.xrefs, ours.xrefs, strict=True):
        assert list(x_theirs.get_objids()) == list(x_ours.get_objids())
        assert same(x_theirs.get_trailer(), x_ours.get_trailer())
        for objid in x_theirs.get_objids():
            assert x_theirs.get_pos(objid) == x_ours.get_pos(objid)
    count = 0
    for xref in theirs.xrefs:
        for objid in xref.get_objids():
            assert same(answer(theirs, objid), answer(ours, objid)), objid
            count += 1
    return count


@pytest.mark.parametrize("path", FIXTURE_PDFS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_object_of_the_fixture_pdfs_is_pdfminers(path: Path) -> None:
    data = path.read_bytes()
    theirs, ours = both(data)
    assert isinstance(ours, ScannedDocument)
    assert assert_same_documents(theirs, ours) > 10


def test_most_objects_of_the_fixtures_are_read_fast() -> None:
    """The fast reading is used, not only its fallback (plain dicts, arrays and streams)."""
    plain = other = 0
    for path in FIXTURE_PDFS[:8]:
        data = path.read_bytes()
        document = PDFDocument(PDFParser(BytesIO(data)))
        for xref in document.xrefs:
            for objid in xref.get_objids():
                strmid, index, _genno = xref.get_pos(objid)
                if strmid is not None:
                    continue
                try:
                    plain_object(data, index, objid, document)
                    plain += 1
                except NotPlain:
                    other += 1
    assert plain > 4 * other


def made_pdf(body: bytes, extra: bytes = b"") -> bytes:
    """A small PDF whose object 3 is ``body`` (after "3 0 obj"), with a correct xref."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>", body, b"42"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + text + (b"" if number == 3 and b"endobj" in body else b"\nendobj\n") + extra
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


BODIES = [
    b"<< /A 1 /B 2.5 /C -.5 /D +7 /E 5. /F true /G false >>",
    b"<< /A null /B 1 /A 2 >>",  # null dropped, the last of a repeated key kept
    b"[ null 1 0 R 2 0 R 3 ]",
    b"[1 0 R 4 R]",
    b"[true 0 R]",  # pdfminer makes a reference of a bool
    b"[/a#20b /c]",  # a name escape
    b"[/ /x]",  # the empty name
    b"[/\xc3\xa9 /x]",  # a name in UTF-8
    b"[/\xff /x]",
    b"[1.2.3]",
    b"[5abc]",
    b"[+-5 1]",
    b"[(a string) 1]",
    b"[<414243> 1]",
    b"<< /A 1 /B >>",  # odd
    b"<< 1 2 >>",
    b"[1 % a comment\n 2]",
    b"[{1} 2]",
    b"[1 2 ]] ",
    b"<< /A [1 2] /B << /C [<< /D 0 R >>] >> >>",
    b"[1\x002]",
    b"[\x0b1\x0c2\t3\r4]",
    b"<< /A 1 >> 5",
    b"1 0 R",
    b"12",
    b"/Name",
    b"<< /A 1 >>endobj",
    b"<< /A 1 >> endobjx 4 endobj",
    b"<< /Length 5 >>\nstream\nabcde\nendstream\nendobj\n",
    b"<< /Length 5 >>\nstream\r\nabcde\r\nendstream\r\nendobj\n",
    b"<< /Length 5 >>\nstream\rabcde\rendstream endobj\n",
    b"<< /Length 4 0 R >>\nstream\nabcde\nendstream\nendobj\n",  # 4 0 obj is 42
    b"<< /Length 3 >>\nstream\nabcde\nendstream\nendobj\n",  # too short: pdfminer looks on
    b"<< /Length 9 >>\nstream\nabcde\nendstream\nendobj\n",  # too long
    b"<< /Length -1 >>\nstream\nabcde\nendstream\nendobj\n",
    b"<< >>\nstream\nabcde\nendstream\nendobj\n",
    b"<< /Length 5 /Filter /Substream >>\nstream\nabcde\nendstream\nendobj\n",
    b"<< /Length 5 >> 1\nstream\nabcde\nendstream\nendobj\n",
    b"[1 2] stream\nab\nendstream\nendobj\n",
]


@pytest.mark.parametrize("body", BODIES)
def test_made_objects_are_read_as_pdfminer_reads_them(body: bytes) -> None:
    for extra in (b"", b"\n"):
        theirs, ours = both(made_pdf(body, extra))
        assert type(theirs) is PDFDocument and type(ours) is ScannedDocument
        assert assert_same_documents(theirs, ours) == 4


def test_a_head_that_is_not_the_objects_is_left_to_pdfminer() -> None:
    data = made_pdf(b"<< /A 1 >>").replace(b"3 0 obj", b"9 0 obj")
    theirs, ours = both(data)
    assert same(answer(theirs, 3), answer(ours, 3))
    with pytest.raises(NotPlain):
        plain_object(data, data.index(b"9 0 obj"), 3, None)


XREF_TABLES = [
    b"0 2\n0000000000 65535 f \n0000000009 00000 n \n",
    b"0 2\r\n0000000000 65535 f\r\n0000000009 00000 n\r\n",
    b"\n\n0 1\n0000000000 65535 f \n1 1\n0000000009 00000 n \n",
    b"0 2\n0000000000 65535 f \n000000000x 00000 n \n",
    b"0 2\n0000000000 65535 f \n0000000009  00000 n \n",
    b"0 2 3\n0000000000 65535 f \n0000000009 00000 n \n",
    b"0 2\n0000000000 65535 f \n\n0000000009 00000 n \n",
    b"1 1\n0000000009 00000 n \n1 1\n0000000030 00000 n \n",
]


@pytest.mark.parametrize("table", XREF_TABLES)
def test_made_xref_tables_are_read_as_pdfminer_reads_them(table: bytes) -> None:
    head = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    start = len(head)
    data = head + b"xref\n" + table + b"trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % start
    theirs, ours = both(data)
    assert type(theirs) is PDFDocument and type(ours) is ScannedDocument
    assert_same_documents(theirs, ours)


def test_xref_lines_at_the_end_of_the_file_are_left_to_pdfminer() -> None:
    with pytest.raises(NotPlain):
        pdf_objects.xref_offsets(b"0 1\n0000000000 65535 f", 0)
    with pytest.raises(NotPlain):
        pdf_objects.xref_offsets(b"0 1\n0000000000 65535 f \r", 0)
    assert pdf_objects.xref_offsets(b"0 1\n0000000009 00000 n \r\ntrailer\n", 0) == ({0: (None, 9, 0)}, 25)
