"""App Home, the settings modal, and the one introduction."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.store.models import PersonRow
from tests.slack.conftest import NOW, Slack, payload
from tests.slack.test_slack_dm import onboard


def texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


async def open_home(slack: Slack, event_id: str, tab: str = "home", user: str = "U2147483697") -> None:
    event = {"tab": tab, "user": user, "channel": "D" + user[1:] if user != "U2147483697" else "D024BE91L"}
    response = await slack.event(payload("app_home_opened", event_id=event_id, event=event))
    assert response.status == 200


async def test_opening_app_home_publishes_the_journey_and_settings_and_introduces_once(slack: Slack) -> None:
    await open_home(slack, "EvH1")
    (published,) = await slack.fake.wait_for("views.publish")
    view = published["view"]
    assert published["user_id"] == "U2147483697" and view["type"] == "home"
    assert len(view["blocks"]) <= 100
    shown = texts(view["blocks"])
    for part in (
        "Your journey",
        "Content Consumer",
        "Content Sharer",
        "Your settings",
        "Time zone",
        "Europe/London",
    ):
        assert part in shown
    (welcome,) = slack.fake.called("chat.postMessage")
    assert welcome["channel"] == "D024BE91L" and "Welcome to your journey" in texts(welcome["blocks"])

    await open_home(slack, "EvH2")
    await open_home(slack, "EvH3", tab="messages")
    await slack.fake.wait_for("views.publish", 2)
    await slack.say("journey", "EvAfter")  # processed after the opens: the intro had its chance
    assert (
        sum("Welcome to your journey" in texts(p["blocks"]) for p in slack.fake.called("chat.postMessage"))
        == 1
    )


async def test_app_home_shows_where_i_am_my_next_step_and_my_milestones(slack: Slack) -> None:
    await onboard(slack)
    await slack.say("log I shared an article with my own comment", "EvLog", replies=3)  # + 2 cheers

    await open_home(slack, "EvHome")

    (published,) = await slack.fake.wait_for("views.publish")
    blocks = published["view"]["blocks"]
    here = next(b for b in blocks if b.get("text", {}).get("text", "").startswith("📍"))
    assert "*Content Sharer*" in here["text"]["text"]  # where I am, with that zone's steps
    fields = [f["text"] for b in blocks if "fields" in b for f in b["fields"]]
    assert "*You are*\nContent Sharer" in fields[0]
    assert any(
        f.startswith("*Milestones*\n") and "First share" in f and "First own comment" in f for f in fields
    )
    assert any(b.get("text", {}).get("text", "").startswith("*Your next step:* ") for b in blocks)
    assert "journey.next#0" in texts(blocks) and "settings.open#0" in texts(blocks)


async def test_opening_app_home_only_reads(slack: Slack) -> None:
    """Home shows what the last turn saved and writes nothing back: a save would put every field as
    Home loaded it over whatever a DM turn saved meanwhile (and clears next_due_at, as any save does)."""
    await slack.say("hello", "EvW1", replies=2)
    planned = datetime(2026, 3, 9, 9, 30, tzinfo=UTC)
    async with slack.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).values(next_due_at=planned, topics=["set", "meanwhile"]))

    await open_home(slack, "EvW2")

    (published,) = await slack.fake.wait_for("views.publish")
    assert "set, meanwhile" in texts(published["view"]["blocks"])
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None and (row.next_due_at, row.topics) == (planned, ["set", "meanwhile"])


async def test_a_member_joining_a_channel_gets_one_introduction_ever(slack: Slack) -> None:
    slack.fake.add_user("W06GH7XHN", "Katherine Johnson", "katherine@example.com", tz="America/Chicago")
    for event_id in ("EvJ1", "EvJ2"):
        assert (await slack.event(payload("member_joined_channel", event_id=event_id))).status == 200
    (intro,) = await slack.fake.wait_for("chat.postMessage")
    assert intro["channel"] == "D06GH7XHN"  # a DM, never the channel itself
    assert slack.fake.called("conversations.open")[0]["users"] == "W06GH7XHN"
    await open_home(slack, "EvJ3", tab="messages", user="W06GH7XHN")
    bot_joins = payload("member_joined_channel", event_id="EvJ4", event={"user": "UBOT"})
    assert (await slack.event(bot_joins)).status == 200
    await slack.say("journey", "EvJ5", user="W06GH7XHN", channel="D06GH7XHN")
    welcomes = [
        p for p in slack.fake.called("chat.postMessage") if "Welcome to your journey" in texts(p["blocks"])
    ]
    assert len(welcomes) == 1
    row = await slack.app.store.person_row_by_email("katherine@example.com")
    assert row is not None and row.timezone == "America/Chicago"


async def test_bots_slackbot_and_deactivated_accounts_joining_get_no_record_and_no_introduction(
    slack: Slack,
) -> None:
    fake = slack.fake
    fake.add_user("UJIRA", "Jira Cloud", tz="America/Los_Angeles")
    fake.users["UJIRA"]["is_bot"] = True
    fake.add_user("UGONE", "Old Account", "gone@example.com")
    fake.users["UGONE"]["deleted"] = True
    for number, user in enumerate(("UJIRA", "UGONE", "USLACKBOT")):
        join = payload("member_joined_channel", event_id=f"EvNot{number}", event={"user": user})
        assert (await slack.event(join)).status == 200
    await fake.wait_for("users.info", 2)
    await asyncio.sleep(0.2)  # had any of them been greeted, conversations.open would show by now
    # Different people's events run concurrently (bot/conversation/inbox.py): in either order.
    assert sorted(c["user"] for c in fake.called("users.info")) == [
        "UGONE",
        "UJIRA",
    ]  # Slackbot: no need to ask
    assert fake.called("conversations.open") == [] and fake.called("chat.postMessage") == []
    async with slack.app.db.sessions() as session:
        assert (await session.scalars(select(PersonRow))).all() == []

    slack.fake.add_user("W06GH7XHN", "Katherine Johnson", "katherine@example.com")
    assert (await slack.event(payload("member_joined_channel", event_id="EvPerson"))).status == 200
    (intro,) = await fake.wait_for("chat.postMessage")  # a person joining still gets hers
    assert intro["channel"] == "D06GH7XHN"


def press(action_id: str, value: str = "") -> dict[str, Any]:
    body = payload("block_actions")
    body["actions"] = [{**body["actions"][0], "action_id": action_id, "value": value}]
    body["container"] = {"type": "view", "view_id": "V1"}
    body.pop("channel"), body.pop("message")
    return body


def submission(**values: Any) -> dict[str, Any]:
    body = payload("view_submission")
    state = body["view"]["state"]["values"]
    for field, value in values.items():
        element = state[field][field]
        key = {"timepicker": "selected_time", "plain_text_input": "value"}.get(element["type"])
        if key:
            element[key] = value
        elif element["type"] in ("static_select", "radio_buttons"):
            element["selected_option"] = {"text": {"type": "plain_text", "text": value}, "value": value}
    return body


async def test_edit_settings_opens_a_modal_and_a_valid_submission_saves(slack: Slack) -> None:
    assert (await slack.interaction(press("settings.open#0"))).status == 200
    (opened,) = await slack.fake.wait_for("views.open")
    assert opened["trigger_id"] == payload("block_actions")["trigger_id"]
    modal = opened["view"]
    assert modal["callback_id"] == "settings" and len(modal["title"]["text"]) <= 24
    assert [b["block_id"] for b in modal["blocks"]] == [
        "networks", "topics", "timezone", "work_start", "work_end", "quiet_start", "quiet_end", "weekly_cap",
        "pause", "celebrate",
    ]  # fmt: skip
    pause = modal["blocks"][-2]["element"]
    assert pause["initial_option"]["text"]["text"] == "Not paused"
    assert [o["value"] for o in pause["options"]] == ["off", "1", "3", "7", "14", "30"]

    response = await slack.interaction(submission())
    assert response.status == 200 and (await response.text()) == ""
    await slack.fake.wait_for("views.publish")
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None
    assert (row.networks, row.topics, row.work_start, row.work_end, row.weekly_cap, row.timezone) == (
        ["linkedin"], ["cloud", "hiring"], "08:30", "17:00", 3, "Europe/Berlin",
    )  # fmt: skip
    saved = await slack.fake.wait_for("chat.postMessage")
    assert any("Saved" in texts(p["blocks"]) for p in saved)
    assert row.paused_until is None


async def test_the_settings_modal_sets_public_celebration_and_settings_show_it(slack: Slack) -> None:
    async def opened_choice() -> str:
        before = len(slack.fake.called("views.open"))
        assert (await slack.interaction(press("settings.open#0"))).status == 200
        opened = (await slack.fake.wait_for("views.open", before + 1))[-1]["view"]
        (celebrate,) = [b for b in opened["blocks"] if b["block_id"] == "celebrate"]
        assert celebrate["label"]["text"] == "Celebrate my milestones by name in the team digest"
        assert celebrate["element"]["type"] == "radio_buttons"
        assert [o["value"] for o in celebrate["element"]["options"]] == ["no", "yes"]
        return str(celebrate["element"]["initial_option"]["value"])

    async def publicly() -> bool:
        row = await slack.app.store.person_row_by_email("ada@example.com")
        assert row is not None
        return bool(row.celebrate_publicly)

    assert await opened_choice() == "no"  # private unless she says so
    before = len(slack.fake.called("views.publish"))
    response = await slack.interaction(submission(celebrate="yes"))
    assert response.status == 200 and (await response.text()) == ""
    await slack.fake.wait_for("views.publish", before + 1)
    assert await publicly()
    assert await opened_choice() == "yes"
    shown = await slack.say("settings", "EvCelebrateShown")
    assert "cheered by name in your team's digest" in texts(shown[-1]["blocks"])

    answer = await (await slack.interaction(submission(celebrate="maybe", topics="gardening"))).json()
    assert answer["response_action"] == "errors" and set(answer["errors"]) == {"celebrate"}
    assert "Yes (public): cheered by name in your team's digest." in answer["errors"]["celebrate"]
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None and row.celebrate_publicly and row.topics == ["cloud", "hiring"]  # unchanged

    before = len(slack.fake.called("views.publish"))
    assert (await slack.interaction(submission(celebrate="no"))).status == 200
    await slack.fake.wait_for("views.publish", before + 1)
    assert not await publicly()


async def test_the_settings_modal_pauses_keeps_the_pause_and_ends_it(slack: Slack) -> None:
    async def submit(pause: str) -> datetime | None:
        before = len(slack.fake.called("views.publish"))
        response = await slack.interaction(submission(pause=pause))
        assert response.status == 200 and (await response.text()) == ""
        await slack.fake.wait_for("views.publish", before + 1)
        row = await slack.app.store.person_row_by_email("ada@example.com")
        assert row is not None
        return row.paused_until

    assert await submit("14") == NOW + timedelta(days=14)

    assert (await slack.interaction(press("settings.open#0"))).status == 200
    (opened,) = await slack.fake.wait_for("views.open")
    kept = opened["view"]["blocks"][-2]["element"]["initial_option"]
    assert kept["text"]["text"] == "Paused until Monday 16 March"  # Ada's own time zone
    assert await submit(kept["value"]) == NOW + timedelta(days=14)  # saved unchanged: the same end
    home = slack.fake.called("views.publish")[-1]["view"]["blocks"]
    assert "Monday 16 March 2026, " in texts(home)  # the settings in Home show it too, on her clock

    assert await submit("off") is None


async def test_a_pause_out_of_range_is_an_error_under_the_field(slack: Slack) -> None:
    for pause in ("0.5", "400", "tomorrow", "2020-01-01"):
        answer = await (await slack.interaction(submission(pause=pause))).json()
        assert answer["response_action"] == "errors" and set(answer["errors"]) == {"pause"}, pause
        assert "A number of days from 1 to 365, or off for none" in answer["errors"]["pause"]
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None and row.paused_until is None and row.topics == []


async def test_an_invalid_submission_answers_errors_under_the_fields_and_saves_nothing(slack: Slack) -> None:
    response = await slack.interaction(
        submission(timezone="Mars/Olympus", work_start="18:00", work_end="09:00")
    )
    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"timezone", "work_end"}
    assert "Mars/Olympus" in answer["errors"]["timezone"]
    # users.info is asked after the ack (it may be slow): her profile arrives a moment later.
    await slack.fake.wait_for("users.info")
    for _ in range(100):
        row = await slack.app.store.person_row_by_email("ada@example.com")
        if row is not None:
            break
        await asyncio.sleep(0.02)
    assert row is not None and row.timezone == "Europe/London" and row.topics == []
