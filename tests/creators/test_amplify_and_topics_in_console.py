"""Amplifying a colleague and topic requests in the console (the real CLI, piped input, its own
SQLite file), as the Slack and Teams tests do over HTTP: ``amplify LINK TITLE`` announces a new
piece to Sharers whose topics fit (never the author, never someone whose topics do not), and
``request TOPIC -- why`` asks Socially Engaged colleagues whose topics match. Bad input is answered
with what would work and stores nothing; ``request`` from someone without the marketing role is
refused kindly, and nobody is asked."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli_run import run


@pytest.fixture(autouse=True)
def migrated(tmp_path: Path, sqlite_template: Path) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "bot.db")  # the file DATABASE_URL names (cli_run)


def chat(tmp_path: Path, who: str, *lines: str) -> str:
    result = run(["chat", "--user", who], tmp_path, "\n".join([*lines, "quit"]) + "\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return " ".join(result.stdout.split())  # the console wraps long lines: compare words


def rows(tmp_path: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp_path / "bot.db") as db:
        return db.execute(query).fetchall()


def outbox(tmp_path: Path) -> list[tuple[str, str, str]]:
    """(email of the person it is for, key, message) of every outbox row."""
    return [
        (str(email), str(key), str(message))
        for email, key, message in rows(
            tmp_path,
            "SELECT people.email, deliveries.key, deliveries.message FROM deliveries "
            "JOIN people ON people.id = deliveries.person_id ORDER BY deliveries.id",
        )
    ]


def test_amplify_in_the_console_reaches_sharers_whose_topics_fit(tmp_path: Path) -> None:
    chat(tmp_path, "ada@example.com", "hi", "I'm a sharer", "set topics cloud, hiring")
    chat(tmp_path, "bo@example.com", "hi", "I'm a sharer", "set topics gardening")

    out = chat(tmp_path, "cara@example.com", "hi", "I'm a creator", "set topics cloud", "amplify")
    assert "To let colleagues amplify your piece, type amplify link title." in out
    out = chat(
        tmp_path,
        "cara@example.com",
        "amplify cara.example.com/cloud Cloud costs",
        "amplify https://cara.example.com/cloud",
        "amplify https://cara.example.com/cloud " + "x" * 151,
    )
    assert out.count("Nothing was sent yet. Please correct:") == 3
    assert "The link should be a web address starting with https://." in out
    assert "Title is needed." in out and "at most 150 fit here" in out
    assert rows(tmp_path, "SELECT count(*) FROM amplified_pieces") == [(0,)]
    assert outbox(tmp_path) == []  # bad input: nothing stored, nobody told

    out = chat(tmp_path, "cara@example.com", "amplify https://cara.example.com/cloud Cloud costs, honestly")
    assert "Announced. 1 colleague(s) whose topics fit will see it in their working hours" in out
    assert rows(tmp_path, "SELECT url, title FROM amplified_pieces") == [
        ("https://cara.example.com/cloud", "Cloud costs, honestly")
    ]
    ((email, key, message),) = outbox(tmp_path)  # Ada only: not Bo (gardening), not Cara herself
    assert email == "ada@example.com" and key.startswith("amplify:")
    said = json.dumps(json.loads(message), ensure_ascii=False)
    assert "https://cara.example.com/cloud" in said and "Cloud costs, honestly" in said and "Cara" in said


def test_a_topic_request_in_the_console_asks_engaged_colleagues_and_refuses_non_marketing(
    tmp_path: Path,
) -> None:
    chat(tmp_path, "eng@example.com", "hi", "I'm socially engaged", "set topics cloud costs, security")
    chat(tmp_path, "ada@example.com", "hi", "I'm a sharer", "set topics cloud costs")
    chat(tmp_path, "mia@example.com", "hi")

    out = chat(tmp_path, "ada@example.com", "request cloud costs -- what customers ask")
    assert "is for people with the marketing role" in out and "Ask your admin" in out
    assert rows(tmp_path, "SELECT count(*) FROM topic_requests") == [(0,)] and outbox(tmp_path) == []

    granted = run(["role", "grant", "mia@example.com", "marketing"], tmp_path)
    assert granted.returncode == 0, granted.stderr
    out = chat(tmp_path, "mia@example.com", "request", "request -- just the why", "request " + "t" * 500)
    assert "To ask for a piece, type request topic, and if you like -- and what would help" in out
    assert out.count("Nothing was sent yet. Please correct:") == 2 and "Topic is needed." in out
    assert rows(tmp_path, "SELECT count(*) FROM topic_requests") == [(0,)] and outbox(tmp_path) == []

    out = chat(tmp_path, "mia@example.com", "request cloud costs -- what customers ask before they buy")
    assert "Asked 1 Socially Engaged colleague(s) whose topics include cloud costs" in out
    assert rows(tmp_path, "SELECT topic, why FROM topic_requests") == [
        ("cloud costs", "what customers ask before they buy")
    ]
    ((email, key, message),) = outbox(tmp_path)  # the ambassador only; Ada is a Sharer
    assert email == "eng@example.com" and key.startswith("topic:")
    assert "what customers ask before they buy" in json.dumps(json.loads(message), ensure_ascii=False)

    out = chat(tmp_path, "mia@example.com", "request gardening")
    assert "Nobody Socially Engaged lists gardening among their topics yet" in out
    assert len(outbox(tmp_path)) == 1
