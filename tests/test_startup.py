"""``journeybot serve`` as a real process: a configuration problem is one line and a non-zero exit
before serving; a problem that can heal (Slack unreachable) leaves the server serving, and
``/readyz`` says what is wrong."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import TEST_DATABASE_URL, scratch_postgres_database
from tests.test_processes import JOURNEYBOT, free_port


def base_env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {  # only what the process needs: nothing of the developer's environment leaks in
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "TICK_SECONDS": "3600",
        **values,
    }


def serve(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOURNEYBOT, "serve"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1-2-abc"}, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_SIGNING_SECRET": "s3cr3t-signing"}, "SLACK_BOT_TOKEN is not set"),
        ({"TEAMS_APP_ID": "00000000-0000-0000-0000-000000000001"}, "TEAMS_APP_PASSWORD is not"),
        ({"TEAMS_APP_PASSWORD": "a-password-alone"}, "TEAMS_APP_ID is not"),
        ({"DATABASE_URL": "not a url at all"}, "DATABASE_URL is not a database URL"),
        ({"DATABASE_URL": "mysql://db/journeybot"}, "unsupported database URL scheme 'mysql'"),
        ({"PORT": "eighty"}, "PORT: Input should be a valid integer"),
    ],
)
def test_a_configuration_problem_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, values: dict[str, str], says: str
) -> None:
    done = serve(base_env(tmp_path, **values), tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and says in lines[0]
    for value in values.values():
        if "secret" in value or "password" in value or value.startswith("xoxb-"):
            assert value not in done.stderr


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_postgresql_without_its_migrations_says_run_db_upgrade(tmp_path: Path) -> None:
    with scratch_postgres_database(f"journeybot_startup_{os.getpid()}") as url:
        env = base_env(tmp_path, DATABASE_URL=url)
        done = serve(env, tmp_path)
        assert done.returncode != 0
        assert done.stderr.strip() == (
            "error: the database has no journeybot schema yet: run `journeybot db upgrade`"
        )
        upgraded = subprocess.run(
            [JOURNEYBOT, "db", "upgrade"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert upgraded.returncode == 0, upgraded.stderr


def get(port: str, path: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_slack_unreachable_over_socket_mode_leaves_the_server_serving_and_readyz_says_why(
    tmp_path: Path,
) -> None:
    nowhere = free_port()  # nothing listens there: Slack's API "is down"
    env = base_env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-1-2-socketmode",
        SLACK_SIGNING_SECRET="signing-secret-socketmode",
        SLACK_APP_TOKEN="xapp-1-A1-socketmode",
        SLACK_API_URL=f"http://127.0.0.1:{nowhere}/api/",
        LOG_LEVEL="INFO",
    )
    log = tmp_path / "serve.log"
    with log.open("w") as stderr:
        process = subprocess.Popen([JOURNEYBOT, "serve"], env=env, cwd=tmp_path, stderr=stderr, text=True)
    try:
        deadline, health, ready = time.monotonic() + 30, None, None
        while time.monotonic() < deadline:
            try:
                health = get(env["PORT"], "/healthz")
                ready = get(env["PORT"], "/readyz")
                if str(ready).count("Slack could not be reached") == 2:  # both tried and failed
                    break
            except OSError:
                assert process.poll() is None, log.read_text()
            time.sleep(0.2)
        assert health == (200, {"status": "ok"})
        assert ready is not None and ready[0] == 503
        problems = ready[1]["problems"]
        assert isinstance(problems, dict)
        assert "Slack could not be reached" in problems["slack: socket mode"]
        assert "Slack could not be reached" in problems["slack: bot token"]
    finally:
        process.terminate()
        process.wait(timeout=20)
    lines = [json.loads(line) for line in log.read_text().splitlines()]  # not a terminal: JSON
    warnings = [line["message"] for line in lines if line["level"] == "WARNING"]
    assert any("Slack could not be reached" in w and "trying again in" in w for w in warnings)
    assert "socketmode" not in log.read_text()  # neither token, nor the signing secret


def test_version_is_the_package_version(tmp_path: Path) -> None:
    done = subprocess.run(
        [JOURNEYBOT, "--version"], env=base_env(tmp_path), capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0 and done.stdout.strip() == f"journeybot {version('journeybot')}"
