"""Stable ids of issuers and where they sit: division code, government level, department.

Issuer names change (江苏省人大办公厅 / 江苏省人大常委会办公厅) and a department and its
own-level unit publish under one name (a 部门预算 and a 单位预算 of 上海市普陀区人民政府办公室),
so neither the name nor name + year identifies the budget entity. schemas/issuers.yaml maps
name variants to one id and units to their department; schemas/regions.yaml gives the
GB/T 2260 code of the region. Nothing here looks at amounts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from yusuan.core.schema_files import SAFE_LOADER
from yusuan.core.schemas import normalize_label, schemas_dir

Row = dict[str, Any]


@dataclass(frozen=True)
class Identity:
    issuer_id: str
    division_code: str
    government_level: str
    department_issuer_id: str


@cache
def _schema() -> dict[str, Any]:
    with Path(schemas_dir(), "issuers.yaml").open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=SAFE_LOADER)  # libyaml's safe loader where built


@cache
def _divisions() -> dict[str, str]:
    with Path(schemas_dir(), "regions.yaml").open(encoding="utf-8") as handle:
        return {k: str(v) for k, v in yaml.load(handle, Loader=SAFE_LOADER)["region_codes"].items()}


@cache
def _by_name() -> dict[str, dict[str, Any]]:
    names: dict[str, dict[str, Any]] = {}
    for entry in _schema()["issuers"]:
        for name in [entry["name"], *entry.get("variants", [])]:
            names[_key(name)] = entry
    return names


def _key(name: str) -> str:
    return normalize_label(name).replace("(", "（").replace(")", "）")


def division_code(region: str) -> str:
    """GB/T 2260 code of a region as the manifests write it; '' when not listed."""
    return _divisions().get(normalize_label(region), "")


def government_level(code: str, region: str) -> str:
    """province / city / district / county from the division code (a 直辖市 is a province)."""
    if not code:
        return ""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district" if normalize_label(region).endswith(tuple(_schema()["district_suffixes"])) else "county"


def split_suffix(name: str) -> tuple[str, str]:
    """(name without an own-level or consolidated suffix, 'own' / 'consolidated' / '')."""
    key = _key(name)
    for kind, suffixes in (("own", "own_level_suffixes"), ("consolidated", "consolidated_suffixes")):
        for suffix in sorted(_schema()[suffixes], key=len, reverse=True):
            suffix = _key(suffix)
            if key.endswith(suffix) and len(key) > len(suffix) + 2:
                return key[: -len(suffix)], kind
    return key, ""


def base_id(name: str, code: str) -> str:
    """The listed id of a name (or a variant), else one derived from the name itself."""
    entry = _by_name().get(_key(name))
    if entry:
        return entry["id"]
    digest = hashlib.sha256(_key(name).encode("utf-8")).hexdigest()[:10]
    return f"{code or '000000'}-{digest}"


def identify(issuer: str, region: str, kind: str) -> Identity:
    """The identity of a publication's issuer (see schemas/issuers.yaml for the rules)."""
    code = division_code(region)
    level = government_level(code, region)
    name, suffix = split_suffix(issuer)
    entry = _by_name().get(name)
    if kind not in _schema()["unit_kinds"]:
        return Identity(base_id(name, code), code, level, "")
    if entry and entry.get("department"):
        return Identity(entry["id"], code, level, entry["department"])
    # the own level (本级) of the department of that name: a 单位预算 under a department's
    # own name, or with an own-level suffix; an independent unit is listed with its department
    department = base_id(name, code)
    return Identity(f"{department}-own", code, level, department)


def unit_issuer_id(unit_name: str, department: Identity) -> str:
    """The issuer id of a unit a department lists: its own level, a listed unit, or one
    derived from the name."""
    name, suffix = split_suffix(unit_name)
    own = base_id(name, department.division_code)
    if suffix == "own" or own == department.issuer_id:  # the department's own level
        return f"{department.issuer_id}-own"
    return own
