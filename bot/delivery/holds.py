"""Workspaces whose platform refused our own credentials: nothing is sent there for a while.

A bad, rotated or revoked token (Slack ``invalid_auth``, ``token_revoked`` …) refuses every message
of that workspace alike, and says nothing about the person: rows go back to pending, nobody is marked
unreachable, and one error names the problem (never the token) until a send there succeeds again.
Per process, in memory: each worker finds out on its own with one call every ``RETRY``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

log = logging.getLogger("journeybot.delivery")
RETRY = timedelta(minutes=5)
Scope = tuple[str, str]  # (platform, workspace; "" = the platform's only workspace)


class WorkspaceHolds:
    def __init__(self) -> None:
        self._until: dict[Scope, datetime] = {}

    def until(self, platform: str, workspace: str, now: datetime) -> datetime | None:
        """When the hold on this workspace ends, if it is held now."""
        until = self._until.get((platform, workspace))
        return until if until is not None and until > now else None

    def hold(self, platform: str, workspace: str, error: Exception, now: datetime) -> datetime:
        scope = (platform, workspace)
        if scope not in self._until:  # once, not once per row: every row there fails the same way
            where = f"workspace {workspace}" if workspace else "the workspace"
            log.error(
                "%s refused journeybot's credentials for %s (%s): check the bot token or reinstall the "
                "app. Nudges there wait in the outbox; nobody is marked unreachable.",
                platform.capitalize(), where, error,
            )  # fmt: skip
        self._until[scope] = now + RETRY
        return self._until[scope]

    def release(self, platform: str, workspace: str) -> None:
        """A send there worked: the credentials are fine (again)."""
        if self._until.pop((platform, workspace), None) is not None:
            log.info("%s accepts journeybot's credentials again%s", platform.capitalize(),
                     f" for workspace {workspace}" if workspace else "")  # fmt: skip
