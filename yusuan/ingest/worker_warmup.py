"""Imported once by the fork server of yusuan/ingest/isolation.py: load what every publication
needs (schemas, code lists, the validation library) so that each forked worker starts warm.

Without it each worker parses the YAML schemas and imports frictionless's pandas stack again
(about 0.4 s per publication on the reference machine).
"""

from __future__ import annotations

import frictionless  # noqa: F401  (validation imports it lazily)

from yusuan.core import codelists  # noqa: F401
from yusuan.core.schemas import check_rules, load_registry, package_metadata, resource_specs
from yusuan.package import process  # noqa: F401  (the stages, imported once)


def warm() -> None:
    load_registry()
    resource_specs()
    check_rules()
    package_metadata()
    for classification in codelists.CODE_LISTS:
        codelists.reference(classification)


warm()
