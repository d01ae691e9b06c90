"""The release's ``datapackage.json``: every table as a Frictionless resource whose path is its
Parquet parts, and the DuckDB file, described in English and Chinese from ``schemas/``.

Per-publication tables are partitioned by fiscal year (``parquet/<table>/fiscal_year=YYYY/``,
Hive style): ``fiscal_year`` is a column of the table in DuckDB and the partition folder in
Parquet, not a column inside the files. The descriptor has no timestamp: the same packages
give the same descriptor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from yusuan import __version__
from yusuan.core.schemas import package_metadata
from yusuan.release.database import DATABASE_FILE
from yusuan.release.tables import YEAR, ReleaseTable, all_fields, release_tables

PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
FIELD_KEYS = ("title", "title_zh", "description", "description_zh", "columnType", "constraints")


def field_descriptor(name: str) -> dict[str, Any]:
    spec = all_fields()[name]
    described: dict[str, Any] = {"name": name, "type": spec["type"]}
    described.update({k: spec[k] for k in FIELD_KEYS if k in spec})
    if spec.get("decimal"):
        described["decimal"] = True
    return described


def table_descriptor(table: ReleaseTable, paths: list[str]) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": table.name,
        "type": "table",
        "path": paths if len(paths) != 1 else paths[0],
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "title": table.spec["title"],
        "title_zh": table.spec["title_zh"],
        "description": table.spec["description"],
        "description_zh": table.spec["description_zh"],
        "schema": {"fields": [field_descriptor(n) for n in table.columns], "primaryKey": _primary_key(table)},
    }
    if table.kind == "publication":
        described["partitioning"] = {"style": "hive", "fields": [YEAR]}
    return described


def _primary_key(table: ReleaseTable) -> list[str]:
    return list(table.spec.get("primary_key") or [])


def write_descriptor(folder: Path, publications: dict[str, Any]) -> Path:
    """datapackage.json of the release in ``folder`` from the state's parts."""
    meta = package_metadata()
    resources = []
    for table in release_tables():
        if table.kind == "publication":
            paths = sorted(entry["parts"][table.name] for entry in publications.values() if table.name in entry["parts"])
        else:
            paths = [f"parquet/{table.name}/{table.name}.parquet"]
        if paths:  # a table no publication has rows for is only in the database
            resources.append(table_descriptor(table, paths))
    resources.append({
        "name": "database", "path": DATABASE_FILE, "format": "duckdb", "mediatype": "application/vnd.duckdb",
        "title": "All tables in one DuckDB database", "title_zh": "全部数据表（DuckDB 数据库）",
        "description": "The same tables as the Parquet resources, with fiscal_year as a column; money is DECIMAL.",
        "description_zh": "与 Parquet 资源相同的数据表，含 fiscal_year 列；金额为精确小数（DECIMAL）。",
    })
    descriptor = {
        "$schema": "https://datapackage.org/profiles/1.0/datapackage.json",
        "name": "yusuan-release",
        "title": "Chinese government budget publications: research release",
        "title_zh": "政府部门预算决算公开：研究数据集",
        "description": f"Every publication of the output folder in one queryable dataset ({len(publications)} publications): amounts, tables, narrative figures, performance targets, checks, code lists, headline figures and the data dictionary.",
        "description_zh": f"输出目录中全部出版物（{len(publications)} 份）汇总为一个可查询的数据集：金额、表格、文字数字、绩效目标、校验结果、编码表、主要指标和数据字典。",
        "version": __version__,
        "languages": meta["languages"],
        "licenses": meta["licenses"],
        "keywords": meta["keywords"],
        "publications": len(publications),
        "fiscal_years": sorted({entry["fiscal_year"] for entry in publications.values()}),
        "resources": resources,
    }
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
