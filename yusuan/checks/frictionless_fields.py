"""Fields of the staged resources' Frictionless schemas whose copies skip re-validating their
own descriptor.

Each time Frictionless 5 opens a resource it copies every field of its schema twice (the header
keeps copies, the cell handlers copies of those: ``Header.__init__``, ``create_cell_handlers``),
and ``Field.to_copy`` goes through ``from_descriptor``: the field's descriptor exported, deep-copied,
JSON-Schema-validated again and imported. For ``amounts`` (47 fields) that is ~94 descriptor
validations per package, a third of the validation's CPU (issue 14) — and the descriptor is the
same each time: that of a field validated when its schema was built from ``schemas/``
(``Schema.from_descriptor`` validates every field; tests/unit/test_package.py validates the
published descriptors in full).

:func:`staged_fields` gives a schema's fields a subclass of their own Frictionless class whose
``to_copy`` is ``from_descriptor`` without that repeated validation: the same export, the same
transform and import, so the copy reads and checks every cell as the stock copy does (its type,
format, constraints and missing values come from the same descriptor). Nothing else of the
field changes. ``tests/unit/test_frictionless_fields.py`` compares both copies for every field
of every resource.
"""

from __future__ import annotations

import functools
from copy import deepcopy
from typing import Any

from frictionless import Field, Schema


def staged_fields(schema: Schema) -> Schema:
    """``schema`` with each field turned into its :func:`copy_without_revalidation` class (in
    place; the schema is built for the staged validation only). Returned for chaining."""
    for field in schema.fields:
        field.__class__ = copy_without_revalidation(type(field))
    return schema


@functools.cache
def copy_without_revalidation(field_class: type[Field]) -> type[Field]:
    """A subclass of ``field_class`` (no new attributes: its instances are laid out alike)
    whose ``to_copy`` does not validate the descriptor again; its copies are of this class too."""
    if issubclass(field_class, _CopiedWithoutRevalidation):
        return field_class
    return type(f"Staged{field_class.__name__}", (_CopiedWithoutRevalidation, field_class), {"__slots__": ()})


class _CopiedWithoutRevalidation:
    """Mixin of :func:`copy_without_revalidation`'s classes."""

    __slots__ = ()

    def to_copy(self, **options: Any) -> Any:
        """``Metadata.to_copy`` (export, ``from_descriptor``) minus ``metadata_validate`` of a
        descriptor exported from a field that was validated when it was built."""
        cls: Any = type(self)
        if options:  # a copy with changes: validated, as Frictionless does
            return super().to_copy(**options)  # type: ignore[misc]
        descriptor = deepcopy(self.to_descriptor())  # type: ignore[attr-defined]
        cls.metadata_transform(descriptor)
        return cls.metadata_import(descriptor, datapackage_version=getattr(self, "_datapackage_version", None))
