"""yusuan release: tables, exact decimals, incremental updates, atomic replacement, the lock."""

from __future__ import annotations

import fcntl
import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from yusuan.cli import main
from yusuan.core.output_lock import LOCK_NAME, OutputBusyError
from yusuan.release import build_release
from yusuan.release.build import STATE_FILE
from yusuan.release.packages import ReleaseInputError

SAMPLES = ("fj-quanzhou-12345-2026-dwys", "js-renda-2018-bmys", "js-renda-2019-bmys")


@pytest.fixture
def output(release_packages, tmp_path) -> Path:
    """A fresh output folder with the three sample packages (copies, so tests may edit them)."""
    folder = tmp_path / "output"
    for name in SAMPLES:
        shutil.copytree(release_packages / name, folder / name)
    return folder


def counts(release: Path) -> dict[str, int]:
    with duckdb.connect(str(release / "yusuan.duckdb"), read_only=True) as con:
        return dict(con.sql("SELECT document_id, count(*) FROM amounts GROUP BY 1").fetchall())


def test_release_has_every_table_with_exact_decimals_and_a_descriptor(output):
    summary = build_release(output)
    release = output / "release"
    assert summary.full_build and sorted(summary.added) == list(SAMPLES)
    with duckdb.connect(str(release / "yusuan.duckdb"), read_only=True) as con:
        tables = {r[0] for r in con.sql("SELECT table_name FROM duckdb_tables() WHERE NOT starts_with(table_name, '_')").fetchall()}
        assert {"amounts", "source_tables", "narrative_figures", "performance_targets", "checks", "function_classification", "headline_figures", "dictionary_values"} <= tables
        assert con.execute("SELECT typeof(amount_yuan) FROM amounts LIMIT 1").fetchall()[0][0] == "DECIMAL(28,2)"
        # the code list is there once, not once per publication
        assert con.execute("SELECT count(*) = count(DISTINCT code) FROM function_classification").fetchall()[0][0]
        # a headline figure is traceable to its amount cell: same value
        traced = con.sql(
            "SELECT h.figure_value, a.amount_yuan FROM headline_figures h JOIN amounts a USING (document_id, table_sequence, row_number, column_number) "
            "WHERE h.document_id = 'js-renda-2019-bmys' AND h.figure_id = 'three_public_total'"
        ).fetchall()
        assert traced == [(Decimal("7676000.00"), Decimal("7676000.00"))]  # tables.pdf p.9: 767.60 万元
    amounts = ds.dataset(release / "parquet" / "amounts", format="parquet", partitioning="hive").to_table()
    assert str(amounts.schema.field("amount_yuan").type) == "decimal128(28, 2)"
    assert sorted(set(amounts["fiscal_year"].to_pylist())) == [2018, 2019, 2026]
    assert (release / "parquet" / "amounts" / "fiscal_year=2019" / "js-renda-2019-bmys.parquet").is_file()
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
        assert all((release / p).is_file() for p in paths), resource["name"]
        if resource["format"] == "parquet":
            columns = set(pq.read_schema(release / paths[0]).names)
            described = {f["name"] for f in resource["schema"]["fields"]} - {"fiscal_year"}
            assert columns == described, resource["name"]
            assert resource["title_zh"] and all(f["title_zh"] for f in resource["schema"]["fields"])


def test_adding_one_publication_reads_only_that_package(output, release_packages):
    moved = output / "js-renda-2019-bmys"
    held = output.parent / "held"
    shutil.move(moved, held)
    build_release(output)
    before = (output / "release" / "parquet" / "amounts" / "fiscal_year=2018" / "js-renda-2018-bmys.parquet").stat().st_ino
    shutil.move(held, moved)
    summary = build_release(output)
    assert summary.added == ["js-renda-2019-bmys"] and summary.unchanged == 2 and not summary.full_build
    after = (output / "release" / "parquet" / "amounts" / "fiscal_year=2018" / "js-renda-2018-bmys.parquet").stat().st_ino
    assert after == before  # the unchanged part was linked, not written again
    expected = {name: pq.read_metadata(release_packages / name / "amounts.parquet").num_rows for name in SAMPLES}
    assert counts(output / "release") == expected


def test_a_changed_package_is_replaced_and_a_removed_one_removed(output):
    build_release(output)
    package = output / "js-renda-2018-bmys"
    amounts = pq.read_table(package / "amounts.parquet")
    kept = amounts.filter(ds.field("table_sequence") != 1)
    pq.write_table(kept, package / "amounts.parquet")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["title"] += " (edited)"
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(output / "fj-quanzhou-12345-2026-dwys")
    summary = build_release(output)
    assert summary.changed == ["js-renda-2018-bmys"] and summary.removed == ["fj-quanzhou-12345-2026-dwys"]
    release = output / "release"
    assert counts(release) == {"js-renda-2018-bmys": kept.num_rows, "js-renda-2019-bmys": counts(release)["js-renda-2019-bmys"]}
    assert kept.num_rows < amounts.num_rows
    assert not (release / "parquet" / "amounts" / "fiscal_year=2026").exists()
    with duckdb.connect(str(release / "yusuan.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM headline_figures WHERE document_id = 'fj-quanzhou-12345-2026-dwys'").fetchall()[0][0] == 0
    state = json.loads((release / STATE_FILE).read_text(encoding="utf-8"))
    assert sorted(state["publications"]) == ["js-renda-2018-bmys", "js-renda-2019-bmys"]


def test_a_failing_build_leaves_the_previous_release_untouched(output):
    build_release(output)
    release = output / "release"
    state = (release / STATE_FILE).read_bytes()
    database = (release / "yusuan.duckdb").read_bytes()
    package = output / "js-renda-2019-bmys"
    (package / "amounts.parquet").write_bytes(b"not parquet")
    (package / "datapackage.json").write_text((package / "datapackage.json").read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(ReleaseInputError, match="amounts.parquet"):
        build_release(output)
    assert (release / STATE_FILE).read_bytes() == state
    assert (release / "yusuan.duckdb").read_bytes() == database
    assert not [p for p in output.iterdir() if p.name.startswith(".release.")]  # no staging left


def test_a_package_under_another_id_than_its_folder_is_refused(output):
    shutil.copytree(output / "js-renda-2019-bmys", output / "copy-2019-bmys")
    with pytest.raises(ReleaseInputError, match="copy-2019-bmys"):
        build_release(output)


def test_the_release_waits_for_no_one_while_a_run_holds_the_output(output):
    with (output / LOCK_NAME).open("a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(OutputBusyError):
            build_release(output)
    assert not (output / "release").exists()


def test_cli_and_flow_target(output, capsys):
    from yusuan.flows.targets import TARGETS

    assert main(["release", "--output", str(output)]) == 0
    assert "3 publications, 3 added" in capsys.readouterr().out
    database = (output / "release" / "yusuan.duckdb").stat()
    assert main(["release", "--output", str(output)]) == 0
    assert "0 added, 0 changed, 0 removed, 3 unchanged" in capsys.readouterr().out
    assert (output / "release" / "yusuan.duckdb").stat().st_mtime_ns == database.st_mtime_ns  # nothing rewritten
    TARGETS["release"]([], output)
    assert main(["release", "--output", str(output), "--full"]) == 0
    assert "full build" in capsys.readouterr().out
