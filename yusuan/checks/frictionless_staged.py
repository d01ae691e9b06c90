"""The Frictionless resource of a staged CSV: its foreign-key lookup built once per referenced
file's bytes, its descriptor validated once per descriptor.

To check a resource's foreign keys, Frictionless 5 builds a *lookup* when it opens the resource
(``TableResource.__open_lookup``): for each reference, a copy of the referenced resource is
opened and every row read and typed, and the referenced key's cells are put in a set. The
``amounts`` resource of every package references the function, economic and government
economic code lists (the first alone has 1,473 rows; the same bytes in most packages), so
each package re-read them all (issue 14).

:class:`StagedTableResource` is a ``TableResource`` whose lookup is the one Frictionless builds,
reference by reference, except that the set of a reference whose file has bytes (sha256) and a
schema already read in this process is taken from that earlier reading. The set depends on
nothing else: the referenced resource is read with the same options (``_validate`` in
yusuan/checks/schema_validation.py builds every staged resource alike). Every row of the
resource itself is still checked against the set, so a value missing from a code list is still
a ``foreign-key`` error.

``Resource.validate`` first validates the resource's own descriptor against Frictionless'
JSON Schema profile (``to_descriptor(validate=True)``): the staged resources' descriptors are
the same in every package (name, path, format, encoding, schema). A descriptor equal to one
validated before in the process without errors is not validated again; any other is, and its
errors are reported as Frictionless reports them.

The lookup is a private step of Frictionless (its name-mangled method and attribute; no
public hook exists in 5.x): :data:`HOOKED` says whether the installed version has them, and
otherwise the stock resource is used (the same reports, without the saving).
``tests/unit/test_frictionless_staged.py`` compares the lookup with the stock one on a real
package, so a Frictionless release that changes the step fails there, not in the data.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from frictionless.resources import TableResource
from frictionless.table.lookup import Lookup

_OPEN_LOOKUP = "_TableResource__open_lookup"  # TableResource.__open_lookup, name-mangled
_LOOKUP = "_TableResource__lookup"
HOOKED = callable(getattr(TableResource, _OPEN_LOOKUP, None))

LOOKUPS_KEPT = 32  # referenced files remembered: a few code lists, their editions
_sets: OrderedDict[tuple[Any, ...], frozenset[tuple[Any, ...]]] = OrderedDict()
_sets_lock = threading.Lock()  # packages are written from several threads (flows/ingest.py)


_valid_descriptors: set[str] = set()  # JSON of resource descriptors validated without errors
VALID_DESCRIPTORS_KEPT = 256


class StagedTableResource(TableResource):
    """A staged CSV resource whose foreign-key lookup sets are shared between packages with
    the same referenced bytes and whose descriptor is validated once (see the module's
    docstring); its rows are validated like any resource's."""

    def to_descriptor(self, *, validate: bool = False, upgrade: bool = False) -> dict[str, Any]:
        """Frictionless' descriptor; with ``validate``, validated unless the same descriptor
        was validated without errors before (the result is the same: no error)."""
        if not validate or upgrade:
            return super().to_descriptor(validate=validate, upgrade=upgrade)
        descriptor = super().to_descriptor()
        key = json.dumps([descriptor, getattr(self, "_datapackage_version", None)], sort_keys=True, default=str)
        with _sets_lock:
            if key in _valid_descriptors:
                return descriptor
        validated = super().to_descriptor(validate=True)  # raises on errors, as Frictionless does
        with _sets_lock:
            if len(_valid_descriptors) >= VALID_DESCRIPTORS_KEPT:
                _valid_descriptors.clear()
            _valid_descriptors.add(key)
        return validated

    def _TableResource__open_lookup(self) -> None:  # noqa: N802 - overrides the private step
        if not all(self._staged_reference(fk["reference"]["resource"]) for fk in self.schema.foreign_keys):
            getattr(TableResource, _OPEN_LOOKUP)(self)  # Frictionless' own step and its errors
            return
        lookup = Lookup()
        for fk in self.schema.foreign_keys:
            source_name = fk["reference"]["resource"]
            source_key = tuple(fk["reference"]["fields"])
            lookup.setdefault(source_name, {})
            if source_key in lookup[source_name]:
                continue
            lookup[source_name][source_key] = self._reference_set(source_name, source_key)
        setattr(self, _LOOKUP, lookup)

    def _staged_reference(self, source_name: str) -> bool:
        """A reference to another resource of the package (self-references and missing
        resources are left to Frictionless' own step)."""
        return bool(source_name) and source_name != self.name and self.package is not None and self.package.has_resource(source_name)

    def _reference_set(self, source_name: str, source_key: tuple[str, ...]) -> frozenset[tuple[Any, ...]]:
        """The referenced key's cells as Frictionless reads them, from memory if these bytes
        with this schema were read before."""
        source = self.package.get_resource(source_name)
        key = (source_name, source_key, _file_sha256(source), json.dumps(source.schema.to_descriptor(), sort_keys=True, default=str))
        with _sets_lock:
            found = _sets.get(key)
            if found is not None:
                _sets.move_to_end(key)
                return found
        found = read_reference_set(source, source_key)
        with _sets_lock:
            _sets[key] = found
            while len(_sets) > LOOKUPS_KEPT:
                _sets.popitem(last=False)
        return found


def read_reference_set(source: Any, source_key: tuple[str, ...]) -> frozenset[tuple[Any, ...]]:
    """What Frictionless' ``__open_lookup`` puts in its set for one reference: a copy of the
    referenced resource without its own foreign keys, every row's key cells, rows whose key
    cells are all empty left out."""
    copy = source.to_copy()
    if copy.schema:
        copy.schema.foreign_keys = []
    cells: set[tuple[Any, ...]] = set()
    with copy:
        for row in copy.row_stream:
            key = tuple(row.get(name) for name in source_key)
            if set(key) != {None}:
                cells.add(key)
    return frozenset(cells)


def _file_sha256(resource: Any) -> str:
    path = Path(resource.basepath or "") / resource.path
    return hashlib.sha256(path.read_bytes()).hexdigest()


def forget() -> None:
    """Drop the remembered sets and descriptors (tests)."""
    with _sets_lock:
        _sets.clear()
        _valid_descriptors.clear()
