"""A team and a simulated week of its activity, shared by the Slack, Teams and CLI digest tests.

Team "Sales": eight people. Bea said yes to public celebration; Cy, Dee and Eve did not, and
neither did the manager. Over the week, activities are logged and milestones celebrated as the
conversation records them (an activity row, a ``celebrate:…`` offer at the same instant).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.store.database import Database
from bot.store.models import ActivityRow, ContentItemRow, ContentShareRow, OfferRow, PersonRow
from tests.delivery.fakes import add_person

WEEK_START = datetime.fromisoformat("2026-03-02T10:00:00+00:00")  # Monday, London = UTC in March
DIGEST_DUE = datetime.fromisoformat("2026-03-09T09:30:00+00:00")  # the next Monday at 09:30 London
NOT_NAMED = ("Cy", "Dee", "Eve", "Fay", "Gus", "Hal")  # never in any digest


async def team(
    database: Database, manager_email: str = "ada@example.com", **manager: object
) -> dict[str, int]:
    """The team's people; the manager is whoever the platform test signs in as."""
    ids = {
        "Ada": await add_person(
            database,
            manager_email,
            timezone="Europe/London",
            team="Sales",
            roles=["employee", "manager"],
            address=None,
            **manager,
        ),
    }
    for name, zone, public in (
        ("Bea", 2, True),
        ("Cy", 2, False),
        ("Dee", 1, False),
        ("Eve", 4, False),
        ("Fay", 1, False),
        ("Gus", 1, False),
        ("Hal", 1, False),
    ):
        ids[name] = await add_person(
            database, f"{name.lower()}@example.com", timezone="Europe/London", team="Sales",
            zone=zone, celebrate_publicly=public, address=None,
        )  # fmt: skip
    async with database.sessions.begin() as session:
        for person in await session.scalars(select(PersonRow).where(PersonRow.id.in_(ids.values()))):
            person.name = next(n for n, i in ids.items() if i == person.id)
    return ids


async def simulate_week(database: Database, ids: dict[str, int]) -> None:
    """What the team did between Monday and the next Monday."""
    day = WEEK_START + timedelta(hours=1)
    logged = [
        ("Bea", "shared", "first_share"),
        ("Bea", "asked", "first_question"),
        ("Cy", "short_post", "first_own_post"),
        ("Cy", "replied", None),
        ("Dee", "asked", None),
        ("Dee", "shared_with_comment", None),
        ("Eve", "amplified", "amplified_a_colleague"),
        ("Eve", "feedback", None),
        ("Eve", "answered", None),
        ("Eve", "replied", None),
    ]
    async with database.sessions.begin() as session:
        session.add(
            ContentItemRow(
                id="cloud-costs",
                title="Five ways to tame cloud costs",
                url="https://example.com/c",
                texts={"linkedin": "A good read"},
            )
        )
        for n, (who, kind, milestone) in enumerate(logged):
            at = day + timedelta(hours=n * 12)
            session.add(ActivityRow(person_id=ids[who], kind=kind, at=at, note="", source="logged"))
            if milestone:
                session.add(OfferRow(id=f"cel-{n}", person_id=ids[who], key=f"celebrate:{milestone}",
                                     kind="celebration", category="celebration", offered_at=at))  # fmt: skip
        for n, who in enumerate(("Bea", "Cy", "Dee")):
            at = day + timedelta(days=1, hours=n)
            session.add(OfferRow(id=f"share-{n}", person_id=ids[who], key="cloud-costs", kind="share",
                                 category="share", company=True, offered_at=at, answer="done",
                                 answered_at=at))  # fmt: skip
            await session.flush()
            session.add(
                ContentShareRow(offer_id=f"share-{n}", item_id="cloud-costs", network="linkedin", at=at)
            )


def assert_names_only_the_opted_in(text: str) -> None:
    assert re.search(r"\bBea\b", text)  # she said yes: her milestones are cheered by name
    for name in (*NOT_NAMED, "Ada"):  # the manager did not opt in either
        assert not re.search(rf"\b{name}\b", text), f"{name} did not opt in, yet the digest names them"


def blocks_text(blocks: list[dict[str, object]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)
