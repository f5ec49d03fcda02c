"""Turns of one person at the same moment, on each database, in one process and across replicas.

Each settings turn changes a field of its own and each log adds evidence, so a turn that decided on
a state another turn had already changed shows as a missing setting, a zone the evidence passed, or
a milestone celebrated twice. (Before turns were serialised, "pause 7" answered "I'll be quiet
until …" while ``paused_until`` stayed empty.)
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.conversation.service import Conversation
from bot.store.database import Database
from bot.store.store import Store
from nudges.activities import ActivityKind
from nudges.catalogue import BUILTIN
from nudges.events import Inbound, PersonRef, Said
from nudges.library import Category
from nudges.person import Person
from nudges.zones import Zone

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # a Tuesday morning
ANA = PersonRef("slack", "U0ANA", tenant="T1", email="ana@example.com", name="Ana", timezone="Europe/Lisbon")

ROUNDS = 3  # bursts one after the other: one lucky interleaving must not hide a lost change
NETWORKS = ("mastodon", "bluesky", "xing")
SHARE, POST = "log shared a link to our cloud report", "log wrote an article about hiring"


def settings(round_: int) -> dict[str, Callable[[Person], bool]]:
    """What each settings turn of a round says, and how its change shows on the person."""
    days, network = 7 + round_, NETWORKS[round_]
    return {
        f"pause {days}": lambda p: p.paused_until == NOW + timedelta(days=days),
        f"set topics design, hiring {round_}": lambda p: p.topics == ("design", f"hiring {round_}"),
        f"set networks {network}": lambda p: p.networks == (network,),
        f"set quiet {20 + round_}:00-08:00": lambda p: p.schedule.quiet_start == time(20 + round_),
        f"set hours {8 + round_:02}:00-16:00": lambda p: p.schedule.work_start == time(8 + round_),
        f"set cap {3 + round_}": lambda p: p.weekly_cap == 3 + round_,
    }


def conversation(store: Store) -> Conversation:
    return Conversation(store, BUILTIN, lambda: NOW, random.Random(5))


@pytest.fixture
async def replica(database: Database) -> AsyncIterator[Store]:
    """A second process's store: its own engine on the same database."""
    other = Database(database.url)
    try:
        yield Store(other)
    finally:
        await other.dispose()


async def onboarded(talk: Conversation) -> int:
    for text in ("hi", "linkedin", "cloud", "2", "1"):
        handled = await talk.handle(Inbound(ANA, Said(text), address="D1"))
    return handled.person_id


def turns(count: int, round_: int) -> list[str]:
    """``count`` turns: the settings first (the pause always), then shares and articles in turn."""
    said = list(settings(round_))[:count]
    return said + [SHARE if n % 2 == 0 else POST for n in range(count - len(said))]


async def all_at_once(talks: list[Conversation], said: list[str]) -> list[str]:
    """Every turn at the same moment, spread over the replicas; the replies' text, in order."""
    handled = await asyncio.gather(
        *(talks[n % len(talks)].handle(Inbound(ANA, Said(text), address="D1")) for n, text in enumerate(said))
    )
    return ["\n".join(m.fallback for m in h.replies) for h in handled]


async def assert_every_change_kept(store: Store, person_id: int, said: list[str], round_: int) -> None:
    """The round's settings all hold, and every log of every round so far counts, celebrated once."""
    person, history = await store.load_all(person_id)
    kept = {text: changed(person) for text, changed in settings(round_).items() if text in said}
    assert kept == dict.fromkeys(kept, True)
    kinds = Counter(a.kind for a in history.activities)
    assert kinds == Counter(
        {ActivityKind.SHARED: said.count(SHARE), ActivityKind.ORIGINAL_PIECE: said.count(POST)}
    )
    celebrated = Counter(o.key for o in history.offers if o.category == Category.CELEBRATION)
    assert all(times == 1 for times in celebrated.values()), celebrated
    if said.count(POST) >= 2:  # two pieces of one's own: a creator, and celebrated as one (once)
        assert person.zone == Zone.CREATOR and "reached_creator" in person.milestones
        assert {"first_share", "first_own_post"} <= person.milestones
        assert len(celebrated) == len(person.milestones)


async def play(talks: list[Conversation], store: Store, count: int) -> None:
    person_id = await onboarded(talks[0])
    said: list[str] = []
    for round_ in range(ROUNDS):
        now_said = turns(count, round_)
        replies = await all_at_once(talks, now_said)
        assert "I'll be quiet until" in replies[0]
        said += now_said
        await assert_every_change_kept(store, person_id, said, round_)


@pytest.mark.parametrize("count", [2, 20])
async def test_concurrent_turns_of_one_person_keep_every_change(store: Store, count: int) -> None:
    await play([conversation(store)], store, count)


@pytest.mark.parametrize("count", [2, 20])
async def test_concurrent_turns_on_two_replicas_keep_every_change(
    store: Store, replica: Store, count: int
) -> None:
    await play(
        [conversation(store), Conversation(replica, BUILTIN, lambda: NOW, random.Random(6))], store, count
    )
