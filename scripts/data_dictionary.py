"""Write docs/data-dictionary.md from schemas/ (the release's bilingual data dictionary).

Run after changing fields.yaml, resources.yaml, columns.yaml, source_tables.yaml,
narrative.yaml or release.yaml; tests/unit/test_data_dictionary.py fails while the page is
out of date.

    python scripts/data_dictionary.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yusuan.release.dictionary import check_labels, markdown  # noqa: E402

PAGE = ROOT / "docs" / "data-dictionary.md"


def main() -> int:
    check_labels()
    PAGE.write_text(markdown(), encoding="utf-8")
    print(f"written {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
