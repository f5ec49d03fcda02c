"""Fakes and helpers for the scheduler and delivery tests (no tests here).

``RecordingSender`` subclasses the ``Sender`` port: it records every send and can be scripted to
raise the port's errors, or to "crash" (``ProcessDied``, which, like a killed process, no ``except
Exception`` catches) before or after the platform has the message. ``FakeClock`` is the only time
source: its ``sleep`` advances it, so rate limits and backoffs are tested without waiting.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.delivery.models import DeliveryRow
from bot.main.build import App, build
from bot.ports import Sender, Sent
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import IdentityRow, PersonRow
from nudges.messages import Message


class ProcessDied(BaseException):
    """The process was killed: nothing after this point of the worker runs."""


@dataclass
class Delivered:
    address: str
    message: Message
    key: str
    at: datetime


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


class FakeMonotonic:
    """``time.monotonic`` for code that takes it injected; ``sleep`` moves it on instead of waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)


@dataclass
class RecordingSender(Sender):
    """``script``: per call, None (deliver), an exception to raise instead, "crash" (die before the
    platform has it) or "crash-after" (the platform has it, then the process dies)."""

    clock: FakeClock
    platform: str = "slack"
    script: list[Any] = field(default_factory=list)
    sent: list[Delivered] = field(default_factory=list)
    calls: list[datetime] = field(default_factory=list)

    async def send(self, address: str, message: Message, *, key: str = "") -> Sent:
        self.calls.append(self.clock())
        step = self.script.pop(0) if self.script else None
        if step == "crash":
            raise ProcessDied
        if isinstance(step, Exception):
            raise step
        self.sent.append(Delivered(address, message, key, self.clock()))
        if step == "crash-after":
            raise ProcessDied
        return Sent(message_ref=f"ts-{len(self.sent)}", address=address)

    async def update(self, address: str, message_ref: str, message: Message) -> None:
        raise NotImplementedError


class FindingSender(RecordingSender):
    """A platform that can look a message up by its outbox key (as Slack can, by metadata)."""

    async def find(self, address: str, key: str) -> Sent | None:
        for number, delivered in enumerate(self.sent, start=1):
            if delivered.key == key:
                return Sent(message_ref=f"ts-{number}", address=address)
        return None


async def make_app(database: Database, clock: FakeClock, seed: int = 7) -> App:
    settings = Settings(database_url=database.url, random_seed=seed, _env_file=None)  # type: ignore[call-arg]
    app = await build(settings, clock=clock, rng=random.Random(seed), migrate=False)
    await app.db.dispose()
    app.db = database  # share the fixture's engine (and its PostgreSQL truncation)
    app.store.database = database
    app.senders.clear()
    return app


async def add_person(
    database: Database,
    email: str,
    *,
    timezone: str = "Europe/Berlin",
    onboarded: bool = True,
    introduced: bool = True,
    address: str | None = "D-default",
    **columns: Any,
) -> int:
    """A person as the roster and onboarding leave them, with a Slack DM address."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    async with database.sessions.begin() as session:
        row = PersonRow(
            email=email,
            name=email.split("@")[0].capitalize(),
            timezone=timezone,
            onboarded_at=now if onboarded else None,
            started_at=now if onboarded else None,
            introduced_at=now if introduced else None,
            **columns,
        )
        session.add(row)
        await session.flush()
        if address is not None:
            address = f"D-{email}" if address == "D-default" else address
            session.add(
                IdentityRow(person_id=row.id, platform="slack", user_id=f"U{row.id}", address=address)
            )
        return row.id


async def assert_each_sent_once(database: Database, sent_keys: Iterable[str]) -> Counter[str]:
    """What replicas delivered: every outbox key sent exactly once, and every row sent (nothing
    lost, nothing left behind). Returns the keys, counted."""
    per_key = Counter(sent_keys)
    assert per_key and max(per_key.values()) == 1  # nobody heard the same nudge twice
    async with database.sessions.begin() as session:
        statuses = dict(
            (
                await session.execute(select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status))
            ).all()
        )
        keys = set((await session.scalars(select(DeliveryRow.key))).all())
    assert statuses == {"sent": sum(per_key.values())} and keys == set(per_key)
    return per_key
