"""The manifests a benchmark reads by default, and a warning when one is missing.

Benchmarks default to both corpora: the fixture corpus in the repository and the shared
corpus-wide set found at ``../shared`` beside the checkout. Run from a copy elsewhere (a
``git archive`` under /tmp, a user's checkout), the shared manifest is not there, and a
benchmark that silently measured only the fixture corpus would give figures that look like
the whole corpus's. So a missing default manifest is said on standard error, with how to
name it (``--manifest``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path


def present(manifests: Iterable[Path]) -> list[Path]:
    """The manifests that exist; each missing one is named on standard error."""
    found = []
    for manifest in manifests:
        if manifest.is_file():
            found.append(manifest)
        else:
            print(f"benchmarks: {manifest} not found, measuring without it (name it with --manifest)", file=sys.stderr)
    return found
