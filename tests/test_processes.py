"""``journeybot serve``, ``serve --no-scheduler`` and ``worker`` as real processes: what each one runs.

Each is started as the deployment would start it (the installed ``journeybot`` command, settings from
the environment) on a SQLite file with two people from the roster whom no tick has looked at yet
(``next_due_at`` is NULL until planning looks at them). A process with the scheduler plans at once
(its first tick runs on start); one without it never does. The tick interval is an hour, so what is
seen is that first tick or nothing.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.cli_run import run

JOURNEYBOT = str(Path(sys.executable).with_name("journeybot"))
ROSTER = (
    "email,name,timezone,team,manager_email,roles\n"
    "ana@example.com,Ana Silva,Europe/Berlin,sales,,employee\n"
    "bo@example.com,Bo Li,Pacific/Honolulu,eng,,employee\n"
)
SETTLE = 3.0  # after the server answers: a scheduler's first tick would have run by then


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {  # only what the process needs: no platform credentials, nothing of ours leaks in
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "TICK_SECONDS": "3600",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "LOG_LEVEL": "INFO",
    }
    (tmp_path / "roster.csv").write_text(ROSTER)
    # The roster goes in through the command line in this process; the processes under test are real.
    imported = run(["roster", "import", str(tmp_path / "roster.csv")], tmp_path, **values)
    assert imported.returncode == 0, imported.stderr
    return values


@contextmanager
def running(env: dict[str, str], *args: str) -> Iterator[subprocess.Popen[str]]:
    log = Path(env["DATABASE_URL"].removeprefix("sqlite:///")).with_suffix(f".{args[0]}.log")
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [JOURNEYBOT, *args], env=env, cwd=log.parent, stdout=subprocess.DEVNULL, stderr=stderr, text=True
        )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)
    process.log = log.read_text()  # type: ignore[attr-defined]


def looked_at(env: dict[str, str]) -> int:
    """People planning has looked at (their next_due_at is set)."""
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as connection:
        query = "SELECT count(*) FROM people WHERE next_due_at IS NOT NULL"
        return int(connection.execute(query).fetchone()[0])


def wait_until(condition, process: subprocess.Popen[str], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, "the process exited"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def healthy(env: dict[str, str]) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{env['PORT']}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def listening(env: dict[str, str]) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", int(env["PORT"]))) == 0


def frozen_objects(env: dict[str, str]) -> float:
    """``journeybot_gc_frozen_objects`` on /metrics: what startup kept out of full collections."""
    with urllib.request.urlopen(f"http://127.0.0.1:{env['PORT']}/metrics", timeout=5) as response:
        for line in response.read().decode().splitlines():
            if line.startswith("journeybot_gc_frozen_objects "):
                return float(line.split()[1])
    return 0.0


def test_serve_runs_the_web_endpoints_and_the_scheduler(env: dict[str, str]) -> None:
    with running(env, "serve") as process:
        wait_until(lambda: healthy(env), process)
        wait_until(lambda: looked_at(env) == 2, process)
        # A full collection over startup's objects held every ack behind it (bench/RESULTS.md §5).
        wait_until(lambda: frozen_objects(env) > 10_000, process)
    assert "scheduler: one tick every 3600s" in process.log  # type: ignore[attr-defined]


def test_serve_without_the_scheduler_runs_only_the_web_endpoints(env: dict[str, str]) -> None:
    with running(env, "serve", "--no-scheduler") as process:
        wait_until(lambda: healthy(env), process)
        time.sleep(SETTLE)
        planned, alive = looked_at(env), process.poll() is None
        assert (planned, alive) == (0, True)
    assert "scheduler" not in process.log  # type: ignore[attr-defined]


def test_the_worker_runs_only_the_scheduler(env: dict[str, str]) -> None:
    with running(env, "worker") as process:
        wait_until(lambda: looked_at(env) == 2, process)
        time.sleep(SETTLE)
        web, alive = listening(env), process.poll() is None
        assert (web, alive) == (False, True)  # nothing listens on PORT: no web endpoints
    assert "scheduler: one tick every 3600s" in process.log  # type: ignore[attr-defined]
