"""The Teams app package an admin uploads: manifest.json (our app id and version filled in) and the
two icons.

Also ``journeybot teams package``. Nothing here imports the Agents SDK, so packaging works on a
machine that only has the CLI.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer

from bot.settings import Settings

HERE = Path(__file__).parent
PLACEHOLDER = "{{TEAMS_APP_ID}}"
VERSION_PLACEHOLDER = "{{VERSION}}"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")  # the manifest schema's

teams_cli = typer.Typer(help="Microsoft Teams.", no_args_is_help=True)


def manifest(app_id: str) -> dict:
    """The manifest with ``app_id`` as both the Teams app id and the bot id (one registration), and
    the project's version: Teams asks for a higher version each time an app is updated."""
    if not _GUID.match(app_id):
        raise ValueError(f"TEAMS_APP_ID must be the bot's Microsoft App ID (a GUID), not '{app_id}'")
    release = version("journeybot")
    if not _SEMVER.match(release):
        raise ValueError(f"a Teams app version is MAJOR.MINOR.PATCH; the project's version is '{release}'")
    text = (HERE / "manifest.json").read_text(encoding="utf-8")
    return json.loads(text.replace(PLACEHOLDER, app_id.lower()).replace(VERSION_PLACEHOLDER, release))


def write_package(app_id: str, target: Path, *, force: bool = False) -> Path:
    """Write the zip at ``target``: never through a symbolic link (it could point anywhere, a file
    the admin never meant to touch), and over an existing file only with ``force``.

    The zip is written to a temporary file beside ``target`` and then renamed onto it: a rename
    replaces a link that appeared meanwhile instead of following it, and a failed write leaves
    nothing half-written behind."""
    if target.is_symlink():
        raise ValueError(f"{target} is a symbolic link; give the path of a regular file to write")
    if target.exists() and not force:
        raise ValueError(f"{target} already exists; use --force to replace it")
    if target.exists() and not target.is_file():
        raise ValueError(f"{target} is not a regular file")
    content = manifest(app_id)  # a wrong app id stops here, before anything is written
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".journeybot-teams-", suffix=".zip", dir=target.parent)
    try:
        with (
            os.fdopen(handle, "wb") as file,
            zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as package,
        ):
            # Teams wants the files at the root of the zip, not inside a folder.
            package.writestr("manifest.json", json.dumps(content, indent=2, ensure_ascii=False))
            for icon in ICONS:
                package.write(HERE / icon, icon)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the package is not a secret
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


@teams_cli.command("package")
def package(
    output: Annotated[Path, typer.Option(help="Where to write the zip.")] = Path("journeybot-teams.zip"),
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write the app package (manifest + icons) to upload in Teams admin center or Teams itself."""
    app_id = Settings().teams_app_id
    if not app_id:
        raise ValueError("set TEAMS_APP_ID (the bot's Microsoft App ID) to build the Teams app package")
    write_package(app_id, output, force=force)
    print(f"Teams app package written to {output}. Upload it in Teams: Apps > Manage your apps > Upload.")
