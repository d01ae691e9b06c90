"""Hostile manifests: nothing is written, deleted or read outside the folders a run owns.

Each case is a manifest made by the test in its own folder, beside a "victim" folder that
must come out of the run byte for byte as it went in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yusuan.cli import main
from yusuan.ingest.sources import read_manifest, read_sources, sha256_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "raw" / "fj-quanzhou-12345-2026-dwys" / "publication.txt"
HEADER = "document_id,issuer,region,fiscal_year,kind,file,role,sha256\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(project folder with the manifest and the sample, output folder, victim folder)."""
    project, victim = tmp_path / "project", tmp_path / "victim"
    project.mkdir()
    victim.mkdir()
    (victim / "keep.txt").write_text("a sibling's file", encoding="utf-8")
    (victim / "sub").mkdir()
    (victim / "sub" / "secret.txt").write_text("SECRET-7d1e", encoding="utf-8")
    shutil.copy(SAMPLE, project / "publication.txt")
    return project, project / "output", victim


def manifest(project: Path, doc_id: str, file: str = "publication.txt") -> Path:
    path = project / "manifest.csv"
    path.write_text(HEADER + f"{doc_id},某单位,福建省泉州市,2026,单位预算,{file},full,\n", encoding="utf-8")
    return path


def run(path: Path, output: Path, *extra: str) -> int:
    return main(["run", "--no-prefect", "--targets", "folder", "--manifest", str(path), "--output", str(output), *extra])


@pytest.mark.parametrize("doc_id", ["../victim", ".", "..", "/tmp/x", "a/../../victim", "catalogue", "cache", "release", "Upper", "a b", "-lead", "x" * 200])
def test_a_path_like_or_reserved_document_id_is_refused_before_anything_is_written(setup, doc_id, capsys):
    project, output, victim = setup
    before = snapshot(victim)
    path = manifest(project, doc_id)
    assert run(path, output) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("yusuan: error:") and "document_id" in err and err.count("\n") == 0
    assert not output.exists()
    assert snapshot(victim) == before


def test_the_prefect_path_uses_the_same_reader(setup):
    project, _output, _victim = setup
    with pytest.raises(Exception, match="document_id"):
        read_sources(manifest(project, "../victim"))
    with pytest.raises(Exception, match="reserved"):
        read_manifest(manifest(project, "catalogue"))


@pytest.mark.parametrize("where", ["absolute", "dotdot", "symlink"])
def test_a_file_outside_the_manifest_folder_is_not_read(setup, where, capsys):
    project, output, victim = setup
    secret = victim / "sub" / "secret.txt"
    if where == "absolute":
        file = str(secret)
    elif where == "dotdot":
        file = "../victim/sub/secret.txt"
    else:
        (project / "link.txt").symlink_to(secret)
        file = "link.txt"
    path = manifest(project, "leak-2026-dwys", file)
    assert run(path, output) == 2
    err = capsys.readouterr().err
    assert "outside the manifest's folder" in err and "--allow-outside-files" in err
    assert not output.exists()


def test_outside_files_are_read_only_when_the_user_allows_it(setup):
    project, output, victim = setup
    shutil.copy(SAMPLE, victim / "publication.txt")
    path = manifest(project, "allowed-2026-dwys", "../victim/publication.txt")
    assert run(path, output, "--allow-outside-files") == 0
    assert (output / "allowed-2026-dwys" / "datapackage.json").is_file()


def test_a_control_character_in_a_file_name_is_refused_in_one_line(setup, capsys):
    project, output, _victim = setup
    path = project / "manifest.csv"
    path.write_text(HEADER + 'nl-2026-dwys,某单位,福建省泉州市,2026,单位预算,"publ\nication.txt",full,\n', encoding="utf-8")
    assert run(path, output) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "control character" in err


def test_a_symlink_planted_in_the_output_is_not_followed(setup):
    project, output, victim = setup
    before = snapshot(victim)
    output.mkdir()
    (output / "fj-2026-dwys").symlink_to(victim, target_is_directory=True)
    path = manifest(project, "fj-2026-dwys")
    assert run(path, output) == 1  # that publication fails, named
    assert snapshot(victim) == before
    assert (output / "fj-2026-dwys").is_symlink()


def test_duplicate_ids_with_conflicting_metadata_are_refused(setup, capsys):
    project, output, _victim = setup
    shutil.copy(SAMPLE, project / "other.txt")
    path = project / "manifest.csv"
    path.write_text(
        HEADER
        + "dup-2026-dwys,某单位,福建省泉州市,2026,单位预算,publication.txt,narrative,\n"
        + "dup-2026-dwys,某单位,福建省泉州市,2025,单位预算,other.txt,tables,\n",
        encoding="utf-8",
    )
    assert run(path, output) == 2
    assert "fiscal_year '2025' differs from line 2" in capsys.readouterr().err


def test_checksums_are_verified_on_the_no_prefect_path(setup, capsys):
    project, output, _victim = setup
    path = project / "manifest.csv"
    path.write_text(HEADER + f"sum-2026-dwys,某单位,福建省泉州市,2026,单位预算,publication.txt,full,{'0' * 64}\n", encoding="utf-8")
    assert run(path, output) == 1
    assert "does not match" in capsys.readouterr().out
    assert sha256_of(project / "publication.txt") != "0" * 64
