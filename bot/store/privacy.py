"""Each person's data: everything the bot holds about them, as JSON, and erasing it for good.

Both work from the tables themselves (``metadata``), not from a list kept by hand: a table with a
foreign key to ``people.id`` holds rows of a person, one with a foreign key to ``offers.id`` rows of
their offers. A table added later is exported and erased without anyone remembering to add it here
(``tests/store/test_privacy.py`` checks every table for what is left).

Erasure is one transaction: the person's rows in every such table are deleted explicitly (children
first, so it is complete even where a cascade is missing; a key declared ``ON DELETE SET NULL`` marks
a row that outlives the person and is only cleared), then the person; then the places that
name them without a key are cleaned: another person's ``manager_email``, the ``created_by`` of a
suggested share, the installer of a Slack workspace, and the audit trail, whose entries keep what was
done but not by or to whom. The audit trail records that an erasure happened, with no personal data.

Other people's outbox rows (``deliveries``) may carry copies of the person's words or name: an
editor's card with their draft, an ambassador's ask with their topic and why, a colleague's
suggestion to amplify their piece, a requester's notice that they took a topic on, a team digest
cheering them by name. Rows that exist because of something the person made (keys ``edit:<their
request>/…``, ``topic:<their request>/…``, ``amplify:<their piece>/…``, ``topic:…/taken/<them>``)
are cancelled if not yet sent and, sent or not, keep only a note that the message was removed. Any
other row whose message names them (their email, platform ids, name) has those taken out: a digest
loses its cheer for them, other text says "a colleague". What a platform already shows in a chat is
the platform's; the bot's stored copy of it no longer holds them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, Table, Text, delete, or_, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.audit import AuditEvent, AuditRow, audit_row
from bot.store.database import Database
from bot.store.models import ContentItemRow, IdentityRow, PersonRow, metadata
from bot.store.store import person_key
from nudges.digest import without_cheered
from nudges.messages import literal

ERASED = "(erased)"  # what an audit entry says in place of an erased person
ERASE_ACTION = "person.erase"
# What an outbox row carrying an erased person's words says instead (the codec's JSON of a message).
REMOVED_TEXT = "This message was removed: it carried the words of someone whose data has since been erased."
REMOVED = {
    "blocks": [{"type": "Text", "text": REMOVED_TEXT}],
    "fallback": REMOVED_TEXT,
    "offer_id": None,
    "tags": ["erased"],
}
_NOT_SENT = ("pending", "failed")  # bot.delivery.models.READY: no worker holds them
_CANCELLED = "cancelled"
_COLLEAGUE = "a colleague"  # the erased person's name, where a message still reads fine without it


@dataclass(frozen=True)
class Erased:
    rows: int  # rows deleted, the person's own included
    scrubbed: int  # rows elsewhere that named them and now do not


def _children(parent: str) -> list[tuple[Table, str]]:
    """(table, column) for every column with a foreign key to ``parent``.id, in every known table."""
    found = []
    for table in metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == parent and key.column.name == "id":
                found.append((table, key.parent.name))
    return found


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def _row(table: Table, row: Any) -> dict[str, Any]:
    return {column.name: _jsonable(value) for column, value in zip(table.columns, row, strict=True)}


def _keys_row_of(table: Table, column: str) -> str:
    return next(k.ondelete or "" for k in table.foreign_keys if k.parent.name == column)


def _keeps_row(table: Table, column: str) -> bool:
    """A key declared ``ON DELETE SET NULL``: the row is the organisation's (a channel's digest,
    say) and only forgets who it was; every other row of the person goes with them."""
    return _keys_row_of(table, column).upper() == "SET NULL"


async def find(database: Database, email: str) -> int | None:
    """The id of the person with this email (or platform key such as ``slack:U123``), if any."""
    async with database.sessions() as session:
        return await session.scalar(select(PersonRow.id).where(PersonRow.email == person_key(email)))


async def export(database: Database, person_id: int, now: datetime) -> dict[str, Any] | None:
    """Everything held about the person, by table, as JSON-ready values; None if there is nobody."""
    async with database.sessions() as session:
        people = PersonRow.__table__
        person = (await session.execute(select(people).where(people.c.id == person_id))).first()
        if person is None:
            return None
        held = _row(people, person)
        data: dict[str, Any] = {
            "exported_at": now.isoformat(),
            "about": (
                "Everything journeybot holds about you, table by table. Times are UTC. "
                "Say 'delete my data' to the bot to erase it."
            ),
            "person": held,
        }
        offer_ids: list[str] = []
        for table, column in _children("people"):
            rows = (await session.execute(select(table).where(table.c[column] == person_id))).all()
            data[table.name] = [_row(table, row) for row in rows]
            if table.name == "offers":
                offer_ids = [row.id for row in rows]
        for table, column in _children("offers"):
            rows = (
                (await session.execute(select(table).where(table.c[column].in_(offer_ids)))).all()
                if offer_ids
                else []
            )
            data[table.name] = [_row(table, row) for row in rows]
        audit = await session.scalars(
            select(AuditRow).where(_names(AuditRow, await _keys(session, person_id, held["email"])))
        )
        data["audit_events"] = [_row(AuditRow.__table__, _values(a)) for a in audit]
    return data


def _values(row: AuditRow) -> tuple[Any, ...]:
    return tuple(getattr(row, column.key) for column in AuditRow.__table__.columns)


async def _keys(session: AsyncSession, person_id: int, email: str) -> list[str]:
    """How other rows may name the person: their email (or placeholder key) and platform user ids."""
    ids = await session.scalars(select(IdentityRow.user_id).where(IdentityRow.person_id == person_id))
    return [email, *(f"{i}" for i in ids if i and i != email)]


def _names(model: type[AuditRow], keys: list[str]) -> Any:
    """Audit entries by the person (any of their keys) or about them (their email in the target: a
    role granted to them). Platform ids are short: looked for as actors only, never inside targets."""
    return or_(model.actor.in_(keys), model.target.contains(keys[0]))


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str)


async def erase(
    database: Database, person_id: int, *, now: datetime, actor: str, platform: str, why: str = ""
) -> Erased | None:
    """Erase the person and everything about them, in one transaction; None if there is nobody.

    ``actor`` is who asked, for the audit entry: ``self`` when the person did, ``cli:<login>`` for an
    admin, ``scheduler`` for a leaver's retention. Never the person's email: the entry must not name them.
    """
    async with database.sessions.begin() as session:
        email = await session.scalar(
            select(PersonRow.email).where(PersonRow.id == person_id).with_for_update()
        )
        if email is None:
            return None
        keys = await _keys(session, person_id, email)
        slack_ids = list(
            await session.scalars(
                select(IdentityRow.user_id).where(
                    IdentityRow.person_id == person_id, IdentityRow.platform == "slack"
                )
            )
        )
        name = await session.scalar(select(PersonRow.name).where(PersonRow.id == person_id)) or ""
        carried = await _carried(session, person_id)  # before their requests and pieces go
        deleted = 0
        offers = select(metadata.tables["offers"].c.id).where(
            metadata.tables["offers"].c.person_id == person_id
        )
        for table, column in _children("offers"):
            deleted += await _run(session, delete(table).where(table.c[column].in_(offers)))
        for table, column in reversed(_children("people")):  # offers' children are gone already
            mine = table.c[column] == person_id
            if _keeps_row(table, column):  # a row that outlives the person, only without them
                deleted += await _run(session, update(table).where(mine).values({column: None}))
            else:
                deleted += await _run(session, delete(table).where(mine))
        deleted += await _run(session, delete(PersonRow).where(PersonRow.id == person_id))
        scrubbed = await _scrub(session, email, keys, slack_ids)
        scrubbed += await _outbox(session, carried, email, keys, name)
        session.add(
            audit_row(
                AuditEvent(at=now, actor=actor, platform=platform, action=ERASE_ACTION, role="", target=why)
            )
        )
    return Erased(rows=deleted, scrubbed=scrubbed)


async def _scrub(session: AsyncSession, email: str, keys: list[str], slack_ids: list[str]) -> int:
    """The places that name the person without a foreign key."""
    scrubbed = 0
    people = update(PersonRow).where(PersonRow.manager_email == email).values(manager_email=None)
    scrubbed += await _run(session, people)
    items = update(ContentItemRow).where(ContentItemRow.created_by == email).values(created_by=None)
    scrubbed += await _run(session, items)
    installations = metadata.tables.get("slack_installations")
    if installations is not None and slack_ids:
        # Slack's record of who installed the app: the workspace keeps working without the name.
        change = update(installations).where(installations.c.user_id.in_(slack_ids)).values(user_id="")
        scrubbed += await _run(session, change)
    for row in await session.scalars(select(AuditRow).where(_names(AuditRow, keys))):
        if row.actor in keys:
            row.actor = ERASED
        row.target = row.target.replace(keys[0], ERASED)
        scrubbed += 1
    return scrubbed


async def _carried(session: AsyncSession, person_id: int) -> list[str]:
    """LIKE patterns of other people's outbox keys that exist because of something the person made
    (bot/creators/service.py): their copy-edit requests, topic requests, amplified pieces; their
    taking a topic on. (An editor's suggestions, once sent, are the author's: they stay with the
    author's draft, and only the editor's name, if anywhere, is taken out.)"""
    patterns = [f"topic:%/taken/{person_id}"]
    made = (
        ("edit_requests", "author_id", "edit:{}/%"),
        ("topic_requests", "requester_id", "topic:{}/%"),
        ("amplified_pieces", "author_id", "amplify:{}/%"),
    )
    for name, column, pattern in made:
        table = metadata.tables.get(name)
        if table is not None:
            ids = await session.scalars(select(table.c.id).where(table.c[column] == person_id))
            patterns += [pattern.format(i) for i in ids]
    return patterns


async def _outbox(session: AsyncSession, carried: list[str], email: str, keys: list[str], name: str) -> int:
    """Other people's outbox rows with the person's words or name in them (see the module's doc)."""
    deliveries = metadata.tables.get("deliveries")
    if deliveries is None:
        return 0
    changed = 0
    if carried:
        theirs = or_(*(deliveries.c.key.like(pattern) for pattern in carried))
        not_sent = deliveries.c.status.in_(_NOT_SENT)
        cancel = update(deliveries).where(theirs, not_sent)
        cancel = cancel.values(status=_CANCELLED, message=REMOVED, lease_until=None, last_error=None)
        changed += await _run(session, cancel)
        changed += await _run(session, update(deliveries).where(theirs, ~not_sent).values(message=REMOVED))
    # How messages show them: their name, or (a digest, with no name on record) their email's local part.
    shown = name.strip() or email.partition("@")[0]
    names = [n for n in dict.fromkeys((shown, literal(shown))) if len(n) > 1]
    exact = [k for k in dict.fromkeys(keys) if k]
    # A first look in SQL: the message's JSON as text (non-ASCII escaped, as the serializer writes it).
    needles = {form for n in (*names, *exact) for form in (n, json.dumps(n)[1:-1])}
    as_text = sql_cast(deliveries.c.message, Text)
    found = await session.execute(
        select(deliveries.c.id, deliveries.c.category, deliveries.c.message).where(
            deliveries.c.message.is_not(None), or_(*(as_text.contains(n, autoescape=True) for n in needles))
        )
    )
    for row_id, category, message in found.all():
        cleaned = _without(message, names, exact, digest=category == "digest")
        if cleaned != message:
            await session.execute(update(deliveries).where(deliveries.c.id == row_id).values(message=cleaned))
            changed += 1
    return changed


def _without(message: dict[str, Any], names: list[str], exact: list[str], digest: bool) -> dict[str, Any]:
    """A stored message with the person taken out: a digest's cheer for them removed (a text block
    left empty goes), then their email and ids as ``(erased)`` and their name as "a colleague"."""
    named = re.compile(
        "|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names, key=len, reverse=True))
    )

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            if digest:
                for n in names:
                    value = without_cheered(value, n)
            for key in exact:
                value = value.replace(key, ERASED)
            return named.sub(_COLLEAGUE, value) if names else value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    cleaned = clean(message)
    if isinstance(cleaned, dict) and isinstance(cleaned.get("blocks"), list):
        cleaned["blocks"] = [
            b
            for b in cleaned["blocks"]
            if not (isinstance(b, dict) and b.get("type") == "Text" and not b.get("text"))
        ]
    return cast("dict[str, Any]", cleaned)


async def _run(session: AsyncSession, statement: Executable) -> int:
    """Run a DELETE or UPDATE; how many rows it changed."""
    return int(cast("CursorResult[Any]", await session.execute(statement)).rowcount)


# --- leavers ---------------------------------------------------------------------------------------


async def due_for_erasure(database: Database, now: datetime, retention_days: int) -> list[int]:
    """People who left (a full roster no longer lists them) at least ``retention_days`` ago."""
    cutoff = now - timedelta(days=retention_days)
    query = select(PersonRow.id).where(PersonRow.left_at.is_not(None), PersonRow.left_at <= cutoff)
    async with database.sessions() as session:
        return list(await session.scalars(query.order_by(PersonRow.id)))


async def erase_leavers(database: Database, now: datetime, retention_days: int) -> int:
    """Erase every leaver whose retention has run out (the scheduler calls this each tick)."""
    erased = 0
    for person_id in await due_for_erasure(database, now, retention_days):
        done = await erase(
            database, person_id, now=now, actor="scheduler", platform="cli", why="left the roster"
        )
        erased += done is not None
    return erased
