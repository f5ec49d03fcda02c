"""A person's own data, in their words: "my data", "export my data", "delete my data". Pure.

What the bot holds is read and erased by the shell (``bot/store/privacy.py``); this module knows
how people ask and what they are told: the overview, the export as messages, the one question
before erasing (with a button, because erasing is final) and the kind goodbye after it.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from enum import StrEnum
from typing import Any

from nudges.messages import (
    Action,
    Button,
    Buttons,
    Fields,
    Header,
    Message,
    Quote,
    Text,
    literal,
    text_message,
)
from nudges.zones import Zone

EXPORT_TAG = "data-export"  # on the messages carrying the JSON: the console saves them as a file
CHUNK = 2_800  # characters of JSON per block: within every platform's limit for one text block
BLOCKS_PER_MESSAGE = 6  # so one message stays far under Slack's and Teams' size limits


class DataRequest(StrEnum):
    SHOW = "show"
    EXPORT = "export"
    ERASE = "erase"


_POLITE = re.compile(
    r"^(?:(?:please|pls|can you|could you|would you|i want to|i'd like to|i want you to)\s+)+"
)
_MINE = (
    r"(?:all\s+)?(?:of\s+)?(?:my\s+(?:personal\s+)?(?:data|info|information|details|records?|account|history)"
    r"|everything\s+(?:you\s+(?:have|hold|know|keep|store)\s+)?(?:about|on)\s+me"
    r"|what\s+you\s+(?:have|hold|know|keep|store)\s+(?:about|on)\s+me)"
)
_SHOW = re.compile(
    rf"^(?:my\s+data|(?:show|see|view|list)\s+(?:me\s+)?{_MINE}"
    r"|what\s+(?:data\s+)?do\s+you\s+(?:have|hold|know|keep|store)\s+(?:about|on)\s+me"
    r"|what\s+do\s+you\s+know\s+about\s+me)$"
)
_EXPORT = re.compile(
    rf"^(?:(?:export|download|send\s+me|give\s+me|get)\s+{_MINE}|(?:data\s+)?export|my\s+data\s+export)$"
)
_ERASE = re.compile(rf"^(?:(?:delete|erase|remove|wipe|forget|purge)\s+(?:{_MINE}|me)|forget\s+about\s+me)$")


def data_request(text: str) -> DataRequest | None:
    """Which of the three a sentence asks for, or None. Only whole requests about the person's own
    data count: "delete my last log" is not one ("undo" is), nor is "forget it"."""
    lowered = " ".join(text.lower().replace("’", "'").strip().rstrip(".!?").split())
    lowered = _POLITE.sub("", lowered).removesuffix(" please").removesuffix(",")
    if _EXPORT.match(lowered):
        return DataRequest.EXPORT
    if _ERASE.match(lowered):
        return DataRequest.ERASE
    if _SHOW.match(lowered):
        return DataRequest.SHOW
    return None


def facts(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The overview's lines, from the export (``bot/store/privacy.py``: the person's row and their
    rows by table)."""
    person = data["person"]
    zone = Zone(person.get("zone") or 1).info
    answered = sum(1 for offer in data.get("offers", ()) if offer.get("answer"))
    where = sorted({i["platform"] for i in data.get("identities", ()) if i.get("platform")})
    pairs = [
        ("Name", person.get("name") or "—"),
        ("Email", person.get("email") or "—"),
        ("Team", person.get("team") or "—"),
        ("Zone", f"{zone.label} {zone.emoji}"),
        ("Networks", ", ".join(person.get("networks") or ()) or "none chosen"),
        ("Topics", ", ".join(person.get("topics") or ()) or "none chosen"),
        ("Working hours", f"{person.get('work_start')}–{person.get('work_end')} ({person.get('timezone')})"),
        (
            "Nudges a week",
            "none (you said stop)" if person.get("opted_out") else f"at most {person.get('weekly_cap')}",
        ),
        ("Things you logged", str(len(data.get("activities", ())))),
        ("Suggestions I made", f"{len(data.get('offers', ()))} ({answered} answered)"),
        ("Where I reach you", ", ".join(where) or "—"),
    ]
    return tuple((label, literal(value)) for label, value in pairs)


def overview(facts: tuple[tuple[str, str], ...]) -> Message:
    """What the bot holds, in brief, with the two things a person can do about it."""
    blocks = (
        Header("What I keep about you"),
        Text(
            "Only what helps me suggest the right small step at the right time. "
            "Nobody sees it person by person: reports only ever count."
        ),
        Fields(facts),
        Buttons(
            (
                Button("Export it (JSON)", Action.DATA_EXPORT),
                Button("Delete it all", Action.DATA_ERASE_ASK),
            )
        ),
    )
    return Message(blocks, fallback="What I keep about you: " + "; ".join(f"{k}: {v}" for k, v in facts))


def export_messages(json_text: str) -> tuple[Message, ...]:
    """The export as messages: a short note, then the JSON verbatim, cut at line ends into blocks."""
    chunks: list[str] = []
    current = ""
    for line in json_text.splitlines(keepends=True):
        while len(line) > CHUNK:  # one very long line (a long note): cut it, it is still all there
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:CHUNK])
            line = line[CHUNK:]
        if len(current) + len(line) > CHUNK:
            chunks.append(current)
            current = ""
        current += line
    if current:
        chunks.append(current)
    parts = [chunks[i : i + BLOCKS_PER_MESSAGE] for i in range(0, len(chunks), BLOCKS_PER_MESSAGE)]
    note = (
        "Here's everything I hold about you, as JSON: copy it into a file ending in **.json** to keep "
        "it, or open it in anything that reads JSON."
    )
    if len(parts) > 1:
        note += f" It comes in {len(parts)} messages; put them together in order."
    # Tagged too: the console saves the JSON to a file and says so instead of this note.
    messages = [replace(text_message(note), tags=frozenset({EXPORT_TAG}))]
    for number, part in enumerate(parts, start=1):
        caption = f"Your data ({number} of {len(parts)})" if len(parts) > 1 else "Your data"
        blocks = tuple(Quote(chunk, caption if i == 0 else "") for i, chunk in enumerate(part))
        messages.append(Message(blocks, fallback=caption, tags=frozenset({EXPORT_TAG})))
    return tuple(messages)


def erase_question() -> Message:
    text = (
        "Shall I delete everything I hold about you? That's your settings, your zone and milestones, "
        "everything you logged (your own words too) and every suggestion I made you.\n"
        "It's **final**: I can't bring any of it back afterwards. If you'd like a copy first, say "
        "**export my data**. (Just want a break from nudges? **stop** or **pause** keep your journey.)"
    )
    buttons = Buttons(
        (
            Button("Yes, delete everything", Action.DATA_ERASE, primary=True),
            Button("No, keep it", Action.DATA_KEEP),
        )
    )
    return Message((Text(text), buttons), fallback="Shall I delete everything I hold about you?")


_GOODBYES = (
    "Done. Everything I held about you is gone, for good. Thank you for the journey so far! "
    "If you ever write to me again, I'll meet you as someone new.",
    "All deleted: nothing of yours is left with me, and it can't be brought back. Take care! "
    "Should you say hi again one day, we'll start fresh.",
)


def erased(rng: random.Random) -> Message:
    return text_message(rng.choice(_GOODBYES))


ASKED_ERASE = "You asked me to delete your data."


def erase_answered(done: bool) -> Message:
    """The question's new look once answered, so its buttons cannot be pressed again."""
    return text_message(f"{ASKED_ERASE} {'Deleted ✓' if done else 'Kept ✓'}")


def kept() -> Message:
    return text_message("Nothing deleted: everything stays as it was. 👍")


def nothing_held() -> Message:
    return text_message(
        "I don't hold anything about you: there's nothing to show, export or delete. "
        "Say **start** whenever you'd like to begin a journey."
    )
