"""Import the organisation's roster: who works here, where, in which team, with which platform ids.

All or nothing: every row is validated before anything is written, and the writes are one
transaction. The roster owns name, time zone, team, manager and roles; the person's journey (zone,
answers, history) is never reset by an import.

A person who messaged the bot before the roster knew them exists as ``slack:U123``. When the roster
names that Slack (or Teams) id, the identity is stronger evidence than the email: the placeholder
*is* this person. If nobody has the roster's email yet, the placeholder row simply takes it;
otherwise the placeholder is merged into the person with that email (identities, offers and
activities move over; its journey state wins if the other never started; an opt-out always sticks).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.models import CANCELLED, READY, DeliveryRow
from bot.importers.roster_sql import Owners, Progress, RosterSql
from bot.store.database import Database
from bot.store.models import ActivityRow, IdentityRow, OfferRow, PersonRow, utcnow
from bot.store.org import org_defaults
from bot.store.roles import KNOWN_ROLES  # one list for the roster and `journeybot role`
from bot.store.store import Store, person_key

REQUIRED_COLUMNS = ("email", "name", "timezone", "team", "manager_email", "roles")
IDENTITY_COLUMNS = {"slack_user_id": "slack", "teams_aad_object_id": "teams"}  # column -> platform
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")

# What a merge carries over from a placeholder that started the journey to a person who had not.
_JOURNEY_FIELDS = tuple(
    "zone networks topics work_days work_start work_end quiet_start quiet_end weekly_cap paused_until"
    " retired_kinds pending_question onboarded_at milestones started_at introduced_at next_due_at"
    " unreachable_at".split()
)


class RosterError(ValueError):
    """A roster that cannot be imported; the message names the file and line."""


@dataclass(frozen=True)
class RosterResult:
    created: int
    updated: int  # known before, and something the roster says about them changed
    unchanged: int = 0
    # A full roster (``--full``): who it no longer lists, newly (emails, sorted) and from before,
    # and how many it lists again after they had left.
    leaving: tuple[str, ...] = ()
    still_left: int = 0
    returned: int = 0


@dataclass(frozen=True)
class RosterEntry:
    line: int
    email: str  # lower-case
    name: str
    timezone: str | None  # None: keep what we have (UTC for someone new)
    team: str | None
    manager_email: str | None
    roles: tuple[str, ...]
    identities: tuple[tuple[str, str], ...]  # (platform, user id)


async def import_roster(
    store_or_db: Store | Database,
    path: Path,
    progress: Callable[[int], Progress] | None = None,
    *,
    full: bool = False,
    dry_run: bool = False,
    now: datetime | None = None,
) -> RosterResult:
    """Validate the whole file (RosterError naming the line), then apply it in one transaction.
    ``progress``, given the number of rows, returns what to tell as they are done (a progress bar).

    ``full``: the file is the whole organisation. Everyone it does not list has left: from now on
    nobody plans or sends them anything (their waiting nudges are cancelled in this transaction),
    and the scheduler erases them after ``RETENTION_DAYS``. ``dry_run``: everything is worked out,
    and the transaction is rolled back, so the result says what would happen and nothing changes."""
    entries = parse_roster(path)
    database = store_or_db.database if isinstance(store_or_db, Store) else store_or_db
    async with database.sessions() as session:
        transaction = await session.begin()
        try:
            result = await _apply(session, entries, progress(len(entries)) if progress else None)
            if full:
                result = await _leavers(session, {e.email for e in entries}, result, now or utcnow())
            else:
                result = replace(result, returned=await _returned(session, {e.email for e in entries}))
        except BaseException:
            await transaction.rollback()
            raise
        if dry_run:
            await transaction.rollback()
        else:
            await transaction.commit()
    return result


async def _returned(session: AsyncSession, in_file: set[str]) -> int:
    """Anyone the file lists who had left is back: their leaving is forgotten."""
    left = await session.execute(select(PersonRow.id, PersonRow.email).where(PersonRow.left_at.is_not(None)))
    back = [person_id for person_id, email in left.all() if email in in_file]
    for start in range(0, len(back), NEWCOMER_CHUNK):
        chunk = back[start : start + NEWCOMER_CHUNK]
        await session.execute(update(PersonRow).where(PersonRow.id.in_(chunk)).values(left_at=None))
    return len(back)


async def _leavers(
    session: AsyncSession, in_file: set[str], result: RosterResult, now: datetime
) -> RosterResult:
    """Everyone a full roster does not list has left (now, unless they had already)."""
    returned = await _returned(session, in_file)
    rows = await session.execute(select(PersonRow.id, PersonRow.email, PersonRow.left_at))
    leaving, still_left = [], 0
    for person_id, email, left_at in rows.all():
        if email in in_file:
            continue
        if left_at is None:
            leaving.append((person_id, email))
        else:
            still_left += 1
    ids = [person_id for person_id, _ in leaving]
    for start in range(0, len(ids), NEWCOMER_CHUNK):
        chunk = ids[start : start + NEWCOMER_CHUNK]
        await session.execute(update(PersonRow).where(PersonRow.id.in_(chunk)).values(left_at=now))
        # Nothing more reaches them: what waits in the outbox is cancelled with the same commit.
        await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.person_id.in_(chunk), DeliveryRow.status.in_(READY))
            .values(status=CANCELLED, lease_until=None)
        )
    return replace(
        result, leaving=tuple(sorted(email for _, email in leaving)), still_left=still_left, returned=returned
    )


def parse_roster(path: Path) -> list[RosterEntry]:
    text = _text(path)
    nul = "\x00" in text  # looked for row by row only when the file has one somewhere
    with io.StringIO(text, newline="") as file:
        reader = csv.reader(file)
        columns = _read_header(path.name, next(reader, None))
        entries: list[RosterEntry] = []
        first_line: dict[tuple[str, str], int] = {}  # ("email" | platform, value) -> line seen on
        for cells in reader:
            if not "".join(cells).strip():
                continue
            line = reader.line_num

            def fail(problem: str, line: int = line) -> RosterError:
                return RosterError(f"{path.name} line {line}: {problem}")

            if len(cells) != len(columns):
                raise fail(f"expected {len(columns)} columns, found {len(cells)}")
            if nul and any("\x00" in cell for cell in cells):  # PostgreSQL cannot store it: say where it is
                raise fail("contains a NUL byte (0x00); save the roster as a plain CSV text file")
            entry = _entry(line, dict(zip(columns, map(str.strip, cells), strict=True)), fail)
            for kind, value in (("email", entry.email), *entry.identities):
                if (kind, value) in first_line:
                    what = "email" if kind == "email" else f"{kind} id"
                    raise fail(f"duplicate {what} {value!r} (also on line {first_line[kind, value]})")
                first_line[kind, value] = line
            entries.append(entry)
    return entries


def _text(path: Path) -> str:
    """The file as text. Decoded whole, so a byte that is not UTF-8 is reported on its own line
    (a streaming decoder fails a whole buffer ahead of the row being read)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")  # -sig: spreadsheets like a BOM
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RosterError(
            f"{path.name} line {line}: byte 0x{data[error.start]:02x} is not UTF-8; the roster must be "
            "saved as UTF-8 (in a spreadsheet: CSV UTF-8)"
        ) from None


def _read_header(filename: str, header: list[str] | None) -> list[str]:
    expected = ",".join((*REQUIRED_COLUMNS, *IDENTITY_COLUMNS))
    if header is None:
        raise RosterError(f"{filename} line 1: the file is empty; expected a header row: {expected}")
    if any("\x00" in cell for cell in header):
        raise RosterError(
            f"{filename} line 1: contains a NUL byte (0x00); save the roster as a plain CSV text file"
        )
    columns = [column.strip().lower() for column in header]
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            raise RosterError(f"{filename} line 1: missing column {column!r} (the header is: {expected})")
    for column in columns:
        if column not in REQUIRED_COLUMNS and column not in IDENTITY_COLUMNS:
            raise RosterError(f"{filename} line 1: unknown column {column!r} (known columns: {expected})")
        if columns.count(column) > 1:
            raise RosterError(f"{filename} line 1: column {column!r} appears twice")
    return columns


def _entry(line: int, values: dict[str, str], fail: Callable[[str], RosterError]) -> RosterEntry:
    email = values["email"].lower()
    if not email:
        raise fail("missing email")
    if not _EMAIL.match(email):
        raise fail(f"malformed email {values['email']!r}")
    manager_email = values["manager_email"].lower() or None
    if manager_email is not None and not _EMAIL.match(manager_email):
        raise fail(f"malformed manager_email {values['manager_email']!r}")
    timezone = values["timezone"] or None
    if timezone is not None and timezone not in _timezones():
        raise fail(f"unknown time zone {timezone!r}")
    roles = {role.strip().lower() for role in values["roles"].split(";") if role.strip()}
    unknown_roles = sorted(roles - set(KNOWN_ROLES))
    if unknown_roles:
        raise fail(f"unknown role {unknown_roles[0]!r} (known roles: {', '.join(KNOWN_ROLES)})")
    identities = tuple(
        (platform, values[column]) for column, platform in IDENTITY_COLUMNS.items() if values.get(column)
    )
    return RosterEntry(
        line=line,
        email=email,
        name=values["name"],
        timezone=timezone,
        team=values["team"] or None,
        manager_email=manager_email,
        roles=tuple(role for role in KNOWN_ROLES if role in roles or role == "employee"),  # everyone is one
        identities=identities,
    )


NEWCOMER_CHUNK = 5000  # emails per IN (...): well under SQLite's and PostgreSQL's parameter limits


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


async def _apply(
    session: AsyncSession, entries: list[RosterEntry], progress: Progress | None = None
) -> RosterResult:
    """Set-based: read what the database holds once, compare in memory, write only what changed
    (``roster_sql.py``), all in the import's one transaction.

    A placeholder (or an old email) that one of the file's platform ids already points to has to be
    adopted or merged, person by person (``_apply_one``); that is rare (people who wrote to the bot
    before the roster knew them), so it goes first, through the ORM, and everything else in bulk."""
    advance = progress or (lambda _done: None)
    sql = await RosterSql.of(session)
    platforms = tuple(IDENTITY_COLUMNS.values())
    in_file = {entry.email for entry in entries}
    owners = await sql.owners(platforms)
    adopting = {entry.line for entry in entries if _needs_adoption(entry, owners, in_file)}
    for entry in entries:
        if entry.line in adopting:
            await _apply_one(session, entry, in_file)
    if adopting:
        owners = await sql.owners(platforms)
    now = utcnow()
    people = await sql.people()
    rows: list[dict[str, Any]] = []
    created = updated = 0
    for entry in entries:
        held = people.get(entry.email)
        row = _wanted(entry, held)
        if held is None:
            created += 1
        elif row != held:
            updated += 1
        if held is None or row != held:
            rows.append({**row, "email": entry.email})
    advance(len(entries) - len(rows))
    await sql.upsert_people(rows, now, advance)
    await _org_defaults_for_newcomers(session, [row["email"] for row in rows if row["email"] not in people])
    if any(entry.identities for entry in entries):
        ids = await sql.ids()
        moved = [
            (platform, user_id, ids[entry.email])
            for entry in entries
            for platform, user_id in entry.identities
            if owners.get((platform, user_id), (None,))[0] != ids[entry.email]
        ]
        await sql.upsert_identities(moved, now)
    updated += len(adopting)  # already written by _apply_one, so equal to what the database holds now
    return RosterResult(created=created, updated=updated, unchanged=len(entries) - created - updated)


async def _org_defaults_for_newcomers(session: AsyncSession, emails: list[str]) -> None:
    """New people follow the organisation's working window and cap (``journeybot org``) until they
    choose their own: one set-based update per chunk, after the bulk insert."""
    defaults = (await org_defaults(session)).columns()
    if not defaults:
        return
    for start in range(0, len(emails), NEWCOMER_CHUNK):
        chunk = emails[start : start + NEWCOMER_CHUNK]
        await session.execute(update(PersonRow).where(PersonRow.email.in_(chunk)).values(**defaults))


def _needs_adoption(entry: RosterEntry, owners: Owners, in_file: set[str]) -> bool:
    """A platform id of this row belongs to someone else who is not in the file: a placeholder from
    an earlier DM, or the person under an old email. Rows of this file just swap ids."""
    for key in entry.identities:
        owner = owners.get(key)
        if owner is not None and owner[1] != entry.email and owner[1] not in in_file:
            return True
    return False


def _wanted(entry: RosterEntry, held: dict[str, Any] | None) -> dict[str, Any]:
    """The roster's columns of this person after the import (what it does not say, as it is)."""
    return {
        "name": entry.name or (held["name"] if held else ""),
        "timezone": entry.timezone or (held["timezone"] if held else "UTC"),
        # The organisation said so: no platform's guess replaces it. Without one, whatever chose before.
        "timezone_explicit": True if entry.timezone else bool(held and held["timezone_explicit"]),
        "team": entry.team,
        "manager_email": entry.manager_email,
        "roles": json.dumps(list(entry.roles)),  # as the ORM's JSON type writes it (see roster_sql.people)
    }


async def _apply_one(session: AsyncSession, entry: RosterEntry, in_file: set[str]) -> None:
    """One row whose platform id already belongs to someone outside the file, the way it always was:
    a placeholder becomes the roster person, or is merged into the person with the roster's email."""
    person = await _person(session, entry.email)
    for platform, user_id in entry.identities:
        identity = await _identity(session, platform, user_id)
        if identity is None or (person is not None and identity.person_id == person.id):
            continue
        owner = await session.get(PersonRow, identity.person_id)
        if owner is None or owner.email in in_file:
            continue  # another row of this file: the identity just moves with the others
        if person is None:
            person = owner  # a placeholder (or an old email) becomes this roster person
        else:
            await _merge(session, loser=owner, survivor=person)
    if person is None:  # not reached: a row is only here because an identity had another owner
        person = PersonRow(email=entry.email)
        session.add(person)
    _apply_entry(person, entry)
    await session.flush()
    await _link_identities(session, person.id, entry)


def _apply_entry(person: PersonRow, entry: RosterEntry) -> None:
    person.email = entry.email
    if entry.name:
        person.name = entry.name
    if (entry.timezone and entry.timezone != person.timezone) or entry.team != person.team:
        person.next_due_at = None  # as in _upsert_people: when they are due may have moved
    if entry.timezone:
        person.timezone = entry.timezone
        person.timezone_explicit = True  # the organisation said so: no platform's guess replaces it
    person.team = entry.team
    person.manager_email = entry.manager_email
    person.roles = list(entry.roles)


async def _link_identities(session: AsyncSession, person_id: int, entry: RosterEntry) -> None:
    for platform, user_id in entry.identities:
        identity = await _identity(session, platform, user_id)
        if identity is None:
            session.add(IdentityRow(person_id=person_id, platform=platform, user_id=user_id))
        else:
            identity.person_id = person_id
    await session.flush()


async def _merge(session: AsyncSession, *, loser: PersonRow, survivor: PersonRow) -> None:
    """Fold ``loser`` into ``survivor``: one person, one journey, whichever platform they used."""
    for model in (IdentityRow, ActivityRow, OfferRow):
        await session.execute(
            update(model)
            .where(model.person_id == loser.id)
            .values(person_id=survivor.id)
            .execution_options(synchronize_session="fetch")
        )
    if survivor.started_at is None and loser.started_at is not None:
        for field in _JOURNEY_FIELDS:
            setattr(survivor, field, getattr(loser, field))
    survivor.opted_out = survivor.opted_out or loser.opted_out
    await session.delete(loser)
    await session.flush()


async def _person(session: AsyncSession, email: str) -> PersonRow | None:
    return (await session.scalars(select(PersonRow).where(PersonRow.email == person_key(email)))).first()


async def _identity(session: AsyncSession, platform: str, user_id: str) -> IdentityRow | None:
    query = select(IdentityRow).where(IdentityRow.platform == platform, IdentityRow.user_id == user_id)
    return (await session.scalars(query)).first()
