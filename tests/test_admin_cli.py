"""``journeybot role`` and ``journeybot audit``, run as an operator would (real processes, a fresh SQLite file)."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from tests.cli_run import BIN, run

ROSTER = """email,name,timezone,team,manager_email,roles
ann@example.com,Ann Lee,Europe/Berlin,Platform,,employee;manager
bo@example.com,Bo Park,UTC,Sales,,
"""


def test_roles_are_granted_revoked_listed_and_every_change_is_audited(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(ROSTER)
    assert run(["roster", "import", "roster.csv"], tmp_path).returncode == 0

    granted = run(["role", "grant", "Bo@Example.com", "marketing"], tmp_path)
    assert granted.returncode == 0, granted.stderr
    assert granted.stdout == "Bo@Example.com: employee, marketing\n"
    again = run(["role", "grant", "bo@example.com", "marketing"], tmp_path)
    assert again.stdout.startswith("Nothing to change: bo@example.com already has the marketing role")
    revoked = run(["role", "revoke", "ann@example.com", "manager"], tmp_path)
    assert revoked.stdout == "ann@example.com: employee\n"

    listed = run(["role", "list"], tmp_path)
    assert listed.stdout == "bo@example.com  Bo Park  marketing\n"
    audit = run(["audit"], tmp_path).stdout.splitlines()
    assert len(audit) == 2  # the unchanged second grant is not an action
    assert "cli" in audit[0] and "role.grant  bo@example.com marketing" in audit[0]
    assert audit[1].endswith("role.revoke  ann@example.com manager")
    assert run(["audit", "--since", "2999-01-01"], tmp_path).stdout == "Nothing recorded since 2999-01-01.\n"
    assert len(run(["audit", "--since", "2020-01-01"], tmp_path).stdout.splitlines()) == 2


def test_unknown_people_roles_and_dates_are_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(ROSTER)
    run(["roster", "import", "roster.csv"], tmp_path)

    for args, message in (
        (["role", "grant", "zoe@example.com", "admin"], "nobody with the email 'zoe@example.com'"),
        (
            ["role", "grant", "bo@example.com", "boss"],
            "unknown role 'boss' (roles: marketing, manager, editor, admin)",
        ),
        (["role", "revoke", "bo@example.com", "employee"], "unknown role 'employee'"),
        (["audit", "--since", "last week"], "--since wants a date like 2026-03-02"),
    ):
        result = run(args, tmp_path)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert run(["audit"], tmp_path).stdout == "Nothing recorded yet.\n"


def test_roster_import_shows_a_progress_bar_on_a_terminal_and_nothing_in_a_pipe(tmp_path: Path) -> None:
    rows = "".join(f"p{n}@example.com,P {n},UTC,T,,\n" for n in range(3000))
    (tmp_path / "roster.csv").write_text(ROSTER + rows)

    piped = run(["roster", "import", "roster.csv"], tmp_path)
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout == "Roster imported: 3002 new, 0 updated, 0 unchanged.\n"

    primary, secondary = pty.openpty()  # a terminal, as an operator's
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "LOG_LEVEL"))}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bot.db'}"
    process = subprocess.Popen(
        [str(BIN), "roster", "import", "roster.csv"], cwd=tmp_path, env=environment,
        stdin=secondary, stdout=secondary, stderr=secondary,
    )  # fmt: skip
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=60) == 0
    os.close(primary)
    text = shown.decode()
    assert "Importing the roster" in text and "100%" in text
    assert "Roster imported: 0 new, 0 updated, 3002 unchanged." in text


def test_the_role_arguments_help_names_every_grantable_role() -> None:
    from bot.main.admin_cli import GrantableRole
    from bot.store.roles import GRANTABLE

    shown = GrantableRole.__metadata__[0].help
    assert all(role in shown for role in GRANTABLE), shown
