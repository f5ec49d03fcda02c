"""The utterance set (``utterances.txt``) against the real dialogue: nothing is logged unasked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from nudges.activities import Activity, ActivityKind
from nudges.events import Said
from nudges.messages import Action
from nudges.person import History
from tests.nudges.test_dialogue import NOW, Chat, onboarded_chat, text_of

FALLBACK = "I didn't quite catch that"


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
    assert {"nothing logged", "undo"} <= kinds
    for u in found:
        if u.expected.startswith("confirm "):
            ActivityKind(u.expected.removeprefix("confirm "))  # a real kind
        else:
            assert u.expected in ("nothing logged", "undo"), f"line {u.line}: {u.expected!r}"


@pytest.mark.parametrize("utterance", utterances(), ids=lambda u: f"{u.line}:{u.text}")
def test_utterance(start: Chat, utterance: Utterance) -> None:
    chat = Chat(start.person)
    logged = Activity(ActivityKind.SHARED, NOW, "shared something earlier")
    chat.history = History(activities=(logged,))
    outcome = chat.send(Said(utterance.text))
    said = "\n".join(text_of(m) for m in outcome.replies)
    confirmations = [b for m in outcome.replies for b in m.buttons if b.action == Action.NOTE_IT]
    assert outcome.activities == (), f"logged at once: {said}"
    if utterance.expected == "undo":
        assert outcome.removed is not None and outcome.removed.activity == logged, said
        assert not confirmations
    elif utterance.expected == "nothing logged":
        assert outcome.removed is None, said
        assert not confirmations, f"offered to note it: {said}"
        assert FALLBACK not in said, "a not-done sentence gets a fitting reply, not the fallback"
    else:
        kind = utterance.expected.removeprefix("confirm ")
        assert outcome.removed is None
        (button,) = confirmations
        assert button.value.partition("|")[0] == kind, said
        assert any(b.action == Action.DONT_NOTE for m in outcome.replies for b in m.buttons)
