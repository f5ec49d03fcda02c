"""The neutral message model: what the engine says, before any platform dresses it.

A message is a short list of blocks plus a plain-text fallback. Slack renders it as Block Kit, Teams
as an Adaptive Card, the console as text with numbered choices. There is deliberately no
per-platform escape hatch: a feature one platform cannot show is designed again until both can.

Text uses a tiny markup that every renderer understands: ``**bold**``, ``_italic_``,
``[label](https://url)`` and lines starting with ``- `` for bullets. Anything else is literal text,
which renderers escape for their platform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    """Action ids carried by buttons; adapters pass them back untouched in inbound answers."""

    DONE = "nudge.done"
    LATER = "nudge.later"
    NOT_FOR_ME = "nudge.not_for_me"
    SHARED_IT = "share.shared"
    SHARED_WITH_LINE = "share.shared_with_line"
    COPY_TEXT = "share.copy_text"
    PICK_NETWORK = "share.pick_network"  # value: "<offer id> <network>"
    FOLLOWED = "share.followed"  # a consumer followed the voices behind a suggested item
    CHOOSE = "onboarding.choose"  # value: the chosen option of the current onboarding question
    SET_ZONE = "journey.set_zone"  # value: zone number
    START = "journey.start"
    NEXT = "journey.next"
    HELP = "journey.help"
    SHOW_JOURNEY = "journey.show"
    OPEN_SETTINGS = "settings.open"
    RESUME = "settings.resume"
    PAUSE = "settings.pause"  # value: days
    WHY = "nudge.why"  # value: the offer id; answers "why this, why now?"
    NOTE_IT = "log.confirm"  # value: "<activity kind>|<their words>"; logs what a sentence told
    DONT_NOTE = "log.decline"  # the sentence was not something to log: nothing is noted
    UNDO = "log.undo"  # removes the last logged activity (and what it caused)
    DATA_EXPORT = "data.export"  # the person's data as JSON (nudges/data_rights.py)
    DATA_ERASE_ASK = "data.erase_ask"  # asks "shall I delete everything?"
    DATA_ERASE = "data.erase"  # the answer yes: everything about the person is erased, for good
    DATA_KEEP = "data.keep"  # the answer no
    ABOUT = "journey.about"  # what the journey gives them, in a few lines
    TAKE_BREAK = "pause.take"  # value: days; answers "shall I pause?" (the question gives way to the answer)
    STOP_NUDGES = "pause.stop"  # answers "shall I pause?" with: no more nudges at all


class Answer(StrEnum):
    """How a person answered a nudge."""

    DONE = "done"
    LATER = "later"
    NOT_FOR_ME = "not_for_me"


@dataclass(frozen=True)
class Header:
    text: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Fields:
    """Label/value pairs shown side by side where the platform can."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    value: str = ""
    primary: bool = False


@dataclass(frozen=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Divider:
    pass


@dataclass(frozen=True)
class Image:
    url: str
    alt: str


@dataclass(frozen=True)
class Quote:
    """Ready-to-post text shown verbatim (monospace or quoted), e.g. a suggested share."""

    text: str
    caption: str = ""


Block = Header | Text | Fields | Buttons | Divider | Image | Quote


@dataclass(frozen=True)
class Message:
    blocks: tuple[Block, ...]
    fallback: str
    # The offer this message carries, if any: lets a platform update it in place after an answer.
    offer_id: str | None = None
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def buttons(self) -> tuple[Button, ...]:
        return tuple(b for block in self.blocks if isinstance(block, Buttons) for b in block.buttons)


def text_message(text: str) -> Message:
    """A message with one text block; the fallback is the text without markup."""
    return Message(blocks=(Text(text),), fallback=plain(text))


# WORD JOINER: invisible, and between two characters it keeps them from reading as markup.
_JOINER = "\u2060"


def literal(text: str) -> str:
    """Text a person or an editor wrote (a name, a topic, a title), safe to put into markup: a
    ``**`` or a ``](`` in it is shown as typed, never read as bold or as a link."""
    text = re.sub(r"\*(?=\*)", "*" + _JOINER, text)
    return text.replace("](", "]" + _JOINER + "(")


def link_label(text: str) -> str:
    """``literal`` text for the label of a ``[label](url)`` link, where a bracket would end it early."""
    return literal(text).replace("[", "\uff3b").replace("]", "\uff3d")


def plain(text: str) -> str:
    """The markup stripped, for fallbacks and notifications."""
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
