"""The copy-editing path in the console (the real CLI, piped input, its own SQLite file): a creator
sends a draft with ``edit``, an editor finds it with ``edits``, claims it and sends suggestions with
``suggest``, and the author accepts them from ``edits``. A draft too long is refused, nothing kept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.cli_run import run


@pytest.fixture(autouse=True)
def migrated(tmp_path: Path, sqlite_template: Path) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "bot.store")


def chat(tmp_path: Path, who: str, *lines: str) -> str:
    result = run(["chat", "--user", who], tmp_path, "\n".join([*lines, "quit"]) + "\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def test_a_draft_goes_from_a_creator_to_an_editor_and_back_in_the_console(tmp_path: Path) -> None:
    chat(tmp_path, "eve@example.com", "hi")
    assert run(["role", "grant", "eve@example.com", "editor"], tmp_path).returncode == 0

    out = chat(tmp_path, "ann@example.com", "edit", "edit " + "x" * 8001, "edit Their is a typo hear.")
    assert "type **edit** followed by your draft" in out or "type edit followed by your draft" in out
    assert "Nothing was sent yet" in out and "at most 8,000 fit" in out
    assert "on its way to the copy editors (1 of them" in out and "voice" in out

    out = chat(tmp_path, "eve@example.com", "edits", "1", "1")
    assert "Waiting for an editor" in out and "Yours to copy-edit" in out and "Their is a typo hear." in out
    request_id = re.search(r"suggest (e[0-9a-f]{8})", out)
    assert request_id is not None, out
    out = chat(tmp_path, "eve@example.com", f"suggest {request_id.group(1)} There is a typo here.")
    assert "Sent. Thank you" in out

    out = chat(tmp_path, "ann@example.com", "edits", "1", "edits")
    assert "Suggestions for your draft" in out and "There is a typo here." in out
    assert "Accepted" in out and "Nothing is waiting for you" in out
    # Ann is no editor: the queue is not hers to claim from.
    assert "Waiting for an editor" not in out
