"""The whole journey in a Teams personal chat, over HTTP, against the fake connector."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.store.models import OfferRow, PersonRow
from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, press, submit, texts


def _cards(teams: Teams) -> list[dict]:
    cards = [r.card for r in teams.connector.requests if r.card is not None]
    for card in cards:
        validate_card(card)
    return cards


async def _person(teams: Teams) -> PersonRow:
    async with teams.app.db.sessions() as session:
        row = (await session.scalars(select(PersonRow))).one()
    return row


async def _onboard(teams: Teams) -> None:
    await teams.say("hello")
    await press(teams, "onboarding.choose", "linkedin")
    for answer in ("cloud, hiring", "2", "1"):
        await teams.say(answer)


async def test_installing_welcomes_once_and_remembers_how_to_reach_the_person(teams: Teams) -> None:
    assert (await teams.post("installation_update_add")).status == 202
    welcome = teams.connector.sent()
    assert len(welcome) == 1 and "Welcome to your journey" in texts([welcome[0].body])
    validate_card(welcome[0].card)  # type: ignore[arg-type]
    teams.connector.clear()
    assert (await teams.post("conversation_update_members_added")).status == 202  # Teams sends both
    assert teams.connector.sent() == []
    person_id = (await _person(teams)).id
    address = await teams.app.store.address_of(person_id, "teams")
    assert address and '"serviceUrl"' in address and "a:1Jk2" in address


async def test_replies_answer_the_message_they_reply_to(teams: Teams) -> None:
    message = teams.activity("personal_message", text="hello")
    assert (await teams.post(message)).status == 202
    replies = teams.connector.sent()
    conversation, replied_to = message["conversation"]["id"], message["id"]
    assert replies and all(
        r.path == f"/v3/conversations/{conversation}/activities/{replied_to}"
        and r.body["replyToId"] == replied_to
        for r in replies
    )


async def test_onboarding_through_buttons_and_words(teams: Teams) -> None:
    await teams.post("installation_update_add")
    await submit(teams, {"action": "journey.start", "value": ""})  # an older client's Action.Submit
    said = texts([r.body for r in teams.connector.sent()])
    assert "Question 1 of 4" in said
    await press(teams, "onboarding.choose", "linkedin")
    for answer in ("cloud, hiring", "2", "1"):
        replies = await teams.say(answer)
    assert "Thanks! You're a" in texts(replies)
    person = await _person(teams)
    assert person.networks == ["linkedin"] and person.topics == ["cloud", "hiring"]
    assert person.timezone == "Europe/Berlin"  # from the activity's localTimezone
    _cards(teams)


async def test_a_nudge_answered_by_button_is_replaced_and_cannot_be_answered_twice(teams: Teams) -> None:
    await _onboard(teams)
    nudge = (await teams.say("next"))[-1]
    actions = nudge["attachments"][0]["content"]["actions"]
    done = next(a for a in actions if a["verb"] == "nudge.done")
    offer_id = done["data"]["value"]
    async with teams.app.db.sessions() as session:
        offer = await session.get(OfferRow, offer_id)
        assert (
            offer is not None and offer.platform == "teams" and offer.message_ref
        )  # kept to update it later
    answered = await press(teams, "nudge.done", offer_id, card_id=offer.message_ref)
    # The Universal Actions response shape: statusCode in the body too, not only the HTTP status.
    assert answered["statusCode"] == 200
    assert answered["type"] == "application/vnd.microsoft.card.adaptive"
    validate_card(answered["value"])
    assert "actions" not in answered["value"] and "✅" in json.dumps(answered["value"], ensure_ascii=False)
    # ...and the stored message is updated too, so reloads and other devices show no buttons either.
    (update,) = teams.connector.updates()
    assert update.path.endswith(f"/activities/{offer.message_ref}")
    assert update.card == answered["value"]
    again = await press(teams, "nudge.done", offer_id, card_id=offer.message_ref)
    assert "actions" not in again["value"]
    assert "Already noted" in texts([r.body for r in teams.connector.sent()])


async def test_an_older_client_answering_a_nudge_gets_the_card_updated_in_place(teams: Teams) -> None:
    await _onboard(teams)
    nudge = (await teams.say("next"))[-1]
    offer_id = nudge["attachments"][0]["content"]["actions"][1]["data"]["value"]
    await submit(teams, {"action": "nudge.later", "value": offer_id}, card_id="the-nudge-card")
    (update,) = teams.connector.updates()
    assert update.path.endswith("/activities/the-nudge-card")
    assert "actions" not in update.card and "Later it is" in texts([update.body])  # type: ignore[operator]


async def test_journey_map_logging_pause_and_help(teams: Teams) -> None:
    await _onboard(teams)
    journey = texts(await teams.say("journey"))
    assert "Your journey" in journey and "FactSet" in journey
    logged = texts(await teams.say("log I shared an article with my own comment"))
    assert "you shared with a line of your own" in logged.lower()
    assert "Enjoy the break" in texts(await teams.say("pause 3"))
    assert (await _person(teams)).paused_until is not None
    assert "Welcome back" in texts(await teams.say("resume"))
    assert "Here's what I understand" in texts(await teams.say("help"))
    _cards(teams)


async def test_settings_open_as_a_form_whose_submit_saves_them(teams: Teams) -> None:
    await _onboard(teams)
    assert "Edit settings" in texts(await teams.say("settings"))
    await press(teams, "settings.open")
    (form,) = [r.card for r in teams.connector.sent()]
    validate_card(form)  # type: ignore[arg-type]
    assert any(e.get("id") == "weekly_cap" for e in form["body"])  # type: ignore[index]
    values = {"form": "settings", "topics": "design", "networks": "linkedin,mastodon", "weekly_cap": "3"}
    teams.connector.clear()
    invoke = teams.activity("invoke_adaptive_card_action")
    invoke["value"]["action"].update(verb="settings.save", data=values)
    response = await teams.post(invoke)
    assert await response.json() == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Saved ✓",
    }
    person = await _person(teams)
    assert (
        person.topics == ["design"] and person.networks == ["linkedin", "mastodon"] and person.weekly_cap == 3
    )
    invoke["value"]["action"]["data"] = {"form": "settings", "weekly_cap": "99"}
    response = await teams.post(invoke)
    assert "Nudges per week" in (await response.json())["value"]  # not "Saved"
    await submit(teams, {"form": "settings", "weekly_cap": "99"})  # an older client's submit
    assert "Nudges per week" in texts([r.body for r in teams.connector.sent()])
    assert (await _person(teams)).weekly_cap == 3


async def _settings_form(teams: Teams) -> dict:
    await press(teams, "settings.open")
    (form,) = [r.card for r in teams.connector.sent()]
    validate_card(form)  # type: ignore[arg-type]
    return form  # type: ignore[return-value]


async def test_the_settings_form_sets_public_celebration_and_settings_show_it(teams: Teams) -> None:
    await _onboard(teams)
    form = await _settings_form(teams)
    (celebrate,) = [e for e in form["body"] if e.get("id") == "celebrate"]
    assert celebrate["label"] == "Celebrate my milestones by name in the team digest"
    assert celebrate["value"] == "no" and [c["value"] for c in celebrate["choices"]] == ["no", "yes"]
    # What the client sends: every input's value merged into the action's data, one of them changed.
    data = {**form["actions"][0]["data"], **{e["id"]: e["value"] for e in form["body"] if "id" in e}}
    invoke = teams.activity("invoke_adaptive_card_action")
    invoke["value"]["action"].update(verb="settings.save", data={**data, "celebrate": "yes"})
    response = await teams.post(invoke)
    assert (await response.json())["value"] == "Saved ✓"
    assert (await _person(teams)).celebrate_publicly
    assert "cheered by name in your team's digest" in texts(await teams.say("settings"))
    teams.connector.clear()
    reopened = await _settings_form(teams)
    assert [e["value"] for e in reopened["body"] if e.get("id") == "celebrate"] == ["yes"]

    invoke["value"]["action"]["data"] = {**data, "celebrate": "maybe", "topics": "gardening"}
    response = await teams.post(invoke)
    assert "Yes (public): cheered by name" in (await response.json())["value"]
    person = await _person(teams)
    assert person.celebrate_publicly and person.topics == ["cloud", "hiring"]  # nothing changed

    await submit(teams, {**data, "celebrate": "no"})  # an older client's Action.Submit
    assert "Saved ✓" in texts([r.body for r in teams.connector.sent()])
    assert not (await _person(teams)).celebrate_publicly
    assert "just between us" in texts(await teams.say("settings"))


async def test_a_new_teams_user_is_found_in_the_roster_by_the_email_teams_gives(teams: Teams) -> None:
    async with teams.app.db.sessions.begin() as session:
        session.add(PersonRow(email="ada@example.com", name="Ada Lovelace", timezone="Europe/London"))
    sender_id = teams.activity("personal_message")["from"]["id"]
    teams.connector.members[sender_id] = {
        "id": sender_id,
        "email": "Ada@Example.com",
        "userPrincipalName": "x",
    }
    await teams.say("hello")
    async with teams.app.db.sessions() as session:
        (person,) = (await session.scalars(select(PersonRow))).all()
    assert person.email == "ada@example.com"
    assert person.timezone == "Europe/London"  # the roster's zone wins over the client's
    assert await teams.app.store.address_of(person.id, "teams")


async def test_removing_the_app_marks_the_person_unreachable_and_reinstalling_brings_them_back(
    teams: Teams,
) -> None:
    await teams.post("installation_update_add")
    teams.connector.clear()
    assert (await teams.post("installation_update_add", action="remove")).status == 202
    assert teams.connector.sent() == []  # nothing to say to someone who just left
    person = await _person(teams)
    assert person.unreachable_at is not None  # the scheduler stops planning for them
    (reach,) = [r for r in await teams.app.store.reachability() if r.email == person.email]
    assert reach.unreachable_at is not None  # and `journeybot people --unreachable` says so
    assert (await teams.post("installation_update_add")).status == 202
    assert (await _person(teams)).unreachable_at is None


async def test_an_upgrade_or_a_team_uninstall_leaves_the_person_reachable(teams: Teams) -> None:
    await teams.post("installation_update_add")
    await teams.post("installation_update_add", action="remove-upgrade")
    team = teams.activity("channel_mention_digest")["conversation"]
    await teams.post("installation_update_add", action="remove", conversation=team)
    assert (await _person(teams)).unreachable_at is None
