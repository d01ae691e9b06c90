"""The characters that may be duplicates, found in C, are the ones the Python test finds.

``_close_chars.c`` (``loops.close_char_runs``) replaces ``close_chars.runs_with_close_chars``'s
Python where the extension is built; the Python (``runs_in_c`` set to None) is the oracle: the
characters of every fixture page of both readers, pages with characters drawn twice, random
characters on a few positions (ties, -0.0, runs cut exactly at the tolerance), and the input
the C test leaves to Python.
"""

from __future__ import annotations

import fractions
import math
import random
from typing import Any

import pytest
from layout_sample_pages import SAMPLES, sample_pages

from yusuan.extract import close_chars
from yusuan.extract import pdf as layout
from yusuan.extract.layout_native import loops

needs_extension = pytest.mark.skipif(
    loops is None or not hasattr(loops, "close_char_runs"),
    reason="the C extension was not built (no compiler at install)",
)


def _in_python(chars: list, tolerance: Any, monkeypatch: pytest.MonkeyPatch) -> list[int] | None:
    with monkeypatch.context() as patched:
        patched.setattr(close_chars, "runs_in_c", None)
        return close_chars.runs_with_close_chars(chars, tolerance)


def _same(chars: list, monkeypatch: pytest.MonkeyPatch, tolerance: Any = 1) -> list[int]:
    ours = loops.close_char_runs(chars, tolerance)  # type: ignore[union-attr]
    assert ours is not None
    assert ours == _in_python(chars, tolerance, monkeypatch)
    assert all(type(index) is int for index in ours)
    return ours  # type: ignore[no-any-return]


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def pages(request: pytest.FixtureRequest) -> list:
    return sample_pages(request.param)


@needs_extension
def test_suspects_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's visible characters, and the same with every tenth character drawn again
    (a copy a hair away: suspects by construction)."""
    for page in pages:
        chars = layout.visible_part(page).chars
        _same(chars, monkeypatch)
        doubled = list(chars)
        for i in range(0, len(chars), 10):
            doubled.insert(i + i // 10 + 1, {**chars[i], "x0": chars[i]["x0"] + 0.25})
        found = _same(doubled, monkeypatch)
        assert len(doubled) < 2 or found


def _char(doctop: float, x0: float) -> dict:
    return {"text": "a", "doctop": doctop, "x0": x0}


@needs_extension
def test_suspects_of_random_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(25)
    doctops = (-0.0, 0.0, 0.5, 1.0, 2.0, 3.0, 3.0000000000000004, 10.0, 11.0, 100.25)
    lefts = (-0.0, 0.0, 0.75, 1.0, 1.75, 2.0, 5.0, 6.5, 50.0)
    found = 0
    for _ in range(2000):
        chars = [_char(rng.choice(doctops), rng.choice(lefts)) for _ in range(rng.randint(0, 12))]
        for tolerance in (1, 0, 0.5, 1.0, 2):
            found += len(_same(chars, monkeypatch, tolerance))
    assert found > 1000


@needs_extension
def test_suspects_of_pages_longer_than_a_sorted_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages and lines of more than 16 characters (the inline sort's runs, _layout_sort.h):
    merged, merges skipped where in order, ties of doctop and of x0 (and -0.0 with 0.0), in
    page order, reversed, shuffled and nearly sorted."""
    rng = random.Random(31)
    found = 0
    for size in (17, 33, 64, 150, 400):
        for _ in range(20):
            doctops = [rng.choice((-0.0, 0.0, 12.0, 12.5, 30.0)) + rng.choice((0.0, 0.0, 0.25, 2.0)) for _ in range(size)]
            lefts = [rng.choice((-0.0, 0.0)) + rng.randrange(0, 4 * size) * 0.75 for _ in range(size)]
            chars = [_char(d, x) for d, x in zip(sorted(doctops), lefts, strict=True)]
            reordered = (chars, chars[::-1], rng.sample(chars, len(chars)), _nearly_sorted(chars, rng))
            for page in reordered:
                for tolerance in (1, 0, 0.5):
                    found += len(_same(page, monkeypatch, tolerance))
    assert found > 1000


def _nearly_sorted(chars: list, rng: random.Random) -> list:
    near = list(chars)
    for _ in range(len(near) // 10 + 1):
        i = rng.randrange(len(near) - 1)
        near[i], near[i + 1] = near[i + 1], near[i]
    return near


@needs_extension
def test_characters_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """None for what the C test does not read; the Python then answers (None for a position
    that is not finite, its own errors for the rest), as before."""
    plain = [_char(10.0, 0.0), _char(10.0, 5.0), _char(30.0, 0.5)]
    assert _same(plain, monkeypatch) == []
    assert _same([], monkeypatch) == []

    class Char(dict):  # type: ignore[type-arg]
        pass

    odd = [
        [*plain, _char(10, 0.0)],  # an int position
        [*plain, _char(math.nan, 0.0)],
        [*plain, _char(10.0, math.inf)],
        [*plain, _char(1e300, 0.0)],  # finite, but a sum of such may overflow
        [*plain, Char(_char(10.0, 0.25))],
    ]
    for chars in odd:
        assert loops.close_char_runs(chars, 1) is None  # type: ignore[union-attr]
    assert close_chars.runs_with_close_chars(odd[0], 1) == [0, 1, 3]
    assert close_chars.runs_with_close_chars(odd[1], 1) is None
    assert close_chars.runs_with_close_chars(odd[2], 1) is None
    assert close_chars.runs_with_close_chars(odd[3], 1) == _in_python(odd[3], 1, monkeypatch)
    assert close_chars.runs_with_close_chars(odd[4], 1) == [0, 1, 3]
    with pytest.raises(KeyError):
        close_chars.runs_with_close_chars([*plain, {"doctop": 1.0}], 1)
    for tolerance in (2**53 + 1, fractions.Fraction(1, 2), True, "1"):
        assert loops.close_char_runs(plain, tolerance) is None  # type: ignore[union-attr]
    with pytest.raises(TypeError):
        loops.close_char_runs(tuple(plain), 1)  # type: ignore[union-attr]


@needs_extension
def test_a_run_cut_at_the_tolerance(monkeypatch: pytest.MonkeyPatch) -> None:
    """Doctops exactly the tolerance apart are one run (``b > a + tolerance`` cuts); x0s
    exactly the tolerance apart are close (``b <= tolerance + a``)."""
    chars = [
        _char(10.0, 0.0),
        _char(11.0, 1.0),
        _char(math.nextafter(12.0, 13.0), 3.0),
        _char(20.0, 7.0),
        _char(20.0, math.nextafter(8.0, 9.0)),
    ]
    assert _same(chars, monkeypatch) == [0, 1]
