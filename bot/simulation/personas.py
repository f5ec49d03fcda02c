"""The simulated people: how they onboard and how they answer a nudge's buttons.

Each persona answers by a fixed rule (no randomness of its own), so a run is reproduced by its seed,
which only feeds the engine. The answers are the buttons a person would tap on the nudge as sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from nudges.messages import Action


class Reply(StrEnum):
    """What a persona does with one nudge."""

    DONE = "done"
    LATER = "later"
    IGNORE = "ignore"


@dataclass(frozen=True)
class Persona:
    name: str
    description: str
    # The onboarding answers, as typed or tapped: networks, topics, habits (1–4), time (1–4).
    networks: str
    topics: str
    habits: str
    time: str
    # Answer the n-th nudge (1-based) with pattern[(n - 1) % len(pattern)].
    pattern: tuple[Reply, ...]
    # How long after a nudge arrives the person answers it (same working day for everyone who answers).
    delay: timedelta = timedelta(hours=1)
    # On a suggested share, "Shared with a line of my own" rather than "Shared it".
    adds_a_line: bool = True
    timezone: str = "Europe/Berlin"

    def reply(self, n: int) -> Reply:
        return self.pattern[(n - 1) % len(self.pattern)]


PERSONAS: dict[str, Persona] = {
    p.name: p
    for p in (
        Persona(
            "eager",
            "taps Done on everything the same day, an hour a week",
            "linkedin, x",
            "cloud security, hiring",
            "1",
            "3",
            (Reply.DONE,),
        ),
        Persona(
            "steady",
            "Done on two of three, Later on the rest, 30 minutes a week",
            "linkedin",
            "sustainability, supply chain",
            "1",
            "2",
            (Reply.DONE, Reply.DONE, Reply.LATER),
            delay=timedelta(hours=3),
        ),
        Persona(
            "hesitant",
            "mostly Later, now and then Done, 15 minutes a week",
            "linkedin",
            "data analytics",
            "1",
            "1",
            (Reply.LATER, Reply.LATER, Reply.DONE, Reply.LATER),
            delay=timedelta(hours=5),
            adds_a_line=False,
        ),
        Persona(
            "silent",
            "finished the questions, then never answers",
            "linkedin",
            "finance",
            "1",
            "2",
            (Reply.IGNORE,),
        ),
        Persona(
            "creator",
            "says they write their own posts (Content Creator), Done on two of three, an hour a week",
            "linkedin, mastodon",
            "developer experience, open source",
            "3",
            "3",
            (Reply.DONE, Reply.DONE, Reply.LATER),
            delay=timedelta(hours=2),
        ),
    )
}


def button_for(persona: Persona, reply: Reply, actions: frozenset[str]) -> str | None:
    """The button the persona taps, among the message's ``actions``; None: it leaves the message be."""
    if reply == Reply.IGNORE:
        return None
    if reply == Reply.LATER:
        return Action.LATER if Action.LATER in actions else None
    # A share card's "I shared it" and a Consumer's "Followed" are its Done.
    shared = Action.SHARED_WITH_LINE if persona.adds_a_line else Action.SHARED_IT
    for wanted in (shared, Action.SHARED_IT, Action.FOLLOWED):
        if wanted in actions:
            return wanted
    return Action.DONE if Action.DONE in actions else None
