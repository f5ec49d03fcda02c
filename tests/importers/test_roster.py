"""Roster import: all or nothing, idempotent, and never splitting one person into two."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.importers.roster import RosterError, RosterResult, import_roster
from bot.store.models import IdentityRow, PersonRow
from bot.store.store import Store
from nudges.activities import Activity, ActivityKind
from nudges.events import PersonRef
from nudges.zones import Zone

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HEADER = "email,name,timezone,team,manager_email,roles,slack_user_id,teams_aad_object_id"
ROSTER = f"""{HEADER}
Ann@Example.com,Ann Lee,Europe/Berlin,Platform,max@example.com,employee;manager,U1,aad-1
bo@example.com,Bo Park,America/New_York,Sales,,marketing,,aad-2
cy@example.com,Cy Diaz,,,,,,
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


async def people(store: Store) -> dict[str, PersonRow]:
    async with store.database.sessions() as session:
        return {row.email: row for row in await session.scalars(select(PersonRow))}


async def identities(store: Store) -> set[tuple[str, str, str]]:
    """(platform, user id, email of the person) for every identity."""
    query = select(IdentityRow.platform, IdentityRow.user_id, PersonRow.email).join(PersonRow)
    async with store.database.sessions() as session:
        return {tuple(row) for row in await session.execute(query)}  # type: ignore[misc]


async def test_a_good_roster_creates_everyone_with_their_identities(store: Store, tmp_path: Path) -> None:
    assert await import_roster(store, write(tmp_path, ROSTER)) == RosterResult(created=3, updated=0)

    by_email = await people(store)
    ann, bo, cy = by_email["ann@example.com"], by_email["bo@example.com"], by_email["cy@example.com"]
    assert (ann.name, ann.timezone, ann.team, ann.manager_email) == (
        "Ann Lee",
        "Europe/Berlin",
        "Platform",
        "max@example.com",
    )
    assert ann.roles == ["employee", "manager"]
    assert bo.roles == ["employee", "marketing"]  # everyone is an employee
    assert (cy.timezone, cy.team, cy.manager_email, cy.roles) == ("UTC", None, None, ["employee"])
    assert await identities(store) == {
        ("slack", "U1", "ann@example.com"),
        ("teams", "aad-1", "ann@example.com"),
        ("teams", "aad-2", "bo@example.com"),
    }


async def test_the_identity_columns_are_optional_and_a_database_will_do(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "email,name,timezone,team,manager_email,roles\ndi@example.com,Di,UTC,,,admin\n")

    assert await import_roster(store.database, path) == RosterResult(created=1, updated=0)
    assert (await people(store))["di@example.com"].roles == ["employee", "admin"]


async def test_reimport_updates_in_place_and_leaves_everyone_else_alone(store: Store, tmp_path: Path) -> None:
    outsider = await store.ensure_person(
        PersonRef("slack", "U9", email="zoe@example.com", name="Zoe"), "D9", NOW
    )
    await import_roster(store, write(tmp_path, ROSTER))
    ann_id = (await people(store))["ann@example.com"].id
    ann, _ = await store.load_all(ann_id)
    await store.save(ann_id, ann.evolve(zone=Zone.SHARER, pending_question="habits"), started_at=NOW)

    changed = ROSTER.replace("Platform", "Data").replace("employee;manager", "employee")
    result = await import_roster(store, write(tmp_path, changed.replace("Cy Diaz,,", "Cy Diaz,Asia/Tokyo,")))

    assert result == RosterResult(created=0, updated=3)
    by_email = await people(store)
    assert len(by_email) == 4
    assert (by_email["ann@example.com"].team, by_email["ann@example.com"].roles) == ("Data", ["employee"])
    assert by_email["ann@example.com"].zone == Zone.SHARER  # the journey is not the roster's to reset
    assert by_email["cy@example.com"].timezone == "Asia/Tokyo"
    zoe = by_email["zoe@example.com"]
    assert (zoe.id, zoe.name, zoe.roles, zoe.team) == (outsider, "Zoe", ["employee"], None)
    assert len(await identities(store)) == 4


async def test_a_placeholder_from_an_earlier_dm_becomes_the_roster_person(
    store: Store, tmp_path: Path
) -> None:
    placeholder = await store.ensure_person(PersonRef("slack", "U1", name="ann"), "D1", NOW)
    person, _ = await store.load_all(placeholder)
    await store.save(
        placeholder, person.evolve(zone=Zone.CREATOR), activities=[Activity(ActivityKind.SHARED, NOW)]
    )

    assert await import_roster(store, write(tmp_path, ROSTER)) == RosterResult(created=2, updated=1)

    ann = (await people(store))["ann@example.com"]
    assert ann.id == placeholder and ann.name == "Ann Lee"
    loaded, history = await store.load_all(ann.id)
    assert loaded.zone == Zone.CREATOR and len(history.activities) == 1
    assert await store.address_of(ann.id, "slack") == "D1"
    assert "slack:U1" not in await people(store)


async def test_a_placeholder_is_merged_into_a_person_the_roster_already_knew(
    store: Store, tmp_path: Path
) -> None:
    await import_roster(store, write(tmp_path, f"{HEADER}\nann@example.com,Ann Lee,Europe/Berlin,,,,,\n"))
    placeholder = await store.ensure_person(PersonRef("slack", "U1"), "D1", NOW)
    person, _ = await store.load_all(placeholder)
    await store.save(
        placeholder,
        person.evolve(zone=Zone.SHARER, onboarded_at=NOW, opted_out=True),
        activities=[Activity(ActivityKind.SHORT_POST, NOW)],
        started_at=NOW,
    )

    assert await import_roster(store, write(tmp_path, ROSTER)) == RosterResult(created=2, updated=1)

    by_email = await people(store)
    assert set(by_email) == {"ann@example.com", "bo@example.com", "cy@example.com"}
    ann, history = await store.load_all(by_email["ann@example.com"].id)
    assert (ann.zone, ann.onboarded_at, ann.opted_out) == (Zone.SHARER, NOW, True)
    assert [a.kind for a in history.activities] == [ActivityKind.SHORT_POST]
    assert by_email["ann@example.com"].started_at == NOW
    assert await store.address_of(by_email["ann@example.com"].id, "slack") == "D1"


async def test_a_slack_id_reassigned_between_two_rows_moves_with_the_roster(
    store: Store, tmp_path: Path
) -> None:
    await import_roster(store, write(tmp_path, ROSTER))

    swapped = ROSTER.replace(",U1,aad-1", ",,aad-1").replace("marketing,,aad-2", "marketing,U1,aad-2")
    await import_roster(store, write(tmp_path, swapped))

    assert ("slack", "U1", "bo@example.com") in await identities(store)
    assert len(await people(store)) == 3


async def test_header_case_spaces_a_bom_and_blank_lines_are_fine(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffEmail, Name ,TIMEZONE,team,manager_email,roles\n\nann@example.com,Ann,UTC,,,\n")

    assert await import_roster(store, path) == RosterResult(created=1, updated=0)


BAD_ROSTERS = [
    ("missing email", f"{HEADER}\nann@example.com,Ann,UTC,,,,,\n,Nobody,UTC,,,,,\n", "line 3: missing email"),
    (
        "malformed email",
        f"{HEADER}\nann.example.com,Ann,UTC,,,,,\n",
        "line 2: malformed email 'ann.example.com'",
    ),
    (
        "malformed manager",
        f"{HEADER}\nann@example.com,Ann,UTC,,max,,,\n",
        "line 2: malformed manager_email 'max'",
    ),
    ("unknown role", f"{HEADER}\nann@example.com,Ann,UTC,,,employee;boss,,\n", "line 2: unknown role 'boss'"),
    (
        "duplicate email",
        ROSTER + "ANN@example.com,Ann Again,UTC,,,,,\n",
        "line 5: duplicate email 'ann@example.com' (also on line 2)",
    ),
    (
        "duplicate slack id",
        ROSTER + "di@example.com,Di,UTC,,,,U1,\n",
        "line 5: duplicate slack id 'U1' (also on line 2)",
    ),
    (
        "duplicate teams id",
        ROSTER + "di@example.com,Di,UTC,,,,,aad-2\n",
        "line 5: duplicate teams id 'aad-2' (also on line 3)",
    ),
    (
        "missing column",
        "email,name,team,manager_email,roles\nann@example.com,Ann,,,\n",
        "line 1: missing column 'timezone'",
    ),
    ("unknown column", f"{HEADER},slack_id\n", "line 1: unknown column 'slack_id'"),
    ("short row", f"{HEADER}\nann@example.com,Ann,UTC\n", "line 2: expected 8 columns, found 3"),
    ("empty file", "", "line 1: the file is empty"),
]


@pytest.mark.parametrize(
    ("text", "message"), [case[1:] for case in BAD_ROSTERS], ids=[case[0] for case in BAD_ROSTERS]
)
async def test_a_bad_roster_names_the_line_and_writes_nothing(
    store: Store, tmp_path: Path, text: str, message: str
) -> None:
    await store.ensure_person(
        PersonRef("console", "ann", email="ann@example.com", name="Ann Before"), None, NOW
    )

    with pytest.raises(RosterError, match="^" + re.escape(f"roster.csv {message}")):
        await import_roster(store, write(tmp_path, text))

    by_email = await people(store)
    assert list(by_email) == ["ann@example.com"] and by_email["ann@example.com"].name == "Ann Before"
    async with store.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(IdentityRow)) == 1


async def test_an_unknown_time_zone_late_in_the_file_stops_the_whole_import(
    store: Store, tmp_path: Path
) -> None:
    text = ROSTER + "\ndi@example.com,Di,Mars/Base,,,,,\n"  # a blank line: line numbers are the file's

    with pytest.raises(RosterError) as raised:
        await import_roster(store, write(tmp_path, text))

    assert str(raised.value) == "roster.csv line 6: unknown time zone 'Mars/Base'"
    assert await people(store) == {}


async def test_a_file_that_is_not_utf8_names_the_line_and_says_what_to_do(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes((ROSTER + "di@example.com,Dí Ruiz,Europe/Madrid,,,,,\n").encode("latin-1"))

    with pytest.raises(RosterError) as raised:
        await import_roster(store, path)

    assert str(raised.value) == (
        "roster.csv line 5: byte 0xed is not UTF-8; the roster must be saved as UTF-8 "
        "(in a spreadsheet: CSV UTF-8)"
    )
    assert await people(store) == {}


async def test_a_roster_time_zone_is_kept_even_when_it_is_utc(store: Store, tmp_path: Path) -> None:
    roster = f"{HEADER}\ndi@example.com,Di,UTC,,,,U9,\nem@example.com,Em,,,,,U8,\n"
    await import_roster(store, write(tmp_path, roster))

    for user in ("U9", "U8"):  # Slack's users.info guess, on their first message
        await store.ensure_person(PersonRef("slack", user, timezone="America/Chicago"), None, NOW)

    by_email = await people(store)
    assert by_email["di@example.com"].timezone == "UTC"  # the organisation's word
    assert by_email["em@example.com"].timezone == "America/Chicago"  # nobody said: the guess fills it
