"""Onboarding: four quick questions that place a person on the journey.

Each answer can be a button press or typed text. A person can skip any question ("skip") and can
always say where they are ("I'm a sharer"), before, during or after the questions.

Where a person stands is kept as what it means (``Person.pending_question``, the name of the
question waiting for an answer, and ``Person.onboarded_at``), never as a position: adding,
removing or reordering questions moves nobody to a different one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from nudges import words
from nudges.library import NETWORK_LABELS
from nudges.messages import Action, Button, Buttons, Header, Message, Text, literal, plain
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
    name: str  # stable: stored as ``Person.pending_question`` while the question waits
    prompt: str
    hint: str
    options: tuple[tuple[str, str], ...]  # (label, value) for one-tap answers
    apply: Callable[[Person, str], Person]


def _networks(person: Person, text: str) -> Person:
    if text.strip().lower() in SKIP_WORDS:
        return person
    try:
        found = words.networks(text)
    except words.UnknownNetworks:
        found = words.networks_in(text)  # "linkedin i guess", "mostly linkedin, some insta maybe"
    if not found:
        known = ", ".join(NETWORK_LABELS.values())
        raise AnswerError(f"I know these networks: {known}. Name one or two, separated by commas.")
    return person.evolve(networks=found)


def _topics(person: Person, text: str) -> Person:
    if text.strip().lower() in SKIP_WORDS:
        return person
    try:
        given = words.person_topics(words.without_hedges(text))
    except words.TopicTooLong:
        given = ()
    # A number is a tap meant for another question, a network an answer to the first one.
    topics = tuple(t for t in given if not _not_a_topic(t))
    if not topics:
        if given and all(words.network(t) for t in given):
            raise AnswerError(
                "That's a network, and I've noted your networks already. Topics are what you care "
                "about at work, e.g. _cloud, hiring, sustainability_ (or **skip**)."
            )
        if given:
            raise AnswerError(
                "A number doesn't tell me much here: which subjects interest you at work? e.g. "
                "_cloud, hiring_ (or **skip**)."
            )
        raise AnswerError("A few short topics separated by commas would be perfect, e.g. _cloud, hiring_.")
    return person.evolve(topics=topics)


def _not_a_topic(topic: str) -> bool:
    """A number ("2", "3."), a lone letter, or a network's name ("LinkedIn")."""
    bare = topic.strip(" .)#-")
    return not bare or bare.isdecimal() or len(bare) < 2 or words.network(bare) is not None


def _zone(person: Person, text: str) -> Person:
    if text.strip().lower() in SKIP_WORDS:
        return person
    zone = _HABITS.get(text.strip().lower()) or words.zone_in(text)
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
_BY_NAME = {q.name: q for q in QUESTIONS}
_POSITION = {q.name: i for i, q in enumerate(QUESTIONS)}
HABITS = "habits"


def current(person: Person) -> Question | None:
    """The question waiting for the person's answer; None before they start and once they finish.

    A name no question has any more (a question removed since it was asked) starts the questions
    over rather than leave the person stuck: every question can be skipped.
    """
    if person.onboarded or person.pending_question is None:
        return None
    return _BY_NAME.get(person.pending_question, QUESTIONS[0])


def number(question: Question) -> int:
    """The question's place, 1-based, as people are told it ("Question 2 of 4")."""
    return _POSITION[question.name] + 1


def _worth_asking(person: Person, question: Question) -> bool:
    """Someone already placed beyond the first zone (they said "I'm a sharer", or what they logged
    during the questions placed them) is not asked how they use social media. Consumer is also
    where everyone starts, so a person who said "I'm a consumer" before that question cannot be
    told apart and is asked it: "Mostly reading" is one tap."""
    return not (question.name == HABITS and person.zone > Zone.CONSUMER)


def _ask_from(person: Person, position: int, now: datetime) -> Person:
    """The person with the first question from ``position`` on that is still worth asking pending,
    or onboarded at ``now`` when none is left."""
    for question in QUESTIONS[position:]:
        if _worth_asking(person, question):
            return person.evolve(pending_question=question.name)
    return person.evolve(pending_question=None, onboarded_at=now)


def begin(person: Person, now: datetime) -> Person:
    """The person at the first question."""
    return _ask_from(person, 0, now)


def still_to_ask(person: Person) -> Question | None:
    """The pending question, or the first one after it still worth asking (what the person told
    meanwhile may have answered it); None if none is left or they are not in the questions."""
    question = current(person)
    if question is None:
        return None
    return next((q for q in QUESTIONS[_POSITION[question.name] :] if _worth_asking(person, q)), None)


def resume(person: Person, now: datetime) -> Person:
    """Mid-onboarding: the person with ``still_to_ask`` pending (onboarded if nothing is left)."""
    question = current(person)
    return person if question is None else _ask_from(person, _POSITION[question.name], now)


def zone_declared(person: Person, now: datetime) -> Person:
    """The person said where they are before or during the questions: onboarding goes on (or
    begins) without the habits question, which their words answered."""
    question = current(person)
    if question is None:
        return begin(person, now)
    position = _POSITION[question.name]
    return _ask_from(person, position + 1 if question.name == HABITS else position, now)


def questions_left(person: Person) -> int:
    """How many questions from the pending one to the last, the pending one included."""
    question = current(person)
    return 0 if question is None else len(QUESTIONS) - _POSITION[question.name]


def by_name(name: str) -> Question | None:
    return _BY_NAME.get(name)


def choice_value(question: Question, value: str) -> str:
    """A button's value, bound to its question: "<question name>|<option value>". A press is only
    ever an answer to the question it was shown with (a doubled or old press answers nothing else)."""
    return f"{question.name}|{value}"


def parse_choice(value: str) -> tuple[str | None, str]:
    """(the question's name, the option's value) of a button; no name for a button from before
    answers named their question."""
    name, bar, option = value.partition("|")
    return (name, option) if bar else (None, value)


def question_message(question: Question) -> Message:
    """The message asking ``question``."""
    buttons = tuple(
        Button(label, Action.CHOOSE, choice_value(question, value)) for label, value in question.options
    )
    header = f"Question {number(question)} of {len(QUESTIONS)}"
    return Message(
        blocks=(Header(header), Text(f"{question.prompt}\n{question.hint}"), Buttons(buttons)),
        fallback=f"{header}: {plain(question.prompt)}",
    )


def answered_message(question: Question, option: str | None = None) -> Message:
    """The question as it looks once answered: its buttons replaced by the answer (as nudges are)."""
    label = next((label for label, value in question.options if value == option), None)
    note = f"✓ {label}" if label else "✓ Answered"
    header = f"Question {number(question)} of {len(QUESTIONS)}"
    return Message(
        blocks=(Header(header), Text(question.prompt), Text(note)),
        fallback=f"{header}: {plain(question.prompt)} {note}",
    )


TIME_WORDS = {
    1: "about 15 minutes a week",
    2: "about 30 minutes a week",
    3: "about an hour a week",
    4: "more than an hour a week",
}


def recap(person: Person) -> str:
    """What the questions understood, in one line: "LinkedIn · cloud, hiring · about 30 minutes a week"."""
    networks = ", ".join(NETWORK_LABELS.get(n, n) for n in person.networks) or "no network chosen yet"
    topics = literal(", ".join(person.topics)) or "no topics yet"
    time = TIME_WORDS.get(person.weekly_cap, f"{person.weekly_cap} nudges a week at most")
    return f"{networks} · {topics} · {time}"


def answer(person: Person, text: str, now: datetime) -> Person:
    """Apply an answer to the person's pending question and move on to the next one worth asking,
    or finish onboarding at ``now`` after the last.

    Raises ``AnswerError`` (nothing changes) when the text cannot be understood.
    """
    question = current(person)
    if question is None:
        raise ValueError("answer() is for a person in the middle of the questions")
    by_label = {label.lower(): value for label, value in question.options}
    text = by_label.get(text.strip().lower(), text)
    answered = question.apply(person, text)
    return _ask_from(answered, _POSITION[question.name] + 1, now)
