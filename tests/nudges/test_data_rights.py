"""How people ask about their own data, and what they are told. Pure: no database, no platform."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from nudges.data_rights import (
    CHUNK,
    EXPORT_TAG,
    DataRequest,
    data_request,
    erase_question,
    erased,
    export_messages,
    facts,
)
from nudges.messages import Action, Quote

SHOW = ["my data", "My data?", "what do you know about me", "What data do you have on me?", "show me my data",
        "show my data please", "see everything you have about me", "what do you store about me"]  # fmt: skip
EXPORT = ["export my data", "Export my data.", "please export my data", "can you export my data please",
          "download my data", "download all my data", "send me my data", "give me my data", "get my data",
          "export", "data export", "export everything you know about me"]  # fmt: skip
ERASE = ["delete my data", "DELETE MY DATA", "please delete my data", "erase my data", "forget me",
         "Forget about me!", "delete me", "remove my account", "wipe my data", "delete all my data",
         "erase everything you have about me", "I want to delete my data", "could you delete my data"]  # fmt: skip
NEITHER = ["delete my last log", "forget it", "delete", "undo", "stop", "show me", "get me", "data",
           "I shared my data article", "log shared an article about my data", "delete that post",
           "what do you know", "export the report", "my journey"]  # fmt: skip


@pytest.mark.parametrize(("said", "wanted"), [*((s, DataRequest.SHOW) for s in SHOW),
    *((s, DataRequest.EXPORT) for s in EXPORT), *((s, DataRequest.ERASE) for s in ERASE),
    *((s, None) for s in NEITHER)])  # fmt: skip
def test_requests_are_recognised_and_nothing_else_is(said: str, wanted: DataRequest | None) -> None:
    assert data_request(said) == wanted


def test_no_utterance_of_the_journey_is_taken_for_a_data_request() -> None:
    lines = Path(__file__).with_name("utterances.txt").read_text(encoding="utf-8").splitlines()
    said = [line.split("=>")[0].strip() for line in lines if "=>" in line and not line.startswith("#")]
    assert said and [s for s in said if data_request(s) is not None] == []


def test_the_export_is_the_json_whole_in_blocks_each_platform_can_show() -> None:
    data = {
        "person": {"email": "ana@example.com", "note": "x" * 7000},
        "activities": [{"n": i} for i in range(400)],
    }
    text = json.dumps(data, indent=2)

    note, *parts = export_messages(text)

    assert "**.json**" in note.blocks[0].text  # type: ignore[union-attr]
    assert all(EXPORT_TAG in m.tags for m in parts) and len(parts) > 1
    blocks = [b for m in parts for b in m.blocks if isinstance(b, Quote)]
    assert all(len(b.text) <= CHUNK for b in blocks)
    assert json.loads("".join(b.text for b in blocks)) == data
    assert f"{len(parts)} messages" in note.fallback


def test_erasing_is_asked_once_with_a_kind_final_word() -> None:
    question = erase_question()
    assert [b.action for b in question.buttons] == [Action.DATA_ERASE, Action.DATA_KEEP]
    assert "final" in question.blocks[0].text and "export my data" in question.blocks[0].text  # type: ignore[union-attr]
    goodbyes = {erased(random.Random(seed)).fallback for seed in range(20)}
    assert len(goodbyes) > 1  # varied
    assert all("for good" in g or "can't be brought back" in g for g in goodbyes)  # and honest: final


def test_the_overview_shows_names_as_typed_never_as_markup() -> None:
    data = {"person": {"name": "**Ana** [x](http://e.vil)", "email": "ana@example.com", "zone": 2,
                       "networks": ["linkedin"], "topics": [], "work_start": "09:30", "work_end": "16:30",
                       "timezone": "Europe/Lisbon", "weekly_cap": 2, "opted_out": False},
            "activities": [{}, {}], "offers": [{"answer": "done"}, {}], "identities": [{"platform": "slack"}]}  # fmt: skip
    shown = dict(facts(data))
    assert shown["Name"] != "**Ana** [x](http://e.vil)" and "Ana" in shown["Name"]
    assert shown["Things you logged"] == "2" and shown["Suggestions I made"] == "2 (1 answered)"
    assert shown["Where I reach you"] == "slack" and "Sharer" in shown["Zone"]
