"""Every font of both corpora made by DictFonts (its TrueType program left undecoded where
pdfminer does not read it) and by pdfminer's own ``get_font``: the same font.

``pdfium_fonts.unread_font_program`` lets pdfminer make a CID font with a ``/ToUnicode``
without inflating its ``/FontFile2``, which pdfminer would parse and throw away. For every PDF
of the manifests (by default both shared corpora), every font dictionary of every page (forms'
included) is made by ``DictFonts._made`` on one parse of the file and by pdfminer's
``PDFResourceManager.get_font`` (its own CMap parser, no program left undecoded) on another;
the two fonts' answers (``font_view``: kind, names, metrics, widths, CMap, Unicode map) must
be equal, or both refused with the same error, and a program left undecoded must give the
oracle's bytes when asked. Prints the fonts made, the programs left undecoded and the CPU of
making the fonts each way; every difference is listed (exit 1).

    python benchmarks/font_programs_equal.py [--manifest M ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.speed import DEFAULT_MANIFESTS, pdf_documents, pdf_files  # noqa: E402


def font_view(font: Any) -> tuple[Any, ...]:
    """What a pdfminer font answers: everything its object holds but the program's bytes."""
    unicode_map = getattr(font, "unicode_map", None)
    cmap = getattr(font, "cmap", None)
    return (
        type(font),
        font.fontname,
        getattr(font, "basefont", None),
        getattr(font, "cidcoding", None),
        font.get_descent(),
        font.get_ascent(),
        font.bbox,
        font.flags,
        font.italic_angle,
        font.default_width,
        font.widths,
        font.is_vertical(),
        getattr(font, "disps", None),
        getattr(font, "default_disp", None),
        type(unicode_map),
        getattr(unicode_map, "cid2unichr", None),
        type(cmap),
        getattr(cmap, "attrs", None),
        getattr(cmap, "code2cid", None),
        getattr(font, "cid2unicode", None),
        sorted(font.descriptor),
    )


@dataclass
class Compared:
    """The fonts of one or more files made both ways."""

    made: int = 0
    refused: int = 0
    unread: int = 0
    seconds_ours: float = 0.0
    seconds_oracle: float = 0.0
    differences: list[str] = field(default_factory=list)

    def add(self, other: Compared) -> None:
        self.made += other.made
        self.refused += other.refused
        self.unread += other.unread
        self.seconds_ours += other.seconds_ours
        self.seconds_oracle += other.seconds_oracle
        self.differences.extend(other.differences)


def page_fonts(fonts: Any) -> list[tuple[Any, dict[str, Any]]]:
    """(object number, dictionary) of every font of every page of a file, in order, once each."""
    found, seen = [], set()
    for number in range(1, len(fonts._document_pages()) + 1):
        for entry in fonts._page_entries(number):
            if id(entry) not in seen:
                seen.add(id(entry))
                found.append((entry.objid, entry.spec))
    return found


def compare(path: Path) -> Compared:
    """Every font of the file's pages made by DictFonts and by pdfminer, compared."""
    from pdfminer.pdfinterp import PDFResourceManager

    from yusuan.extract.pdfium_fonts import DictFonts, idle_font_program

    result = Compared()
    ours, oracle = DictFonts(path), DictFonts(path)  # two parses: each its own streams
    try:
        for (objid, spec), (_same, oracle_spec) in zip(
            page_fonts(ours), page_fonts(oracle), strict=True
        ):
            program = idle_font_program(spec)
            mine, mine_error = _made(partial(ours._made, objid, spec), result, "seconds_ours")
            expected, expected_error = _made(
                partial(PDFResourceManager(caching=False).get_font, objid, oracle_spec),
                result,
                "seconds_oracle",
            )
            where = f"{path} font {objid}"
            if mine_error or expected_error:
                result.refused += 1
                if type(mine_error) is not type(expected_error):
                    result.differences.append(f"{where}: {mine_error!r} against {expected_error!r}")
                continue
            result.made += 1
            if font_view(mine) != font_view(expected):
                result.differences.append(f"{where}: another font")
            if program is not None:
                result.unread += 1
                if (
                    program.data is not None
                    or mine.fontfile is not program
                    or program.get_data() != expected.fontfile.get_data()
                ):
                    result.differences.append(
                        f"{where}: the program left undecoded is not the oracle's"
                    )
    finally:
        ours.close()
        oracle.close()
    return result


def _made(make: Any, result: Compared, clock: str) -> tuple[Any, Exception | None]:
    started = time.process_time()
    try:
        return make(), None
    except Exception as exc:  # noqa: BLE001 - a refusal is an answer to compare
        return None, exc
    finally:
        setattr(result, clock, getattr(result, clock) + time.process_time() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=DEFAULT_MANIFESTS)
    args = parser.parse_args()
    paths = pdf_files(pdf_documents(present(args.manifest)))
    total = Compared()
    for path in paths:
        total.add(compare(path))
    print(
        f"PDFs: {len(paths)}; fonts made {total.made:,}, refused both ways {total.refused:,}; programs left undecoded {total.unread:,}"
    )
    print(
        f"CPU-s making them: DictFonts {total.seconds_ours:.3f}, pdfminer's get_font {total.seconds_oracle:.3f}"
    )
    print(f"differences: {len(total.differences)}")
    for line in total.differences[:50]:
        print("  " + line)
    return 1 if total.differences else 0


if __name__ == "__main__":
    sys.exit(main())
