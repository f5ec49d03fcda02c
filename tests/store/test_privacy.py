"""Each person's data on every backend: export it whole, erase it so that nothing anywhere names them.

"Anywhere" is every table ``metadata`` knows (migrations/tables.py imports them all), read back
row by row after the erasure: a table added later is checked without anyone remembering to.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import create_engine, insert, select, text, update

from adapters.console.sender import ConsoleSender
from adapters.slack.models import slack_installations
from bot.creators.service import Creators
from bot.delivery.codec import decode
from bot.delivery.models import CANCELLED, PENDING, SENT, DeliveryRow
from bot.digests.models import DigestSubscriptionRow
from bot.digests.planning import plan_digests
from bot.digests.subscriptions import Subscriptions
from bot.store import privacy
from bot.store.audit import AuditEvent, AuditRow, events, record
from bot.store.database import Database
from bot.store.migrate import alembic_config
from bot.store.models import ContentClickRow, ContentItemRow, ContentShareRow, PersonRow, metadata
from bot.store.roles import change_role
from bot.store.store import Store
from bot.store.urls import sync_url
from nudges.activities import Activity, ActivityKind
from nudges.events import PersonRef
from nudges.library import Category
from nudges.person import Offer
from tests.digests.week import DIGEST_DUE, WEEK_START, simulate_week, team

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EMAIL = "zephyrine.quillfeather@example.com"
NAME = "Zephyrine Quillfeather"
SLACK_ID = "UZEPHQ42"
TEAMS_ID = "7e1f0c2a-zeph-4b7e-9d1a-quillfeather"
WORDS = "shared the persimmon orchard article with my own line"
MARKERS = (EMAIL, NAME, SLACK_ID, TEAMS_ID, "persimmon", "zephyrine")


async def a_person_with_everything(store: Store) -> int:
    """Zephyrine as the bot comes to know her: on Slack and Teams, logging, answering, sharing,
    subscribing a channel, named by the audit trail, by a colleague's row and by a suggested share."""
    db = store.database
    slack = PersonRef("slack", SLACK_ID, tenant="T1", email=EMAIL, name=NAME, timezone="Europe/Berlin")
    person_id = await store.ensure_person(slack, f"T1:D{SLACK_ID}", NOW)
    teams = PersonRef("teams", TEAMS_ID, tenant="tenant-1", email=EMAIL, name=NAME)
    assert (
        await store.ensure_person(teams, json.dumps({"user": {"id": TEAMS_ID, "name": NAME}}), NOW)
        == person_id
    )
    offer = Offer("off-zeph-1", "content:kumquats", "share", Category.SHARE, NOW)
    async with store.unit_of_work(person_id) as unit:
        person, _ = await unit.load()
        await unit.save(
            person,
            activities=(Activity(ActivityKind.SHARED_WITH_COMMENT, NOW, WORDS),),
            offers=(offer,),
            now=NOW,
        )
    async with db.sessions.begin() as session:
        session.add(
            ContentItemRow(id="kumquats", title="Kumquats", url="https://example.com/k", created_by=EMAIL)
        )
        session.add(ContentShareRow(offer_id=offer.id, item_id="kumquats", network="linkedin", at=NOW))
        session.add(ContentClickRow(offer_id=offer.id, item_id="kumquats", network="linkedin", at=NOW))
        session.add(
            DeliveryRow(
                key=f"{person_id}/follow/2026-03-02", person_id=person_id, offer_id=offer.id,
                category="step", platform="slack", address=f"T1:D{SLACK_ID}", not_before=NOW,
                message={"fallback": f"Hi {NAME}"},
            )
        )  # fmt: skip
        session.add(
            DigestSubscriptionRow(
                team="Fruit", platform="slack", tenant="T1", channel="C1", address="T1:C1", subscribed_by=person_id
            )
        )  # fmt: skip
        session.add(PersonRow(email="colleague@example.com", name="Colleague", manager_email=EMAIL))
        await session.execute(
            insert(slack_installations).values(
                client_id="1",
                app_id="A1",
                team_id="T1",
                user_id=SLACK_ID,
                installed_at=NOW.replace(tzinfo=None),
            )
        )
    await record(db, AuditEvent(NOW, EMAIL, "slack", "share.create", "marketing", "kumquats"))
    await record(db, AuditEvent(NOW, "cli:root", "cli", "role.grant", "admin", f"{EMAIL} marketing"))
    return person_id


async def everything(database: Database) -> dict[str, list[dict[str, Any]]]:
    async with database.sessions() as session:
        return {
            table.name: [dict(row._mapping) for row in (await session.execute(select(table))).all()]
            for table in metadata.sorted_tables
        }


def mentions(
    rows: dict[str, list[dict[str, Any]]], person_id: int, markers: tuple[str, ...] = MARKERS
) -> list[str]:
    """Every value, in every row of every table, that names the person or points at their id."""
    found = []
    person_columns = {
        (table.name, key.parent.name)
        for table in metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table.name == "people"
    }
    for table, table_rows in rows.items():
        for row in table_rows:
            for column, value in row.items():
                shown = str(value).lower()
                if any(marker.lower() in shown for marker in markers):
                    found.append(f"{table}.{column} = {value!r}")
                if (table, column) in person_columns and value == person_id:
                    found.append(f"{table}.{column} = {person_id}")
                if table == "deliveries" and column == "key" and shown.startswith(f"{person_id}/"):
                    found.append(f"{table}.{column} = {value!r}")
    return found


async def test_the_export_holds_everything_about_the_person_and_nobody_else(store: Store) -> None:
    person_id = await a_person_with_everything(store)

    data = await privacy.export(store.database, person_id, NOW)

    assert data is not None
    assert data["person"]["email"] == EMAIL and data["person"]["name"] == NAME
    assert {i["platform"] for i in data["identities"]} == {"slack", "teams"}
    assert [a["note"] for a in data["activities"]] == [WORDS]
    assert [o["id"] for o in data["offers"]] == ["off-zeph-1"]
    assert len(data["content_shares"]) == len(data["content_clicks"]) == len(data["deliveries"]) == 1
    assert len(data["digest_subscriptions"]) == 1
    assert {e["action"] for e in data["audit_events"]} == {"share.create", "role.grant"}
    text = privacy.export_json(data)
    assert json.loads(text)["person"]["email"] == EMAIL  # it is JSON, and readable: indented
    assert "\n  " in text and "colleague@example.com" not in text


async def test_erasure_leaves_nothing_anywhere_that_names_the_person(store: Store) -> None:
    person_id = await a_person_with_everything(store)
    assert mentions(await everything(store.database), person_id)  # the check finds her before

    erased = await privacy.erase(store.database, person_id, now=NOW, actor="self", platform="slack")

    assert erased is not None and erased.rows >= 8
    assert mentions(await everything(store.database), person_id) == []
    colleague = await store.person_row_by_email("colleague@example.com")
    assert colleague is not None and colleague.manager_email is None  # the colleague stays
    trail = await events(store.database)
    assert [(e.actor, e.action, e.target) for e in trail] == [
        ("(erased)", "share.create", "kumquats"),
        ("cli:root", "role.grant", "(erased) marketing"),
        ("self", "person.erase", ""),  # that it happened, and nothing about whom
    ]
    assert await privacy.erase(store.database, person_id, now=NOW, actor="self", platform="slack") is None


async def test_a_new_person_inherits_nothing_even_with_the_same_id(store: Store) -> None:
    person_id = await a_person_with_everything(store)
    async with store.database.sessions.begin() as session:  # so hers is the highest id: SQLite reuses it
        colleague = await session.scalar(select(PersonRow).where(PersonRow.email == "colleague@example.com"))
        await session.delete(colleague)
    await privacy.erase(store.database, person_id, now=NOW, actor="self", platform="slack")

    newcomer = await store.ensure_person(
        PersonRef("console", "new@example.com", email="new@example.com"), None, NOW
    )

    person, history = await store.load_all(newcomer)
    assert person.key == "new@example.com" and person.milestones == frozenset()
    assert history.activities == () and history.offers == ()
    assert [i.platform for i in await store.identities(newcomer)] == ["console"]
    data = await privacy.export(store.database, newcomer, NOW)
    assert data is not None
    assert all(
        data[t] == [] for t in ("activities", "offers", "deliveries", "content_shares", "audit_events")
    )


async def test_foreign_keys_are_on_for_every_connection(database: Database) -> None:
    async with database.engine.connect() as connection:
        if database.is_sqlite:
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await connection.execute(text("PRAGMA foreign_key_check"))).all() == []
        with_orphan = text(
            "INSERT INTO activities (person_id, kind, at, note, source) VALUES (999, 'shared', :at, '', 'x')"
        )
        try:
            await connection.execute(with_orphan, {"at": NOW.replace(tzinfo=None)})
        except Exception as error:
            assert "foreign" in str(error.__cause__ or error).lower()
        else:
            raise AssertionError("an activity of nobody was accepted")


async def test_0013_removes_what_a_raw_delete_left_behind(tmp_path: Path) -> None:
    """The old advice, run in the sqlite3 shell (foreign keys off), left a person's rows behind for
    the next new person to inherit; the upgrade removes them."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0011_content_marketing")
    engine = create_engine(sync_url(url))  # a plain connection: foreign keys off, as in the shell
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id, email, name, timezone, timezone_explicit, roles, zone, networks, topics, "
                "work_days, work_start, work_end, weekly_cap, own_settings, retired_kinds, opted_out, milestones, "
                "created_at, updated_at) VALUES (1, 'gone@example.com', 'Gone', 'UTC', 0, '[]', 1, '[]', '[]', "
                "'[]', '09:30', '16:30', 2, '[]', '[]', 0, '[]', '2026-01-01', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO activities (person_id, kind, at, note, source) VALUES (1, 'shared', '2026-01-01', 'mine', 'logged')"
            )
        )
        connection.execute(text("DELETE FROM people WHERE id = 1"))  # what PRIVACY.md used to say
    engine.dispose()

    command.upgrade(alembic_config(url), "head")

    database = Database(url)
    try:
        assert mentions(await everything(database), 1) == []
        async with database.engine.connect() as connection:
            assert (await connection.execute(text("SELECT count(*) FROM activities"))).scalar() == 0
    finally:
        await database.dispose()


async def test_leavers_are_erased_once_their_retention_has_passed(store: Store) -> None:
    person_id = await a_person_with_everything(store)
    async with store.database.sessions.begin() as session:
        row = await session.get(PersonRow, person_id)
        assert row is not None
        row.left_at = NOW

    assert await privacy.erase_leavers(store.database, NOW + timedelta(days=29), 30) == 0
    assert await privacy.erase_leavers(store.database, NOW + timedelta(days=30), 30) == 1

    assert mentions(await everything(store.database), person_id) == []
    assert [e.actor for e in await events(store.database) if e.action == "person.erase"] == ["scheduler"]
    async with store.database.sessions() as session:
        assert (
            await session.scalars(select(AuditRow.target).where(AuditRow.action == "person.erase"))
        ).all() == ["left the roster"]


# --- copies of their words in other people's outbox rows -------------------------------------------

BEA = "bea@example.com"
BEA_NAME = "Beatrix Persimmonwood"
BEA_MARKERS = (BEA, BEA_NAME, "Beatrix", "Persimmonwood", "persimmon", "quince-tart")


async def test_erasure_takes_the_person_out_of_other_peoples_outbox_rows(store: Store) -> None:
    """Bea (public celebration, marketing) sends a draft to the copy editors, announces her piece to
    colleagues, asks the ambassadors for a topic and is cheered in her team's digest; a copy of each
    is waiting in, or was sent from, someone else's outbox row. Erasing her cancels what was not sent
    yet, keeps sent rows without her words, and leaves the team's pending digest without her cheer."""
    db = store.database
    ids = await team(db)
    await simulate_week(db, ids)  # Bea's first share and first question this week
    bea = ids["Bea"]
    async with db.sessions.begin() as session:
        await session.execute(update(PersonRow).where(PersonRow.id == bea).values(name=BEA_NAME))
        await session.execute(
            update(PersonRow).where(PersonRow.id == ids["Eve"]).values(topics=["orchard pruning"])
        )
    for editor in ("cy@example.com", "dee@example.com"):
        await change_role(db, editor, "editor", grant=True, actor="test", platform="cli", now=WEEK_START)
    await change_role(db, BEA, "marketing", grant=True, actor="test", platform="cli", now=WEEK_START)

    creators = Creators(db, lambda: DIGEST_DUE, {"console": ConsoleSender(lambda _: None)})
    person = (await store.load(bea, DIGEST_DUE))[0]
    draft = {"title": "Persimmon season", "draft": "My persimmon draft has a typo hear, and a quince-tart."}
    assert "on its way" in (await creators.request_edit(bea, person, draft)).replies[0].fallback
    piece = {"url": "https://bea.example.com/persimmon", "title": "Persimmon orchards, honestly"}
    assert "Announced. 1" in (await creators.amplify(bea, person, piece)).replies[0].fallback
    topic = {"topic": "orchard pruning", "why": "customers ask about quince-tart pairings"}
    assert "Asked 1" in (await creators.request_topic(bea, person, topic)).replies[0].fallback

    subscriptions = Subscriptions(db)
    for channel in ("C1", "C2"):
        await subscriptions.subscribe(
            team="Sales", platform="slack", tenant="T1", channel=channel, address=f"T1:{channel}",
            by=ids["Ada"], timezone="Europe/London", now=WEEK_START,
        )  # fmt: skip
    assert (await plan_digests(db, DIGEST_DUE + timedelta(minutes=1))).planned == 2

    async with db.sessions.begin() as session:  # one editor's card and one channel's digest went out
        rows = {r.key: r for r in await session.scalars(select(DeliveryRow))}
        sent = [k for k in rows if k.startswith("edit:") and k.endswith(f"/{ids['Cy']}")]
        sent += [k for k in rows if k.startswith("digest/") and rows[k].address == "T1:C2"]
        assert len(sent) == 2
        for key in sent:
            rows[key].status, rows[key].sent_at = SENT, DIGEST_DUE
    others = {k for k, r in rows.items() if r.person_id != bea}
    assert {k.split(":")[0].split("/")[0] for k in others} == {"edit", "amplify", "topic", "digest"}
    before = await everything(db)
    assert any(
        "Beatrix Persimmonwood" in str(r["message"]) for r in before["deliveries"] if "digest" in r["key"]
    )

    erased = await privacy.erase(db, bea, now=DIGEST_DUE, actor="self", platform="console")

    assert erased is not None
    after = await everything(db)
    assert mentions(after, bea, BEA_MARKERS) == []
    left = {r["key"]: r for r in after["deliveries"]}
    assert set(left) == others  # other people's rows stay, without her
    for key, row in left.items():
        if key.startswith(("edit:", "amplify:", "topic:")):
            assert row["message"] == privacy.REMOVED, key
            assert row["status"] == (SENT if key in sent else CANCELLED), key
        else:  # the team's digests: still the team's week, without her cheer
            digest = decode(row["message"])
            assert row["status"] == (SENT if key in sent else PENDING)
            assert "Sales" in digest.fallback and "One idea for this week" in digest.fallback
            assert "🎉" not in digest.fallback  # she was the only one cheered
    assert erased.scrubbed >= len(left)
