"""An employee's journey in DMs, over signed HTTP, against the fake Web API."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlalchemy import func, select

from bot.store.models import ActivityRow, ContentShareRow, IdentityRow, OfferRow, PersonRow
from nudges.events import PersonRef
from nudges.library import ContentItem
from tests.slack.conftest import NOW, Slack, payload


def action_ids(message: dict) -> list[str]:
    return [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def count(slack: Slack, model: type) -> int:
    async with slack.app.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def onboard(slack: Slack) -> None:
    """hello, then the four onboarding answers typed, as a person would."""
    await slack.say("hello", "Ev1", replies=2)
    for number, answer in enumerate(["LinkedIn", "cloud, hiring", "2", "1"], start=2):
        await slack.say(answer, f"Ev{number}", replies=2 if answer == "1" else 1)  # the last: + a recap


async def test_a_new_person_is_onboarded_from_users_info_and_answers_a_nudge_in_place(slack: Slack) -> None:
    fake = slack.fake
    posted = await slack.say("hello", "Ev1", replies=2)

    assert fake.called("users.info")[0]["user"] == "U2147483697"
    assert all(p["channel"] == "D024BE91L" for p in posted)
    assert "Hi Ada!" in posted[0]["blocks"][0]["text"]["text"]
    assert action_ids(posted[1])[0].startswith("onboarding.choose")
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None and row.timezone == "Europe/London" and row.introduced_at is not None
    assert (await slack.app.store.address_of(row.id, "slack")) == "D024BE91L"

    for number, answer in enumerate(["LinkedIn", "cloud, hiring", "2", "1"], start=2):
        await slack.say(answer, f"Ev{number}", replies=2 if answer == "1" else 1)  # the last: + a recap
    (nudge,) = await slack.say("next", "Ev9")
    ids = action_ids(nudge)
    assert [i.split("#")[0] for i in ids][:1] in (["nudge.done"], ["share.shared"])
    done = next(e for b in nudge["blocks"] if b["type"] == "actions" for e in b["elements"])

    press = payload(
        "block_actions",
        actions=[
            {**payload("block_actions")["actions"][0], "action_id": done["action_id"], "value": done["value"]}
        ],
    )
    sent_ts = nudge["answered_ts"]  # what chat.postMessage answered, as Slack sends it back on a press
    press["container"]["message_ts"] = press["message"]["ts"] = sent_ts
    response = await slack.interaction(press)
    assert response.status == 200
    (update,) = await fake.wait_for("chat.update", 1)
    assert update["channel"] == "D024BE91L" and update["ts"] == sent_ts
    assert action_ids(update) == []  # old buttons gone: it can't be answered twice
    assert "Done" in update["blocks"][-1]["text"]["text"]
    async with slack.app.db.sessions() as session:
        # (a Done may bring a milestone, recorded as a celebration offer of its own)
        offer = (await session.scalars(select(OfferRow).where(OfferRow.category != "celebration"))).one()
    assert offer.answer == "done"
    assert await count(slack, ActivityRow) == 1


async def test_later_and_not_for_me_answer_in_place_and_not_for_me_retires_the_kind(slack: Slack) -> None:
    await onboard(slack)
    answered: dict[str, str] = {}  # offer id (the button's value) → the answer pressed
    for number, (action, note) in enumerate(
        (("nudge.later", "Later it is"), ("nudge.not_for_me", "I won't suggest this kind of thing again"))
    ):
        (nudge,) = await slack.say("next", f"EvAns{number}")
        button = next(e for b in nudge["blocks"] if b["type"] == "actions" for e in b["elements"]
                      if e["action_id"].split("#")[0] == action)  # fmt: skip
        assert (await slack.interaction(press_on(nudge, button))).status == 200
        update = (await slack.fake.wait_for("chat.update", number + 1))[number]
        assert (update["channel"], update["ts"]) == ("D024BE91L", nudge["answered_ts"])
        assert action_ids(update) == [] and note in update["blocks"][-1]["text"]["text"]
        answered[button["value"]] = action.removeprefix("nudge.")
    async with slack.app.db.sessions() as session:
        offers = {o.id: o for o in await session.scalars(select(OfferRow))}
        person = (await session.scalars(select(PersonRow))).one()
    assert {offer_id: offers[offer_id].answer for offer_id in answered} == answered
    retired = next(offers[i].kind for i, answer in answered.items() if answer == "not_for_me")
    assert person.retired_kinds == [retired]
    for attempt in range(6):  # whatever comes next, never that kind again
        await slack.say("next", f"EvAfter{attempt}")
    async with slack.app.db.sessions() as session:
        later = (await session.scalars(select(OfferRow.kind).where(OfferRow.id.not_in(answered)))).all()
    assert len(later) == 6 and retired not in later


async def test_a_retried_event_is_acknowledged_and_not_processed_again(slack: Slack) -> None:
    await onboard(slack)
    body = payload("message_im", event_id="EvLOG1", event={"text": "log I shared an article"})
    assert (await slack.event(body)).status == 200
    await slack.fake.wait_for("chat.postMessage", 7)

    retry = await slack.event(
        body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert retry.status == 200
    await slack.say("journey", "EvAFTER")  # a later event is processed, so the retry had its chance
    assert await count(slack, ActivityRow) == 1


async def test_bots_edits_and_the_bots_own_messages_are_ignored(slack: Slack) -> None:
    for number, change in enumerate(
        [{"bot_id": "B1", "user": "UBOT"}, {"subtype": "bot_message"}, {"subtype": "message_changed"}]
    ):
        assert (await slack.event(payload("message_im", event_id=f"EvB{number}", event=change))).status == 200
    await slack.say("hello", "EvREAL", replies=2)
    assert await count(slack, PersonRow) == 1
    assert await count(slack, IdentityRow) == 1


async def test_without_the_email_scope_a_person_is_keyed_by_their_slack_id(slack: Slack) -> None:
    slack.fake.add_user("U999", "Grace Hopper", email=None, tz="America/New_York")
    await slack.say("hello", "EvG1", user="U999", channel="D999", replies=2)
    row = await slack.app.store.person_row_by_email("slack:U999")
    assert row is not None and row.name == "Grace Hopper" and row.timezone == "America/New_York"
    await slack.say("journey", "EvG2", user="U999", channel="D999")
    # Still no email to learn, but Slack's answer is kept for a while: one users.info, not one a turn.
    assert [c["user"] for c in slack.fake.called("users.info")] == ["U999"]


async def test_a_roster_person_linked_by_slack_id_gets_name_and_time_zone_from_slack(slack: Slack) -> None:
    roster = PersonRef("slack", "U2147483697", email="ada@example.com")  # a roster import's slack_user_id
    await slack.app.store.ensure_person(roster, None, NOW)
    await slack.say("hello", "EvR1", replies=2)
    assert [c["user"] for c in slack.fake.called("users.info")] == ["U2147483697"]
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None and (row.name, row.timezone) == ("Ada Lovelace", "Europe/London")

    await slack.say("journey", "EvR2")  # nothing missing any more: Slack is not asked again
    assert len(slack.fake.called("users.info")) == 1


async def test_someone_first_met_while_users_info_failed_is_filled_in_at_the_next_turn(slack: Slack) -> None:
    slack.fake.fail("users.info", 500, times=2)  # the first try and the client's one retry
    (hi, _) = await slack.say("hello", "EvF1", replies=2)
    assert "Hi there!" in hi["blocks"][0]["text"]["text"]
    assert await slack.app.store.person_row_by_email("slack:U2147483697") is not None

    await slack.say("journey", "EvF2")
    assert len(slack.fake.called("users.info")) == 3
    assert await slack.app.store.person_row_by_email("slack:U2147483697") is None
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None and (row.name, row.timezone) == ("Ada Lovelace", "Europe/London")
    assert await count(slack, PersonRow) == 1


async def test_slack_gets_its_ack_at_once_even_when_the_work_is_slow(slack: Slack) -> None:
    slack.fake.slow["users.info"] = 3.5  # longer than Slack's 3 seconds
    started = time.monotonic()
    response = await slack.event(payload("message_im", event_id="EvSlow"))
    assert response.status == 200 and time.monotonic() - started < 1
    await slack.fake.wait_for("chat.postMessage", 2, seconds=10)  # the work still happens, after the ack


async def test_a_button_in_app_home_answers_in_the_dm_and_refreshes_home(slack: Slack) -> None:
    await onboard(slack)
    body = payload("block_actions")
    body["actions"] = [{**body["actions"][0], "action_id": "journey.next#0", "value": ""}]
    body["container"] = {"type": "view", "view_id": "V1"}
    del body["channel"], body["message"]
    assert (await slack.interaction(body)).status == 200
    await slack.fake.wait_for("views.publish")
    nudge = slack.fake.called("chat.postMessage")[-1]
    assert nudge["channel"] == "D2147483697"  # opened with conversations.open: no channel in a Home press
    assert any(i.split("#")[0] in ("nudge.done", "share.shared") for i in action_ids(nudge))
    assert slack.fake.called("chat.update") == []


async def test_a_suggested_share_shows_its_ready_text_with_a_tracked_link_and_i_shared_it(
    slack: Slack,
) -> None:
    item = ContentItem(
        "cloud-bill", "Halving a cloud bill", "https://example.com/bill", ("cloud",),
        {"linkedin": "How we halved our cloud bill <in 3 steps> & what we'd skip."},
        company=False, created_at=NOW - timedelta(days=1), summary="Three steps, one surprise.",
    )  # fmt: skip
    await slack.app.store.upsert_content([item])
    await onboard(slack)  # a Sharer on LinkedIn alone: the card shows the LinkedIn text at once
    share = None
    for attempt in range(8):  # the engine mixes steps and shares; a seeded rng makes this repeatable
        (posted,) = await slack.say("next", f"EvNext{attempt}")
        if "share.shared#0" in action_ids(posted):
            share = posted
            break
    assert share is not None, "no share was offered"
    assert [i.split("#")[0] for i in action_ids(share)] == [
        "share.shared", "share.shared_with_line", "share.copy_text", "nudge.later", "nudge.not_for_me", "nudge.why",
    ]  # fmt: skip
    quote = next(b for b in share["blocks"] if b["type"] == "rich_text")
    posted_text = quote["elements"][-1]["elements"][0]["text"]
    text, link = posted_text.split("\n")
    assert text == item.texts["linkedin"]  # verbatim, to copy, with the person's own link below it
    assert link.startswith("https://example.com/bill?utm_source=linkedin&utm_medium=employee_advocacy")
    assert "utm_campaign=cloud-bill&utm_content=" in link and "ada" not in link.lower()
    assert "<https://example.com/bill|Halving a cloud bill>" in json.dumps(share["blocks"])
    assert "Three steps, one surprise." in json.dumps(share["blocks"])

    shared = next(e for b in share["blocks"] if b["type"] == "actions" for e in b["elements"])
    await slack.interaction(press_on(share, shared))
    (update,) = await slack.fake.wait_for("chat.update")
    assert action_ids(update) == [] and update["ts"] == share["answered_ts"]
    async with slack.app.db.sessions() as session:
        shares = (await session.scalars(select(ContentShareRow))).all()
    assert [(s.item_id, s.network, s.with_own_line) for s in shares] == [("cloud-bill", "linkedin", False)]


def press_on(message: dict, button: dict) -> dict:
    body = payload("block_actions")
    body["actions"] = [{**body["actions"][0], "action_id": button["action_id"], "value": button["value"]}]
    body["container"]["message_ts"] = body["message"]["ts"] = message["answered_ts"]
    return body
