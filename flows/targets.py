"""Where a run's packages go after they are written: publication targets by name.

``folder`` is the output folder itself (the packages are already there); ``catalogue`` builds
the static catalogue (HTML, DCAT-AP, index) of every package in it; ``ckan`` publishes every
package that was written and not blocked to the CKAN named by YUSUAN_CKAN_URL (token from
YUSUAN_CKAN_TOKEN or the config file, never a parameter); ``release`` gathers every package
into ``<output>/release/`` (DuckDB + Parquet, :mod:`yusuan.release`). Publishing happens after
validation: a blocked document has no package to publish. Other targets register here as
``TARGETS["name"] = publish`` with ``publish(outcomes, output_dir)``; a name that is not
registered is skipped with a warning. Run options (such as ``base_url``, where the output
folder is served) reach the targets whose ``publish`` names them as keyword parameters.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

Publisher = Callable[[list[dict[str, Any]], Path], None]


def _folder(outcomes: list[dict[str, Any]], output_dir: Path) -> None:
    """Packages are written to the output folder by the ingest flow: nothing more to do."""


def _catalogue(outcomes: list[dict[str, Any]], output_dir: Path, base_url: str | None = None) -> None:
    """Build or update the static catalogue; ``base_url`` makes its URIs absolute (else the
    YUSUAN_BASE_URL or the catalogue config file's, else relative links)."""
    from yusuan.catalogue.build import build_catalogue

    build_catalogue(output_dir, base_url=base_url)


def _release(outcomes: list[dict[str, Any]], output_dir: Path) -> None:
    """The research release of every package in the output folder (incremental)."""
    from yusuan.release import build_release

    logging.getLogger(__name__).info("%s", build_release(output_dir).line())


class CkanTargetError(RuntimeError):
    """Some packages could not be published to CKAN (the message lists them and why).

    It is raised without a cause or context: in a flow its text becomes the run state, and
    the text is masked of the token once more (the client already masks its errors).
    """


def _ckan(outcomes: list[dict[str, Any]], output_dir: Path) -> None:
    """Publish every written package; one failing package is reported, the others go on.

    Returns nothing (no client, settings or token can end up in a task result), and the
    settings stay local to this function: no Prefect parameter or state ever holds the token.
    """
    from yusuan.catalogue.ckan import CkanError, PublishError, scrub_secret
    from yusuan.catalogue.ckan_package import ckan_settings, publish_package
    from yusuan.core.errors import YusuanError

    logger = logging.getLogger(__name__)
    settings = ckan_settings()  # a bad token is a CkanConfigError that does not quote it
    client = settings.client()
    failures = []
    for outcome in outcomes:
        if outcome.get("status") not in ("published", "cached"):
            continue  # failed or blocked: nothing validated to publish
        folder = Path(outcome.get("path") or Path(output_dir) / outcome["document_id"])
        try:
            logger.info("%s", publish_package(client, folder).summary())
        except (CkanError, PublishError, YusuanError) as exc:
            failures.append(f"{outcome['document_id']}: {scrub_secret(str(exc), settings.token)}")
    if failures:
        message = "CKAN publishing failed for " + "; ".join(failures) + " (a rerun completes it)"
        raise CkanTargetError(message) from None


TARGETS: dict[str, Publisher] = {"folder": _folder, "catalogue": _catalogue, "ckan": _ckan, "release": _release}


def split_targets(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(known, unknown) target names, in the order given, without repeats."""
    known: list[str] = []
    unknown: list[str] = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        (known if name in TARGETS else unknown).append(name)
    return known, unknown


def accepted_options(publish: Publisher, options: Mapping[str, Any]) -> dict[str, Any]:
    """The run options a target takes: those its ``publish`` names (a target registered as
    ``publish(outcomes, output_dir)`` takes none); options left unset (None) are not passed."""
    params = inspect.signature(publish).parameters
    return {k: v for k, v in options.items() if v is not None and k in params}


def publish_targets(
    names: Iterable[str],
    outcomes: list[dict[str, Any]],
    output_dir: Path,
    logger: Any = None,
    options: Mapping[str, Any] | None = None,
) -> list[str]:
    """Run the known targets; warn about and skip the others. Returns the targets run."""
    logger = logger or logging.getLogger(__name__)
    known, unknown = split_targets(names)
    for name in unknown:
        logger.warning("target %r is not available (known: %s): ignored", name, ", ".join(sorted(TARGETS)))
    for name in known:
        publish = TARGETS[name]
        publish(outcomes, Path(output_dir), **accepted_options(publish, options or {}))  # type: ignore[call-arg]
    return known
