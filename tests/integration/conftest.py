from __future__ import annotations

from pathlib import Path

import pytest

# Publications of the research-release tests: the samples in raw/, the 2017 edition of the
# same issuer (years across the 2019 renames) and a department with its own unit budget.
RELEASE_EXTRA = ("js-renda-2017-bmys", "sh-putuo-zhengfuban-2025-bmys", "sh-putuo-zhengfuban-2025-dwys")


@pytest.fixture(scope="session")
def release_packages(processed, tmp_path_factory) -> Path:
    """An output folder (``<tmp>/output``) with the packages of the release tests, written once."""
    from yusuan.package.writer import write_package

    output = tmp_path_factory.mktemp("release") / "output"
    for result in [*processed.samples(), *(processed[d] for d in RELEASE_EXTRA)]:
        write_package(result, output)
    return output
