"""The import graph of the yusuan package by stage: checked by tests/unit/test_architecture.py
and drawn into docs/architecture.md.

    python scripts/import_graph.py            # print the stage graph as Mermaid
    python scripts/import_graph.py --write    # rewrite the picture in docs/architecture.md

Stages, lowest first. A module may import its own stage and the stages below it, never one
above; no two modules import each other, directly or around a circle.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("core", "extract", "layout", "interpret", "checks", "package", "ingest", "release", "catalogue", "flows", "cli")
STAGE_WORDS = {
    "core": "model, errors, numbers, schemas loader, limits, locks",
    "extract": "file → text lines and cell grids",
    "layout": "lines and grids → tables",
    "interpret": "tables and text → rows (amounts, narrative, targets, identity)",
    "checks": "accounting and schema rules, quality",
    "package": "one publication → a written data package",
    "ingest": "manifest, downloads, cache, the run loop",
    "release": "all packages → one research release (DuckDB, Parquet)",
    "catalogue": "catalogue pages, DCAT, CKAN",
    "flows": "Prefect: the run loop on tasks",
    "cli": "the yusuan command",
}
BEGIN, END = "<!-- import graph: begin -->", "<!-- import graph: end -->"


def module_files() -> dict[str, Path]:
    files = {}
    for path in sorted((ROOT / "yusuan").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for path in sorted((ROOT / "flows").glob("*.py")):
        name = "yusuan.flows" + ("" if path.stem == "__init__" else "." + path.stem)
        files[name] = path
    return files


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The yusuan modules a file imports (``from yusuan.x import y`` counts y when y is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("yusuan"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("yusuan"))
    return {name for name in found if name in known}


def graph() -> dict[str, set[str]]:
    """Module -> the modules it imports. Entry points (``__main__``) are left out: running
    ``python -m yusuan.flows`` is the command line, not a stage."""
    files = {name: path for name, path in module_files().items() if not name.endswith("__main__")}
    return {name: imports_of(path, set(files)) - {name} for name, path in files.items()}


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "core"  # the package's face: its version
    return parts[1] if parts[1] in STAGES else "cli"


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    rank = {stage: i for i, stage in enumerate(STAGES)}
    return sorted(
        f"{a} ({stage_of(a)}) imports {b} ({stage_of(b)})"
        for a, targets in edges.items() for b in targets
        if rank[stage_of(b)] > rank[stage_of(a)]
    )


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def mermaid(edges: dict[str, set[str]]) -> str:
    """Stages as boxes (with their module count), an arrow where one stage imports another."""
    counts: dict[str, int] = defaultdict(int)
    for module in edges:
        counts[stage_of(module)] += 1
    arrows = sorted({(stage_of(a), stage_of(b)) for a, targets in edges.items() for b in targets if stage_of(a) != stage_of(b)})
    lines = ["```mermaid", "flowchart BT"]
    for stage in STAGES:
        lines.append(f'  {stage}["<b>{stage}</b> ({counts[stage]} modules)<br/>{STAGE_WORDS[stage]}"]')
    lines.extend(f"  {a} --> {b}" for a, b in arrows)
    lines.append("```")
    return "\n".join(lines)


def write_docs(edges: dict[str, set[str]]) -> bool:
    doc = ROOT / "docs" / "architecture.md"
    text = doc.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    new = text[:start] + "\n" + mermaid(edges) + "\n" + text[end:]
    if new != text:
        doc.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    edges = graph()
    if "--write" in sys.argv:
        print("docs/architecture.md", "rewritten" if write_docs(edges) else "up to date")
    else:
        print(mermaid(edges))
    for problem in upward_imports(edges) + [" <-> ".join(c) for c in cycles(edges)]:
        print("problem:", problem, file=sys.stderr)
