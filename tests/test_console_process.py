"""The installed ``journeybot`` as real processes, on a new SQLite file, logging at the default level
(INFO) as a person at a terminal runs it: what reaches standard error is what they see.

The conversations themselves are tested in this process (``test_console.py``); these few are what
only a real process shows.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_run import run_process
from tests.test_console import ONBOARDING


def test_make_run_without_credentials_chats_in_the_console(tmp_path: Path) -> None:
    # `make run` is `journeybot run`: with no platform configured it is the console chat on SQLite.
    result = run_process(["run"], tmp_path, "\n".join(ONBOARDING) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No Slack or Teams credentials set: starting the console chat")
    assert "Welcome to your journey" in result.stdout
    assert "Your first share!" in result.stdout
    assert result.stdout.rstrip().endswith("Bye for now! I'm here whenever you want me.")
    assert "Traceback" not in result.stderr


def test_a_fresh_database_is_upgraded_quietly_at_the_default_log_level(tmp_path: Path) -> None:
    result = run_process(["chat", "--user", "dee@example.com"], tmp_path, "help\n")
    assert result.returncode == 0
    assert "one small next step" in result.stdout
    assert result.stderr == ""


def test_an_error_is_the_only_line_on_standard_error(tmp_path: Path) -> None:
    # After the automatic SQLite upgrade at the default log level, nothing but the error line.
    result = run_process(["roster", "import", "missing.csv"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "missing.csv" in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
