"""The reads and writes of one planning batch, one query each, so 1,000 people cost a handful of queries.

All of them go through a Core connection, not ``session.execute``: they select and write tables, not
ORM entities, and the ORM's result layer cost more than the reads themselves.

On PostgreSQL a batch's ids travel as one array parameter (``= ANY(:ids)``) instead of ``IN`` with a
thousand placeholders, which psycopg parses again for every batch (the text is too long for its
cache), and the new ``next_due_at`` values are written by one ``UPDATE … FROM unnest(…)`` instead of
a thousand pipelined statements. SQLite runs in-process, where ``IN`` and ``executemany`` are cheap.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Integer,
    Row,
    String,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    column,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeEngine

from bot.db.mapping import activity_from_row, offer_from_row
from bot.db.models import ActivityRow, IdentityRow, OfferRow, PersonRow, UTCDateTime
from bot.db.outbox_models import DeliveryRow
from nudges.person import History, Offer
from nudges.selection import activities_read_since


@dataclass
class Batch:
    offers: dict[int, list[Offer]] = field(default_factory=lambda: defaultdict(list))
    activities: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    addresses: dict[int, tuple[str, str]] = field(default_factory=dict)

    def history(self, person_id: int) -> History:
        return History(tuple(self.offers.get(person_id, ())), tuple(self.activities.get(person_id, ())))

    def address(self, person_id: int, email: str, *, console: bool) -> tuple[str, str] | None:
        """(platform, address) of the person's most recently updated identity; the console (by email)
        when no platform is configured; None when there is no way to reach them yet."""
        found = self.addresses.get(person_id)
        if found is None and console:
            return ("console", email)
        return found

    async def existing_keys(self, connection: AsyncConnection, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        column = DeliveryRow.__table__.c.key
        query = select(column).where(_among(connection, column, keys, String()))
        return set((await connection.scalars(query)).all())

    async def claim_introductions(
        self, connection: AsyncConnection, person_ids: list[int], now: datetime
    ) -> set[int]:
        """The same conditional update as ``Store.mark_introduced``: a greeting in chat may have won."""
        people = PersonRow.__table__
        query = (
            update(people)
            .where(_among(connection, people.c.id, person_ids, Integer()), people.c.introduced_at.is_(None))
            .values(introduced_at=now)
            .returning(people.c.id)
        )
        return set((await connection.scalars(query)).all())

    async def insert_offers(self, connection: AsyncConnection, offers: list[tuple[int, Offer]]) -> None:
        rows = [
            {
                "id": o.id, "person_id": person_id, "key": o.key, "kind": o.kind, "category": o.category.value,
                "company": o.company, "offered_at": o.offered_at, "answer": None, "answered_at": None,
            }
            for person_id, o in offers
        ]  # fmt: skip
        await insert_rows(connection, OfferRow.__table__, rows)

    async def write_next_due(self, connection: AsyncConnection, dues: list[tuple[int, datetime]]) -> None:
        """Store each (person id, next_due_at).

        Many people of a batch share the instant (everyone nudged now is next looked at when their
        schedule's window opens tomorrow; everyone outside their window when it opens), so each
        shared instant is one ``UPDATE … WHERE id IN``; the rest (own send minutes) go row by row."""
        people = PersonRow.__table__
        by_due: dict[datetime, list[int]] = defaultdict(list)
        for person, due in dues:
            by_due[due].append(person)
        alone = []
        for due, ids in by_due.items():
            if len(ids) == 1:
                alone.append((ids[0], due))
            else:
                await connection.execute(
                    update(people)
                    .where(_among(connection, people.c.id, ids, Integer()))
                    .values(next_due_at=due)
                )
        if not alone:
            return
        if connection.dialect.name != "postgresql":
            await connection.execute(NEXT_DUE, [{"person": person, "due": due} for person, due in alone])
            return
        pairs = select(
            func.unnest(bindparam("people", [p for p, _ in alone], type_=ARRAY(Integer()))).label("id"),
            func.unnest(bindparam("dues", [d for _, d in alone], type_=ARRAY(UTCDateTime()))).label("due"),
        ).subquery()
        await connection.execute(
            update(people).where(people.c.id == pairs.c.id).values(next_due_at=pairs.c.due)
        )


# One row at a time, for backends where executemany is cheap (SQLite runs in-process).
NEXT_DUE = (
    update(PersonRow.__table__)
    .where(PersonRow.__table__.c.id == bindparam("person"))
    .values(next_due_at=bindparam("due"))
)


async def insert_rows(connection: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, timestamps timezone-aware).

    On PostgreSQL as one ``INSERT … SELECT`` from ``json_to_recordset`` of a single JSON parameter:
    executemany there sends one statement per row, and array parameters would be escaped element by
    element in Python. ``json.dumps`` does the whole batch in C."""
    if connection.dialect.name != "postgresql":
        await connection.execute(insert(table), rows)
        return
    names = list(rows[0])
    document = cast(bindparam(None, json.dumps(rows, default=_json_instant), type_=Text()), JSON())
    records = (
        func.json_to_recordset(document)
        .table_valued(*(column(name, table.c[name].type) for name in names))
        .render_derived(name="rows", with_types=True)
    )
    await connection.execute(insert(table).from_select(names, select(*records.c)))


def _json_instant(value: object) -> str:
    """Timestamps for ``insert_rows``' JSON, with ``UTCDateTime``'s rule: a naive one is refused."""
    if not isinstance(value, datetime):
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} given; use a timezone-aware one")
    return value.astimezone(UTC).isoformat()


def _among(
    connection: AsyncConnection, column: ColumnElement[Any], values: list[Any], item: TypeEngine[Any]
) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL as ``= ANY(array)``, one parameter whatever the count."""
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(item)))
    return column.in_(values)


async def load_batch(connection: AsyncConnection, people: Sequence[Row[Any]], now: datetime) -> Batch:
    """Offers (all: the cap, the company guard and "never again" read the whole history), the
    activities the engine can still read at ``now``, and addresses of a batch of people."""
    ids = [row.id for row in people]
    batch = Batch()
    offers_table, activities_table = OfferRow.__table__.c, ActivityRow.__table__.c
    offers = (
        select(
            offers_table.person_id, offers_table.id, offers_table.key, offers_table.kind,
            offers_table.category, offers_table.company, offers_table.offered_at, offers_table.answer,
            offers_table.answered_at,
        )
        .where(_among(connection, offers_table.person_id, ids, Integer()))
        .order_by(offers_table.person_id, offers_table.offered_at, offers_table.id)
    )  # fmt: skip
    for row in (await connection.execute(offers)).all():
        batch.offers[row.person_id].append(offer_from_row(row))
    activities = (
        select(activities_table.person_id, activities_table.kind, activities_table.at, activities_table.note)
        .where(_among(connection, activities_table.person_id, ids, Integer()))
        .where(activities_table.at >= activities_read_since(now))
        .order_by(activities_table.person_id, activities_table.at, activities_table.id)
    )
    for row in (await connection.execute(activities)).all():
        batch.activities[row.person_id].append(activity_from_row(row))
    identities_table = IdentityRow.__table__.c
    identities = (
        select(
            identities_table.person_id,
            identities_table.platform,
            identities_table.address,
            identities_table.user_id,
            identities_table.tenant,
        )
        .where(_among(connection, identities_table.person_id, ids, Integer()))
        .order_by(identities_table.updated_at, identities_table.id)  # the most recent one wins below
    )
    fallback: dict[int, tuple[str, str]] = {}
    for person_id, platform, address, user_id, tenant in (await connection.execute(identities)).all():
        if address:
            batch.addresses[person_id] = (platform, address)
        elif platform == "slack":  # from the roster: Slack opens the DM from the user id itself
            fallback[person_id] = (platform, f"{tenant}:{user_id}" if tenant else user_id)
    for person_id, where in fallback.items():
        batch.addresses.setdefault(person_id, where)
    return batch
