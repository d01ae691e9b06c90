"""Which characters of a page could be duplicates at all: a test in a few C passes.

pdfplumber's ``dedupe_chars`` (``yusuan.extract.pdf.unique_chars``) groups a page's
characters by text, font and size, clusters each group by doctop and then by x0 (tolerance
1), and drops all but one of a cluster. Almost no page has a duplicate, yet grouping every
character and clustering every group is a dict and several lists per character in Python.

A duplicate needs two characters in one doctop cluster of their group *and* in one x0
cluster of that. A group's doctop cluster lies within one cluster of all the page's
doctops (the page's *runs*: sorted doctops cut where one is more than the tolerance after
the one before), since the values between two chained ones chain too; and two characters
of a run in one x0 cluster have x0s that are neighbours within the tolerance among the x0s
of the run (a subset's sorted neighbours within the tolerance imply the whole set's). So
only the runs whose sorted x0s have such neighbours can hold a duplicate; on a page of
text they are the lines with a glyph printed twice. The grouping and clustering then run
on the characters of those runs alone, which gives the same clusters for them (no
cluster reaches across runs), so the same characters are dropped.

Where the C loops are built (``layout_native``), the same test runs in C for characters that
are exact dicts of float positions (``runs_in_c``); this Python stays the fallback and the
oracle (tests/unit/test_close_chars_native.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import compress, repeat
from operator import add, gt, itemgetter, le

from yusuan.extract.layout_native import loops

_doctop = itemgetter("doctop")
_x0 = itemgetter("x0")

# (chars, tolerance) -> ``runs_with_close_chars`` computed in C when the characters are exact
# dicts of float doctops and x0s (finite, below 1e300) and the tolerance a float or an exact
# int, else None
runs_in_c: Callable[[list[dict], float], list[int] | None] | None = loops.close_char_runs if loops else None


def runs_with_close_chars(chars: list[dict], tolerance: float) -> list[int] | None:
    """The indices (ascending) of the characters in runs of the page's doctops whose x0s
    have two neighbours within ``tolerance``: the only characters that can be duplicates.
    None when a doctop or x0 is not a finite number (no order to cut runs in: the caller
    tests every character)."""
    if runs_in_c is not None and type(chars) is list:
        found = runs_in_c(chars, tolerance)
        if found is not None:
            return found
    doctops = list(map(_doctop, chars))
    lefts = list(map(_x0, chars))
    total = sum(doctops) + sum(lefts)  # NaN or infinity (or an overflow) makes it non-finite
    if total - total != 0:
        return None
    order = sorted(range(len(chars)), key=doctops.__getitem__)
    tops = list(map(doctops.__getitem__, order))
    # a run ends where the next doctop is more than the tolerance after this one: the
    # clustering's test ``b <= a + tolerance``, negated (the values are finite)
    ends = compress(range(1, len(tops)), map(gt, tops[1:], map(add, tops, repeat(tolerance))))
    suspects: list[int] = []
    start = 0
    for end in (*ends, len(tops)):
        if end - start > 1:
            run = order[start:end]
            if near(sorted(map(lefts.__getitem__, run)), tolerance):
                suspects.extend(run)
        start = end
    suspects.sort()
    return suspects


def near(values: list, tolerance: float) -> bool:
    """Whether two neighbours of these sorted values cluster together (``b <= a + tolerance``,
    the clustering's test; ``tolerance + a`` is the same float as ``a + tolerance``), in C."""
    return any(map(le, values[1:], map(partial(add, tolerance), values)))
