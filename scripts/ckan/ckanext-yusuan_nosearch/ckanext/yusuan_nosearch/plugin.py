"""yusuan_nosearch: run CKAN without Apache Solr (test and local instances only).

CKAN 2.10-2.12 has no switch to turn search indexing off: every dataset write re-indexes the
dataset in Solr, and organization/group views count their datasets through a Solr query.
Without Solr, ``package_create`` fails with "Search Index Error" and ``organization_create``
with "Search Connection Error".

``ckan.lib.search`` looks its index and query classes up in module-level tables
(``_INDICES``, ``_QUERIES``) and, in a few places, by module attribute
(``search.PackageSearchQuery()``, ``search.PackageSearchIndex()``). When this plugin is
configured it points those at two small classes:

* :class:`NoopPackageIndex` - indexing, deleting and committing do nothing.
* :class:`DbPackageSearchQuery` - ``package_search``, dataset counts and facets are answered
  by filtering the ``package`` table in Python. ``get_index`` always raises ``SearchError``,
  so ``package_show`` falls back to building the dataset from the database (CKAN's own path).

Every write path stays CKAN's own. Supported query syntax is a small subset of Solr's:
``field:value``, ``field:"quoted value"``, ``field:(a OR b)``, ``+``/``-`` prefixes,
``*:*``, top-level ``OR`` between clauses in ``q``, and free-text words (case-insensitive
substring match on name, title, notes, tags, extras and resource names). Range queries are
ignored. There is no relevance ranking: ``score`` sorts are dropped. Do not test search
quality against this plugin; look datasets up by name or id.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import ckan.lib.plugins as lib_plugins
import ckan.lib.search as search
import ckan.logic as logic
import ckan.model as model
import ckan.plugins as p
from ckan.common import config
from ckan.lib.search.index import PackageSearchIndex
from ckan.lib.search.query import PackageSearchQuery

log = logging.getLogger(__name__)


class NoopPackageIndex(PackageSearchIndex):
    """Package index whose writes do nothing (there is no index)."""

    def update_dict(self, pkg_dict: dict[str, Any], defer_commit: bool = False) -> None:
        return None

    def remove_dict(self, pkg_dict: dict[str, Any]) -> None:
        return None

    def index_package(self, pkg_dict: dict[str, Any] | None, defer_commit: bool = False) -> None:
        return None

    def delete_package(self, pkg_dict: dict[str, Any]) -> None:
        return None

    def commit(self) -> None:
        return None

    def clear(self) -> None:
        return None


# field:value with value quoted, parenthesised, bracketed (range) or a bare word
_CLAUSE = re.compile(
    r"(?P<sign>[+-]?)(?P<field>[A-Za-z_][\w.]*|\*):"
    r'(?P<value>"(?:[^"\\]|\\.)*"|\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|\S+)'
)
_TEXT_FIELDS = {"text", "name_ngram", "title_ngram"}
_SORT_ALIASES = {"title_string": "title", "name_string": "name"}


def _unquote(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] == '"':
        v = v[1:-1]
    return re.sub(r"\\(.)", r"\1", v)


def _split_top_level_or(q: str) -> list[str]:
    """Split ``q`` on ' OR ' that is outside quotes and parentheses."""
    parts, depth, quoted, start, i = [], 0, False, 0, 0
    while i < len(q):
        c = q[i]
        if c == '"' and (i == 0 or q[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
        elif not quoted and depth == 0 and q.startswith(" OR ", i):
            parts.append(q[start:i])
            start = i + 4
            i += 4
            continue
        i += 1
    parts.append(q[start:])
    return [x.strip() for x in parts if x.strip()]


class _Clause:
    def __init__(self, field: str, values: list[str] | None, negate: bool) -> None:
        self.field = field  # "text" for free-text words
        self.values = values  # None means "any value present" (or a range we ignore)
        self.negate = negate

    def matches(self, doc: dict[str, Any]) -> bool:
        return self._raw(doc) != self.negate

    def _raw(self, doc: dict[str, Any]) -> bool:
        if self.field == "*":
            return True
        if self.field in _TEXT_FIELDS:
            hay = doc["_text"] if self.field == "text" else doc.get(self.field[:-6], "").lower()
            return all(any(w in hay for w in v.lower().split()) for v in self.values or [""])
        have = doc.get(self.field)
        if have is None:
            have = doc["_extras"].get(self.field.removeprefix("extras_"))
        if have is None:
            return False
        if self.values is None:
            return True
        have_set = {str(x) for x in have} if isinstance(have, list | tuple | set) else {str(have)}
        return any(v in have_set or v == "*" for v in self.values)


def _parse(expr: str) -> list[_Clause]:
    """Parse one conjunction of clauses; unknown syntax becomes free-text words."""
    clauses: list[_Clause] = []
    rest = expr
    for m in _CLAUSE.finditer(expr):
        rest = rest.replace(m.group(0), " ", 1)
        field, value, negate = m.group("field"), m.group("value"), m.group("sign") == "-"
        if value.startswith(("[", "{")):  # ranges: not supported, treated as "match"
            continue
        if value.startswith("("):
            values = [_unquote(v) for v in re.split(r"\s+OR\s+", value[1:-1].strip()) if v.strip()]
        else:
            values = [_unquote(value)]
        if field == "*" and values == ["*"]:
            continue
        if values == ["*"]:
            values = None
        clauses.append(_Clause(field, values, negate))
    words = [
        w for w in re.findall(r'"[^"]*"|\S+', rest) if w not in ("AND", "OR", "NOT", "&&", "||")
    ]
    for w in words:
        negate = w.startswith("-")
        w = _unquote(w.lstrip("+-"))
        if w:
            clauses.append(_Clause("text", [w], negate))
    return clauses


def _doc(pkg: model.Package, labels: Any) -> dict[str, Any]:
    """The fields of a package that a Solr document would have, enough for filtering."""
    org = model.Group.get(pkg.owner_org) if pkg.owner_org else None
    tags = [t.name for t in pkg.get_tags()]
    resources = pkg.resources
    extras = dict(pkg.extras.items())
    doc: dict[str, Any] = {
        "id": pkg.id,
        "name": pkg.name,
        "title": pkg.title or "",
        "notes": pkg.notes or "",
        "state": pkg.state,
        "capacity": "private" if pkg.private else "public",
        "private": str(bool(pkg.private)).lower(),
        "owner_org": pkg.owner_org,
        "organization": org.name if org else None,
        "dataset_type": pkg.type,
        "type": pkg.type,
        "license_id": pkg.license_id,
        "tags": tags,
        "groups": [g.name for g in pkg.get_groups("group")],
        "res_format": [r.format for r in resources if r.format],
        "res_name": [r.name for r in resources if r.name],
        "permission_labels": labels.get_dataset_labels(pkg),
        "site_id": config.get("ckan.site_id"),
        "entity_type": "package",
        "metadata_modified": pkg.metadata_modified,
        "metadata_created": pkg.metadata_created,
        "_extras": extras,
    }
    doc["_text"] = " ".join(
        [pkg.name, doc["title"], doc["notes"], *tags, *doc["res_name"], *map(str, extras.values())]
    ).lower()
    return doc


def _package_json(pkg_id: str, validated: bool) -> str:
    context: dict[str, Any] = {"ignore_auth": True, "use_cache": False}
    if not validated:
        context["validate"] = False
    return json.dumps(logic.get_action("package_show")(context, {"id": pkg_id}))


class DbPackageSearchQuery(PackageSearchQuery):
    """``package_search`` answered from PostgreSQL instead of Solr (see module docstring)."""

    def get_index(self, reference: str) -> dict[str, Any]:
        # Tells package_show there is no cached copy, so it builds the dict from the database.
        raise search.SearchError("yusuan_nosearch: no search index")

    def get_all_entity_ids(self, max_results: int = 1000) -> list[str]:
        q = model.Session.query(model.Package.id).filter(model.Package.state == "active")
        return [r[0] for r in q.limit(max_results)]

    def run(
        self,
        query: dict[str, Any],
        permission_labels: list[str] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        q = (query.get("q") or "").strip()
        q_alternatives = [_parse(part) for part in _split_top_level_or(q)] if q else [[]]
        fq_items = query.get("fq") or []
        fq_items = [fq_items] if isinstance(fq_items, str) else list(fq_items)
        fq_items += list(query.get("fq_list") or [])
        fq = [c for item in fq_items for c in _parse(item)]
        if not any(c.field == "state" for c in fq):
            fq.append(_Clause("state", ["active"], False))

        labels = lib_plugins.get_permission_labels()
        matched = []
        for pkg in model.Session.query(model.Package):
            doc = _doc(pkg, labels)
            if not all(c.matches(doc) for c in fq):
                continue
            if not any(all(c.matches(doc) for c in alt) for alt in q_alternatives):
                continue
            if permission_labels is not None and not set(doc["permission_labels"]) & set(
                permission_labels
            ):
                continue
            matched.append(doc)

        self._sort(matched, query.get("sort") or "metadata_modified desc")
        self.count = len(matched)
        self.facets = self._facets(matched, query)

        start = int(query.get("start") or 0)
        rows = int(query.get("rows", 10))
        page = matched[start : start + rows] if rows >= 0 else matched[start:]

        fl = query.get("fl") or "name"
        fields = [f for f in re.split(r"[\s,]+", fl) if f]
        if fl in ("id", "name"):
            self.results = [d[fl] for d in page]
        else:
            self.results = [self._project(d, fields) for d in page]
        return {"results": self.results, "count": self.count}

    @staticmethod
    def _sort(docs: list[dict[str, Any]], sort: str) -> None:
        keys = []
        for part in sort.split(","):
            bits = part.split()
            if not bits or bits[0] == "score":
                continue
            field = _SORT_ALIASES.get(bits[0], bits[0])
            keys.append((field, len(bits) > 1 and bits[1].lower() == "desc"))
        for field, desc in reversed(keys):
            docs.sort(key=lambda d, f=field: (d.get(f) is None, d.get(f) or ""), reverse=desc)

    @staticmethod
    def _facets(docs: list[dict[str, Any]], query: dict[str, Any]) -> dict[str, dict[str, int]]:
        if str(query.get("facet", "true")).lower() == "false":
            return {}
        fields = query.get("facet.field") or []
        if isinstance(fields, str):
            fields = json.loads(fields) if fields.startswith("[") else [fields]
        limit = int(query.get("facet.limit") or -1)
        mincount = int(query.get("facet.mincount") or 1)
        out: dict[str, dict[str, int]] = {}
        for field in fields:
            counts: dict[str, int] = {}
            for d in docs:
                v = d.get(field, d["_extras"].get(field))
                for x in v if isinstance(v, list) else [v]:
                    if x is not None and x != "":
                        counts[str(x)] = counts.get(str(x), 0) + 1
            items = sorted(
                ((k, n) for k, n in counts.items() if n >= mincount), key=lambda kv: (-kv[1], kv[0])
            )
            out[field] = dict(items if limit < 0 else items[:limit])
        return out

    @staticmethod
    def _project(doc: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        if "*" in fields:
            fields = [k for k in doc if not k.startswith("_")] + ["data_dict"]
        out: dict[str, Any] = {}
        for f in fields:
            if f == "validated_data_dict":
                out[f] = _package_json(doc["id"], validated=True)
            elif f == "data_dict":
                out[f] = _package_json(doc["id"], validated=False)
            elif f in doc and not f.startswith("_"):
                v = doc[f]
                out[f] = v.isoformat() if hasattr(v, "isoformat") else v
            elif f in doc["_extras"]:
                out[f] = doc["_extras"][f]
        return out


def _no_solr_schema_check(schema_file: str | None = None) -> bool:
    return False  # there is no Solr whose schema could be checked


def install() -> None:
    """Point CKAN's search registry at the classes above (idempotent)."""
    search.check_solr_schema_version = _no_solr_schema_check  # called at startup
    search._INDICES["package"] = NoopPackageIndex
    search._QUERIES["package"] = DbPackageSearchQuery
    search.PackageSearchIndex = NoopPackageIndex  # used directly by bulk updates
    search.PackageSearchQuery = DbPackageSearchQuery  # used directly by group/tag dictization


class NoSearchPlugin(p.SingletonPlugin):
    """Replaces CKAN's Solr search backend with the database (see module docstring)."""

    p.implements(p.IConfigurable)

    def configure(self, config_: Any) -> None:
        install()
        log.info("yusuan_nosearch: Solr replaced by database queries (indexing is a no-op)")


# Installing at import as well covers CLI commands that touch search before plugins are
# configured. The plugin module is only imported when the plugin is enabled.
install()
