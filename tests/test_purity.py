"""The engine stays pure: importing ``nudges`` pulls in no database, web or platform module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

FORBIDDEN = (
    "bot",
    "adapters",
    "sqlalchemy",
    "slack_bolt",
    "slack_sdk",
    "botbuilder",
    "microsoft_agents",
    "aiohttp",
    "yaml",
    "pydantic",
)
NUDGES = Path(__file__).resolve().parents[1] / "nudges"


def engine_sources() -> list[Path]:
    """Every module of the engine, in subpackages too."""
    return sorted(NUDGES.rglob("*.py"))


def test_importing_every_engine_module_loads_nothing_forbidden() -> None:
    modules = [
        ".".join(("nudges", *path.relative_to(NUDGES).with_suffix("").parts)).removesuffix(".__init__")
        for path in engine_sources()
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
    assert len(modules) >= 10  # the test really imported the engine


def test_engine_sources_import_only_the_standard_library_and_itself() -> None:
    stdlib = set(sys.stdlib_module_names)
    offenders = []
    for path in engine_sources():
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] not in stdlib | {"nudges"}]
    assert offenders == []
