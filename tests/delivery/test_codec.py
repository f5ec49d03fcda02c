"""A message stored in the outbox comes back exactly as it was rendered."""

from __future__ import annotations

import json

from bot.delivery.codec import decode, encode
from nudges.catalogue import BUILTIN
from nudges.library import ContentItem
from nudges.messages import Divider, Fields, Image
from nudges.person import Person
from nudges.views import share_nudge, step_nudge, welcome

ANA = Person("ana@example.com", name="Ana Silva", networks=("linkedin",), topics=("cloud",))


def round_trip(message):
    return decode(json.loads(json.dumps(encode(message))))


def test_every_kind_of_block_survives_the_trip_through_json():
    item = ContentItem("c1", "Cloud costs", "https://example.com/c1", ("cloud",), {"linkedin": "Read this"})
    messages = [welcome(ANA), step_nudge(BUILTIN[0], ANA, "offer-1"), share_nudge(item, ANA, "offer-2")]
    extra = messages[0].__class__(
        blocks=(Fields((("a", "b"),)), Divider(), Image("https://example.com/i.png", "alt")),
        fallback="x",
        tags=frozenset({"t"}),
    )

    for message in [*messages, extra]:
        assert round_trip(message) == message
