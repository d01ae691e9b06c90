from pathlib import Path

from yusuan.cli import build_parser, main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_and_is_documented():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    for name, sub in commands.items():
        assert sub.description, name
        assert f"yusuan {name}" in README, f"'yusuan {name}' is not in the README"


def test_extract_lists_tables_of_a_pdf(capsys, manifest_path):
    assert main(["extract", str(manifest_path.parent / "js-renda-2019-bmys" / "tables.pdf")]) == 0
    out = capsys.readouterr().out
    assert "three_public_expenses" in out and "page 9" in out


def test_missing_file_is_a_one_line_error(capsys):
    assert main(["extract", "no/such/file.pdf"]) == 2
    assert capsys.readouterr().err == "yusuan: error: no/such/file.pdf: file not found\n"


def _sample_manifest(tmp_path: Path, manifest_path: Path) -> Path:
    import shutil

    shutil.copy(manifest_path.parent / "fj-quanzhou-12345-2026-dwys" / "publication.txt", tmp_path / "publication.txt")
    path = tmp_path / "manifest.csv"
    path.write_text("document_id,issuer,region,fiscal_year,kind,file,role,sha256\nfj-2026-dwys,泉州市12345政务服务便民热线中心,福建省泉州市,2026,单位预算,publication.txt,full,\n", encoding="utf-8")
    return path


def test_version(capsys):
    import pytest

    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0 and capsys.readouterr().out.startswith("yusuan ")


def test_mistakes_in_the_command_are_errors_before_any_work(tmp_path, capsys, manifest_path, monkeypatch):
    manifest = _sample_manifest(tmp_path, manifest_path)
    output = tmp_path / "out"
    base = ["run", "--no-prefect", "--manifest", str(manifest), "--output", str(output)]
    assert main([*base, "--only", "nosuch"]) == 2
    assert "--only: nosuch not in" in capsys.readouterr().err
    assert main([*base, "--targets", "folder", "nowhere"]) == 2
    assert "unknown target(s) nowhere" in capsys.readouterr().err
    for name in ("YUSUAN_CKAN_URL", "YUSUAN_CKAN_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/.config/yusuan/ckan.toml
    assert main([*base, "--targets", "folder", "ckan"]) == 2
    assert capsys.readouterr().err.startswith("yusuan: error:")
    assert not output.exists()


def test_summary_tells_notes_from_findings_and_ends_with_totals(tmp_path, capsys, manifest_path):
    manifest = _sample_manifest(tmp_path, manifest_path)
    output = tmp_path / "out"
    assert main(["run", "--no-prefect", "--targets", "folder", "--manifest", str(manifest), "--output", str(output)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("passed   fj-2026-dwys: ") and " failed" not in lines[0]
    assert lines[-1].startswith("1 documents:") and "1 published" in lines[-1]
    assert main(["validate", str(output / "fj-2026-dwys")]) == 0  # a folder is accepted


def test_a_year_the_document_contradicts_fails_unless_the_manifest_is_trusted(tmp_path, capsys, manifest_path):
    manifest = _sample_manifest(tmp_path, manifest_path)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(",2026,", ",2052,"), encoding="utf-8")
    output = tmp_path / "out"
    base = ["run", "--no-prefect", "--targets", "folder", "--manifest", str(manifest), "--output", str(output)]
    assert main(base) == 1
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("FAILED")]
    # the cover of the sample reads "2026年度泉州市12345政务服务便民热线中心单位预算"
    assert "the document is for 2026, the manifest says 2052" in line and "--trust-manifest" in line
    assert not (output / "fj-2026-dwys").exists()
    assert main([*base, "--trust-manifest"]) == 0  # the failure was not cached
    assert (output / "fj-2026-dwys" / "datapackage.json").is_file()
