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
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.database import Database
from bot.store.models import ActivityRow, IdentityRow, OfferRow, PersonRow
from bot.store.org import org_defaults
from bot.store.store import Store, person_key

REQUIRED_COLUMNS = ("email", "name", "timezone", "team", "manager_email", "roles")
IDENTITY_COLUMNS = {"slack_user_id": "slack", "teams_aad_object_id": "teams"}  # column -> platform
KNOWN_ROLES = ("employee", "marketing", "manager", "admin")
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
    updated: int


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


async def import_roster(store_or_db: Store | Database, path: Path) -> RosterResult:
    """Validate the whole file (RosterError naming the line), then apply it in one transaction."""
    entries = parse_roster(path)
    database = store_or_db.database if isinstance(store_or_db, Store) else store_or_db
    async with database.sessions.begin() as session:
        return await _apply(session, entries)


def parse_roster(path: Path) -> list[RosterEntry]:
    with io.StringIO(_text(path), newline="") as file:
        reader = csv.reader(file)
        columns = _read_header(path.name, next(reader, None))
        entries: list[RosterEntry] = []
        first_line: dict[tuple[str, str], int] = {}  # ("email" | platform, value) -> line seen on
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            line = reader.line_num

            def fail(problem: str, line: int = line) -> RosterError:
                return RosterError(f"{path.name} line {line}: {problem}")

            if len(cells) != len(columns):
                raise fail(f"expected {len(columns)} columns, found {len(cells)}")
            entry = _entry(line, dict(zip(columns, (cell.strip() for cell in cells), strict=True)), fail)
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


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


async def _apply(session: AsyncSession, entries: list[RosterEntry]) -> RosterResult:
    in_file = {entry.email for entry in entries}
    created = updated = 0
    for entry in entries:
        person = await _person(session, entry.email)
        for platform, user_id in entry.identities:
            identity = await _identity(session, platform, user_id)
            if identity is None or (person is not None and identity.person_id == person.id):
                continue
            owner = await session.get(PersonRow, identity.person_id)
            if owner is None or owner.email in in_file:
                continue  # another row of this file: the identity just moves below
            if person is None:
                person = owner  # a placeholder (or an old email) becomes this roster person
            else:
                await _merge(session, loser=owner, survivor=person)
        if person is None:
            person = PersonRow(email=entry.email)
            for column, value in (await org_defaults(session)).columns().items():
                setattr(person, column, value)  # the organisation's window and cap, until they choose
            session.add(person)
            created += 1
        else:
            updated += 1
        _apply_entry(person, entry)
        await session.flush()
        await _link_identities(session, person.id, entry)
    return RosterResult(created=created, updated=updated)


def _apply_entry(person: PersonRow, entry: RosterEntry) -> None:
    person.email = entry.email
    if entry.name:
        person.name = entry.name
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
