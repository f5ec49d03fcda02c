"""``digest here``, ``digest off`` and ``digest status`` in a team channel, for every platform.

The adapters parse their platform's command or mention into a ``Place`` and the asker's person id
(looked up, never created: ``Store.find_person_id``), and show the returned words. Only the team's
managers and admins may subscribe or unsubscribe; a refusal is audited under the asker's email if
the roster knows them and anonymously otherwise, so someone unknown leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.digests.subscriptions import Asker, Subscriptions
from bot.store import audit
from bot.store.audit import DONE, REFUSED, AuditEvent
from bot.store.database import Database
from nudges.messages import literal

UNKNOWN_ACTOR = "(not on the roster)"


@dataclass(frozen=True)
class Place:
    """A team channel: the platform's ids for it and how its ``Sender`` reaches it."""

    platform: str
    tenant: str
    channel: str
    address: str


def not_allowed(how: str) -> str:
    return (
        "Sorry, only the team's managers and admins can start or stop a digest here. If this channel "
        f"would enjoy one, ask your manager to say **{how} here**."
    )


def help_text(how: str) -> str:
    return (
        f"**{how} here** sends this channel a short weekly team digest (Mondays at 09:30, the team's "
        f"time). **{how} status** says what this channel gets, **{how} off** stops it."
    )


async def digest_command(
    database: Database, text: str, person_id: int | None, place: Place, now: datetime, how: str
) -> str:
    """What to answer ``digest <text>`` said in ``place`` by ``person_id`` (None: not on the roster)."""
    words = text.split()
    verb = words[0].casefold() if words else ""
    subscriptions = Subscriptions(database)
    current = await subscriptions.of_channel(place.platform, place.tenant, place.channel)
    if verb == "status":
        if current is None:
            return f"This channel gets no team digest yet. A manager can start one with **{how} here**."
        return (
            f"This channel gets **{literal(current.team)}**'s digest on {current.when}. "
            f"**{how} off** stops it."
        )
    if verb not in ("here", "off"):
        return help_text(how)
    asker = await subscriptions.asker(person_id)
    target = f"{place.tenant}:{place.channel}" if place.tenant else place.channel

    async def audited(action: str, outcome: str) -> None:
        actor = asker.key if asker is not None else UNKNOWN_ACTOR
        event = AuditEvent(now, actor, place.platform, action, "manager", target, outcome)
        await audit.record(database, event)

    if verb == "off":
        if current is None:
            if not await _manager_somewhere(asker):
                await audited("digest.unsubscribe", REFUSED)
                return not_allowed(how)
            return "This channel doesn't get a digest, so there's nothing to stop."
        if not await subscriptions.may_manage(asker, current.team):
            await audited("digest.unsubscribe", REFUSED)
            return not_allowed(how)
        await subscriptions.unsubscribe(place.platform, place.tenant, place.channel)
        await audited("digest.unsubscribe", DONE)
        return f"Okay, no more digests for **{literal(current.team)}** in this channel. Thanks for cheering them on."
    team = " ".join(words[1:]).strip() or (asker.team if asker is not None else None) or ""
    if not await _manager_somewhere(asker):
        await audited("digest.subscribe", REFUSED)
        return not_allowed(how)
    if not team:
        return (
            "I don't know which team you lead: the roster has no team for you. Say "
            f"**{how} here** _team name_ with the team's name as in the roster."
        )
    if not await subscriptions.may_manage(asker, team):
        await audited("digest.subscribe", REFUSED)
        return (
            f"Sorry, only **{literal(team)}**'s managers and admins can start its digest. "
            "Is the team's name spelled as in the roster?"
        )
    if not await subscriptions.team_exists(team):
        return f"I don't know a team called **{literal(team)}** in the roster. Check the spelling?"
    if current is not None and current.team.casefold() == team.casefold():
        # Asked again: only the channel's address is refreshed (Teams may have moved it).
        if current.address != place.address:
            await subscriptions.subscribe(
                team=current.team, platform=place.platform, tenant=place.tenant, channel=place.channel,
                address=place.address, by=current.subscribed_by, timezone=current.timezone, now=now,
                weekday=current.weekday, at=current.at,
            )  # fmt: skip
        return f"This channel already gets **{literal(current.team)}**'s digest on {current.when}. 👍"
    by = asker.person_id if asker is not None else None
    subscription, _ = await subscriptions.subscribe(
        team=team, platform=place.platform, tenant=place.tenant, channel=place.channel,
        address=place.address, by=by, timezone=await subscriptions.team_timezone(team), now=now,
    )  # fmt: skip
    await audited("digest.subscribe", DONE)
    return (
        f"Done: this channel will get **{literal(subscription.team)}**'s digest on {subscription.when}: "
        "where the team is, milestones to cheer, the small signals worth noticing, and one idea for you. "
        "Nobody is ranked, and only people who said yes are ever named."
    )


async def _manager_somewhere(asker: Asker | None) -> bool:
    return asker is not None and bool(asker.roles & {"manager", "admin"})
