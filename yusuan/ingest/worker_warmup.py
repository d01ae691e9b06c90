"""Imported once by the fork server of yusuan/ingest/isolation.py: load what every publication
needs (schemas, code lists, vocabularies) so that each forked worker starts warm.

Without it each worker parses the YAML schemas again (0.3–0.5 s per publication on the
reference machine, measured with the worker's own CPU clock). The Frictionless validation is
not the worker's: it runs where the package is written (yusuan/package/staged_validation.py).
What a worker needs is read lazily,
by functions cached on first call (``functools.cache``) all over the stages; rather than name
them one by one (and miss the next one added), the warm-up calls every such function of the
stages a worker runs that takes no argument. ``tests/unit/test_worker_warmup.py`` checks that
a worker forked after the warm-up reads no schema file while it processes a publication.
"""

from __future__ import annotations

import gc
import inspect
import sys
from collections.abc import Callable
from typing import Any

from yusuan.core import codelists
from yusuan.package import process  # noqa: F401  (the stages, imported once)

# the stages a publication's worker runs (yusuan/package/process.py and what it imports)
WORKER_STAGES = ("yusuan.core", "yusuan.extract", "yusuan.layout", "yusuan.interpret", "yusuan.checks", "yusuan.package")


def cached_loaders(prefixes: tuple[str, ...] = WORKER_STAGES) -> list[Callable[[], Any]]:
    """Every ``functools.cache``/``lru_cache`` function defined in an imported module of these
    packages that can be called without arguments, in a stable order."""
    found = []
    for name in sorted(sys.modules):
        module = sys.modules[name]
        if module is None or not name.startswith(prefixes):
            continue
        for value in vars(module).values():
            if callable(value) and hasattr(value, "cache_info") and getattr(value, "__module__", None) == name and _no_arguments(value):
                found.append(value)
    return found


def _no_arguments(function: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters)


def warm() -> None:
    for loader in cached_loaders():
        loader()
    for classification in codelists.CODE_LISTS:  # cached per argument
        codelists.reference(classification)


def freeze() -> None:
    """Move every object the fork server holds into the collector's permanent generation
    (``gc.freeze``), after collecting what is garbage already. A forked worker's collections
    then never walk the inherited objects, so they neither cost its CPU nor copy the shared
    memory pages they touch (copy-on-write). Measured on the samples in raw/, alternating runs
    of `run_bounded(process_document, ...)`: the text publication 0.18 -> 0.14 CPU-s per worker,
    the PDFs within noise (docs/scheduling.md). The fork server imports this module last."""
    gc.collect()
    gc.freeze()


warm()
freeze()
