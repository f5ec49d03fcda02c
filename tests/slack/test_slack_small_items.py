"""The smaller Slack defects of the hardening audit, each over signed HTTP against the fake Web API."""

from __future__ import annotations

import asyncio
import json
import random
import time
from pathlib import Path
from urllib.parse import urlencode

import yaml
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from adapters.slack.bolt_app import BOT_SCOPES
from bot.main.build import build
from bot.main.server import build_web_app
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import ContentItemRow, PersonRow
from tests.slack.conftest import NOW, Slack, payload, signature, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_dm import onboard

MANIFEST = Path(__file__).parents[2] / "adapters/slack/manifest.yaml"
README = Path(__file__).parents[2] / "README.md"


async def people(slack: Slack) -> int:
    async with slack.app.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(PersonRow)) or 0)


async def test_a_deeply_nested_signed_json_body_is_a_400_not_a_500(slack: Slack) -> None:
    depth = 100_000
    body = '{"type": "event_callback", "event": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
    response = await slack.post(body, "application/json")
    assert response.status == 400 and "error" in await response.json()


async def test_an_unknown_slash_command_is_acknowledged(slack: Slack) -> None:
    response = await slack.command("help", command="/somebody-elses")
    assert response.status == 200
    assert await people(slack) == 0


async def test_a_foreign_view_submission_is_acknowledged(slack: Slack) -> None:
    body = payload("view_submission")
    body["view"]["callback_id"] = "another-apps-modal"
    response = await slack.interaction(body)
    assert response.status == 200


async def test_app_rate_limited_is_acknowledged(slack: Slack) -> None:
    body = {"token": "t", "type": "app_rate_limited", "team_id": "T1", "minute_rate_limited": 1518467820,
            "api_app_id": "A0KRD7HC3"}  # fmt: skip
    response = await slack.event(body)
    assert response.status == 200


async def test_the_command_name_comes_from_the_settings(database: Database, fake: FakeSlack) -> None:
    settings = slack_settings(database, fake, slack_command="/steps")
    app = await build(settings, clock=lambda: NOW, rng=random.Random(1))
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()
    try:
        slack = Slack(client, fake, app)
        response = await slack.command("help", command="/steps")
        assert response.status == 200
        (answer,) = await fake.wait_for("response_url")
        assert "Here's what I understand" in json.dumps(answer["blocks"])
    finally:
        await client.close()
        await app.close()
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert (
        manifest["features"]["slash_commands"][0]["command"] == Settings.model_fields["slack_command"].default
    )


async def test_markup_in_a_persons_name_is_shown_not_obeyed(slack: Slack) -> None:
    slack.fake.add_user("U2147483697", "[Free](https://evil.example) **Ada**", "ada@example.com")
    posted = await slack.say("hello", "Ev1", replies=2)
    greeting = posted[0]["blocks"][0]["text"]["text"]
    assert "<https://evil.example|" not in greeting
    assert "Free" in greeting  # shown as typed (the first word of the name)


async def test_markup_in_a_shared_title_is_shown_not_obeyed(slack: Slack) -> None:
    await onboard(slack)
    async with slack.app.db.sessions.begin() as session:
        session.add(ContentItemRow(id="x", title="**Big** [prize](https://evil.example)", url="https://example.com/a",
                                   topics=["cloud", "hiring"], texts={"linkedin": "A good read."}, created_at=NOW))  # fmt: skip
    for n in range(6):
        posted = await slack.say("next", f"EvN{n}")
        if "Something to share" in json.dumps(posted):
            break
    else:
        raise AssertionError("the shared item never came")
    text = json.dumps(posted[-1]["blocks"], ensure_ascii=False)
    assert "<https://example.com/a|" in text and "<https://evil.example" not in text
    assert "*\u2060*Big*\u2060*" in text  # the stars as typed (a word joiner keeps them from pairing)


async def test_a_nudges_notification_text_has_no_raw_markup(slack: Slack) -> None:
    await onboard(slack)
    (nudge,) = await slack.say("next", "EvNext")
    assert "**" not in nudge["text"] and "](" not in nudge["text"]


async def test_a_dm_from_slackbot_creates_nobody(slack: Slack) -> None:
    body = payload("message_im", event_id="EvSB", event={"user": "USLACKBOT", "text": "Reminder: stand-up"})
    assert (await slack.event(body)).status == 200
    await asyncio.sleep(0.3)
    assert await people(slack) == 0 and slack.fake.called("chat.postMessage") == []


def test_the_manifest_asks_only_for_used_scopes_and_allows_org_wide_installs() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert "im:read" not in manifest["oauth_config"]["scopes"]["bot"] and "im:read" not in BOT_SCOPES
    assert manifest["settings"]["org_deploy_enabled"] is True
    assert "org-wide" in README.read_text()  # what the README promises, the manifest allows


async def test_a_replayed_slash_command_is_processed_once(slack: Slack) -> None:
    body = urlencode(payload("slash_command", text="pause 3", response_url=slack.fake.response_url()))
    timestamp = int(time.time())
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": str(timestamp),
               "X-Slack-Signature": signature(body, timestamp)}  # fmt: skip
    for _ in range(2):  # the very same signed request, sent again a moment later
        response = await slack.client.post("/slack/events", data=body.encode(), headers=headers)
        assert response.status == 200
    await slack.fake.wait_for("response_url")
    await asyncio.sleep(0.5)
    assert len(slack.fake.called("response_url")) == 1
