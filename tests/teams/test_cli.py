"""``journeybot teams package`` and ``journeybot people --unreachable``, run as the admin would."""

from __future__ import annotations

import asyncio
import json
import shutil
import struct
import tomllib
import zipfile
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from adapters.teams import app_package
from adapters.teams.app_package import manifest
from bot.main.cli import cli
from bot.store.database import Database
from bot.store.models import PersonRow
from bot.store.store import Store
from nudges.events import PersonRef

APP_ID = "0B070100-0000-4000-8000-00000000CAFE"
ROOT = Path(__file__).parents[2]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_template: Path) -> Path:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    database = tmp_path / "journeybot.db"
    shutil.copyfile(sqlite_template, database)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    return database


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_package_has_the_manifest_with_our_app_id_and_both_icons(env: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["teams", "package", "--output", str(tmp_path / "app.zip")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "app.zip") as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        assert _png_size(package.read("color.png")) == (192, 192)
        assert _png_size(package.read("outline.png")) == (32, 32)
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID.lower()
    assert "{{" not in json.dumps(manifest)
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team"}


def test_the_manifest_version_is_the_projects_version(monkeypatch: pytest.MonkeyPatch) -> None:
    assert manifest(APP_ID)["version"] == version("journeybot")
    # A release bump reaches the package without anyone editing manifest.json.
    monkeypatch.setattr(app_package, "version", lambda _name: "1.4.2")
    assert manifest(APP_ID)["version"] == "1.4.2"
    monkeypatch.setattr(app_package, "version", lambda _name: "1.5.0.dev1")
    with pytest.raises(ValueError, match=r"MAJOR\.MINOR\.PATCH"):
        manifest(APP_ID)


@pytest.mark.parametrize("field", ["privacyUrl", "termsOfUseUrl"])
def test_the_manifests_privacy_and_terms_links_name_files_that_exist(field: str) -> None:
    url = manifest(APP_ID)["developer"][field]
    prefix = manifest(APP_ID)["developer"]["websiteUrl"] + "/blob/main/"
    assert url.startswith(prefix)
    target = ROOT / url.removeprefix(prefix)
    assert target.is_file() and target.stat().st_size > 500


def test_the_license_file_is_the_apache_license_pyproject_names() -> None:
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"] == "Apache-2.0"
    assert "Apache License\n                           Version 2.0" in (ROOT / "LICENSE").read_text()


def test_packaging_without_an_app_id_says_what_to_set(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", "not-a-guid")
    result = CliRunner().invoke(cli, ["teams", "package"])
    assert result.exit_code != 0 and "GUID" in str(result.exception)


def test_people_without_an_address_are_reported_not_skipped(env: Path) -> None:
    async def seed() -> None:
        database = Database(f"sqlite:///{env}")
        store = Store(database)
        now = datetime(2026, 3, 2, tzinfo=UTC)
        await store.ensure_person(
            PersonRef("teams", "aad-1", email="ada@example.com", name="Ada"), '{"x":1}', now
        )
        await store.ensure_person(
            PersonRef("console", "bob@example.com", email="bob@example.com", name="Bob"), None, now
        )
        await database.dispose()

    asyncio.run(seed())
    result = CliRunner().invoke(cli, ["people", "--unreachable"])
    assert result.exit_code == 0, result.output
    assert "bob@example.com" in result.output and "no Slack or Teams address" in result.output
    assert "ada@example.com" not in result.output
    assert "1 of 2 people cannot be reached" in result.output
    everyone = CliRunner().invoke(cli, ["people"])
    assert "ada@example.com  Ada  teams" in everyone.output

    async def removed_the_app() -> None:
        database = Database(f"sqlite:///{env}")
        async with database.sessions.begin() as session:
            await session.execute(
                update(PersonRow).values(unreachable_at=datetime(2026, 3, 3, 9, tzinfo=UTC))
            )
        await database.dispose()

    asyncio.run(removed_the_app())
    result = CliRunner().invoke(cli, ["people", "--unreachable"])
    assert "ada@example.com  Ada  unreachable since 2026-03-03 09:00 UTC (teams)" in result.output


def test_the_package_never_writes_through_a_symlink_or_over_a_file_without_force(
    env: Path, tmp_path: Path
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("not yours to overwrite")
    link = tmp_path / "link.zip"
    link.symlink_to(precious)

    through = CliRunner().invoke(cli, ["teams", "package", "--output", str(link), "--force"])

    assert through.exit_code != 0 and "is a symbolic link" in str(through.exception)
    assert precious.read_text() == "not yours to overwrite" and link.is_symlink()
    existing = tmp_path / "app.zip"
    existing.write_text("an older package")
    again = CliRunner().invoke(cli, ["teams", "package", "--output", str(existing)])
    assert again.exit_code != 0 and "already exists; use --force" in str(again.exception)
    assert existing.read_text() == "an older package"
    forced = CliRunner().invoke(cli, ["teams", "package", "--output", str(existing), "--force"])
    assert forced.exit_code == 0, forced.output
    assert zipfile.is_zipfile(existing)
    assert (
        sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".journeybot")) == []
    )  # no leftovers
