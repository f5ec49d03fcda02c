"""The words around logging: asking before noting, noting, declining, and taking back.

Kept apart from the dialogue's flow so the phrasings (small pools, chosen at random) are easy to
read and change. Free sentences are only ever noted after the person's yes.
"""

from __future__ import annotations

import random

from nudges.activities import ActivityKind
from nudges.messages import Action, Button, Buttons, Message, Text, plain
from nudges.telling import NotDone
from nudges.zones import Zone

# Typed ways of saying "that was wrong, take it back" (compared after lowering and trimming "." "!").
UNDO_SENTENCES = frozenset(
    {
        "undo",
        "undo that",
        "undo it",
        "undo please",
        "please undo",
        "that's wrong",
        "thats wrong",
        "that is wrong",
        "that's not right",
        "thats not right",
        "that was wrong",
        "wrong",
        "i didn't",
        "i didnt",
        "i did not",
        "no i didn't",
        "no, i didn't",
        "no i didnt",
        "take it back",
        "remove that",
        "delete that",
        "oops",
        "oops, undo",
    }
)


def is_undo(lowered: str) -> bool:
    return lowered.strip().rstrip(".! ") in UNDO_SENTENCES


_CONFIRM = (
    "Sounds like you {what} — shall I note it?",
    "Did you {what_bare}? Shall I note it down?",
    "Nice — that sounds like you {what}. Want me to note it?",
)
NOT_NOTED = (
    "Fine, nothing noted.",
    "No problem, I've left it out.",
    "Okay, I won't note that.",
)
REPLIES: dict[NotDone, tuple[str, ...]] = {
    NotDone.NEGATION: (
        "No problem, nothing noted. There's no rush: tell me when you've done something you'd like on record.",
        "That's fine, I haven't noted anything. Whenever you do something, just tell me.",
        "All right, nothing logged. If I noted something by mistake earlier, say **undo**.",
    ),
    NotDone.QUESTION: (
        "Happy to help: **next** gives you one small step that fits you, **journey** shows where you are, "
        "and **help** lists the rest.",
        "Good question. I'm best at small steps: try **next** for one, or **help** for what I can do.",
    ),
    NotDone.PLAN: (
        "Sounds like a plan! Tell me once it's done and I'll note it.",
        "Good luck with it. When it's done, tell me and I'll put it on your journey.",
        "Nice idea. I'll note it once you tell me it's done, no rush.",
    ),
    NotDone.HYPOTHETICAL: (
        "No pressure either way. If you do, tell me and I'll note it.",
        "Entirely up to you. If you go for it, let me know and I'll note it.",
    ),
}
_BARE: dict[ActivityKind, str] = {
    ActivityKind.ACCOUNT: "set up or revive an account",
    ActivityKind.FOLLOWED: "follow people, groups or hashtags",
    ActivityKind.SHARED: "like or share something",
    ActivityKind.SHARED_WITH_COMMENT: "share something with a line of your own",
    ActivityKind.AMPLIFIED: "pass on a colleague's piece",
    ActivityKind.SHORT_POST: "write a short post",
    ActivityKind.ORIGINAL_PIECE: "write an original piece",
    ActivityKind.CHECKED_ANALYTICS: "look at who saw your post",
    ActivityKind.REPLIED: "reply to comments",
    ActivityKind.ASKED: "ask a question",
    ActivityKind.ANSWERED: "answer a question",
    ActivityKind.FEEDBACK: "give feedback",
    ActivityKind.HELPED: "help a colleague",
    ActivityKind.SPOKE_TO_GROUP: "speak to another group",
    ActivityKind.GROUP_CHAT: "join a group chat",
    ActivityKind.PREPARED: "do some groundwork for a piece",
}
# A button's value is short on every platform (Slack allows 2000 characters): keep the words brief.
_NOTE_CHARS = 300


# Typed answers to a question with Yes / No buttons (compared after lowering and trimming "." "!").
YES_WORDS = frozenset(
    {
        "yes", "y", "yep", "yeah", "yea", "yup", "sure", "ok", "okay", "please", "correct", "right",
        "exactly", "absolutely", "of course", "yes please", "yes, please", "sure thing", "go ahead",
        "do it", "note it", "yes note it", "yes, note it", "please do", "that's right", "thats right",
        "yes i did", "yes, i did", "i did", "yes do",
    }
)  # fmt: skip
NO_WORDS = frozenset(
    {
        "no",
        "nope",
        "no way",
        "n",
        "nah",
        "no thanks",
        "no thank you",
        "don't",
        "dont",
        "do not",
        "not really",
        "never mind",
        "nevermind",
        "no, thanks",
        "no don't",
        "no dont",
        "leave it",
        "skip it",
        "forget it",
    }
)


def note_value(kind: ActivityKind, words: str) -> str:
    """What *Yes, note it* carries (and what a typed "yes" answers): the kind and their words."""
    return f"{kind.value}|{words[:_NOTE_CHARS]}"


def confirmation(kind: ActivityKind, words: str, rng: random.Random) -> Message:
    text = rng.choice(_CONFIRM).format(what=kind.label, what_bare=_BARE[kind])
    value = note_value(kind, words)
    buttons = (Button("Yes, note it", Action.NOTE_IT, value, primary=True), Button("No", Action.DONT_NOTE))
    return Message((Text(text), Buttons(buttons)), fallback=plain(text))


def parse_value(value: str) -> tuple[ActivityKind, str] | None:
    """The kind and words a *Yes, note it* button carries; None for anything malformed."""
    kind_text, bar, note = value.partition("|")
    if not bar:
        return None
    try:
        return ActivityKind(kind_text), note
    except ValueError:
        return None


def noted(kind: ActivityKind) -> str:
    """How a confirmation looks once answered *Yes*."""
    return f"You {kind.label}: noted ✓"


def not_noted(rng: random.Random) -> str:
    return rng.choice(NOT_NOTED)


def undone(kind: ActivityKind, moved_back: Zone | None, milestones: bool) -> str:
    text = f"Taken back: I've removed “{kind.label}” from your journey."
    if moved_back is not None:
        info = moved_back.info
        text += f" That also puts you back as a **{info.label}** {info.emoji} for now."
    elif milestones:
        text += " The milestone it brought is gone too."
    return text
