"""A reply the connector refuses (429) was never seen: the offer in it is not recorded as shown, so it
does not count toward the weekly cap or become a follow-up."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.store.models import OfferRow
from tests.teams.conftest import Teams
from tests.teams.fake_connector import Failure
from tests.teams.test_journey import _onboard


async def offers(teams: Teams) -> list[OfferRow]:
    async with teams.app.db.sessions() as session:
        return list((await session.scalars(select(OfferRow).where(OfferRow.category != "intro"))).all())


async def test_a_nudge_reply_refused_with_429_is_not_recorded_as_shown(teams: Teams) -> None:
    await _onboard(teams)
    shown = [o.id for o in await offers(teams)]
    teams.connector.failures.append(Failure(429, {"Retry-After": "2"}))

    said = await teams.say("next")

    assert "Sorry" in json.dumps(said)  # the person is told, kindly
    assert [o.id for o in await offers(teams)] == shown  # and nothing they never saw is on record

    nudge = (await teams.say("next"))[-1]  # asked again: shown this time, and recorded
    assert nudge["attachments"]
    assert len(await offers(teams)) == len(shown) + 1
