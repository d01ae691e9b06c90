"""The yusuan command line: one command per stage, and the whole run.

Library errors become one line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from yusuan import __version__
from yusuan.core.errors import YusuanError, describe_os_error, one_line

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
}


def cmd_run(args: argparse.Namespace) -> int:
    """Run the main job: every publication of the manifest -> output/<document_id>/."""
    import signal

    from yusuan.core.output_lock import output_lock
    from yusuan.ingest.report import run_summary_text
    from yusuan.ingest.sources import read_sources

    signal.signal(signal.SIGINT, _exit_on_interrupt)
    drafting_failed = False
    with contextlib.ExitStack() as held:
        if args.paths:  # no manifest: draft one from the documents (yusuan/ingest/drafting.py)
            from yusuan.ingest.drafting import draft_for_run

            held.enter_context(output_lock(args.output))  # the drafted manifest is in the output folder
            args.manifest, drafting_failed = draft_for_run(args.paths, args.output)
            args.allow_outside_files = True  # the user named these files
        _check_run_arguments(args, read_sources(args.manifest, allow_outside=args.allow_outside_files))
        with output_lock(args.output) as cleaned:
            for line in cleaned:
                print(f"yusuan: {line}", file=sys.stderr)
            outcomes = _run_and_publish(args)
    print(run_summary_text(outcomes))
    if "catalogue" in args.targets:
        print(f"catalogue: {args.output / 'catalogue' / 'index.html'}")
    return 1 if drafting_failed or any("error" in o for o in outcomes) else 0


def _check_run_arguments(args: argparse.Namespace, publications: list[Any]) -> None:
    """Mistakes in the command are errors before any work: a bad manifest, an --only id the
    manifest does not have, a target that does not exist, a CKAN target without settings."""
    from yusuan.core.limits import from_environment
    from yusuan.flows.targets import split_targets

    from_environment()  # a bad YUSUAN_LIMITS: one line now, not once per publication
    if args.no_prefect and (args.runner != "threads" or args.workers or args.dask_address):
        raise YusuanError("--runner, --workers and --dask-address choose Prefect's task runner: not with --no-prefect")
    unknown_ids = sorted(set(args.only or ()) - {p.document_id for p in publications})
    if unknown_ids:
        raise YusuanError(f"--only: {', '.join(unknown_ids)} not in {args.manifest}")
    if "catalogue" in args.targets:
        from yusuan.catalogue.settings import catalogue_settings

        catalogue_settings(base_url=args.base_url)  # a bad base URL or config file: an error now
    _known, unknown_targets = split_targets(args.targets)
    if unknown_targets:
        raise YusuanError(f"--targets: unknown target(s) {', '.join(unknown_targets)} (known: folder, catalogue, ckan, release)")
    if "ckan" in args.targets:
        from yusuan.catalogue.ckan_package import ckan_settings

        ckan_settings().client()  # no URL or token: a one-line error now, not after the ingest


def _run_and_publish(args: argparse.Namespace) -> list[dict[str, Any]]:
    from yusuan.core.progress import Progress
    from yusuan.flows.targets import publish_targets  # plain Python: no Prefect import
    from yusuan.ingest.run import RunOptions, all_from_cache, run_publications

    display = Progress(_progress_mode(args))
    outcomes = None if args.force or args.no_cache else all_from_cache(args.manifest, args.output, only=args.only, year=args.year, allow_outside=args.allow_outside_files)
    if outcomes is not None:  # nothing to download, parse or write: no orchestrator needed
        display.start(len(outcomes))
        for outcome in outcomes:
            display.advance(outcome)
    elif args.no_prefect:
        options = RunOptions(
            only=args.only, year=args.year, force=args.force, archive_dir=args.archive, cache=not args.no_cache,
            allow_outside=args.allow_outside_files, trust_manifest=args.trust_manifest, on_start=display.start, on_outcome=display.advance,
            on_warning=lambda line: print(f"yusuan: {line}", file=sys.stderr),
        )
        outcomes = run_publications(args.manifest, args.output, options)
    else:
        for key, value in PREFECT_DEFAULTS.items():
            os.environ.setdefault(key, value)
        if args.verbose:
            os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
        if display.mode != "none" and not os.environ.get("PREFECT_API_URL"):
            print("starting Prefect (a temporary local server; about 20 s on 2 cores) …", file=sys.stderr, flush=True)
        from yusuan.flows.ingest import run_ingest

        display.mode = "none"  # the flow shows its own progress
        outcomes = run_ingest(
            args.manifest, args.output, args.only or None, year=args.year, force=args.force, archive_dir=args.archive, cache=not args.no_cache,
            progress=_progress_mode(args), runner=args.runner, workers=args.workers, dask_address=args.dask_address, allow_outside=args.allow_outside_files,
            trust_manifest=args.trust_manifest,
        )
    display.close()
    publish_targets(args.targets, outcomes, args.output, options={"base_url": args.base_url})
    return outcomes


def _progress_mode(args: argparse.Namespace) -> str:
    """A bar on a terminal, nothing otherwise (the summary on stdout says it all), unless asked."""
    if args.quiet:
        return "none"
    if args.progress == "auto":
        return "bar" if sys.stderr.isatty() else "none"
    return args.progress


def _exit_on_interrupt(signum: int, frame: Any) -> None:
    """Ctrl-C: stop now, in one line. Packages already written are complete (each is swapped in
    whole); the one being written stays a hidden staging folder that the next run removes."""
    os.write(2, b"\nyusuan: interrupted; packages already written are complete, the one in progress was not published\n")
    os._exit(130)


def cmd_manifest(args: argparse.Namespace) -> int:
    """Draft a manifest from documents (issuer, region, year and kind read from each), to check and edit."""
    from yusuan.ingest.drafting import draft_manifest

    return draft_manifest(args.paths, args.output_manifest)


def cmd_extract(args: argparse.Namespace) -> int:
    """Print the tables found in one file (cells as printed), without writing anything."""
    from yusuan.core.hashing import sha256_of
    from yusuan.core.model import SourceFile
    from yusuan.core.schemas import load_registry
    from yusuan.extract import file_to_blocks
    from yusuan.layout.tables import blocks_to_raw_tables

    path = Path(args.file)
    if not path.is_file():
        raise YusuanError(f"{path}: file not found")
    from yusuan.core.progress import pages_shown

    with pages_shown():
        found = file_to_blocks(SourceFile(path, "full", sha256_of(path)))
    tables, findings = blocks_to_raw_tables(found.blocks, load_registry())
    if args.json:
        print(json.dumps([{"table_id": t.table_id, "title": t.title, "label": t.label, "unit": t.unit_text, "page": t.origin.page, "header": t.header, "body": t.body} for t in tables], ensure_ascii=False, indent=1))
        return 0
    for table in tables:
        where = f"page {table.origin.page}" if table.origin.page else f"line {table.origin.line}"
        print(f"{table.sequence:>3} {table.table_id:<58} {where:<9} unit={table.unit_text or '?':<3} rows={len(table.body):<3} {table.title}")
    for page in found.pages_without_text:
        print(f"    no text layer: page {page}")
    for page, count in found.hidden_chars.items():
        print(f"    {count} characters printed off page {page} ignored")
    for finding in findings:
        print(f"    {finding.severity}: {finding.message}")
    return 0


def cmd_process(args: argparse.Namespace) -> int:
    """Process one document of the manifest and print its checks (nothing is written)."""
    from yusuan.ingest.sources import read_manifest
    from yusuan.package.process import process_document
    from yusuan.package.staged_validation import check_unpublished

    documents = {d.document_id: d for d in read_manifest(args.manifest, allow_outside=args.allow_outside_files)}
    if args.document_id not in documents:
        raise YusuanError(f"{args.document_id}: not in {args.manifest} (known: {', '.join(documents)})")
    result = check_unpublished(process_document(documents[args.document_id]))
    print(json.dumps(result.summary(), ensure_ascii=False))
    for check in result.resources["checks"]:
        if check["status"] != "passed":
            print(f"{check['status']:<7} {check['severity']:<7} {check['check_id']}: {check['table_id']} {check['row']} {check['message']}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate written packages: every listed file against its sha256 (Parquet and quality
    report included), then the tables with Frictionless (types, keys, foreign keys)."""
    from frictionless import Package

    from yusuan.package.integrity import file_problems

    status = 0
    for given in args.packages:
        path = Path(given) / "datapackage.json" if Path(given).is_dir() else Path(given)
        if not path.is_file():
            raise YusuanError(f"{given}: no such package folder or datapackage.json")
        problems = file_problems(Path(path).parent)
        report = Package(path).validate()
        if report.valid and not problems:
            print(f"valid    {path}")
            continue
        status = 1
        print(f"INVALID  {path}")
        for problem in problems:
            print(f"  {problem}")
        for resource, row, field, kind, note in report.flatten(["name", "rowNumber", "fieldName", "type", "note"])[:20]:
            print(f"  {resource} row {row} {field}: {kind}: {note}")
    return status


def cmd_checks(args: argparse.Namespace) -> int:
    """Print the checks of a written package that did not pass, one block each, wrapped to the terminal."""
    import csv
    import shutil
    import textwrap

    path = Path(args.package)
    checks_path = (path.parent if path.name == "datapackage.json" else path) / "checks.csv"
    if not checks_path.is_file():
        raise YusuanError(f"{path}: no checks.csv (is this a yusuan package?)")
    with checks_path.open(encoding="utf-8", newline="") as handle:
        checks = [c for c in csv.DictReader(handle) if args.all or c["status"] != "passed"]
    if not checks:
        print("all checks passed")
        return 0
    width = min(shutil.get_terminal_size((100, 20)).columns, 120)
    order = {"error": 0, "warning": 1, "info": 2}
    for check in sorted(checks, key=lambda c: (c["status"] == "passed", order.get(c["severity"], 3))):
        where = ", ".join(x for x in (check.get("table_id"), f"page {check['page']}" if check.get("page") else "", check.get("row")) if x)
        print(f"{check['status']} {check['severity']} {check['check_id']}" + (f" — {where}" if where else ""))
        if check.get("expected") or check.get("actual"):
            print(f"    expected {check.get('expected') or '–'}, printed {check.get('actual') or '–'}")
        print(textwrap.fill(one_line(check.get("message", "")), width=width, initial_indent="    ", subsequent_indent="    "))
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    """Build the static catalogue (HTML, DCAT-AP, index) of every package under the output folder."""
    from yusuan.catalogue.build import build_catalogue

    path = build_catalogue(args.output, base_url=args.base_url, config=args.config, full=args.full)
    print(f"catalogue written to {path / 'index.html'} (DCAT: {path / 'dcat.jsonld'})")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    """Gather every package under the output folder into one research release (DuckDB + Parquet by year)."""
    from yusuan.release import build_release

    print(build_release(args.output, full=args.full).line())
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish packages to a CKAN catalogue (URL and token from YUSUAN_CKAN_URL/YUSUAN_CKAN_TOKEN or a config file)."""
    from yusuan.catalogue.ckan import CkanError, PublishError
    from yusuan.catalogue.ckan_package import ckan_settings, publish_package

    client = ckan_settings(url=args.url, config=args.config).client()
    status = 0
    for package in args.packages:
        folder = Path(package)
        folder = folder.parent if folder.name == "datapackage.json" else folder
        try:
            print(publish_package(client, folder).summary())
        except (CkanError, PublishError) as exc:
            print(f"yusuan: error: {folder.name}: {exc}", file=sys.stderr)
            status = 2
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yusuan", description="Chinese budget publications -> validated, bilingual Frictionless data packages.")
    parser.add_argument("--version", action="version", version=f"yusuan {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help=cmd_run.__doc__, description=cmd_run.__doc__)
    run.add_argument("paths", nargs="*", type=Path, metavar="FILE_OR_FOLDER", help="documents to run without a manifest: issuer, region, year and kind are read from each (see `yusuan manifest`)")
    run.add_argument("--manifest", type=Path, default=Path("raw/manifest.csv"), help="manifest of publications (default: raw/manifest.csv; ignored when files are given)")
    run.add_argument("--output", type=Path, default=Path("output"), help="folder for the packages (default: output)")
    run.add_argument("--only", nargs="*", metavar="DOCUMENT_ID", help="process only these documents")
    run.add_argument("--targets", nargs="*", default=["folder", "catalogue"], help="where the packages go after validation: folder, catalogue, ckan, release (default: folder catalogue)")
    run.add_argument("--year", type=int, help="only the publications of this fiscal year")
    run.add_argument("--force", action="store_true", help="parse every publication again (ignore the cache of unchanged ones)")
    run.add_argument("--no-cache", action="store_true", help="neither read nor write the cache of unchanged publications")
    run.add_argument("--archive", type=Path, help="raw archive for downloaded files (default: archive/ beside the manifest)")
    run.add_argument("--runner", choices=("threads", "processes", "dask"), default="threads", help="Prefect task runner (default: threads)")
    run.add_argument("--workers", type=int, help="threads / processes / local Dask workers (default: the number of cores)")
    run.add_argument("--dask-address", help="scheduler address of a running Dask cluster (tcp://host:8786)")
    run.add_argument("--no-prefect", action="store_true", help="run the library directly, without the Prefect flow")
    run.add_argument("--verbose", action="store_true", help="show Prefect's INFO logs")
    run.add_argument("--progress", choices=("auto", "bar", "lines", "none"), default="auto", help="progress on stderr: a bar, a line per publication, or nothing (default: a bar on a terminal, nothing otherwise)")
    run.add_argument("--quiet", action="store_true", help="no progress, only the summary")
    run.add_argument("--trust-manifest", action="store_true", help="publish with the manifest's year and kind even where the document prints others (refused by default)")
    run.add_argument("--base-url", help="URL where the output folder is served, for the catalogue target's absolute URIs (default: YUSUAN_BASE_URL or the catalogue config)")
    run.add_argument("--allow-outside-files", action="store_true", help="read local files that lie outside the manifest's folder (refused by default)")
    run.set_defaults(func=cmd_run)

    manifest = sub.add_parser("manifest", help=cmd_manifest.__doc__, description=cmd_manifest.__doc__)
    manifest.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER", help="documents, or folders to scan for .pdf .xlsx .xls .docx .html .htm .txt")
    manifest.add_argument("--output-manifest", type=Path, help="write the manifest here (paths relative to its folder) instead of printing it")
    manifest.set_defaults(func=cmd_manifest)

    extract = sub.add_parser("extract", help=cmd_extract.__doc__, description=cmd_extract.__doc__)
    extract.add_argument("file", help="a PDF or text export")
    extract.add_argument("--json", action="store_true", help="print the cells as JSON")
    extract.set_defaults(func=cmd_extract)

    process = sub.add_parser("process", help=cmd_process.__doc__, description=cmd_process.__doc__)
    process.add_argument("document_id")
    process.add_argument("--manifest", type=Path, default=Path("raw/manifest.csv"))
    process.add_argument("--allow-outside-files", action="store_true", help="read local files that lie outside the manifest's folder")
    process.set_defaults(func=cmd_process)

    validate = sub.add_parser("validate", help=cmd_validate.__doc__, description=cmd_validate.__doc__)
    validate.add_argument("packages", nargs="+", help="package folders or their datapackage.json")
    validate.set_defaults(func=cmd_validate)

    checks = sub.add_parser("checks", help=cmd_checks.__doc__, description=cmd_checks.__doc__)
    checks.add_argument("package", help="a package folder or its datapackage.json")
    checks.add_argument("--all", action="store_true", help="also list the checks that passed")
    checks.set_defaults(func=cmd_checks)
    catalogue = sub.add_parser("catalogue", help=cmd_catalogue.__doc__, description=cmd_catalogue.__doc__)
    catalogue.add_argument("--output", type=Path, default=Path("output"), help="folder holding the packages (default: output)")
    catalogue.add_argument("--base-url", help="URL where the output folder is served: every URI of the DCAT becomes absolute (default: YUSUAN_BASE_URL or base_url in the catalogue config; relative links otherwise)")
    catalogue.add_argument("--config", type=Path, help="catalogue config file with [catalogue] base_url, contact_*, publisher_* (default: ~/.config/yusuan/catalogue.toml)")
    catalogue.add_argument("--full", action="store_true", help="re-read and re-render every package, not only the new and changed ones")
    catalogue.set_defaults(func=cmd_catalogue)

    release = sub.add_parser("release", help=cmd_release.__doc__, description=cmd_release.__doc__)
    release.add_argument("--output", type=Path, default=Path("output"), help="folder holding the packages; the release goes to OUTPUT/release (default: output)")
    release.add_argument("--full", action="store_true", help="rebuild every publication (default: only new, changed and removed packages)")
    release.set_defaults(func=cmd_release)

    publish = sub.add_parser("publish", help=cmd_publish.__doc__, description=cmd_publish.__doc__)
    publish.add_argument("packages", nargs="+", help="package folders (or their datapackage.json)")
    publish.add_argument("--url", help="CKAN URL (default: YUSUAN_CKAN_URL or the config file)")
    publish.add_argument("--config", type=Path, help="config file with [ckan] url and token or token_file (default: ~/.config/yusuan/ckan.toml)")
    publish.set_defaults(func=cmd_publish)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except YusuanError as exc:
        print(f"yusuan: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"yusuan: error: {describe_os_error(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nyusuan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
