"""One scheduler pass: who is due now, and what (if anything) to offer them.

This is the planning half of delivery. Here it hands the planned messages back to the caller (the
CLI prints them, as the console delivery); the outbox and platform delivery build on it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.bootstrap import App
from bot.db.models import PersonRow
from nudges.dialogue import render_nudge
from nudges.messages import Message
from nudges.onboarding import ONBOARDED
from nudges.selection import choose_nudge

BATCH = 500


@dataclass(frozen=True)
class Planned:
    person_id: int
    email: str
    message: Message


async def _candidates(app: App) -> AsyncIterator[tuple[int, str]]:
    """People who started their journey and did not opt out, in id order, a batch at a time."""
    last_id = 0
    while True:
        query = (
            select(PersonRow.id, PersonRow.email)
            .where(
                PersonRow.id > last_id, PersonRow.onboarding_step >= ONBOARDED, PersonRow.opted_out.is_(False)
            )
            .order_by(PersonRow.id)
            .limit(BATCH)
        )
        async with app.db.sessions() as session:
            rows = (await session.execute(query)).all()
        if not rows:
            return
        for person_id, email in rows:
            yield person_id, email
        last_id = rows[-1][0]


async def tick(app: App, now: datetime) -> list[Planned]:
    library = await app.conversation.library(now)
    planned: list[Planned] = []
    async for person_id, email in _candidates(app):
        person, history = await app.store.load_all(person_id)
        nudge = choose_nudge(person, history, library, now, app.rng)
        if nudge is None:
            continue
        offer = nudge.to_offer(f"{app.rng.getrandbits(64):016x}", now)
        await app.store.save(person_id, person, offers=(offer,))
        planned.append(Planned(person_id, email, render_nudge(nudge, person, offer.id)))
    return planned
