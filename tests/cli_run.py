"""Running the ``journeybot`` command line in a test: in this process, or as a real process.

In this process is the default: the same entry point the installed command calls (``main()``: typer's
parsing, the one-line errors, the commands, the console chat reading piped lines), with the
environment, working directory, arguments and standard streams of a fresh run, and no interpreter
start, imports and SDK loading per call (which made the console tests the slowest part of the
suite). What only a real process shows — what logging prints to standard error, the installed
script, ``make run`` — is checked by a few tests with ``run_process``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from bot.main.cli import main

BIN = Path(sys.executable).parent / "journeybot"
# One in-process run at a time: arguments, environment and standard streams belong to the process.
_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def environment(tmp_path: Path, **env: str) -> dict[str, str]:
    """The caller's environment without our settings (as a newcomer has it), a fresh SQLite file."""
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "TEAMS_", "DATABASE_URL", "LOG_LEVEL", "CATALOGUE_FILE"))
    }
    return kept | {"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", **env}


def run(args: list[str], tmp_path: Path, stdin: str = "", **env: str) -> Ran:
    """``journeybot ARGS`` with ``stdin`` piped in, run in this process, in ``tmp_path``."""
    out, err = io.StringIO(), io.StringIO()
    exit_codes: list[int] = []
    failures: list[BaseException] = []

    def journeybot() -> None:
        try:
            main()
            exit_codes.append(0)
        except SystemExit as stop:
            code = stop.code
            exit_codes.append(code if isinstance(code, int) else 0 if code is None else 1)
        except BaseException as error:  # main() turns every error into a line; reaching here is a bug
            failures.append(error)

    with (
        _ONE_AT_A_TIME,
        _logging_restored(),
        mock.patch.dict(os.environ, environment(tmp_path, **env), clear=True),
        mock.patch.object(sys, "argv", ["journeybot", *args]),
        mock.patch.object(sys, "stdin", io.StringIO(stdin)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        contextlib.chdir(tmp_path),
    ):
        # A thread of its own: the commands call asyncio.run, which an async test's loop would refuse.
        thread = threading.Thread(target=journeybot, name="journeybot-cli")
        thread.start()
        thread.join(timeout=60)
        assert not thread.is_alive(), f"journeybot {' '.join(args)} did not finish within 60 s"
    if failures:
        raise failures[0]
    return Ran(exit_codes[0], out.getvalue(), err.getvalue())


def _loggers() -> list[logging.Logger]:
    known = logging.Logger.manager.loggerDict.values()
    return [logging.getLogger(), *(logger for logger in known if isinstance(logger, logging.Logger))]


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    """``main()`` configures logging for the whole process (the root's handler, levels of chatty
    libraries); give the test runner its own configuration back afterwards."""
    saved = {logger: (logger.level, logger.handlers[:], logger.disabled) for logger in _loggers()}
    try:
        yield
    finally:
        for logger in _loggers():
            level, handlers, disabled = saved.get(logger, (logging.NOTSET, [], False))
            logger.setLevel(level)
            logger.handlers[:] = handlers
            logger.disabled = disabled


def run_process(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """``journeybot ARGS`` as the installed command, at the default log level (INFO), as a newcomer
    runs it: what reaches standard error is what they see."""
    return subprocess.run(
        [str(BIN), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(tmp_path, **env),
        timeout=60,
    )
