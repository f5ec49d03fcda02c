"""The engine's modules import each other one way: no module of ``nudges`` imports, directly or
through others, a module that imports it (a cycle hid behind a lazy import inside a function)."""

from __future__ import annotations

import ast
from pathlib import Path

NUDGES = Path(__file__).resolve().parents[2] / "nudges"


def engine_imports() -> dict[str, set[str]]:
    """Each engine module → the engine modules it imports, anywhere in it (functions included)."""
    modules = {p.stem for p in NUDGES.glob("*.py") if p.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for name in modules:
        found = set()
        for node in ast.walk(ast.parse((NUDGES / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.removeprefix("nudges.") for a in node.names if a.name.startswith("nudges.")}
            elif isinstance(node, ast.ImportFrom) and node.module == "nudges":
                found |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nudges."):
                found.add(node.module.removeprefix("nudges."))
        graph[name] = found & modules
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found = []

    def visit(name: str, path: list[str]) -> None:
        for imported in sorted(graph[name]):
            if imported in path:
                found.append([*path[path.index(imported) :], imported])
            else:
                visit(imported, [*path, imported])

    for name in sorted(graph):
        visit(name, [name])
    return found


def test_no_engine_module_imports_itself_round_a_cycle() -> None:
    graph = engine_imports()
    assert len(graph) >= 10 and graph["dialogue"]  # the graph really was read
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) != []
