"""Operator commands: ``journeybot secrets``, ``journeybot role`` and ``journeybot audit``.

Registered on the main ``journeybot`` command in ``cli.py``; failures are one line there.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from bot.settings import Settings
from bot.store.database import Database
from bot.store.migrate import upgrade

secrets_cli = typer.Typer(
    help="Encryption of stored platform tokens (JOURNEYBOT_SECRET_KEY).", no_args_is_help=True
)
role_cli = typer.Typer(help="Roles beyond employee: marketing, manager, editor, admin.", no_args_is_help=True)


async def _database(settings: Settings) -> Database:
    """The database, upgraded first when it is SQLite (as every command does through ``build``)."""
    database = Database(settings.database_url)
    if database.is_sqlite:
        await upgrade(settings.database_url)
    return database


class ProgressBar:
    """A progress bar on standard error when it is a terminal; nothing at all otherwise (a log, a pipe).

    ``start`` is handed to work that learns its length late (the roster, once parsed)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def start(self, length: int) -> Callable[[int], None]:
        if not sys.stderr.isatty() or length == 0:
            return lambda _done: None
        self.bar = typer.progressbar(length=length, label=self.label, file=sys.stderr)
        self.bar.__enter__()
        return self.bar.update  # type: ignore[no-any-return]

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _actor() -> str:
    """Who ran an admin command, for the audit trail: the login on the machine it ran on."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name (a container without a passwd entry): still an operator
        return "cli:unknown"


@secrets_cli.command("new-key")
def secrets_new_key() -> None:
    """Print a fresh key for JOURNEYBOT_SECRET_KEY."""
    from bot.secrets import new_key

    print(new_key())


@secrets_cli.command("rotate")
def secrets_rotate() -> None:
    """Re-encrypt every stored token with the first key in JOURNEYBOT_SECRET_KEY (plain ones too)."""
    from adapters.slack.installations import reencrypt_tokens
    from bot.secrets import SecretKeyError, Secrets

    settings = Settings()
    secrets = Secrets.from_settings(settings)
    if not secrets.has_key:
        raise SecretKeyError(
            "JOURNEYBOT_SECRET_KEY is not set: put the new key first, then the old ones, comma-separated"
        )

    async def rotate() -> tuple[int, int]:
        database = await _database(settings)
        try:
            return await reencrypt_tokens(database.engine, secrets)
        finally:
            await database.dispose()

    values, plain = asyncio.run(rotate())
    print(f"Re-encrypted {values} stored token(s) with the first key ({plain} of them were plain text).")
    if values:
        print("Every token now needs only that key: the older ones can leave JOURNEYBOT_SECRET_KEY.")


def _change(email: str, role: str, *, grant: bool) -> None:
    from bot.store.roles import change_role

    settings = Settings()

    async def change() -> tuple[str, ...] | None:
        database = await _database(settings)
        try:
            return await change_role(
                database, email, role, grant=grant, actor=_actor(), platform="cli", now=datetime.now(UTC)
            )
        finally:
            await database.dispose()

    roles = asyncio.run(change())
    if roles is None:
        print(f"Nothing to change: {email} {'already has' if grant else 'does not have'} the {role} role.")
    else:
        print(f"{email}: {', '.join(roles)}")


# Spelled out rather than read from bot.store.roles.GRANTABLE: this module imports the store lazily,
# so `--help` stays quick (tests/test_admin_cli.py checks the roles against GRANTABLE).
RosterEmail = Annotated[str, typer.Argument(help="The person's email, as in the roster.")]
GrantableRole = Annotated[str, typer.Argument(help="marketing, manager, editor or admin.")]


@role_cli.command("grant")
def role_grant(
    email: RosterEmail,
    role: GrantableRole,
) -> None:
    """Give someone a role (until a roster import lists them with other roles)."""
    _change(email, role, grant=True)


@role_cli.command("revoke")
def role_revoke(
    email: RosterEmail,
    role: GrantableRole,
) -> None:
    """Take a role away (the roster sets roles too: change it there for good)."""
    _change(email, role, grant=False)


@role_cli.command("list")
def role_list() -> None:
    """Everyone with a role beyond employee."""
    from bot.store.roles import holders

    settings = Settings()

    async def listed() -> list[str]:
        database = await _database(settings)
        try:
            found = await holders(database)
        finally:
            await database.dispose()
        return [
            f"{holder.email}  {holder.name}  {', '.join(r for r in holder.roles if r != 'employee')}"
            for holder in found
        ]

    lines = asyncio.run(listed())
    print("\n".join(lines) if lines else "Nobody has a role beyond employee yet.")


def audit(
    since: Annotated[
        str | None, typer.Option(help="Only from this date or instant on (ISO-8601, UTC unless it says).")
    ] = None,
) -> None:
    """The audit trail: role-gated actions, who took them, when, where, and whether they went through."""
    from bot.store.audit import events

    start = _since(since)
    settings = Settings()

    async def listed() -> list[str]:
        database = await _database(settings)
        try:
            found = await events(database, start)
        finally:
            await database.dispose()
        return [
            f"{e.at:%Y-%m-%d %H:%M:%S}Z  {e.platform:<5}  {e.actor}  {e.action}"
            + (f"  {e.target}" if e.target else "")
            + ("  (refused)" if e.outcome != "done" else "")
            for e in found
        ]

    lines = asyncio.run(listed())
    print("\n".join(lines) if lines else "Nothing recorded" + (f" since {since}." if since else " yet."))


def _since(since: str | None) -> datetime | None:
    if since is None:
        return None
    try:
        instant = datetime.fromisoformat(since)
    except ValueError:
        raise ValueError(
            f"--since wants a date like 2026-03-02 (or an ISO-8601 instant), not {since[:40]!r}"
        ) from None
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
