"""The store on every backend: people and identities, state and history, content, settings."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import StatementError

from bot.store.database import Database
from bot.store.mapping import Identity
from bot.store.models import ActivityRow, IdentityRow, OfferRow, PersonRow, UTCDateTime
from bot.store.store import Store, UnknownPerson
from bot.store.urls import async_url, sync_url
from nudges.activities import Activity, ActivityKind
from nudges.events import PersonRef
from nudges.library import Category, ContentItem
from nudges.messages import Answer
from nudges.person import Offer, Person, Schedule
from nudges.zones import Zone

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
ANN = PersonRef("slack", "U123", tenant="T1", name="Ann Lee", timezone="Europe/Berlin")


async def count(store: Store, model: type) -> int:
    async with store.database.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


def offer(offer_id: str, at: datetime, **changes: object) -> Offer:
    fields: dict = {"key": "follow-three", "kind": "follow", "category": Category.STEP} | changes
    return Offer(id=offer_id, offered_at=at, **fields)


# People and identities ----------------------------------------------------------------------------


async def test_ensure_person_creates_a_placeholder_person_with_the_platform_details(store: Store) -> None:
    person_id = await store.ensure_person(ANN, "D42", NOW)

    person, history = await store.load_all(person_id)
    assert person.key == "slack:U123"
    assert person.name == "Ann Lee"
    assert person.schedule.timezone == "Europe/Berlin"
    assert person.roles == {"employee"} and person.zone == Zone.CONSUMER
    assert history.offers == () and history.activities == ()
    assert await store.identities(person_id) == (Identity("slack", "U123", "T1", "D42"),)


async def test_ensure_person_again_finds_the_same_person_and_keeps_the_address_current(store: Store) -> None:
    first = await store.ensure_person(ANN, "D42", NOW)
    assert await store.ensure_person(ANN, None, NOW) == first
    assert await store.address_of(first, "slack") == "D42"  # None means "not told", not "forget it"

    assert await store.ensure_person(ANN, "D99", NOW) == first
    assert await store.address_of(first, "slack") == "D99"
    assert await count(store, PersonRow) == 1 and await count(store, IdentityRow) == 1


async def test_ensure_person_with_an_email_links_the_roster_person(store: Store) -> None:
    roster_id = await store.ensure_person(PersonRef("console", "ann", email="ann@example.com"), None, NOW)

    teams = PersonRef("teams", "aad-1", email="Ann@Example.com", name="Ann L.")
    assert await store.ensure_person(teams, "ref-json", NOW) == roster_id
    assert {i.platform for i in await store.identities(roster_id)} == {"console", "teams"}
    row = await store.person_row_by_email("ANN@example.com")
    assert row is not None and row.id == roster_id and row.email == "ann@example.com"


async def test_ensure_person_learns_the_email_of_a_placeholder_later(store: Store) -> None:
    person_id = await store.ensure_person(ANN, "D42", NOW)

    with_email = PersonRef("slack", "U123", email="ann@example.com")
    assert await store.ensure_person(with_email, None, NOW) == person_id
    person, _ = await store.load_all(person_id)
    assert person.key == "ann@example.com"


async def reach_of(store: Store, person_id: int) -> tuple[datetime | None, datetime | None]:
    async with store.database.sessions.begin() as session:
        row = await session.get(PersonRow, person_id)
        assert row is not None
        return row.unreachable_at, row.next_due_at


async def gone(store: Store, person_id: int) -> None:
    """What delivery leaves behind after Slack said account_inactive (or Teams answered 403)."""
    async with store.database.sessions.begin() as session:
        await session.execute(
            update(PersonRow)
            .where(PersonRow.id == person_id)
            .values(unreachable_at=NOW, next_due_at=NOW + timedelta(days=30))
        )


async def test_hearing_from_an_unreachable_person_again_makes_them_reachable_and_due(store: Store) -> None:
    person_id = await store.ensure_person(PersonRef("slack", "U1", email="a@example.com"), "D1", NOW)
    await gone(store, person_id)

    assert await store.ensure_person(PersonRef("slack", "U1"), "D2", NOW) == person_id  # a new DM
    assert await reach_of(store, person_id) == (None, None)  # the next tick looks at them again

    await gone(store, person_id)
    back_on_teams = PersonRef("teams", "aad-1", email="A@example.com")
    assert await store.ensure_person(back_on_teams, "conv", NOW) == person_id  # any platform counts
    assert await reach_of(store, person_id) == (None, None)


async def test_hearing_from_a_reachable_person_writes_nothing_to_their_row(store: Store) -> None:
    person_id = await store.ensure_person(ANN, "D42", NOW)
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    sync_engine = store.database.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", record)
    try:
        assert await store.ensure_person(ANN, "D42", NOW) == person_id
    finally:
        event.remove(sync_engine, "before_cursor_execute", record)
    assert statements and not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]


async def test_meeting_someone_new_writes_their_row_once(store: Store) -> None:
    """Their row is inserted with what the platform told (here, the time zone), not inserted and
    then updated with it: one statement less in every new person's first turn."""
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()).upper())

    sync_engine = store.database.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", record)
    try:
        person_id = await store.ensure_person(ANN, "D42", NOW)
    finally:
        event.remove(sync_engine, "before_cursor_execute", record)
    person, _ = await store.load_all(person_id)
    assert (person.schedule.timezone, person.name) == ("Europe/Berlin", "Ann Lee")
    assert [s for s in statements if s.startswith("INSERT INTO PEOPLE")]
    assert not [s for s in statements if s.startswith("UPDATE PEOPLE")], statements


async def test_ensure_person_never_overwrites_a_known_time_zone_or_takes_a_bogus_one(store: Store) -> None:
    person_id = await store.ensure_person(PersonRef("slack", "U1", timezone="Mars/Base"), None, NOW)
    person, _ = await store.load_all(person_id)
    assert person.schedule.timezone == "UTC"

    await store.ensure_person(PersonRef("slack", "U1", timezone="Asia/Tokyo"), None, NOW)
    await store.ensure_person(PersonRef("slack", "U1", timezone="America/Chicago"), None, NOW)
    person, _ = await store.load_all(person_id)
    assert person.schedule.timezone == "Asia/Tokyo"


async def test_two_first_messages_at_once_make_one_person(store: Store) -> None:
    refs = [ANN] * 4 + [PersonRef("slack", "U123", email="ann@example.com")] * 2
    person_ids = await asyncio.gather(*(store.ensure_person(ref, "D42", NOW) for ref in refs))

    assert len(set(person_ids)) == 1
    assert await count(store, PersonRow) == 1 and await count(store, IdentityRow) == 1


async def test_first_turns_of_someone_new_at_once_make_one_person_and_each_runs_on_them(store: Store) -> None:
    refs = [ANN] * 4 + [PersonRef("slack", "U123", email="ann@example.com")] * 2

    async def first_turn(ref: PersonRef) -> tuple[int, int, int]:
        async with store.turn(ref, "D42", NOW) as unit:
            person, history = await unit.load_bounded(NOW)
            await unit.save(person.evolve(zone=Zone.SHARER), now=NOW)
            return unit.person_id, len(history.offers), len(history.activities)

    turns = await asyncio.gather(*(first_turn(ref) for ref in refs))

    assert len({person_id for person_id, _, _ in turns}) == 1
    assert all(offers == activities == 0 for _, offers, activities in turns)
    assert await count(store, PersonRow) == 1 and await count(store, IdentityRow) == 1
    async with store.database.sessions() as session:
        email, zone, summary = (
            await session.execute(select(PersonRow.email, PersonRow.zone, PersonRow.plan_summary))
        ).one()
    assert (
        email == "ann@example.com" and zone == Zone.SHARER and summary is not None
    )  # the summary with the turn


@pytest.mark.parametrize("email", ["ann@example.com", None])
async def test_someone_looked_up_as_new_but_made_meanwhile_by_another_replica_is_found_not_made_twice(
    store: Store, email: str | None
) -> None:
    ref = PersonRef("slack", "U77", email=email)
    assert await store.profile_gaps(ref) is None  # nobody yet: this store's next turn of them creates
    replica = Store(store.database)
    async with replica.turn(ref, "D42", NOW) as unit:
        made = unit.person_id

    async with store.turn(ref, "D42", NOW) as unit:  # its insert fails, and the lookup finds them
        person, _ = await unit.load_bounded(NOW)
        await unit.save(person.evolve(zone=Zone.SHARER), now=NOW)
        assert unit.person_id == made

    assert await count(store, PersonRow) == 1 and await count(store, IdentityRow) == 1
    assert await store.find_person_id(ref) == made


async def test_a_first_turn_that_fails_leaves_nobody_behind(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.turn(ANN, "D42", NOW) as unit:
            await unit.load_bounded(NOW)
            raise RuntimeError("the turn failed")

    assert await store.find_person_id(ANN) is None
    assert await count(store, PersonRow) == 0 and await count(store, IdentityRow) == 0
    async with store.turn(ANN, "D42", NOW) as unit:  # and the next message makes them
        person_id = unit.person_id
    assert await store.find_person_id(ANN) == person_id


async def test_two_new_people_on_two_platforms_with_one_email_at_once_make_one_person(store: Store) -> None:
    refs = [PersonRef(p, f"{p}-id", email="bo@example.com") for p in ("slack", "teams", "console")] * 2
    person_ids = await asyncio.gather(*(store.ensure_person(ref, None, NOW) for ref in refs))

    assert len(set(person_ids)) == 1
    assert await count(store, PersonRow) == 1 and await count(store, IdentityRow) == 3


async def test_find_person_id_by_identity_then_by_email_linking_the_identity(store: Store) -> None:
    assert await store.find_person_id(ANN) is None
    person_id = await store.ensure_person(PersonRef("console", "ann", email="ann@example.com"), None, NOW)

    assert await store.find_person_id(PersonRef("console", "ann")) == person_id
    assert await store.find_person_id(PersonRef("slack", "U9", email="ANN@example.com")) == person_id
    assert await store.find_person_id(PersonRef("slack", "U9")) == person_id  # linked now
    assert await store.find_person_id(PersonRef("slack", "U8", email="nobody@example.com")) is None


async def test_profile_gaps_say_what_a_platform_profile_could_still_fill_in(store: Store) -> None:
    assert await store.profile_gaps(PersonRef("slack", "U1")) is None  # nobody has that identity
    await store.ensure_person(PersonRef("slack", "U1"), None, NOW)  # a placeholder: no email, name, zone
    assert await store.profile_gaps(PersonRef("slack", "U1")) is True
    await store.ensure_person(PersonRef("slack", "U2", email="bo@example.com", name="Bo"), None, NOW)
    assert await store.profile_gaps(PersonRef("slack", "U2")) is True  # still on the default zone
    await store.ensure_person(ANN, None, NOW)
    await store.ensure_person(PersonRef("slack", "U123", email="ann@example.com"), None, NOW)
    assert await store.profile_gaps(PersonRef("slack", "U123")) is False


async def test_concurrent_lookups_by_email_link_the_identity_once(store: Store) -> None:
    person_id = await store.ensure_person(PersonRef("console", "ann", email="ann@example.com"), None, NOW)
    ref = PersonRef("slack", "U9", email="ann@example.com")

    assert set(await asyncio.gather(*(store.find_person_id(ref) for _ in range(6)))) == {person_id}
    assert await count(store, IdentityRow) == 2


async def test_address_of_picks_the_platform_and_skips_identities_without_one(store: Store) -> None:
    person_id = await store.ensure_person(PersonRef("teams", "aad-1", email="a@example.com"), "conv", NOW)
    await store.ensure_person(PersonRef("slack", "U1", email="a@example.com"), None, NOW)

    assert await store.address_of(person_id, "teams") == "conv"
    assert await store.address_of(person_id, "slack") is None
    assert await store.address_of(person_id, "console") is None


async def test_deleting_a_person_deletes_their_identities_and_history(store: Store) -> None:
    person_id = await store.ensure_person(ANN, "D42", NOW)
    person, _ = await store.load_all(person_id)
    await store.save(
        person_id, person, activities=[Activity(ActivityKind.SHARED, NOW)], offers=[offer("o", NOW)]
    )

    async with store.database.sessions.begin() as session:
        await session.execute(delete(PersonRow).where(PersonRow.id == person_id))

    for model in (IdentityRow, ActivityRow, OfferRow):
        assert await count(store, model) == 0  # on SQLite only with PRAGMA foreign_keys=ON


# A person's state and history ---------------------------------------------------------------------


async def test_save_and_load_round_trip_every_field_of_a_person(store: Store) -> None:
    person_id = await store.ensure_person(ANN, None, NOW)
    person = Person(
        key="slack:U123",
        name="Ann Lee-Smith",
        zone=Zone.CREATOR,
        networks=("linkedin", "x"),
        topics=("cloud", "security"),
        schedule=Schedule(
            timezone="America/New_York",
            work_days=frozenset({0, 2, 4}),
            work_start=time(8, 0),
            work_end=time(17, 15),
            quiet_start=time(22, 0),
            quiet_end=time(7, 0),
        ),
        weekly_cap=3,
        paused_until=datetime(2026, 3, 9, 8, 0, tzinfo=BERLIN),
        retired_kinds=frozenset({"tweet-chat", "analytics"}),
        pending_question="time",
        opted_out=True,
        milestones=frozenset({"first_share", "first_post"}),
    )
    await store.save(person_id, person)

    loaded, _ = await store.load_all(person_id)
    assert loaded == person
    assert loaded.paused_until is not None and loaded.paused_until.tzinfo is UTC
    assert loaded.paused_until == datetime(2026, 3, 9, 7, 0, tzinfo=UTC)


async def test_save_leaves_what_the_roster_owns_alone(store: Store) -> None:
    person_id = await store.ensure_person(PersonRef("console", "ann", email="ann@example.com"), None, NOW)
    person, _ = await store.load_all(person_id)

    await store.save(person_id, person.evolve(key="other@example.com", roles=frozenset({"admin"})))

    row = await store.person_row_by_email("ann@example.com")
    assert row is not None and row.roles == ["employee"] and row.team is None


async def test_save_records_activities_and_offers_and_load_returns_them_oldest_first(store: Store) -> None:
    person_id = await store.ensure_person(ANN, None, NOW)
    person, _ = await store.load_all(person_id)
    activities = [
        Activity(ActivityKind.SHORT_POST, NOW - timedelta(days=1), "about DST"),
        Activity(ActivityKind.SHARED, NOW - timedelta(days=3)),
    ]
    offers = [
        offer("late", NOW - timedelta(hours=1), company=True, category=Category.SHARE, key="content:a"),
        offer("early", NOW - timedelta(days=2)),
    ]
    await store.save(person_id, person, activities=activities, offers=offers, activity_source="nudge")

    _, history = await store.load_all(person_id)
    assert history.activities == tuple(reversed(activities))
    assert history.offers == tuple(reversed(offers))
    assert all(a.at.tzinfo is UTC for a in history.activities)
    async with store.database.sessions() as session:
        assert set(await session.scalars(select(ActivityRow.source))) == {"nudge"}


async def test_load_since_keeps_only_what_happened_at_or_after_it(store: Store) -> None:
    person_id = await store.ensure_person(ANN, None, NOW)
    person, _ = await store.load_all(person_id)
    since = NOW - timedelta(days=60)
    at_edge = since.astimezone(BERLIN)  # the same instant, written in another zone
    await store.save(
        person_id,
        person,
        activities=[
            Activity(ActivityKind.SHARED, since - timedelta(seconds=1)),
            Activity(ActivityKind.ASKED, at_edge),
        ],
        offers=[offer("old", since - timedelta(days=1)), offer("edge", at_edge), offer("new", NOW)],
    )

    _, history = await store.load(person_id, since)
    assert [o.id for o in history.offers] == ["edge", "new"]
    assert [a.kind for a in history.activities] == [ActivityKind.ASKED]


async def test_save_answers_offers_of_that_person_and_ignores_unknown_ones(store: Store) -> None:
    ann = await store.ensure_person(ANN, None, NOW)
    bo = await store.ensure_person(PersonRef("slack", "U2"), None, NOW)
    ann_person, _ = await store.load_all(ann)
    bo_person, _ = await store.load_all(bo)
    await store.save(ann, ann_person, offers=[offer("a1", NOW), offer("a2", NOW)])
    await store.save(bo, bo_person, offers=[offer("b1", NOW)])

    answered_at = NOW + timedelta(hours=2)
    answers = [
        ("a1", Answer.NOT_FOR_ME, answered_at),
        ("b1", Answer.DONE, answered_at),
        ("nope", Answer.DONE, NOW),
    ]
    await store.save(ann, ann_person, answers=answers)

    _, ann_history = await store.load_all(ann)
    _, bo_history = await store.load_all(bo)
    assert ann_history.offer("a1") == offer("a1", NOW, answer=Answer.NOT_FOR_ME, answered_at=answered_at)
    assert ann_history.offer("a2") == offer("a2", NOW)
    assert bo_history.offer("b1") == offer("b1", NOW)  # not Ann's to answer


async def test_save_sets_started_at_once(store: Store) -> None:
    person_id = await store.ensure_person(ANN, None, NOW)
    person, _ = await store.load_all(person_id)

    await store.save(person_id, person, started_at=NOW)
    await store.save(person_id, person, started_at=NOW + timedelta(days=5))
    await store.save(person_id, person)

    row = await store.person_row_by_email("slack:U123")
    assert row is not None and row.started_at == NOW and row.started_at.tzinfo is UTC


async def test_the_introduction_is_claimed_by_exactly_one_unit_across_replicas(
    store: Store, database: Database
) -> None:
    person_id = await store.ensure_person(ANN, None, NOW)
    replica = Store(Database(database.url))

    async def claim(by: Store) -> bool:
        async with by.unit_of_work(person_id) as unit:
            return unit.introduce(NOW)

    try:
        claims = await asyncio.gather(*(claim(by) for by in (store, replica, store, replica)))
    finally:
        await replica.database.dispose()
    assert sorted(claims) == [False, False, False, True]
    row = await store.person_row_by_email("slack:U123")
    assert row is not None and row.introduced_at == NOW


async def test_a_unit_of_work_that_fails_saves_nothing_and_keeps_no_lock(store: Store) -> None:
    person_id = await store.ensure_person(ANN, None, NOW)
    with pytest.raises(RuntimeError):
        async with store.unit_of_work(person_id) as unit:
            person, _ = await unit.load()
            await unit.save(person.evolve(weekly_cap=5), activities=[Activity(ActivityKind.SHARED, NOW)])
            unit.introduce(NOW)
            raise RuntimeError("the turn failed after deciding")

    person, history = await store.load_all(person_id)
    assert person.weekly_cap != 5 and history.activities == ()
    async with store.unit_of_work(person_id) as unit:  # not held by the failed one
        assert not unit.introduced
    assert len(store._locks) == 0  # no lock kept for someone nobody is talking to


async def test_set_message_ref_remembers_where_an_offer_was_posted(store: Store) -> None:
    person_id = await store.ensure_person(ANN, None, NOW)
    person, _ = await store.load_all(person_id)
    await store.save(person_id, person, offers=[offer("o1", NOW)])

    await store.set_message_ref("o1", "slack", "1712345678.000100")

    async with store.database.sessions() as session:
        row = await session.get(OfferRow, "o1")
    assert row is not None and (row.platform, row.message_ref) == ("slack", "1712345678.000100")


async def test_loading_or_saving_an_unknown_person_says_so(store: Store) -> None:
    with pytest.raises(UnknownPerson):
        await store.load(404, NOW)
    with pytest.raises(UnknownPerson):
        await store.save(404, Person(key="x"))
    with pytest.raises(UnknownPerson):
        async with store.unit_of_work(404):
            pass


async def test_naive_datetimes_are_refused(store: Store) -> None:
    person_id = await store.ensure_person(ANN, None, NOW)
    person, _ = await store.load_all(person_id)

    with pytest.raises(StatementError) as raised:
        await store.save(person_id, person.evolve(paused_until=datetime(2026, 3, 9, 8, 0)))
    assert isinstance(raised.value.orig, ValueError)
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), sqlite.dialect())


# Content and settings -----------------------------------------------------------------------------


def item(item_id: str, **changes: object) -> ContentItem:
    fields: dict = {
        "title": "Ten lessons from our cloud migration",
        "url": f"https://example.com/{item_id}",
        "topics": ("cloud",),
        "texts": {"linkedin": "What we learned moving to the cloud.", "x": "Lessons from the move"},
        "zones": frozenset({Zone.SHARER, Zone.CREATOR}),
    } | changes
    return ContentItem(id=item_id, **fields)


async def test_content_round_trips_and_upsert_updates_by_id_keeping_created_at(store: Store) -> None:
    first = item("cloud", created_at=NOW, expires_at=NOW + timedelta(days=7))
    await store.upsert_content([first, item("ai", created_at=NOW + timedelta(minutes=1))], created_by="mia")
    assert await store.list_content() == [first, item("ai", created_at=NOW + timedelta(minutes=1))]

    changed = item(
        "cloud",
        title="Eleven lessons",
        company=False,
        zones=frozenset(Zone),
        created_at=NOW + timedelta(days=1),
    )
    await store.upsert_content([changed])

    assert (await store.list_content())[0] == item(
        "cloud", title="Eleven lessons", company=False, zones=frozenset(Zone), created_at=NOW
    )


async def test_active_content_leaves_out_what_has_expired(store: Store) -> None:
    await store.upsert_content(
        [
            item("forever", created_at=NOW),
            item("later", created_at=NOW, expires_at=NOW + timedelta(seconds=1)),
            item("now", created_at=NOW, expires_at=NOW),
            item("gone", created_at=NOW, expires_at=NOW - timedelta(days=1)),
        ]
    )

    assert [c.id for c in await store.active_content(NOW)] == ["forever", "later"]
    assert [c.id for c in await store.list_content()] == ["forever", "gone", "later", "now"]


async def test_settings_keep_json_values_and_fall_back_to_the_default(store: Store) -> None:
    assert await store.get_setting("quiet_hours", {"start": "20:00"}) == {"start": "20:00"}
    assert await store.get_setting("missing") is None

    await store.set_setting("quiet_hours", {"start": "22:00", "end": "07:00"})
    await store.set_setting("weekly_cap", 2)
    await store.set_setting("weekly_cap", 3)
    await store.set_setting("digest_channels", ["C1", "C2"])

    assert await store.get_setting("quiet_hours") == {"start": "22:00", "end": "07:00"}
    assert await store.get_setting("weekly_cap") == 3
    assert await store.get_setting("digest_channels", []) == ["C1", "C2"]


# Database and URLs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "for_async", "for_sync"),
    [
        ("sqlite:///journeybot.db", "sqlite+aiosqlite:///journeybot.db", "sqlite:///journeybot.db"),
        ("sqlite://", "sqlite+aiosqlite://", "sqlite://"),
        (
            "postgres://bot:p%40ss@db:5432/jb",
            "postgresql+psycopg://bot:p%40ss@db:5432/jb",
            "postgresql+psycopg://bot:p%40ss@db:5432/jb",
        ),
        ("postgresql://db/jb", "postgresql+psycopg://db/jb", "postgresql+psycopg://db/jb"),
        ("postgresql+psycopg://db/jb", "postgresql+psycopg://db/jb", "postgresql+psycopg://db/jb"),
    ],
)
def test_urls_as_people_write_them_get_the_right_drivers(written: str, for_async: str, for_sync: str) -> None:
    assert async_url(written) == for_async
    assert sync_url(written) == for_sync


@pytest.mark.parametrize("written", ["mysql://db/jb", "postgresql+asyncpg://db/jb", "oracle://db"])
def test_urls_for_databases_we_do_not_support_are_refused(written: str) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        async_url(written)


async def test_database_knows_its_backend(database: Database) -> None:
    assert database.is_sqlite == database.url.startswith("sqlite")
    async with database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(PersonRow)) == 0


async def test_a_time_zone_the_person_chose_is_kept_even_when_it_is_utc(store: Store) -> None:
    person_id = await store.ensure_person(PersonRef("slack", "U1"), None, NOW)  # no guess yet: UTC
    person, _ = await store.load_all(person_id)
    await store.save(person_id, person, timezone_chosen=True)  # "set timezone UTC"

    await store.ensure_person(PersonRef("slack", "U1", timezone="Asia/Tokyo"), None, NOW)
    person, _ = await store.load_all(person_id)
    assert person.schedule.timezone == "UTC"


async def test_a_time_zone_nobody_chose_is_still_filled_by_the_platform(store: Store) -> None:
    person_id = await store.ensure_person(PersonRef("slack", "U1"), None, NOW)
    person, _ = await store.load_all(person_id)
    await store.save(person_id, person.evolve(topics=("cloud",)))  # a save that chose nothing

    await store.ensure_person(PersonRef("slack", "U1", timezone="Asia/Tokyo"), None, NOW)
    person, _ = await store.load_all(person_id)
    assert person.schedule.timezone == "Asia/Tokyo"
