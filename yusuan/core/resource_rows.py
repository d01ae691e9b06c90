"""Rows checked against their resource's fields before they are written.

The stages build rows as plain dicts (see yusuan/core/row_types.py for their types). A key that
is not a field of the resource (a misspelt name) would otherwise vanish from the CSV and leave
its column empty; here it is a SchemaError naming the resource and the key. Keys that start
with "_" are working data of the stages (e.g. the names printed beside a row's codes, for the
code checks) and are never written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from yusuan.core.errors import SchemaError
from yusuan.core.schemas import resource_specs


def row_key_problems(resources: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    """``resource: unknown key 'x'`` for every key of a row that its resource does not define,
    and every resource that resources.yaml does not know."""
    specs = {spec["name"]: set(spec["fields"]) for spec in resource_specs()}
    problems = []
    for name, rows in resources.items():
        if name not in specs:
            problems.append(f"{name}: not a resource of schemas/resources.yaml")
            continue
        keys = set().union(*rows) if rows else set()  # every key once, gathered in C (issue 14)
        unknown = sorted(key for key in keys - specs[name] if not key.startswith("_"))
        problems += [f"{name}: unknown key {key!r} (not a field of the resource in schemas/resources.yaml)" for key in unknown]
    return problems


def check_row_keys(resources: Mapping[str, list[dict[str, Any]]]) -> None:
    problems = row_key_problems(resources)
    if problems:
        raise SchemaError("rows do not match schemas/: " + "; ".join(problems))


class SharedRow(dict):  # type: ignore[type-arg]
    """A row shared by every package of the process (a code list's compiled rows, the COFOG
    weights): a dict that refuses to be changed, so that what the writer made of it once (its
    CSV, its Parquet file) stays true for every package handed it (issue 14). ``copy()`` gives
    an ordinary dict, for a package that completes a row of its own; so does a pickled or
    copied row (``copy.copy``, a result sent back from a worker process): it is no longer
    shared."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a shared row cannot be changed: copy() it first")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _refuse

    def copy(self) -> dict[str, Any]:
        return dict(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))


class SharedRows(list):  # type: ignore[type-arg]
    """A resource's rows made once per process and shared by every package (rows of
    :class:`SharedRow`): a list that refuses to be changed, so that the package writer may
    reuse what it made of this very object before (yusuan/package/parquet_memo.py,
    :class:`~yusuan.package.parquet_memo.SharedRowsMemo`) without looking at its values.
    Equal to a list of equal rows. Pickled (a result sent back from a worker process,
    yusuan/ingest/isolation.py) or copied, it comes back an ordinary list of ordinary rows:
    another object, which the writer treats as any other rows (equal values the fallback), and
    which its memo of shared rows does not keep."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("shared rows cannot be changed: copy them first")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = append = clear = extend = insert = pop = remove = reverse = sort = _refuse

    def copy(self) -> list[Any]:
        return list(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(self),))


def shared_rows(rows: Iterable[Mapping[str, Any]]) -> SharedRows:
    """``rows`` as rows no one can change: each a :class:`SharedRow` (a row already shared is
    kept as it is)."""
    return SharedRows(row if type(row) is SharedRow else SharedRow(row) for row in rows)
