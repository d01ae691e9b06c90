"""Where a run's packages go after they are written: publication targets by name.

``folder`` is the output folder itself (the packages are already there). Catalogue targets
(CKAN and others) register here as ``TARGETS["name"] = publish`` with
``publish(outcomes, output_dir)``; a name that is not registered is skipped with a warning,
so a deployment can list a target before its publisher exists.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Publisher = Callable[[list[dict[str, Any]], Path], None]


def _folder(outcomes: list[dict[str, Any]], output_dir: Path) -> None:
    """Packages are written to the output folder by the ingest flow: nothing more to do."""


TARGETS: dict[str, Publisher] = {"folder": _folder}


def split_targets(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(known, unknown) target names, in the order given, without repeats."""
    known: list[str] = []
    unknown: list[str] = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        (known if name in TARGETS else unknown).append(name)
    return known, unknown


def publish_targets(names: Iterable[str], outcomes: list[dict[str, Any]], output_dir: Path, logger: Any = None) -> list[str]:
    """Run the known targets; warn about and skip the others. Returns the targets run."""
    logger = logger or logging.getLogger(__name__)
    known, unknown = split_targets(names)
    for name in unknown:
        logger.warning("target %r is not available (known: %s): ignored", name, ", ".join(sorted(TARGETS)))
    for name in known:
        TARGETS[name](outcomes, Path(output_dir))
    return known
