"""Bad input gets a clear error naming the file, and nothing is written or replaced."""

import csv
import shutil
from pathlib import Path

import pytest

from yusuan.cli import main
from yusuan.core.errors import ExtractionError
from yusuan.core.hashing import sha256_of
from yusuan.core.model import SourceDocument, SourceFile
from yusuan.package.process import process_document
from yusuan.package.writer import write_package

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def document(name: str) -> SourceDocument:
    path = FIXTURES / name
    return SourceDocument("bad-doc", "issuer", "region", 2019, "部门预算", (SourceFile(path, "full", sha256_of(path)),))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.pdf", "empty.pdf: the file is empty"),
        ("truncated-js-renda-2018.pdf", "truncated-js-renda-2018.pdf: not a readable PDF"),
    ],
)
def test_bad_files_raise_a_clear_error(name, message):
    with pytest.raises(ExtractionError) as caught:
        process_document(document(name))
    assert str(caught.value).startswith(message)


def test_a_narrative_without_tables_is_published_with_its_figures():
    """The narrative half of a split publication (its tables are in another file): the
    package holds the sections and figures, and says that it has no table."""
    result = process_document(document("narrative-only-js-renda-2019.pdf"))
    assert result.quality_status == "warnings"
    assert result.resources["source_tables"] == [] and result.resources["amounts"] == []
    assert "narrative only" in result.resources["document"][0]["status_reason"]
    (failed,) = [c for c in result.resources["checks"] if c["check_id"] == "publication_has_tables"]
    assert failed["status"] == "failed" and failed["severity"] == "warning"
    headings = [s["heading"] for s in result.resources["narrative_sections"]]
    assert any("收入预算情况说明" in h for h in headings), headings
    # page 9: "（一）收入预算总计18330.37万元。"
    assert any(f["value_printed"] == "18330.37万元" and f["page"] == 9 for f in result.resources["narrative_figures"])


def _manifest(tmp_path: Path, good: Path, bad_name: str) -> Path:
    shutil.copy(good, tmp_path / "good.txt")
    shutil.copy(FIXTURES / bad_name, tmp_path / bad_name)
    lines = [
        "document_id,issuer,region,fiscal_year,kind,file,role,sha256",
        f"good,泉州市12345政务服务便民热线中心,福建省泉州市,2026,单位预算,good.txt,full,{sha256_of(good)}",
        f"bad,某单位,某省,2019,部门预算,{bad_name},full,{sha256_of(FIXTURES / bad_name)}",
    ]
    (tmp_path / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "manifest.csv"


@pytest.mark.parametrize("bad_name", ["empty.pdf", "truncated-js-renda-2018.pdf"])
def test_run_writes_nothing_for_a_bad_document_and_keeps_the_good_one(tmp_path, bad_name, capsys, manifest_path):
    good = manifest_path.parent / "fj-quanzhou-12345-2026-dwys" / "publication.txt"
    manifest = _manifest(tmp_path, good, bad_name)
    out = tmp_path / "out"
    status = main(["run", "--no-prefect", "--targets", "folder", "--manifest", str(manifest), "--output", str(out)])
    assert status == 1
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["good"]
    assert f"FAILED  bad: {bad_name}" in capsys.readouterr().out


def test_a_failing_write_keeps_the_previous_package(tmp_path, processed, monkeypatch):
    result = processed["fj-quanzhou-12345-2026-dwys"]
    target = write_package(result, tmp_path)
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("yusuan.package.writer.pq.write_table", broken)
    # empty memos: the package written above would otherwise give every Parquet file
    from yusuan.package.parquet_memo import SharedRowsMemo, ValuesMemo

    monkeypatch.setattr("yusuan.package.writer.PARQUET_MEMO", ValuesMemo())
    monkeypatch.setattr("yusuan.package.writer.SHARED_PARQUET", SharedRowsMemo())
    with pytest.raises(OSError):
        write_package(result, tmp_path)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_manifest_checksum_mismatch_fails_that_publication_in_one_line(tmp_path, capsys, manifest_path):
    good = manifest_path.parent / "fj-quanzhou-12345-2026-dwys" / "publication.txt"
    shutil.copy(good, tmp_path / "good.txt")
    (tmp_path / "manifest.csv").write_text(
        "document_id,issuer,region,fiscal_year,kind,file,role,sha256\n"
        f"good,x,y,2026,单位预算,good.txt,full,{'0' * 64}\n",
        encoding="utf-8",
    )
    assert main(["run", "--no-prefect", "--manifest", str(tmp_path / "manifest.csv"), "--output", str(tmp_path / "o")]) == 1
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("FAILED")]
    assert "sha256 of good.txt does not match" in line
    assert [p.name for p in (tmp_path / "o").iterdir() if not p.name.startswith(".")] == ["catalogue"]  # and no package


def test_a_table_in_doubt_is_published_flagged_and_the_rest_stays_clean(tmp_path, manifest_path, capsys):
    """A total smaller than its largest part puts the reading of that table in doubt: the
    table's rows are published flagged, with the reason; the other tables are not touched."""
    text = (manifest_path.parent / "fj-quanzhou-12345-2026-dwys" / "publication.txt").read_text(encoding="utf-8")
    corrupted = text.replace("\t合计\t1182.04\t170.09\t1011.95", "\t合计\t118.20\t170.09\t1011.95", 1)
    assert corrupted != text
    (tmp_path / "bad.txt").write_text(corrupted, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "document_id,issuer,region,fiscal_year,kind,file,role,sha256\n"
        "fj-corrupted,泉州市12345政务服务便民热线中心,福建省泉州市,2026,单位预算,bad.txt,full,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", "--no-prefect", "--targets", "folder", "--manifest", str(tmp_path / "manifest.csv"), "--output", str(out)]) == 0
    assert "warnings fj-corrupted" in capsys.readouterr().out
    package = out / "fj-corrupted"
    tables = list(csv.DictReader((package / "source_tables.csv").open(encoding="utf-8")))
    doubtful = [t for t in tables if t["table_status"] == "in_doubt"]
    assert [t["table_id"] for t in doubtful] == ["expenditure_summary"]
    assert "total_not_below_largest_part" in doubtful[0]["status_reason"]
    amounts = list(csv.DictReader((package / "amounts.csv").open(encoding="utf-8")))
    flagged = {a["table_id"] for a in amounts if a["quality_flag"] == "in_doubt"}
    assert flagged == {"expenditure_summary"}
    assert all(a["quality_flag"] == "" for a in amounts if a["table_id"] != "expenditure_summary")
    document_row = next(csv.DictReader((package / "document.csv").open(encoding="utf-8")))
    assert document_row["quality_status"] == "warnings"
    assert "expenditure_summary" in document_row["status_reason"]
    report = (package / "quality_report.md").read_text(encoding="utf-8")
    assert "total_not_below_largest_part" in report and "合计" in report
