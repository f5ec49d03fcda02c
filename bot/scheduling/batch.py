"""Planning one batch of people, from the rows the database gave to the rows it will take.

No database and no SQLAlchemy here, and both ends are plain picklable data, so a batch can be
planned in the tick's own process or in a worker process (``bot/scheduling/pool.py``) while the tick reads
and writes other batches. The decisions are ``bot.scheduling.plan.decide`` on top of the pure engine;
what this module adds is turning raw driver rows into engine types and decisions into rows.

Raw rows differ by backend in two ways only, which ``Dialect`` absorbs: SQLite returns timestamps as
text (UTC, as ``UTCDateTime`` stores them) and takes them back as text; PostgreSQL's are read as
microseconds since the epoch (cheap to pickle) and go back as aware datetimes, in binary arrays
(``bot/scheduling/sql.py``).
"""

from __future__ import annotations

import gc
import random
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.scheduling.plan import RECHECK, Standing, decide, idempotency_key
from bot.store.summary import appended, decode, encode, summarise, usable
from bot.store.values import activity_from_values, decoded, offer_from_values, person_from_values
from nudges.library import Category, Library
from nudges.person import History, offer_id

SQLITE, POSTGRESQL = "sqlite", "postgresql"
SUMMARY = 23  # the position of ``plan_summary`` in a claimed person row (``bot/scheduling/sql.py``)
_INTRO = Category.INTRO.value


PlannedDelivery = tuple[str, int, bool, Any, str]


@dataclass(frozen=True)
class Context:
    """What every batch of one tick shares."""

    now: datetime
    library: Library
    auto_enrolled_teams: frozenset[str]
    seed: int  # RANDOM_SEED, for the spread minutes
    console: bool  # no platform configured: the console (by email) reaches everyone
    dialect: str
    holidays: frozenset[date] = frozenset()  # the organisation's: no proactive nudge on these local days


@dataclass
class BatchRows:
    """One batch as read (``bot/scheduling/sql.py`` says which columns, in which order)."""

    people: list[tuple[Any, ...]]
    offers: list[tuple[Any, ...]]
    activities: list[tuple[Any, ...]]
    identities: list[tuple[Any, ...]]
    rng_seed: int  # this batch's choices: drawn from the app's rng, so RANDOM_SEED reproduces a tick


@dataclass
class Planned:
    """What to write for one batch: rows as tuples of column values, timestamps in the dialect's form."""

    looked_at: int
    dues: dict[Any, list[int]] = field(default_factory=dict)  # next_due_at value → person ids
    offers: list[tuple[int, Any]] = field(default_factory=list)  # (person id, row)
    # (key, person, intro?, row, category): the category for the metrics of what was planned
    deliveries: list[PlannedDelivery] = field(default_factory=list)
    # (person id, plan_summary text, whether it has this tick's offer in it): written for people
    # whose summary had to be built from their offers, and for people nudged (only if the offer
    # is kept; bot/store/summary.py)
    summaries: list[tuple[int, str, bool]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (person id, why) left out of the plan


def plan_rows(context: Context, rows: BatchRows) -> Planned:
    """Decide for every person of the batch: their next look, and the offer and outbox row if any.

    A person whose stored state cannot be read (a hand-edited row, say) is left out and looked at
    again in a day, with the reason in ``Planned.failed``: one bad row never stops everyone's nudges."""
    now, dialect = context.now, dialect_of(context.dialect)
    offers, activities = by_person(rows.offers), by_person(rows.activities)
    addresses = _addresses(rows.identities)
    rng = random.Random(rows.rng_seed)
    stamp = dialect.stamp(now)  # every row written for this batch is stamped with the tick's instant
    planned = Planned(looked_at=len(rows.people))
    dues: dict[datetime, list[int]] = defaultdict(list)
    for row in rows.people:
        person_id = row[0]
        try:
            due = _plan_person(context, dialect, stamp, row, offers, activities, addresses, rng, planned)
        except Exception as error:
            planned.failed.append((person_id, f"{type(error).__name__}: {error}"))
            due = now + RECHECK
        dues[due].append(person_id)
    planned.dues = {dialect.due(due): ids for due, ids in dues.items()}
    return planned


def _plan_person(
    context: Context, dialect: Dialect, stamp: Any, row: tuple[Any, ...], offers: dict[int, list[tuple[Any, ...]]],
    activities: dict[int, list[tuple[Any, ...]]], addresses: dict[int, tuple[str, str]],
    rng: random.Random, planned: Planned,
) -> datetime:  # fmt: skip
    """Plan one person into ``planned``; when to look at them again."""
    now, at, maybe = context.now, dialect.at, dialect.maybe
    person_id, team, introduced, started = row[0], row[1], row[2], row[3]
    person = person_from_values(
        row[4], row[5], row[6], decoded(row[7]), decoded(row[8]), row[9], decoded(row[10]), row[11],
        row[12], row[13], row[14], row[15], maybe(row[16]), decoded(row[17]), row[18], maybe(row[19]),
        row[20], decoded(row[21]), decoded(row[22]), team,
    )  # fmt: skip
    # Without notes: a planner reads only what was logged and when (``nudges.selection._follow_up``).
    recent = tuple(activity_from_values(r[1], at(r[2]), "") for r in activities.get(person_id, ()))
    summary = row[SUMMARY]
    if usable(summary, now):
        summed = decode(summary)
    else:  # emptied by a change: built from the offers the claim read, and written back
        summed = summarise(
            [offer_from_values(r[1], r[2], r[3], r[4], r[5], at(r[6]), r[7], maybe(r[8])) for r in offers.get(person_id, ())],
            now, library=context.library,
        )  # fmt: skip
        summary = encode(summed, now)
        planned.summaries.append((person_id, summary, False))
    history = History(summed.offers, recent, summed.earlier)
    standing = Standing(introduced is not None, started is not None, team in context.auto_enrolled_teams)
    decision = decide(person, history, standing, context.library, now, rng, context.seed, context.holidays)
    nudge = decision.nudge
    where = addresses.get(person_id) or (("console", person.key) if context.console else None)
    if nudge is None or where is None:
        return decision.next_due_at
    made_id = offer_id(now, secrets.randbits(48))  # not from the seeded rng: a restart would repeat ids
    intro = nudge.category == Category.INTRO
    key = idempotency_key(person_id, person, nudge, now)
    offer = (made_id, person_id, nudge.key, nudge.kind, nudge.category.value, nudge.company, stamp)
    # No message: the delivery worker renders it from the offer when it sends (bot/delivery/messages.py).
    # not_before and created_at: both the tick's instant.
    delivery = (key, person_id, made_id, nudge.category.value, where[0], where[1], stamp, stamp)
    planned.offers.append((person_id, offer))
    # With this offer (written if the offer is).
    planned.summaries.append(
        (person_id, appended(summary, summed, nudge.to_offer(made_id, now), now, context.library), True)
    )
    planned.deliveries.append((key, person_id, intro, delivery, nudge.category.value))
    return decision.next_due_at


def by_person(rows: list[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows ordered by person id (column 0), per person, in their order."""
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def _addresses(identities: list[tuple[Any, ...]]) -> dict[int, tuple[str, str]]:
    """(platform, address) of each person's most recently updated identity with an address (rows
    come oldest first); failing that, a Slack identity from the roster, which Slack reaches through
    its user id (``[tenant:]user_id``: the Slack Sender opens the DM)."""
    found: dict[int, tuple[str, str]] = {}
    fallback: dict[int, tuple[str, str]] = {}
    for person_id, platform, address, user_id, tenant in identities:
        if address:
            found[person_id] = (platform, address)
        elif platform == "slack":
            fallback[person_id] = (platform, f"{tenant}:{user_id}" if tenant else user_id)
    for person_id, where in fallback.items():
        found.setdefault(person_id, where)
    return found


@dataclass(frozen=True)
class Dialect:
    """How one backend's driver hands timestamps over."""

    at: Callable[[Any], datetime]  # a stored timestamp as an aware datetime
    stamp: Callable[[datetime], Any]  # an aware datetime as a column value in a written row
    due: Callable[[datetime], Any]  # an aware datetime as a bound parameter

    def maybe(self, value: Any) -> datetime | None:
        return None if value is None else self.at(value)


# ``UTCDateTime`` keeps SQLite timestamps as naive UTC text in this form, which sorts and compares.
SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def _sqlite_at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _sqlite_out(value: datetime) -> str:
    return value.astimezone(UTC).strftime(SQLITE_FORMAT)


def _same(value: Any) -> Any:
    return value


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _from_micros(micros: int) -> datetime:
    """A PostgreSQL timestamp read as microseconds since the epoch (``plan_sql.PostgresBatches``)."""
    return _EPOCH + timedelta(microseconds=micros)


_DIALECTS = {
    SQLITE: Dialect(_sqlite_at, _sqlite_out, _sqlite_out),
    # PostgreSQL's timestamps come as epoch microseconds (plan_sql) and go as aware datetimes (in
    # binary arrays, bot/scheduling/sql.py).
    POSTGRESQL: Dialect(_from_micros, _same, _same),
}


def dialect_of(name: str) -> Dialect:
    return _DIALECTS[name]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is read, planned or written.

    A batch allocates hundreds of thousands of short-lived objects (rows, engine values, messages)
    that reference counting frees on its own; the collector still walked them over and over, about
    12 % of a tick's CPU. Whatever cycles a batch leaves are collected once it is back on."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
