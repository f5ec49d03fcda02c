"""The Teams app package an admin uploads: manifest.json (our app id and version filled in) and the
two icons.

Also ``journeybot teams package``. Nothing here imports the Agents SDK, so packaging works on a
machine that only has the CLI.
"""

from __future__ import annotations

import json
import re
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.settings import Settings

HERE = Path(__file__).parent
PLACEHOLDER = "{{TEAMS_APP_ID}}"
VERSION_PLACEHOLDER = "{{VERSION}}"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")  # the manifest schema's

teams_cli = typer.Typer(help="Microsoft Teams.", no_args_is_help=True)


def manifest(app_id: str) -> dict[str, Any]:
    """The manifest with ``app_id`` as both the Teams app id and the bot id (one registration), and
    the project's version: Teams asks for a higher version each time an app is updated."""
    if not _GUID.match(app_id):
        raise ValueError(f"TEAMS_APP_ID must be the bot's Microsoft App ID (a GUID), not '{app_id}'")
    release = version("journeybot")
    if not _SEMVER.match(release):
        raise ValueError(f"a Teams app version is MAJOR.MINOR.PATCH; the project's version is '{release}'")
    text = (HERE / "manifest.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(
        text.replace(PLACEHOLDER, app_id.lower()).replace(VERSION_PLACEHOLDER, release)
    )
    return data


def write_package(app_id: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as package:
        # Teams wants the files at the root of the zip, not inside a folder.
        package.writestr("manifest.json", json.dumps(manifest(app_id), indent=2, ensure_ascii=False))
        for icon in ICONS:
            package.write(HERE / icon, icon)
    return target


@teams_cli.command("package")
def package(
    output: Annotated[Path, typer.Option(help="Where to write the zip.")] = Path("journeybot-teams.zip"),
) -> None:
    """Write the app package (manifest + icons) to upload in Teams admin center or Teams itself."""
    app_id = Settings().teams_app_id
    if not app_id:
        raise ValueError("set TEAMS_APP_ID (the bot's Microsoft App ID) to build the Teams app package")
    write_package(app_id, output)
    print(f"Teams app package written to {output}. Upload it in Teams: Apps > Manage your apps > Upload.")
