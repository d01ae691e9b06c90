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
