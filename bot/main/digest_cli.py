"""``journeybot digest``: render a team's weekly digest, and subscribe or unsubscribe a channel.

Registered on the main command in ``cli.py``; a ``UserError`` there is one line on standard error.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select

from adapters.teams.parse import channel_reference
from bot.digests.planning import queue, render
from bot.digests.subscriptions import Subscription, Subscriptions
from bot.main.admin_cli import _actor
from bot.main.build import App
from bot.store import audit
from bot.store.audit import AuditEvent
from bot.store.models import IdentityRow
from nudges.digest import parse_time, parse_weekday


class DigestError(ValueError):
    """A mistake in the command's options; the message says what would work."""


async def show(app: App, team: str, at: datetime, print_it: bool) -> str:
    subscriptions = Subscriptions(app.db)
    if not await subscriptions.team_exists(team):
        raise DigestError(f"no team called {team!r} in the roster (journeybot people lists who is there)")
    message = await render(app.db, team, at)
    if print_it:
        return message.fallback.rstrip("\n")
    channels = await subscriptions.all(team)
    if not channels:
        return (
            f"No channel gets {team}'s digest yet (journeybot digest subscribe), so nothing was queued; "
            "--print shows it here."
        )
    queued = [await queue(app.db, channel, at, message, app.clock()) for channel in channels]
    return (
        f"{team}'s digest for the week ending {at:%Y-%m-%d %H:%M} UTC: queued for {sum(queued)} channel(s)"
        + (f", {len(queued) - sum(queued)} had it already" if not all(queued) else "")
        + "; the next tick sends it."
    )


async def _known_reference(app: App) -> str:
    query = (
        select(IdentityRow.address)
        .where(IdentityRow.platform == "teams", IdentityRow.address.is_not(None))
        .order_by(IdentityRow.updated_at.desc())
        .limit(1)
    )
    async with app.db.sessions() as session:
        address = await session.scalar(query)
    if not address:
        raise DigestError(
            "I can't reach Teams yet: nobody has talked to the bot there. Say '@journeybot digest here' "
            "in the channel instead."
        )
    return address


async def _slack_workspace(app: App) -> str:
    """The one Slack workspace people are in, when there is just one."""
    query = select(IdentityRow.tenant).where(IdentityRow.platform == "slack")
    async with app.db.sessions() as session:
        tenants = Counter(str(t) for t in await session.scalars(query))
    return tenants.most_common(1)[0][0] if len(tenants) == 1 else ""


async def place_of(
    app: App, slack_channel: str | None, slack_workspace: str | None, teams_conversation: str | None
) -> tuple[str, str, str, str]:
    """(platform, tenant, channel, address) of the channel the options name."""
    if bool(slack_channel) == bool(teams_conversation):
        raise DigestError("name one channel: --slack-channel C… or --teams-conversation 19:…")
    if slack_channel:
        channel = slack_channel.strip().lstrip("#")
        if channel[:1] not in ("C", "G") or not channel.isalnum():
            raise DigestError(f"--slack-channel wants a channel id like C0123ABCD, not {slack_channel!r}")
        tenant = slack_workspace if slack_workspace is not None else await _slack_workspace(app)
        return "slack", tenant, channel, f"{tenant}:{channel}" if tenant else channel
    conversation = (teams_conversation or "").strip()
    if not conversation.startswith("19:"):
        raise DigestError(
            f"--teams-conversation wants a channel id like 19:…@thread.tacv2, not {conversation!r}"
        )
    try:
        tenant, reference = channel_reference(conversation, await _known_reference(app))
    except ValueError as error:
        raise DigestError(f"the stored Teams reference is unusable ({error})") from error
    return "teams", tenant, conversation, reference


async def subscribe(
    app: App,
    team: str,
    place: tuple[str, str, str, str],
    day: str,
    at: str,
    timezone: str | None,
) -> Subscription:
    subscriptions = Subscriptions(app.db)
    if not await subscriptions.team_exists(team):
        raise DigestError(f"no team called {team!r} in the roster")
    weekday, time = parse_weekday(day), parse_time(at)
    if weekday is None:
        raise DigestError(f"--day wants a weekday like monday, not {day!r}")
    if time is None:
        raise DigestError(f"--time wants HH:MM like 09:30, not {at!r}")
    if timezone is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise DigestError(
                f"--timezone wants an IANA zone like Europe/Berlin, not {timezone!r}"
            ) from error
    platform, tenant, channel, address = place
    now = app.clock()
    subscription, _ = await subscriptions.subscribe(
        team=team, platform=platform, tenant=tenant, channel=channel, address=address, by=None,
        timezone=timezone or await subscriptions.team_timezone(team), now=now, weekday=weekday, at=time,
    )  # fmt: skip
    target = f"{tenant}:{channel}" if tenant else channel
    await audit.record(app.db, AuditEvent(now, _actor(), "cli", "digest.subscribe", "admin", target))
    return subscription


async def unsubscribe(app: App, place: tuple[str, str, str, str]) -> bool:
    platform, tenant, channel, _ = place
    gone = await Subscriptions(app.db).unsubscribe(platform, tenant, channel)
    if gone:
        target = f"{tenant}:{channel}" if tenant else channel
        await audit.record(
            app.db, AuditEvent(app.clock(), _actor(), "cli", "digest.unsubscribe", "admin", target)
        )
    return gone


async def listing(app: App) -> list[str]:
    return [
        f"{s.team}\t{s.platform}\t{s.tenant + ':' if s.tenant else ''}{s.channel}\t{s.when}"
        for s in await Subscriptions(app.db).all()
    ] or ["No channel gets a digest yet (journeybot digest subscribe)."]
