"""The same words mean the same thing wherever they are typed: onboarding, ``set``, the settings
form, the content file, the catalogue file and marketing's share form all read networks, topics
and zones with ``nudges.words``. Each case here was read differently by two of them before."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.tracking import Links
from bot.content.validate import Rules, from_form, validate
from bot.importers.catalogue import CatalogueError, load_catalogue
from bot.importers.content import ContentError, parse_content
from nudges.events import Pressed, Submitted
from nudges.messages import Action
from nudges.zones import Zone
from tests.nudges.test_dialogue import NOW, Chat, onboarded_chat

RULES = Rules(Links(b"words", "https://journeybot.example.com"))

CONTENT_ITEM = """
- id: cloud-lessons
  title: Ten lessons from our cloud migration
  url: https://example.com/cloud
  topics: {topics}
  texts: {{"{network}": What surprised us moving 400 services to the cloud}}
  zones: [{zone}]
"""
TEMPLATE = """
templates:
  - id: acme.demo-day
    zone: {zone}
    category: prompt
    kind: demo-day
    title: Write about demo day
    text: Write a short post on {{network}} about one thing you saw at demo day.
    minutes: 10
    evidence: short_post
    networks: ["{network}"]
"""


def from_files(tmp_path: Path, zone: str, network: str = "linkedin", topics: str = "[cloud]") -> tuple:
    """What the content file and the catalogue file make of the same zone and network."""
    content = tmp_path / "content.yaml"
    content.write_text(CONTENT_ITEM.format(zone=zone, network=network, topics=topics), encoding="utf-8")
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(TEMPLATE.format(zone=zone, network=network), encoding="utf-8")
    (item,) = parse_content(content, NOW, RULES)
    (template,) = load_catalogue(catalogue, ())
    return item, template


@pytest.mark.parametrize(
    "spelling", ["sharer", "Sharer", "content sharer", "Content-Sharer", "CONTENT_SHARER", "2"]
)
def test_both_files_read_every_spelling_of_a_zone_alike(tmp_path: Path, spelling: str) -> None:
    # Before, the content file took "Content-Sharer" and the catalogue file refused it.
    item, template = from_files(tmp_path, spelling)
    assert item.zones == {Zone.SHARER} and template.zone == Zone.SHARER


def test_both_files_refuse_what_is_not_a_zone(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="unknown zone 'influencer'"):
        parse_content(
            _write(tmp_path / "c.yaml", CONTENT_ITEM.format(zone="influencer", network="x", topics="[a]")),
            NOW,
            RULES,
        )
    with pytest.raises(CatalogueError, match="unknown zone 'influencer'"):
        load_catalogue(_write(tmp_path / "t.yaml", TEMPLATE.format(zone="influencer", network="x")), ())


@pytest.mark.parametrize("name", ["X (Twitter)", "twitter", "X"])
def test_both_files_read_a_network_name_alike(tmp_path: Path, name: str) -> None:
    item, template = from_files(tmp_path, "sharer", network=name)
    assert tuple(item.texts) == ("x",) and template.networks == ("x",)


@pytest.mark.parametrize(
    "said", ["linkedin/x", "LinkedIn and a bit of X", "LinkedIn + X", "linkedin, twitter"]
)
def test_onboarding_set_networks_and_the_form_read_networks_alike(said: str) -> None:
    # Before, onboarding took "linkedin/x" and "set networks" refused it.
    onboarding = Chat()
    onboarding.say("hello")
    onboarding.say(said)
    typed = onboarded_chat()
    typed.say(f"set networks {said}")
    form = onboarded_chat()
    form.send(Submitted("settings", {"networks": said}))
    assert onboarding.person.networks == typed.person.networks == form.person.networks == ("linkedin", "x")


def test_people_files_and_the_share_form_read_topics_alike(tmp_path: Path) -> None:
    # Before, the content file kept "Cloud" while people's topics and the share form lower-cased it.
    onboarding = Chat()
    onboarding.say("hello")
    onboarding.send(Pressed(Action.CHOOSE, "linkedin"))
    onboarding.say("Cloud,  AI , cloud")
    typed = onboarded_chat()
    typed.say("set topics Cloud,  AI , cloud")
    item, _ = from_files(tmp_path, "sharer", topics='[Cloud, " AI ", cloud]')
    # The share form (Slack modal, Teams card) is validated as the content file is.
    shared, errors = validate(
        from_form(
            {
                "title": "Cloud",
                "url": "https://example.com",
                "topics": "Cloud,  AI , cloud",
                "text_linkedin": "Read",
            }
        ),
        RULES,
        NOW,
    )
    assert errors == [] and shared is not None
    assert onboarding.person.topics == typed.person.topics == item.topics == shared.topics == ("cloud", "ai")


def test_a_person_may_say_their_zone_with_a_files_spelling() -> None:
    chat = onboarded_chat()
    chat.say("I'm a Content-Creator")
    assert chat.person.zone == Zone.CREATOR


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
