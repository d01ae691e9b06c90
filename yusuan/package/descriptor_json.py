"""The text of datapackage.json: ``json.dumps(descriptor, ensure_ascii=False, indent=2)``, the
same characters, with the resources' Table Schemas indented once per process (issue 14).

An indent turns CPython's C encoder off: ``json.dumps`` with ``indent`` runs the pure-Python
encoder, a generator per container and a yield per token. A package descriptor is about 94 KB,
four fifths of it the resources' ``schema`` (every field's bilingual title and description),
and those schemas are the same in every package (they come from ``schemas/`` only); what
differs between packages is a few hashes, sizes and the document's metadata.

So the descriptor is written with each ``schema`` replaced by a placeholder string, and each
placeholder then replaced by its schema's indented text. That text is remembered under the
schema's *compact* text (the C encoder's, no indent): the indented text is a function of the
compact text, because both encoders write every token (key, string, number, literal) the same
way (``encode_basestring``, ``int.__repr__``, ``float.__repr__``) and JSON's grammar gives one
tree per text. A schema nested ``level`` containers deep is the text at the top level with
``indent * level`` more spaces after every line break: the encoder indents each line of a
nested container by the container's depth, and an encoded string never holds a raw line break
(``\\n`` is written as an escape).

Anything else (no list of resources or an empty one, a resource or schema that is not a
dict, a placeholder not found once in its place) is written by ``json.dumps`` itself.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import OrderedDict
from typing import Any

SCHEMA_LEVEL = 3  # descriptor (0) -> "resources" list (1) -> a resource (2) -> its "schema" (3)
KEPT = 128  # indented schemas remembered (a package has 14 resources; a few KB each)

_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # the C encoder
_indented: OrderedDict[tuple[int, str], str] = OrderedDict()
_lock = threading.Lock()


def descriptor_json(descriptor: dict[str, Any], indent: int = 2) -> str:
    """``json.dumps(descriptor, ensure_ascii=False, indent=indent)``, character for character."""
    resources = descriptor.get("resources") if type(descriptor) is dict else None
    if type(resources) is not list or not resources or not all(type(r) is dict and type(r.get("schema")) is dict for r in resources):
        return json.dumps(descriptor, ensure_ascii=False, indent=indent)
    token = f"yusuan-schema-{uuid.uuid4().hex}-"
    outline = dict(descriptor)
    outline["resources"] = [resource | {"schema": f"{token}{i}"} for i, resource in enumerate(resources)]
    pieces = json.dumps(outline, ensure_ascii=False, indent=indent).split(token)
    # piece 0 ends with the placeholder's opening quote; piece i + 1 starts with "i" and its
    # closing quote, and ends with the next opening quote: anything else, and the token was
    # the document's own text (never, with a random token), so json.dumps writes it all
    if len(pieces) != len(resources) + 1 or not all(pieces[i + 1].startswith(f'{i}"') for i in range(len(resources))):
        return json.dumps(descriptor, ensure_ascii=False, indent=indent)
    out = [pieces[0][:-1]]
    for i, resource in enumerate(resources):
        out.append(nested_text(resource["schema"], indent, SCHEMA_LEVEL))
        rest = pieces[i + 1][len(f'{i}"') :]
        out.append(rest[:-1] if i + 1 < len(resources) else rest)
    return "".join(out)


def nested_text(value: dict[str, Any] | list[Any], indent: int, level: int) -> str:
    """The text the indenting encoder writes for ``value`` nested ``level`` containers deep."""
    top = indented_text(value, indent)
    return top.replace("\n", "\n" + " " * (indent * level)) if level else top


def indented_text(value: dict[str, Any] | list[Any], indent: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``, remembered under the compact text."""
    key = (indent, _compact(value))
    with _lock:
        found = _indented.get(key)
        if found is not None:
            _indented.move_to_end(key)
            return found
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    with _lock:
        _indented[key] = text
        while len(_indented) > KEPT:
            _indented.popitem(last=False)
    return text
