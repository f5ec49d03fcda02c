"""Onboarding: four quick questions that place a person on the journey.

Each answer can be a button press or typed text. A person can skip any question ("skip") and can
always say where they are ("I'm a sharer"), before, during or after the questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nudges.library import NETWORK_LABELS, normalise_network
from nudges.messages import Action, Button, Buttons, Header, Message, Text, plain
from nudges.person import Person
from nudges.zones import Zone

# "Not for me", "done" and friends answer the latest nudge once onboarded; at a question they skip it.
SKIP_WORDS = frozenset(
    {"skip", "skip for now", "pass", "later", "none", "none yet", "not sure", "-", "no", "nope", "no thanks"}
    | {"not for me", "done"}
)


class AnswerError(ValueError):
    """A typed answer the question could not understand; the message says what would work."""


@dataclass(frozen=True)
class Question:
    field: str
    prompt: str
    hint: str
    options: tuple[tuple[str, str], ...]  # (label, value) for one-tap answers
    apply: Callable[[Person, str], Person]


def _networks(person: Person, text: str) -> Person:
    if text.strip().lower() in SKIP_WORDS:
        return person
    names = [
        n for n in text.replace(" and ", ",").replace("+", ",").replace("/", ",").split(",") if n.strip()
    ]
    found = [normalise_network(n) for n in names]
    if not names or any(n is None for n in found):
        known = ", ".join(NETWORK_LABELS.values())
        raise AnswerError(f"I know these networks: {known}. Name one or two, separated by commas.")
    return person.evolve(networks=tuple(dict.fromkeys(n for n in found if n)))


def _topics(person: Person, text: str) -> Person:
    if text.strip().lower() in SKIP_WORDS:
        return person
    topics = tuple(dict.fromkeys(t.strip().lower() for t in text.split(",") if t.strip()))
    if not topics or any(len(t) > 60 for t in topics):
        raise AnswerError("A few short topics separated by commas would be perfect, e.g. _cloud, hiring_.")
    return person.evolve(topics=topics[:10])


def _zone(person: Person, text: str) -> Person:
    if text.strip().lower() in SKIP_WORDS:
        return person
    zone = _HABITS.get(text.strip().lower()) or Zone.parse(text)
    if zone is None:
        raise AnswerError("Pick the option closest to you today: 1, 2, 3 or 4.")
    return person.evolve(zone=zone)


def _time(person: Person, text: str) -> Person:
    if text.strip().lower() in SKIP_WORDS:
        return person
    cap = _TIME.get(text.strip().lower())
    if cap is None:
        raise AnswerError("Pick one of the options (1–4); you can change it any time in settings.")
    return person.evolve(weekly_cap=cap)


_HABITS = {"1": Zone.CONSUMER, "2": Zone.SHARER, "3": Zone.CREATOR, "4": Zone.ENGAGED}
_TIME = {"1": 1, "2": 2, "3": 3, "4": 4}

QUESTIONS: tuple[Question, ...] = (
    Question(
        "networks",
        "Which networks do you use, or would like to use? Picking just one is perfect.",
        "Type one or two names, e.g. _LinkedIn, Mastodon_.",
        (("LinkedIn", "linkedin"), ("LinkedIn + X", "linkedin, x"), ("None yet", "none")),
        _networks,
    ),
    Question(
        "topics",
        "Which topics do you care about at work? I'll only suggest things around them.",
        "A few words separated by commas, e.g. _cloud security, hiring, sustainability_.",
        (("Skip for now", "skip"),),
        _topics,
    ),
    Question(
        "habits",
        "How do you use social media today? There's no wrong answer.",
        "Tap the closest, or type its number.",
        (
            ("Mostly reading", "1"),
            ("Liking and sharing", "2"),
            ("Writing my own posts", "3"),
            ("All of it, people ask me", "4"),
        ),
        _zone,
    ),
    Question(
        "time",
        "How much time would you like to give it? I'll nudge you accordingly, never more.",
        "Tap one; you can change it any time.",
        (("15 min a week", "1"), ("30 min a week", "2"), ("An hour a week", "3"), ("More than that", "4")),
        _time,
    ),
)
ONBOARDED = len(QUESTIONS) + 1
HABITS_STEP = 1 + next(i for i, q in enumerate(QUESTIONS) if q.field == "habits")


def pending_step(person: Person, step: int) -> int:
    """The first question from ``step`` on that is still worth asking.

    Someone already placed beyond the first zone (they said "I'm a sharer", or what they logged
    during the questions placed them) is not asked how they use social media. Consumer is also
    where everyone starts, so a person who said "I'm a consumer" before that question cannot be
    told apart and is asked it: "Mostly reading" is one tap.
    """
    if step == HABITS_STEP and person.zone > Zone.CONSUMER:
        step += 1
    return step


def zone_declared(person: Person) -> Person:
    """The person said where they are before or during the questions: onboarding goes on (or
    begins) without the habits question, which their words answered."""
    step = max(person.onboarding_step, 1)
    step = step + 1 if step == HABITS_STEP else pending_step(person, step)
    return person.evolve(onboarding_step=step)


def question_message(step: int) -> Message:
    """The message asking onboarding question ``step`` (1-based)."""
    q = QUESTIONS[step - 1]
    buttons = tuple(Button(label, Action.CHOOSE, value) for label, value in q.options)
    header = f"Question {step} of {len(QUESTIONS)}"
    return Message(
        blocks=(Header(header), Text(f"{q.prompt}\n{q.hint}"), Buttons(buttons)),
        fallback=f"{header}: {plain(q.prompt)}",
    )


def answer(person: Person, text: str) -> Person:
    """Apply an answer to the person's current question and move to the next one.

    Raises ``AnswerError`` (nothing changes) when the text cannot be understood.
    """
    q = QUESTIONS[person.onboarding_step - 1]
    by_label = {label.lower(): value for label, value in q.options}
    text = by_label.get(text.strip().lower(), text)
    answered = q.apply(person, text)
    return answered.evolve(onboarding_step=pending_step(answered, person.onboarding_step + 1))
