"""``journeybot digest subscribe|unsubscribe|list`` and ``journeybot digest --team``: admins choose
channels at the command line; mistakes are one clear line and change nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from microsoft_agents.activity import ConversationReference
from sqlalchemy import func, select

from bot.delivery.models import DeliveryRow
from bot.digests.subscriptions import Subscriptions
from bot.store.audit import events
from bot.store.database import Database
from bot.store.models import IdentityRow
from tests.cli_run import run as run_cli
from tests.digests.week import DIGEST_DUE, simulate_week, team

REFERENCE = (
    '{"serviceUrl": "https://smba.trafficmanager.net/emea/", "channelId": "msteams", '
    '"bot": {"id": "28:bot", "name": "journeybot"}, "user": {"id": "29:ada"}, '
    '"conversation": {"id": "a:1personal", "conversationType": "personal", "tenantId": "tenant-1"}}'
)


def cli(database: Database, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    ran = run_cli(["digest", *args], tmp_path, DATABASE_URL=database.url)
    return ran.returncode, ran.stdout.strip(), ran.stderr.strip()


async def test_an_admin_subscribes_a_slack_and_a_teams_channel_and_unsubscribes(
    database: Database, tmp_path: Path
) -> None:
    ids = await team(database)
    async with database.sessions.begin() as session:
        session.add(IdentityRow(person_id=ids["Bea"], platform="slack", tenant="T1", user_id="U1"))
        session.add(IdentityRow(person_id=ids["Cy"], platform="teams", tenant="tenant-1", user_id="29:c",
                                address=REFERENCE))  # fmt: skip
    code, out, err = cli(database, tmp_path, "subscribe", "--team", "sales", "--slack-channel", "C0TEAM")
    assert code == 0, err
    assert "C0TEAM gets sales's digest on Mondays at 09:30 (Europe/London)" in out
    code, out, err = cli(database, tmp_path, "subscribe", "--team", "Sales", "--teams-conversation",
                         "19:abc@thread.tacv2", "--day", "fri", "--time", "16:00")  # fmt: skip
    assert code == 0, err
    assert "Fridays at 16:00" in out
    slack, teams = await Subscriptions(database).all()
    assert (slack.platform, slack.tenant, slack.address, slack.subscribed_by) == (
        "slack",
        "T1",
        "T1:C0TEAM",
        None,
    )
    reference = ConversationReference.model_validate_json(teams.address)
    assert reference.conversation.id == "19:abc@thread.tacv2" and teams.tenant == "tenant-1"
    assert reference.service_url == "https://smba.trafficmanager.net/emea/" and reference.user is None
    assert (teams.weekday, teams.at) == (4, "16:00")
    code, out, _ = cli(database, tmp_path, "list")
    assert "T1:C0TEAM" in out and "Fridays at 16:00" in out

    await simulate_week(database, ids)
    code, out, err = cli(database, tmp_path, "--team", "Sales", "--at", DIGEST_DUE.isoformat())
    assert code == 0, err
    assert "queued for 2 channel(s)" in out
    code, out, _ = cli(database, tmp_path, "--team", "Sales", "--at", DIGEST_DUE.isoformat())
    assert "2 had it already" in out  # once per channel and week, however often asked
    async with database.sessions() as session:
        assert await session.scalar(select(func.count()).where(DeliveryRow.category == "digest")) == 2

    code, out, err = cli(database, tmp_path, "unsubscribe", "--slack-channel", "C0TEAM")
    assert code == 0 and "no digest any more" in out
    code, out, _ = cli(database, tmp_path, "unsubscribe", "--slack-channel", "C0TEAM")
    assert "nothing changed" in out
    assert [s.platform for s in await Subscriptions(database).all()] == ["teams"]
    assert [(e.platform, e.action) for e in await events(database)] == [
        ("cli", "digest.subscribe"), ("cli", "digest.subscribe"), ("cli", "digest.unsubscribe"),
    ]  # fmt: skip


async def test_mistakes_are_one_line_and_change_nothing(database: Database, tmp_path: Path) -> None:
    await team(database)
    for args, said in (
        (("subscribe", "--team", "Nobody", "--slack-channel", "C1"), "no team called 'Nobody'"),
        (("subscribe", "--team", "Sales"), "name one channel"),
        (("subscribe", "--team", "Sales", "--slack-channel", "general!"), "channel id like C0123ABCD"),
        (
            ("subscribe", "--team", "Sales", "--slack-channel", "C1", "--day", "someday"),
            "--day wants a weekday",
        ),
        (("subscribe", "--team", "Sales", "--slack-channel", "C1", "--time", "25:99"), "--time wants HH:MM"),
        (("subscribe", "--team", "Sales", "--slack-channel", "C1", "--timezone", "Mars/Base"), "IANA zone"),
        (
            ("subscribe", "--team", "Sales", "--teams-conversation", "19:x@thread.tacv2"),
            "can't reach Teams yet",
        ),
        (("subscribe", "--team", "Sales", "--teams-conversation", "general"), "19:"),
        (("--team", "Sales", "--at", "next week"), "--at wants an ISO-8601 instant"),
        (("--team", "Nobody", "--print"), "no team called 'Nobody'"),
        ((), "needs --team"),
    ):
        code, _out, err = cli(database, tmp_path, *args)
        assert code != 0 and said in err, (args, err)
        assert "Traceback" not in err and err.count("\n") == 0, err
    assert await Subscriptions(database).all() == []


async def test_print_of_a_small_team_shows_no_breakdown(database: Database, tmp_path: Path) -> None:
    await team(database)
    from tests.delivery.fakes import add_person

    await add_person(database, "solo@example.com", team="Duo", address=None)
    code, out, err = cli(database, tmp_path, "--team", "Duo", "--print",
                         "--at", (DIGEST_DUE + timedelta(days=1)).isoformat())  # fmt: skip
    assert code == 0, err
    assert "keep its numbers to myself" in out and "Where the team is" not in out


async def test_recognition_lists_the_top_three_opted_in_with_evidence_and_nobody_else(
    database: Database, tmp_path: Path
) -> None:
    from bot.store.models import ActivityRow, PersonRow
    from tests.delivery.fakes import add_person

    ids = await team(database)
    for name in ("Kim", "Lou", "Max"):
        ids[name] = await add_person(database, f"{name.lower()}@example.com", team="Ops",
                                     celebrate_publicly=True, address=None)  # fmt: skip
    plenty = {"Eve": 9, "Kim": 4, "Lou": 3, "Max": 2, "Bea": 1}  # Eve did most, and did not opt in
    async with database.sessions.begin() as session:
        for name, n in plenty.items():
            for k in range(n):
                kind = ("original_piece", "amplified", "feedback")[k % 3]
                session.add(ActivityRow(person_id=ids[name], kind=kind, at=DIGEST_DUE, source="logged"))
        (await session.get(PersonRow, ids["Kim"])).name = "Kim"  # type: ignore[union-attr]
    ran = run_cli(["recognition", "--since", "2026-01-01", "--until", "2026-07-01"], tmp_path,
                  DATABASE_URL=database.url)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    listed = ran.stdout.strip().splitlines()
    assert len(listed) == 4 and listed[1].startswith("1. Kim <kim@example.com>, Ops: 2 original pieces")
    assert "2. Lou" in listed[2] and "3. Max" in listed[3]
    assert "Eve" not in ran.stdout and "eve@" not in ran.stdout and "Bea" not in ran.stdout
    bad = run_cli(["recognition", "--since", "last spring"], tmp_path, DATABASE_URL=database.url)
    assert bad.returncode != 0 and "--since and --until want dates" in bad.stderr


async def test_three_replicas_ticking_at_once_plan_the_digest_once(
    database: Database, tmp_path: Path
) -> None:
    import asyncio

    from tests.cli_run import run_process

    ids = await team(database)
    async with database.sessions.begin() as session:
        session.add(IdentityRow(person_id=ids["Bea"], platform="slack", tenant="T1", user_id="U1"))
    assert cli(database, tmp_path, "subscribe", "--team", "Sales", "--slack-channel", "C0TEAM")[0] == 0
    from datetime import UTC, datetime

    at = (datetime.now(UTC) + timedelta(days=8)).isoformat()  # a week's slot after the subscription
    ticks = [
        asyncio.to_thread(
            run_process, ["tick", "--at", at, "--plan-only"], tmp_path, DATABASE_URL=database.url
        )
        for _ in range(3)
    ]
    said = []
    for ran in await asyncio.gather(*ticks):
        assert ran.returncode == 0, ran.stderr
        said.append(ran.stdout)
    assert sum("1 team digest(s) planned" in out for out in said) == 1, said
    async with database.sessions() as session:
        assert await session.scalar(select(func.count()).where(DeliveryRow.category == "digest")) == 1
