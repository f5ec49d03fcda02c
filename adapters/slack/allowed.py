"""Which Slack workspaces are this organisation's: ``SLACK_ALLOWED_TEAMS`` (team ids ``T…`` and
Enterprise Grid org ids ``E…``).

In OAuth mode anyone can reach ``/slack/install``. Without this list a stranger's workspace could
install the app, and a user there whose profile shows an employee's email would be matched to that
employee: their journey, roles (manager, marketing) and nudges. So installs from elsewhere are
refused, requests from elsewhere are acknowledged and dropped, and emails link people only when
they come from an allowed workspace and Slack says the address is confirmed.
"""

from __future__ import annotations

import html
from typing import Any

from slack_bolt.error import BoltError
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.installations import EncryptedInstallationStore
from bot.secrets import Secrets

Json = dict[str, Any]


class AllowedTeams:
    def __init__(self, ids: frozenset[str]) -> None:
        self.ids = ids

    @property
    def everyone(self) -> bool:
        """No list (single-workspace mode: the signing secret is that one workspace's)."""
        return not self.ids

    def allows(self, team_id: str | None, enterprise_id: str | None = None) -> bool:
        if self.everyone:
            return True
        return bool(team_id and team_id in self.ids) or bool(enterprise_id and enterprise_id in self.ids)


def enterprise_of(body: Json) -> str:
    """The Enterprise Grid org of any payload (events, interactions, slash commands), or ""."""
    found = body.get("enterprise_id")
    if isinstance(found, str) and found:
        return found
    enterprise = body.get("enterprise")
    if isinstance(enterprise, dict) and isinstance(enterprise.get("id"), str):
        return str(enterprise["id"])
    user = body.get("user")
    if isinstance(user, dict) and isinstance(user.get("enterprise_id"), str):
        return str(user["enterprise_id"])
    return ""


def user_enterprise(user: Json) -> str:
    """The org of a ``users.info`` user (``enterprise_user.enterprise_id``), or ""."""
    enterprise_user = user.get("enterprise_user")
    if isinstance(enterprise_user, dict) and isinstance(enterprise_user.get("enterprise_id"), str):
        return str(enterprise_user["enterprise_id"])
    return ""


class WorkspaceNotAllowed(BoltError):
    """An install from a workspace or org outside ``SLACK_ALLOWED_TEAMS``; nothing was saved."""

    def __init__(self, team_id: str | None, enterprise_id: str | None, team_name: str | None) -> None:
        super().__init__(f"install from a workspace not in SLACK_ALLOWED_TEAMS: {team_id or enterprise_id}")
        self.team_id, self.enterprise_id, self.team_name = team_id, enterprise_id, team_name


class AllowListInstallationStore(EncryptedInstallationStore):
    """Our installation store (slack_sdk's, tokens encrypted), refusing to save an installation from elsewhere. Bolt's OAuth flow turns the
    ``BoltError`` into its failure callback, where ``refused_page`` answers."""

    def __init__(self, allowed: AllowedTeams, client_id: str, engine: AsyncEngine, secrets: Secrets) -> None:
        super().__init__(client_id, engine, secrets)
        self.allowed = allowed

    async def async_save(self, installation: Installation) -> None:
        if not self.allowed.allows(installation.team_id, installation.enterprise_id):
            name = installation.team_name or installation.enterprise_name
            raise WorkspaceNotAllowed(installation.team_id, installation.enterprise_id, name)
        await super().async_save(installation)


def refused_page(error: WorkspaceNotAllowed) -> str:
    where = html.escape(error.team_name or error.team_id or error.enterprise_id or "this workspace")
    ids = html.escape(", ".join(i for i in (error.team_id, error.enterprise_id) if i))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Not installed</title></head><body>"
        f"<h1>journeybot was not installed in {where}</h1>"
        "<p>This journeybot belongs to another organisation and serves only its own Slack workspaces. "
        "Nothing was saved and no token was kept.</p>"
        f"<p>If {where} is part of that organisation, ask whoever runs journeybot to add its id "
        f"(<code>{ids}</code>) to <code>SLACK_ALLOWED_TEAMS</code>, then install again.</p>"
        "</body></html>"
    )
