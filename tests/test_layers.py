"""The architecture's rules, checked on the real import graph so that `pytest` alone enforces them.

The contracts live in pyproject.toml (`[tool.importlinter]`); `make test` also runs `lint-imports`.
Imports under ``TYPE_CHECKING`` count, here as in the contracts: a type-only import still makes one
module depend on the other's design (mypy follows it, a reader has to), and guarding an import with
``TYPE_CHECKING`` is the usual way to hide a cycle rather than to remove it.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
from importlinter import configuration
from importlinter.application import use_cases

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
PACKAGES = ("nudges", "bot", "adapters", "migrations")


def import_graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, exclude_type_checking_imports=False, cache_dir=None)


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def test_the_import_contracts_hold() -> None:
    # What `lint-imports` runs, minus its command line (which reconfigures logging for the whole
    # process, silencing loggers other tests listen to). The report names each broken contract and
    # the chain of imports that breaks it.
    ours = logging.getLogger("journeybot")
    configuration.configure()
    kept = use_cases.lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    assert not ours.disabled  # the tests after this one still hear the bot's logs
    assert kept, "import contracts broken: see the report above"


def cycles_in(graph: grimp.ImportGraph) -> set[tuple[str, ...]]:
    """Every import that leads back to its importer, as the shortest cycle through it."""
    cycles: set[tuple[str, ...]] = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            way_back = graph.find_shortest_chain(importer=imported, imported=importer)
            if way_back is not None:
                cycle = (importer, *way_back)[:-1]  # the modules in order, the first not repeated
                # Each cycle once, whichever of its modules it was found from: start at the smallest.
                start = cycle.index(min(cycle))
                cycles.add((*cycle[start:], *cycle[:start]))
    return cycles


def test_no_module_imports_itself_through_others() -> None:
    cycles = cycles_in(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(
        " -> ".join((*cycle, cycle[0])) for cycle in sorted(cycles)
    )


def test_the_cycle_check_sees_cycles_and_only_cycles() -> None:
    graph = grimp.ImportGraph()
    imports = [
        ("p.x", "p.y"),
        ("p.y", "p.z"),
        ("p.z", "p.x"),
        ("p.z", "p.w"),
        ("p.v", "p.v.u"),
        ("p.v.u", "p.v"),
    ]
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported)
    assert cycles_in(graph) == {("p.x", "p.y", "p.z"), ("p.v", "p.v.u")}


def test_the_contracts_name_every_part_of_bot() -> None:
    # The composition-root contract is exhaustive (import-linter fails on a child of bot it does not
    # name); the adapters contract must name the same parts, or a new subsystem could import adapters.
    parts = {module.removeprefix("bot.") for module in import_graph().find_children("bot")}
    by_id = contracts()
    layers = by_id["composition-root"]["layers"]
    assert isinstance(layers, list)
    named_in_layers = {part.strip() for layer in layers for part in layer.split(":")}
    sources = by_id["bot-without-adapters"]["source_modules"]
    assert isinstance(sources, list)
    assert named_in_layers == parts
    assert {source.removeprefix("bot.") for source in sources} == parts - {"main"}


def test_the_composition_root_knows_every_table_alembic_knows() -> None:
    """Erasure and export (bot/store/privacy.py) walk ``metadata``: a serving process must hold every
    table in it, not only those its configured platforms happened to import."""
    script = (
        "import bot.main.build\n"
        "from bot.store.models import metadata\n"
        "served = set(metadata.tables)\n"
        "import migrations.tables\n"
        "print(sorted(set(metadata.tables) - served))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
