"""Which text lines the layout stage took for itself, returned instead of written into them.

The layout stage reads a table's title, label and unit lines, its notes, rows printed outside
the ruling, and the running headers and footers of the pages; the narrative stage reads the
lines nobody claimed. The lines themselves are never changed: the claims are a separate
result, keyed by the line object (a line is claimed at most once per role kind; a later
claim replaces an earlier one, as the table stage refines what a line is).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from yusuan.core.model import Block, TextLine

Role = Literal["page_furniture", "table_context", "table_note", "table_row"]


class LineClaims:
    """line -> the role the layout stage gave it; lines not claimed have none."""

    def __init__(self) -> None:
        self._roles: dict[int, tuple[TextLine, Role]] = {}  # id(line) -> (line kept alive, role)

    def claim(self, line: TextLine, role: Role) -> None:
        self._roles[id(line)] = (line, role)

    def role(self, line: TextLine) -> str:
        found = self._roles.get(id(line))
        return found[1] if found and found[0] is line else ""

    def update(self, other: LineClaims) -> LineClaims:
        self._roles.update(other._roles)
        return self

    def unclaimed(self, blocks: Iterable[Block]) -> list[TextLine]:
        """The text lines of ``blocks`` that no stage claimed, in order."""
        return [b for b in blocks if isinstance(b, TextLine) and not self.role(b)]

    def without(self, blocks: Iterable[Block], role: Role) -> list[Block]:
        """``blocks`` without the lines claimed as ``role``."""
        return [b for b in blocks if not (isinstance(b, TextLine) and self.role(b) == role)]

    def __len__(self) -> int:
        return len(self._roles)
