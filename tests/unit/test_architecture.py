"""The stages of docs/architecture.md hold in the code: no import from a lower stage to a
higher one, no import circles, and the picture in the docs is the code's."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_graph():
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module
    spec.loader.exec_module(module)
    return module


def test_no_stage_imports_a_higher_stage():
    graph = _import_graph()
    assert graph.upward_imports(graph.graph()) == []


def test_no_import_circles():
    graph = _import_graph()
    assert graph.cycles(graph.graph()) == []


def test_the_checker_sees_a_circle_and_an_upward_import():
    graph = _import_graph()
    edges = {"yusuan.core.a": {"yusuan.layout.b"}, "yusuan.layout.b": {"yusuan.core.a"}}
    assert graph.cycles(edges) == [["yusuan.core.a", "yusuan.layout.b"]]
    assert graph.upward_imports(edges) == ["yusuan.core.a (core) imports yusuan.layout.b (layout)"]


def test_every_module_is_in_a_stage():
    graph = _import_graph()
    stray = [m for m in graph.graph() if m.count(".") >= 1 and m.split(".")[1] not in graph.STAGES]
    assert stray == []


def test_docs_picture_is_up_to_date():
    graph = _import_graph()
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert graph.mermaid(graph.graph()) in text, "run: python scripts/import_graph.py --write"


def test_every_module_imports():
    """A module that fails to import is found here, not only when a path uses it (the fork
    server's preload, yusuan/ingest/worker_warmup.py, swallows an import error)."""
    import importlib
    import pkgutil

    import yusuan

    broken = []
    for module in pkgutil.walk_packages(yusuan.__path__, "yusuan."):
        if module.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(module.name)
        except Exception as exc:  # noqa: BLE001 - every failure is listed
            broken.append(f"{module.name}: {type(exc).__name__}: {exc}")
    assert broken == []
