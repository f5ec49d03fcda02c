"""Neutral messages as Adaptive Cards: valid 1.5 cards, markup kept, literal text escaped."""

from __future__ import annotations

from datetime import time

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.teams.cards import card, markdown
from adapters.teams.settings_card import settings_card
from nudges import views
from nudges.catalogue import BUILTIN
from nudges.messages import (
    Action,
    Button,
    Buttons,
    Divider,
    Fields,
    Header,
    Image,
    Message,
    Quote,
    Text,
)
from nudges.person import Person, Schedule
from nudges.settings_form import FIELDS
from tests.teams.card_schema import validate_card

ADA = Person("ada@example.com", "Ada Lovelace", networks=("linkedin",), topics=("cloud",))


def test_the_markup_subset_becomes_adaptive_card_markdown() -> None:
    text = "**Bold** and _italic_ and [a link](https://example.com/a_b)\n- one\n- two"
    assert markdown(text) == "**Bold** and _italic_ and [a link](https://example.com/a_b)\n- one\n- two"


def test_literal_markdown_characters_are_escaped() -> None:
    assert markdown("2 * 3 = 6, snake_case, [not a link]") == r"2 \* 3 = 6, snake\_case, \[not a link\]"
    assert markdown("1. not a list") == r"1\. not a list"


def test_every_block_kind_has_its_adaptive_card_shape() -> None:
    message = Message(
        (
            Header("Hello"),
            Text("Some **text**"),
            Fields((("You are", "Sharer"),)),
            Divider(),
            Quote("Ready to post", caption="LinkedIn"),
            Image("https://example.com/i.png", "an image"),
            Buttons((Button("Done", Action.DONE, "o1", primary=True), Button("Later", Action.LATER, "o1"))),
        ),
        fallback="Hello",
    )
    rendered = card(message)
    validate_card(rendered)
    header, text, facts, quote, image = rendered["body"]
    assert header == {"type": "TextBlock", "text": "Hello", "wrap": True, "weight": "Bolder", "size": "Large"}
    assert text["text"] == "Some **text**"
    assert facts["facts"] == [{"title": "You are", "value": "Sharer"}]
    assert quote["style"] == "emphasis" and quote["separator"] is True  # the divider's line
    assert image["altText"] == "an image"
    done = rendered["actions"][0]
    assert done["verb"] == Action.DONE and done["style"] == "positive"
    assert done["data"] == {"action": "nudge.done", "value": "o1"}
    assert done["fallback"] == {"type": "Action.Submit", "title": "Done", "data": done["data"]}
    assert rendered["fallbackText"] == "Hello"


def test_the_engines_own_messages_render_as_valid_cards() -> None:
    templates = BUILTIN[:20]
    messages = [views.welcome(ADA), views.settings_view(ADA)]
    messages += [views.step_nudge(t, ADA, "offer1") for t in templates]
    messages += [views.answered(m, a) for m in messages[2:5] for a in views.ANSWERED_NOTE]
    for message in messages:
        validate_card(card(message))


def test_the_settings_form_has_one_input_per_settings_field() -> None:
    person = Person(
        "a@b.c", schedule=Schedule(timezone="Europe/Berlin", quiet_start=time(20), quiet_end=time(7))
    )
    form = settings_card(person)
    validate_card(form)
    inputs = [e for e in form["body"] if e["type"].startswith("Input.")]
    assert tuple(i["id"] for i in inputs) == FIELDS
    assert {i["id"]: i["value"] for i in inputs}["quiet_start"] == "20:00"
    assert form["actions"][0]["data"] == {"form": "settings"}


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
_button = st.builds(Button, _text.filter(str.strip), st.sampled_from(list(Action)), _text, st.booleans())
_block = st.one_of(
    st.builds(Header, _text),
    st.builds(Text, _text),
    st.builds(Fields, st.lists(st.tuples(_text, _text), max_size=4).map(tuple)),
    st.builds(Buttons, st.lists(_button, max_size=5).map(tuple)),
    st.builds(Divider),
    st.builds(Image, st.just("https://example.com/x.png"), _text),
    st.builds(Quote, _text, _text),
)


# No deadline: this checks validity, not speed (timings belong in bench/), and a loaded machine made
# the first example's schema check exceed hypothesis's default 200 ms.
@settings(deadline=None)
@given(st.builds(Message, st.lists(_block, max_size=8).map(tuple), _text))
def test_any_neutral_message_renders_into_a_valid_card(message: Message) -> None:
    rendered = card(message)
    validate_card(rendered)
    assert len(rendered.get("actions", [])) == len(message.buttons)


def test_a_logging_confirmation_is_a_card_whose_buttons_come_back_as_the_same_presses() -> None:
    import random

    from adapters.teams.parse import card_event
    from nudges.activities import ActivityKind
    from nudges.events import Pressed
    from nudges.noting import confirmation

    message = confirmation(ActivityKind.SHARED, "i shared an article 🎉", random.Random(1))
    rendered = card(message)
    validate_card(rendered)
    presses = [card_event(a["data"]) for a in rendered["actions"]]
    assert presses == [
        Pressed(Action.NOTE_IT, "shared|i shared an article 🎉"),
        Pressed(Action.DONT_NOTE, ""),
    ]
