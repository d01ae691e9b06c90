"""benchmarks/sampled_profile.py's reading of py-spy's raw stacks (the recording itself needs
py-spy and the shared corpora, so it stays a benchmark)."""

from pathlib import Path

from benchmarks.sampled_profile import read_stacks, short, stage_seconds

RAW = """\
<module> (x.py:1);process_document (yusuan/package/process.py:86);pdf_to_blocks (yusuan/extract/pdfium.py:90);PdfiumPage._read_chars (yusuan/extract/pdfium.py:400) 500
<module> (x.py:1);process_document (yusuan/package/process.py:86);pdf_to_blocks (yusuan/extract/pdfium.py:90) 250
<module> (x.py:1);write_package (yusuan/package/writer.py:154);validate_staged (yusuan/checks/schema_validation.py:20);write_package (yusuan/package/writer.py:154) 125
"""


def test_short_keeps_function_and_file_from_the_package_on() -> None:
    assert short("get_page (/venv/lib/python3.11/site-packages/pypdfium2/_helpers/document.py:397)") == ("get_page", "pypdfium2/_helpers/document.py")
    assert short("PdfiumPage.read (yusuan/extract/pdfium.py:12)") == ("PdfiumPage.read", "yusuan/extract/pdfium.py")
    assert short("<unknown>") == ("<unknown>", "")


def test_stages_count_a_stack_once_even_through_a_function_twice(tmp_path: Path) -> None:
    raw = tmp_path / "stacks.txt"
    raw.write_text(RAW, encoding="utf-8")
    seconds = dict(stage_seconds(read_stacks(raw, None), rate=250))
    assert seconds["read PDF (whole reader)"] == 3.0  # 750 samples
    assert seconds["  PDFium characters"] == 2.0
    assert seconds["package writing"] == 0.5  # once, though write_package is twice on its stack
    assert seconds["Frictionless validation"] == 0.5
    assert seconds["normalize"] == 0.0


def test_under_keeps_only_the_stacks_through_a_frame(tmp_path: Path) -> None:
    raw = tmp_path / "stacks.txt"
    raw.write_text(RAW, encoding="utf-8")
    stacks = read_stacks(raw, "write_package")
    assert [count for _frames, count in stacks] == [125]
