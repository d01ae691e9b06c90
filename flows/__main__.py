"""``python -m flows [options]``: the ingest flow from a shell (see ``--help``).

Quiet Prefect defaults are set before Prefect is imported; set PREFECT_LOGGING_LEVEL=INFO to
see the flow's and tasks' logs.
"""

from flows.settings import apply_quiet_defaults

apply_quiet_defaults()

from flows.ingest import main  # noqa: E402

raise SystemExit(main())
