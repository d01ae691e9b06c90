"""``python -m yusuan.flows [options]``: the same command as ``yusuan run`` (see ``--help``).

Quiet Prefect defaults are set before Prefect is imported; set PREFECT_LOGGING_LEVEL=INFO to
see the flow's and tasks' logs. The guard matters: publications are parsed in worker
processes (yusuan/ingest/isolation.py), which import the main module.
"""

if __name__ == "__main__":
    from yusuan.flows.settings import apply_quiet_defaults

    apply_quiet_defaults()

    import sys

    from yusuan.cli import main

    raise SystemExit(main(["run", *sys.argv[1:]]))
