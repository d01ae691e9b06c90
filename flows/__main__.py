"""``python -m flows [options]``: the same command as ``yusuan run`` (see ``--help``).

Quiet Prefect defaults are set before Prefect is imported; set PREFECT_LOGGING_LEVEL=INFO to
see the flow's and tasks' logs. The guard matters: publications are parsed in worker
processes (yusuan/isolation.py), which import the main module.
"""

if __name__ == "__main__":
    from flows.settings import apply_quiet_defaults

    apply_quiet_defaults()

    from flows.ingest import main

    raise SystemExit(main())
