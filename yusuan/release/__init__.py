"""The research release: every package of an output folder as one queryable dataset.

``yusuan release`` gathers the packages of an output folder into ``<output>/release/``: a
DuckDB database, the same tables as Parquet partitioned by fiscal year, a Frictionless
``datapackage.json`` describing them, ready headline figures per publication and a bilingual
data dictionary. The build is incremental (a publication whose package did not change is not
read again) and atomic (staged beside the release, then swapped in under the output lock).
Plain Python: flows only call :func:`build_release`.
"""

from yusuan.release.build import ReleaseSummary, build_release

__all__ = ["ReleaseSummary", "build_release"]
