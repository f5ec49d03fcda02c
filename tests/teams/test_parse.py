"""Recorded Teams activities as neutral events: who, what, and where to reach them again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from microsoft_agents.activity import Activity, ConversationReference

from adapters.teams.parse import card_event, channel_address, inbound, plain_text
from nudges.events import Command, Joined, Pressed, Said, Submitted

PAYLOADS = Path(__file__).parent / "payloads"
ADA_AAD = "6f0c1c4e-1d7a-4b59-9a0e-2f1d3c4b5a69"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def load(payload: str, **changes: Any) -> Activity:
    return Activity.model_validate({**json.loads((PAYLOADS / f"{payload}.json").read_text()), **changes})


def test_a_personal_message_is_said_by_the_entra_user_with_their_time_zone() -> None:
    parsed = inbound(load("personal_message", text="  journey "))
    assert parsed is not None and parsed.event == Said("journey")
    assert (parsed.who.platform, parsed.who.user_id, parsed.who.tenant) == ("teams", ADA_AAD, TENANT)
    assert parsed.who.timezone == "Europe/Berlin" and parsed.who.name == "Ada Lovelace"
    reference = ConversationReference.model_validate_json(parsed.address)
    assert reference.service_url == "https://smba.trafficmanager.net/emea/"
    assert reference.conversation.id.startswith("a:1Jk2") and reference.activity_id is None
    assert parsed.channel is None


def test_the_tenant_comes_from_channel_data_when_the_conversation_lacks_it() -> None:
    raw = json.loads((PAYLOADS / "personal_message.json").read_text())
    del raw["conversation"]["tenantId"]
    parsed = inbound(Activity.model_validate(raw))
    assert parsed is not None and parsed.who.tenant == TENANT


def test_installing_the_app_is_joining() -> None:
    for name in ("conversation_update_members_added", "installation_update_add"):
        parsed = inbound(load(name))
        assert parsed is not None and parsed.event == Joined() and parsed.address


def test_someone_else_joining_a_conversation_is_not_the_bot_being_installed() -> None:
    assert inbound(load("conversation_update_members_added", membersAdded=[{"id": "29:someone"}])) is None
    assert inbound(load("installation_update_add", action="remove")) is None


def test_a_card_submit_from_an_older_client_is_a_press_on_the_card_it_came_from() -> None:
    parsed = inbound(load("card_submit"))
    assert parsed is not None and parsed.event == Pressed("journey.start", "")
    assert parsed.message_ref == "1772443100555"


def test_an_adaptive_card_action_invoke_is_a_press() -> None:
    parsed = inbound(load("invoke_adaptive_card_action"))
    assert parsed is not None and parsed.event == Pressed("nudge.done", "OFFER_ID")


def test_the_settings_form_is_submitted_with_its_fields_only() -> None:
    value = {
        "form": "settings",
        "topics": "cloud, hiring",
        "networks": "linkedin,x",
        "weekly_cap": "3",
        "junk": "x",
    }
    parsed = inbound(load("card_submit", value=value))
    assert parsed is not None
    assert parsed.event == Submitted(
        "settings", {"topics": "cloud, hiring", "networks": "linkedin,x", "weekly_cap": "3"}
    )


def test_a_channel_mention_is_a_command_without_the_mention_and_never_an_address() -> None:
    activity = load("channel_mention_digest")
    parsed = inbound(activity)
    assert parsed is not None and parsed.event == Command("digest", "here")
    assert parsed.address == ""  # a channel must never become where a person's nudges go
    assert parsed.channel == "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"
    reference = ConversationReference.model_validate_json(channel_address(activity))
    assert reference.conversation.id == parsed.channel  # the channel, not the thread


def test_mentions_and_html_are_stripped_from_text() -> None:
    assert plain_text("<at>journeybot</at>&nbsp;digest <b>here</b>\n") == "digest here"


def test_unknown_activities_are_ignored() -> None:
    assert inbound(load("personal_message", type="typing")) is None
    assert inbound(load("invoke_adaptive_card_action", name="composeExtension/query")) is None


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)


@given(
    st.dictionaries(
        st.sampled_from(["action", "value", "form", "topics", "weekly_cap", "x", "draft", "ref"]), _json
    )
)
def test_any_card_data_is_a_press_a_submit_or_nothing_never_a_crash(data: dict) -> None:
    found = card_event(data)
    assert found is None or isinstance(found, Pressed | Submitted)
    if isinstance(found, Submitted):
        assert all(isinstance(v, str) or all(isinstance(x, str) for x in v) for v in found.values.values())
