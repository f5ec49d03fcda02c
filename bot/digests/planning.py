"""Put each subscription's weekly digest into the outbox, once, and render one on demand.

Every tick looks at every subscription: its latest weekly slot (``nudges.digest.last_slot``) not yet
planned becomes one outbox row, keyed ``digest/<subscription>/<slot>``. The key is unique, so two
replicas (or two ticks) that plan the same slot at once write one row; a tick that comes late sees
only the latest slot, so missed weeks make one digest, not one each. The message is rendered when
it is planned (a digest is a snapshot of the week that just ended) and sent by the delivery worker
like any row: rate limited, retried, reconciled (``bot/delivery/deliver.py``, category ``digest``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from bot.delivery.codec import encode
from bot.delivery.models import PENDING, DeliveryRow
from bot.digests.facts import team_week
from bot.digests.models import DigestSubscriptionRow
from bot.digests.subscriptions import Subscription, Subscriptions
from bot.store.database import Database
from nudges.digest import compose, last_slot, week_of
from nudges.messages import Message

log = logging.getLogger("journeybot.digests")
CATEGORY = "digest"


async def render(database: Database, team: str, end: datetime, timezone: str | None = None) -> Message:
    """The digest of ``team`` for the week ending at ``end``."""
    zone = timezone or await Subscriptions(database).team_timezone(team)
    start, end = week_of(end)
    week = await team_week(database, team, start, end, zone)
    return compose(week, variant=end.isocalendar().week)


def key_of(subscription: Subscription, slot: datetime) -> str:
    return f"digest/{subscription.id}/{slot:%Y-%m-%dT%H:%MZ}"


async def queue(
    database: Database, subscription: Subscription, slot: datetime, message: Message, now: datetime
) -> bool:
    """One outbox row for this subscription and slot; False when it is there already."""
    try:
        async with database.sessions.begin() as session:
            session.add(
                DeliveryRow(
                    key=key_of(subscription, slot),
                    person_id=None,
                    offer_id=None,
                    category=CATEGORY,
                    platform=subscription.platform,
                    address=subscription.address,
                    message=encode(message),
                    status=PENDING,
                    not_before=now,
                    created_at=now,
                )
            )
            await session.flush()
            if subscription.planned_for is None or slot > subscription.planned_for:
                await session.execute(
                    update(DigestSubscriptionRow)
                    .where(DigestSubscriptionRow.id == subscription.id)
                    .values(planned_for=slot)
                )
    except IntegrityError:  # another replica planned this very slot a moment ago
        return False
    return True


@dataclass
class DigestReport:
    planned: int = 0
    failed: int = 0


async def plan_digests(database: Database, now: datetime) -> DigestReport:
    """Plan every subscription's latest due digest that is not planned yet."""
    report = DigestReport()
    for subscription in await Subscriptions(database).all():
        slot = last_slot(subscription.weekday, subscription.at, subscription.timezone, now)
        if slot < subscription.created_at:
            continue  # subscribed after this week's slot: the first digest comes at the next one
        if subscription.planned_for is not None and slot <= subscription.planned_for:
            continue
        try:
            message = await render(database, subscription.team, slot, subscription.timezone)
            report.planned += await queue(database, subscription, slot, message, now)
        except Exception:  # one team's digest failing must not stop the others, nor the nudges
            report.failed += 1
            log.warning("could not plan the digest of subscription %s", subscription.id, exc_info=True)
    return report
