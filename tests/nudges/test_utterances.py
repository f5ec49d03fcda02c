"""The utterance set (``utterances.txt``) against the real dialogue: nothing is logged unasked, and
everyday phrases (hi, thanks, leave me alone, why, what's next, pause for two weeks, timezone new
york, hours 9-5) get the answer they ask for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from nudges import views
from nudges.activities import Activity, ActivityKind
from nudges.dialogue import Outcome
from nudges.events import Said
from nudges.intents import Intent, understand
from nudges.messages import Action
from nudges.person import History
from tests.nudges.test_dialogue import NOW, Chat, onboarded_chat, text_of

FALLBACK = "fallback"  # the tag of the "I didn't follow" message
INTENTS = {f"intent {i.value}" for i in Intent}


@dataclass(frozen=True)
class Utterance:
    line: int
    text: str
    expected: str


def utterances() -> list[Utterance]:
    found = []
    path = Path(__file__).with_name("utterances.txt")
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        text, arrow, expected = raw.rpartition("=>")
        assert arrow, f"utterances.txt line {number}: no '=>'"
        found.append(Utterance(number, text.strip(), expected.strip()))
    return found


@pytest.fixture(scope="module")
def start() -> Chat:
    return onboarded_chat()


def test_the_set_is_large_and_well_formed() -> None:
    found = utterances()
    assert len(found) >= 290
    kinds = {u.expected for u in found}
    assert {"nothing logged", "undo", "fallback"} | INTENTS <= kinds
    for u in found:
        if u.expected.startswith("confirm "):
            ActivityKind(u.expected.removeprefix("confirm "))  # a real kind
        elif u.expected.startswith("paused "):
            _days_or_day(u.expected.removeprefix("paused "))
        elif not u.expected.startswith(("timezone ", "hours ", "did you mean ")):
            assert u.expected in {"nothing logged", "undo", "fallback", "not understood"} | INTENTS, (
                f"line {u.line}: {u.expected!r}"
            )


def _days_or_day(words: str) -> datetime:
    """ "7 days" → NOW + 7 days; "until 2026-03-09" → that day's start (the person is on UTC)."""
    if words.startswith("until "):
        day = datetime.fromisoformat(words.removeprefix("until "))
        return datetime.combine(day.date(), time(0), tzinfo=NOW.tzinfo)
    count, _, unit = words.partition(" ")
    assert unit in ("day", "days")
    return NOW + timedelta(days=int(count))


def said_by(outcome: Outcome) -> str:
    return "\n".join(text_of(m) for m in outcome.replies)


def check_intent(expected: str, text: str, outcome: Outcome) -> None:
    """The reply fits the intent the sentence asks for."""
    intent = Intent(expected.removeprefix("intent "))
    said = said_by(outcome)
    buttons = [b for m in outcome.replies for b in m.buttons]
    match intent:
        case Intent.GREETING:
            assert outcome.person.recent_lines[-1].startswith("greeting."), said
        case Intent.THANKS:
            assert outcome.person.recent_lines[-1].startswith("thanks."), said
        case Intent.PAUSE:
            assert [b.action for b in buttons] == [
                Action.TAKE_BREAK,
                Action.TAKE_BREAK,
                Action.STOP_NUDGES,
            ], said
            assert outcome.person.paused_until is None and not outcome.person.opted_out  # asked, not done
        case Intent.ABOUT:
            assert views.ABOUT.split("\n")[0] in said
        case Intent.NEXT:
            assert outcome.offers or "nothing new" in said, said
        case Intent.PROGRESS:
            assert "You're a " in said and any(b.action == Action.SHOW_JOURNEY for b in buttons), said
        case Intent.HELP:
            assert said.startswith("Here's what I understand"), said
        case Intent.JOURNEY:
            assert said.startswith("Your journey") or "📍" in said, said
        case Intent.SETTINGS:
            assert "Your settings" in said or any(b.action == Action.OPEN_SETTINGS for b in buttons), said
    if expected != "intent next":
        assert understand(text) == intent or text.lower().startswith(("help", "?")), text


@pytest.mark.parametrize("utterance", utterances(), ids=lambda u: f"{u.line}:{u.text}")
def test_utterance(start: Chat, utterance: Utterance) -> None:
    chat = Chat(start.person)
    logged = Activity(ActivityKind.SHARED, NOW, "shared something earlier")
    chat.history = History(activities=(logged,))
    outcome = chat.send(Said(utterance.text))
    said = "\n".join(text_of(m) for m in outcome.replies)
    confirmations = [b for m in outcome.replies for b in m.buttons if b.action == Action.NOTE_IT]
    assert outcome.activities == (), f"logged at once: {said}"
    if utterance.expected in INTENTS:
        assert outcome.removed is None and not confirmations, said
        check_intent(utterance.expected, utterance.text, outcome)
    elif utterance.expected == "fallback":
        assert not confirmations and any(FALLBACK in m.tags for m in outcome.replies), said
        assert len(outcome.replies[-1].buttons) == 3
    elif utterance.expected.startswith("paused "):
        assert outcome.person.paused_until == _days_or_day(utterance.expected.removeprefix("paused ")), said
    elif utterance.expected == "not understood":  # a clear "what would work", nothing changed
        assert outcome.person.paused_until is None and outcome.person.schedule == start.person.schedule, said
        assert "e.g." in said, said
    elif utterance.expected.startswith("timezone "):
        assert outcome.person.schedule.timezone == utterance.expected.removeprefix("timezone "), said
    elif utterance.expected.startswith("did you mean "):
        assert outcome.person.schedule.timezone == start.person.schedule.timezone
        assert "Did you mean" in said and utterance.expected.removeprefix("did you mean ") in said, said
    elif utterance.expected.startswith("hours "):
        schedule = outcome.person.schedule
        assert f"{schedule.work_start:%H:%M}-{schedule.work_end:%H:%M}" == utterance.expected.removeprefix(
            "hours "
        )
    elif utterance.expected == "undo":
        assert outcome.removed is not None and outcome.removed.activity == logged, said
        assert not confirmations
    elif utterance.expected == "nothing logged":
        assert outcome.removed is None, said
        assert not confirmations, f"offered to note it: {said}"
        assert not any(FALLBACK in m.tags for m in outcome.replies), (
            "a not-done sentence gets a fitting reply"
        )
    else:
        kind = utterance.expected.removeprefix("confirm ")
        assert outcome.removed is None
        (button,) = confirmations
        assert button.value.partition("|")[0] == kind, said
        assert any(b.action == Action.DONT_NOTE for m in outcome.replies for b in m.buttons)
