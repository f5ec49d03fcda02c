"""The ``Sender`` port for Slack: proactive nudges, and updating a sent message in place.

An address is a DM channel id (``D…``), a user id (``U…``, opened into a DM first), or with
several workspaces ``T…:D…`` so the right workspace's bot token is used. ``build_sender(deps)`` is
what the composition root (``bot/main/senders.py``) calls when Slack is configured.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.api_errors import call
from adapters.slack.away import AwayLookup
from adapters.slack.blocks import render
from adapters.slack.client import sender_client
from adapters.slack.installations import SlackInstallations
from adapters.slack.parse import split_address
from bot.conversation.deps import AdapterDeps
from bot.ports import DeliveryError, Sent, Unreachable
from nudges.messages import Message

METADATA_EVENT = "journeybot_nudge"
HISTORY_LIMIT = 50  # a possibly-sent nudge is among the DM's latest messages, if anywhere
# team id ("" in single-workspace, or unknown) → the client, and the team it serves ("" if none)
ClientFor = Callable[[str], Awaitable[tuple[AsyncWebClient, str]]]


class SlackSender:
    platform = "slack"

    def __init__(self, client_for: ClientFor, lookup: AwayLookup | None = None) -> None:
        self.client_for = client_for
        self.lookup = lookup or AwayLookup()
        self.users: dict[str, str] = {}  # DM channel → its user (a DM's user never changes)

    async def away(self, address: str) -> str | None:
        """Why the person is away now (a status such as out of office, or Do Not Disturb), or None.
        Delivery asks before each proactive message; the answers are cached (``adapters/slack/away.py``)."""
        team, target = split_address(address)
        try:
            client, team = await self.client_for(team)
        except DeliveryError:  # no workspace to ask: the send itself reports it, as before
            return None
        user = await self._user_of(client, target)
        if user is None:
            return None
        presence = await self.lookup.presence(client, team, user)
        return presence.why if presence.away else None

    async def _user_of(self, client: AsyncWebClient, target: str) -> str | None:
        if target.startswith(("U", "W")):
            return target
        if target not in self.users:
            try:
                info = await client.conversations_info(channel=target)
            except Exception:  # unknown: treated as "not away", like any failed lookup
                return None
            user = (info.get("channel") or {}).get("user")
            if not user:
                return None
            self.users[target] = str(user)
        return self.users[target]

    def workspace_of(self, address: str) -> str:
        """The rate-limit scope: Slack's limits are per workspace."""
        return split_address(address)[0]

    async def send(self, address: str, message: Message, *, key: str = "") -> Sent:
        team, target = split_address(address)
        client, team = await self.client_for(team)  # the team found for an address without one
        channel = await call(lambda: self._dm_channel(client, target))
        kwargs: dict[str, Any] = render(message)
        if key:  # lets delivery find a message that may have gone out before a crash
            kwargs["metadata"] = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        response = await call(lambda: client.chat_postMessage(channel=channel, **kwargs))
        return Sent(message_ref=str(response.get("ts", "")), address=f"{team}:{channel}" if team else channel)

    async def update(self, address: str, message_ref: str, message: Message) -> None:
        team, channel = split_address(address)
        client, _ = await self.client_for(team)
        await call(lambda: client.chat_update(channel=channel, ts=message_ref, **render(message)))

    async def find(self, address: str, key: str) -> Sent | None:
        """A message we sent with outbox ``key`` in the DM's recent history, if there is one."""
        team, target = split_address(address)
        client, team = await self.client_for(team)
        channel = await call(lambda: self._dm_channel(client, target))
        history = await call(
            lambda: client.conversations_history(
                channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True
            )
        )
        for item in history.get("messages") or []:
            metadata = item.get("metadata") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and (metadata.get("event_payload") or {}).get("key") == key
            ):
                return Sent(
                    message_ref=str(item.get("ts", "")), address=f"{team}:{channel}" if team else channel
                )
        return None

    async def _dm_channel(self, client: AsyncWebClient, target: str) -> str:
        if not target.startswith(("U", "W")):
            return target
        opened = await client.conversations_open(users=target)
        return str(opened["channel"]["id"])


def build_sender(deps: AdapterDeps) -> SlackSender:
    settings = deps.settings
    if not settings.slack_client_id:
        client = sender_client(settings)

        async def single(team: str) -> tuple[AsyncWebClient, str]:
            return client, team

        return SlackSender(single)
    installations = SlackInstallations(settings.slack_client_id, deps.db.engine)

    async def per_team(team: str) -> tuple[AsyncWebClient, str]:
        bot = await installations.bot_for(team)
        if bot is not None and bot.bot_token:
            return sender_client(settings, token=bot.bot_token), team or bot.team_id or ""
        if team:
            raise Unreachable(f"the app is not installed in workspace {team}")
        # Linked by the roster with no team, and several workspaces (or none yet) to choose from: not
        # gone, only not addressable yet. The row is refused, the person is left reachable and shows up
        # in `journeybot people --unreachable` (no address) until they open the app or write to it.
        raise DeliveryError(
            f"no workspace known for this person and the app is installed in {await installations.count()}"
        )

    return SlackSender(per_team)
