"""The output folder under kills, tampering, concurrent runs and odd file names."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from yusuan.catalogue.index import spreadsheet_safe
from yusuan.cli import main
from yusuan.core.atomic import exchange, replace_folder
from yusuan.core.errors import describe_os_error, one_line
from yusuan.core.output_lock import OutputBusyError, output_lock
from yusuan.ingest.run import RunOptions, run_publications

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "raw" / "fj-quanzhou-12345-2026-dwys" / "publication.txt"
DOC = "fj-2026-dwys"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path]:
    """(manifest, output) after one run that published the sample."""
    shutil.copy(SAMPLE, tmp_path / "publication.txt")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("document_id,issuer,region,fiscal_year,kind,file,role,sha256\n" f"{DOC},某单位,福建省泉州市,2026,单位预算,publication.txt,full,\n", encoding="utf-8")
    output = tmp_path / "output"
    (outcome,) = run_publications(manifest, output)
    assert outcome["status"] == "published"
    return manifest, output


def test_swap_is_one_exchange_where_the_system_has_it(tmp_path: Path):
    old, new = tmp_path / "pkg", tmp_path / ".pkg.staging1"
    old.mkdir()
    (old / "a").write_text("old")
    new.mkdir()
    (new / "a").write_text("new")
    if not exchange(new, old):
        pytest.skip("no renameat2 exchange on this system: two renames with recovery instead")
    assert (old / "a").read_text() == "new" and (new / "a").read_text() == "old"
    replace_folder(new, old)  # and back, through the public function
    assert (old / "a").read_text() == "old" and not new.exists()


def test_a_run_killed_between_the_two_renames_gets_its_package_back(published):
    """The fallback swap renames <id> to .<id>.old first: a kill right after it leaves no
    <id>; the next run puts the old package back before anything else."""
    manifest, output = published
    before = snapshot(output / DOC)
    (output / DOC).rename(output / f".{DOC}.old")
    (output / f".{DOC}.abc123xy").mkdir()  # its staging folder, half written
    (output / f".{DOC}.abc123xy" / "amounts.csv").write_text("half")
    (output / ".git").mkdir()  # not ours: left alone
    with output_lock(output) as cleaned:
        assert len(cleaned) == 2
    assert snapshot(output / DOC) == before
    assert sorted(p.name for p in output.iterdir() if p.name.startswith(".")) == [".cache", ".git", ".yusuan.lock"]


def test_a_second_run_on_the_same_output_is_refused_while_the_first_holds_it(published, tmp_path: Path):
    manifest, output = published
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from yusuan.core.output_lock import output_lock
            with output_lock({str(output)!r}):
                print("locked", flush=True)
                time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputBusyError, match=f"process {holder.pid}"):
            run_publications(manifest, output)
    finally:
        holder.kill()
        holder.wait()
    with output_lock(output):  # released with the process, even killed
        pass


def test_a_same_size_edit_of_a_published_file_is_noticed_and_rewritten(published):
    manifest, output = published
    amounts = output / DOC / "amounts.csv"
    original = amounts.read_bytes()
    tampered = original.replace(b"1", b"7", 1)
    assert len(tampered) == len(original) and tampered != original
    amounts.write_bytes(tampered)
    (outcome,) = run_publications(manifest, output)
    assert outcome["status"] == "published" and outcome["parsed"] is True
    assert amounts.read_bytes() == original
    (again,) = run_publications(manifest, output)
    assert again["status"] == "cached"


def test_validate_notices_a_tampered_parquet_file(published, capsys):
    _manifest, output = published
    descriptor = output / DOC / "datapackage.json"
    assert main(["validate", str(descriptor)]) == 0
    parquet = output / DOC / "amounts.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0xFF
    parquet.write_bytes(bytes(data))
    assert main(["validate", str(descriptor)]) == 1
    assert "amounts.parquet: sha256 differs" in capsys.readouterr().out


def test_messages_stay_on_one_line_and_a_full_disk_says_what_to_do():
    assert one_line("a\nb\rc\x00d") == "a\\nb\\rc\\x00d"
    full = describe_os_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "output/x/amounts.csv"))
    assert full.startswith("output/x/amounts.csv: no space left on the device") and "run again" in full
    assert describe_os_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))).startswith("the output folder: no space left")


def test_a_full_disk_fails_the_publication_with_a_clear_line_and_keeps_the_package(published, monkeypatch):
    manifest, output = published
    before = snapshot(output / DOC)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(output / DOC / "amounts.parquet"))

    monkeypatch.setattr("yusuan.package.writer.write_resource", full)
    (outcome,) = run_publications(manifest, output, RunOptions(force=True))
    assert outcome["status"] == "failed" and "no space left on the device" in outcome["error"]
    assert snapshot(output / DOC) == before
    assert not [p for p in output.iterdir() if p.name.startswith(f".{DOC}.")]


@pytest.mark.parametrize(("value", "shown"), [("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+cmd", "'+cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("-12.5", "-12.5"), ("＝1+1", "'＝1+1"), ("江苏省", "江苏省"), (3, 3)])
def test_formula_like_text_is_escaped_in_the_index_for_spreadsheets(value, shown):
    assert spreadsheet_safe(value) == shown


def test_formula_like_issuer_reaches_index_csv_escaped_and_index_json_unchanged(tmp_path: Path):
    shutil.copy(SAMPLE, tmp_path / "publication.txt")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("document_id,issuer,region,fiscal_year,kind,file,role,sha256\n" 'f-2026-dwys,"=HYPERLINK(""http://evil"")",福建省,2026,单位预算,publication.txt,full,\n', encoding="utf-8")
    output = tmp_path / "output"
    assert main(["run", "--no-prefect", "--manifest", str(manifest), "--output", str(output)]) == 0
    index_csv = (output / "catalogue" / "index.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in index_csv and ",=HYPERLINK" not in index_csv
    from yusuan.catalogue.shards import read_index_rows

    issuers = [p["issuer"] for p in read_index_rows(output / "catalogue")]
    assert issuers == ['=HYPERLINK("http://evil")']
