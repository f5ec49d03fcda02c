"""The console adapter end to end: the real CLI, piped standard input, a SQLite file of its own.

The command line runs in this process (``tests/cli_run.py``) on a copy of the migrated template;
``test_console_process.py`` starts the installed ``journeybot`` for what only a real process shows
(the automatic upgrade of a new database, logging at the default level, ``make run``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli_run import run

# "I shared an article" asks before it notes anything; "1" is its [Yes, note it].
ONBOARDING = [
    "hello",
    "1",
    "cloud, hiring",
    "1",
    "2",
    "journey",
    "next",
    "1",
    "I shared an article",
    "1",
    "quit",
]


@pytest.fixture(autouse=True)
def migrated(tmp_path: Path, sqlite_template: Path) -> None:
    """The file every command here opens, already migrated (``run`` points DATABASE_URL at it)."""
    shutil.copyfile(sqlite_template, tmp_path / "bot.db")


def test_a_newcomer_is_onboarded_gets_a_nudge_logs_and_is_celebrated(tmp_path: Path) -> None:
    result = run(["chat", "--user", "ana@example.com"], tmp_path, "\n".join(ONBOARDING) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Welcome to your journey" in out
    assert "Question 4 of 4" in out
    assert "You're a Content Consumer" in out
    assert "📍 Content Consumer" in out
    assert "[1] Done" in out or "[1] I shared it" in out
    assert "✅" in out or "you liked or shared something" in out.lower()
    assert "Your first share!" in out
    assert out.rstrip().endswith("Bye for now! I'm here whenever you want me.")
    assert "Traceback" not in result.stderr


def test_the_journey_is_kept_between_sessions_and_end_of_input_exits_zero(tmp_path: Path) -> None:
    run(["chat", "--user", "bo@example.com"], tmp_path, "hi\nskip\nskip\n3\n1\n")
    again = run(["chat", "--user", "bo@example.com"], tmp_path, "journey\n")
    assert again.returncode == 0
    assert "Welcome to your journey" not in again.stdout
    assert "📍 Content Creator" in again.stdout


def test_declaring_a_zone_first_moves_the_person_and_the_questions_go_on(tmp_path: Path) -> None:
    result = run(
        ["chat", "--user", "bo@example.com"], tmp_path, "I'm a sharer\nlinkedin\ncloud\n2\njourney\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Hi Bo!") == 1
    assert "Question 3 of 4" not in result.stdout  # "how do you use it today?" was answered
    assert "📍 Content Sharer" in result.stdout


def test_the_map_mid_onboarding_continues_the_questions_and_next_is_no_topic(tmp_path: Path) -> None:
    result = run(["chat", "--user", "cy@example.com"], tmp_path, "hi\n1\njourney\n1\nnext\nsettings\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] Continue the questions" in out and "[1] Next step" not in out
    assert out.count("Hi Cy!") == 1  # the welcome said hello; "hi" is not answered with another
    settings = out[out.rindex("Your settings") :]
    assert "Topics           not chosen yet" in settings
    assert "Question 2 of 4" in out[out.rindex("Your settings") :]  # and the question comes back


def test_help_works_before_onboarding(tmp_path: Path) -> None:
    result = run(["chat"], tmp_path, "help\n")
    assert result.returncode == 0
    assert "one small next step" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chat", "--user", "not-an-email"], "--user takes an email address"),
        (["tick", "--at", "yesterday"], "--at wants an ISO-8601 instant"),
        (["roster", "import", "missing.csv"], "missing.csv"),
        (["nosuch"], "No such command 'nosuch'"),
        (["roster", "import"], "Missing argument"),
        (["tick", "--bogus"], "No such option: --bogus"),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(args, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_help_still_works_with_usage_errors_made_one_line(tmp_path: Path) -> None:
    for args in (["--help"], ["roster", "import", "--help"]):
        result = run(args, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Usage" in result.stdout
    alone = run(["db"], tmp_path)  # a group without its command shows what it offers
    assert "upgrade" in alone.stderr + alone.stdout


def test_a_bad_database_url_is_one_clear_line(tmp_path: Path) -> None:
    result = run(["content", "list"], tmp_path, DATABASE_URL="nosuchdb://x")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error:")


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)
    for command in ("run", "serve", "chat", "tick", "db", "roster", "content"):
        assert command in result.stdout


def test_tick_delivers_to_the_console_inside_the_working_window(tmp_path: Path) -> None:
    run(
        ["chat", "--user", "cy@example.com"],
        tmp_path,
        "hi\nlinkedin\ncloud\n2\n2\nset timezone Europe/Berlin\n",
    )
    # Time only moves forward: each tick stores when the person is next due (people.next_due_at).
    saturday = run(["tick", "--at", "2026-02-28T10:00:00Z"], tmp_path)
    assert saturday.returncode == 0, saturday.stderr
    assert "0 nudge(s)" in saturday.stdout
    # 16:29 in Berlin: whatever minute of the window the person's nudge is spread to has come.
    tuesday = run(["tick", "--at", "2026-03-03T15:29:00Z"], tmp_path)
    assert "→ cy@example.com" in tuesday.stdout
    assert "1 nudge(s)" in tuesday.stdout


def test_why_this_is_a_numbered_choice_on_a_nudge_and_explains_it(tmp_path: Path) -> None:
    turns = ["hello", "1", "cloud, hiring", "2", "1", "next", "why", "basics", "quit"]
    result = run(["chat", "--user", "ana@example.com"], tmp_path, "\n".join(turns) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Why this?" in out  # the nudge's numbered choices include it
    assert "Why this, why now" in out and "Your zone" in out and "Content Sharer" in out
    assert "15 minutes a week" in out and "set topics" in out
    assert "Traceback" not in result.stderr


def test_a_sentence_is_noted_after_a_numbered_yes_and_a_negation_never(tmp_path: Path) -> None:
    turns = [
        "hi",
        "1",
        "cloud",
        "1",
        "2",
        "no, I didn't share it",
        "I shared an article",
        "1",
        "undo",
        "quit",
    ]
    result = run(["chat", "--user", "ana@example.com"], tmp_path, "\n".join(turns) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] Yes, note it" in out and "[2] No" in out
    before, _, after = out.partition("[1] Yes, note it")
    assert "Logged" not in before and "Your first share!" not in before  # nothing from the negation
    assert "Logged" not in before and "noted ✓" in after and "Your first share!" in after
    assert "removed" in after
