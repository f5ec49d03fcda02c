"""The ``journeybot`` command line.

Errors are one clear line on standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from typer._click.exceptions import NoArgsIsHelpError  # typer is pinned; no public name

from adapters.teams.app_package import teams_cli
from bot.main.admin_cli import audit, role_cli, secrets_cli
from bot.main.build import App
from bot.main.runs import run_with_app, run_worker, tick_once
from bot.settings import Settings, check_configuration

T = TypeVar("T")

cli = typer.Typer(
    help="journeybot: a gentle guide from reading social media to leading conversations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
roster_cli = typer.Typer(help="The people the bot knows.", no_args_is_help=True)
content_cli = typer.Typer(help="Suggested shares from marketing.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(roster_cli, name="roster")
cli.add_typer(content_cli, name="content")
calendar_cli = typer.Typer(
    help="The organisation's holidays: no proactive nudges on them.", no_args_is_help=True
)
cli.add_typer(calendar_cli, name="calendar")
org_cli = typer.Typer(help="Organisation-wide defaults: working window and weekly cap.", no_args_is_help=True)
cli.add_typer(org_cli, name="org")
cli.add_typer(teams_cli, name="teams")
cli.add_typer(secrets_cli, name="secrets")
cli.add_typer(role_cli, name="role")
cli.command()(audit)
digest_cli = typer.Typer(
    help="The managers' weekly team digest: show it, or choose which channels get it.",
    invoke_without_command=True,
)
cli.add_typer(digest_cli, name="digest")


class UserError(Exception):
    """A problem the person running the command can fix; printed as one line."""


def _with_app(work: Callable[[App], Awaitable[T]]) -> T:
    return asyncio.run(run_with_app(Settings(), work))


@cli.command()
def run() -> None:
    """Start the bot: Slack/Teams when configured, otherwise the console chat on SQLite."""
    settings = Settings()
    check_configuration(settings)  # a half-configured platform stops here, not in the console chat
    if settings.any_platform:
        from bot.main.server import serve_forever

        asyncio.run(serve_forever(settings))
    else:
        print("No Slack or Teams credentials set: starting the console chat (Ctrl-D or 'quit' to leave).")
        chat(user=None)


@cli.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on (default HOST or 0.0.0.0).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default PORT or 3000).")] = None,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="Web endpoints only; run `journeybot worker` apart.")
    ] = False,
) -> None:
    """Serve the configured platforms (Slack, Teams) plus /healthz and /metrics over HTTP."""
    from bot.main.server import serve_forever

    asyncio.run(serve_forever(Settings(), host, port, scheduler=not no_scheduler))


@cli.command()
def worker() -> None:
    """The scheduler and delivery only (no web endpoints): scale it apart from `serve --no-scheduler`."""
    settings = Settings()
    check_configuration(settings)  # a half-configured platform stops here, as it stops `serve`
    asyncio.run(run_worker(settings))


@cli.command()
def turns(
    nice: Annotated[
        int, typer.Option(help="Lower this process's CPU priority by this much (os.nice), for acks' sake.")
    ] = 0,
    parent: Annotated[
        int | None,
        typer.Option(hidden=True, help="Stop when this process (the server that started it) is gone."),
    ] = None,
) -> None:
    """Answer the Slack/Teams events that `serve` took in under TURNS=worker (run one or more)."""
    from bot.main.server import run_turns

    settings = Settings()
    check_configuration(settings)
    if nice:
        os.nice(nice)  # on the serving machine: the acks (latency) before the turns (throughput)
    asyncio.run(run_turns(settings, parent=parent))


@cli.command()
def chat(
    user: Annotated[str | None, typer.Option(help="Chat as this email (e.g. one from the roster).")] = None,
) -> None:
    """Chat with the bot in this terminal (also reads piped input, one line per turn)."""
    from adapters.console.chat import ConsoleChat
    from nudges.events import PersonRef

    local = getpass.getuser()
    email = (user or f"{local}@localhost").strip().lower()
    if "@" not in email:
        raise UserError(f"--user takes an email address, not '{user}'")
    who = PersonRef(
        "console", email, email=email, name=email.split("@")[0].capitalize(), timezone=_local_zone()
    )
    _with_app(lambda app: ConsoleChat(app.adapter_deps, who).run())


def _local_zone() -> str:
    try:
        from tzlocal import get_localzone_name

        return get_localzone_name() or "UTC"
    except Exception:  # the machine's zone is a convenience; UTC is a fine answer
        return "UTC"


@cli.command()
def tick(
    at: Annotated[str | None, typer.Option(help="The instant to plan for, ISO-8601 (default: now).")] = None,
    plan_only: Annotated[
        bool, typer.Option("--plan-only", help="Write the outbox rows; send nothing.")
    ] = False,
) -> None:
    """One scheduler pass: plan due people's nudges into the outbox, then deliver them."""
    instant = _instant(at)
    report = asyncio.run(tick_once(Settings(), instant, plan_only=plan_only, fixed=at is not None))
    print(f"{report.planned} nudge(s) planned for {report.looked_at} due at {instant:%Y-%m-%d %H:%M} UTC")
    if report.erased:
        print(f"{report.erased} leaver(s) erased: their retention (RETENTION_DAYS) had run out")
    if report.digests is not None and (report.digests.planned or report.digests.failed):
        failed = (
            f" ({report.digests.failed} could not be planned, see the log)" if report.digests.failed else ""
        )
        print(f"{report.digests.planned} team digest(s) planned{failed}")
    if report.delivered is not None:
        print(f"delivery: {report.delivered}")


@cli.command()
def outbox() -> None:
    """The delivery outbox: pending, sent, failed and dead rows, and the latest problems."""
    from bot.delivery.admin import outbox_lines

    print("\n".join(_with_app(lambda app: outbox_lines(app.db))))


@cli.command("auto-enrol")
def auto_enrol(
    teams: Annotated[list[str], typer.Argument(help="Team names as in the roster.")],
    off: Annotated[bool, typer.Option("--off", help="Stop auto-enrolling these teams.")] = False,
) -> None:
    """Nudge these teams' people without them starting first (after their introduction)."""
    from bot.delivery.admin import set_auto_enrol

    updated = _with_app(lambda app: set_auto_enrol(app.db, app.store, teams, not off))
    print(f"Auto-enrolled teams: {', '.join(updated) or 'none'}")


def _instant(at: str | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    try:
        instant = datetime.fromisoformat(at)
    except ValueError as error:
        raise UserError(f"--at wants an ISO-8601 instant like 2026-03-02T10:15:00Z, not '{at}'") from error
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


@cli.command()
def simulate(
    persona: Annotated[str, typer.Option(help="eager, steady, hesitant, silent or creator.")],
    weeks: Annotated[int, typer.Option(min=1, max=104, help="How many weeks to simulate.")] = 26,
    start: Annotated[
        str | None, typer.Option(help="When the person starts, ISO 8601 (default: next Monday 08:00 UTC).")
    ] = None,
    seed: Annotated[int, typer.Option(help="The engine's random seed: the same seed, the same run.")] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of the table.")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option(help="Also draw zone and nudges per week into this SVG file.")
    ] = None,
) -> None:
    """Run one simulated person through the real engine and planner on a throwaway database."""
    import json

    from bot.main.simulate import simulate as run_simulation
    from bot.simulation.personas import PERSONAS
    from bot.simulation.report import summary, svg, table

    chosen = PERSONAS.get(persona.strip().lower())
    if chosen is None:
        raise UserError(f"unknown persona {persona!r}: choose one of {', '.join(PERSONAS)}")
    journey = asyncio.run(run_simulation(chosen, weeks, _start_of_simulation(start), seed))
    print(json.dumps(summary(journey)) if as_json else table(journey))
    if plot is not None:
        plot.write_text(svg(journey), encoding="utf-8")


def _start_of_simulation(at: str | None) -> datetime:
    if at is None:
        today = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
        return today + timedelta(days=7 - today.weekday())
    try:
        instant = datetime.fromisoformat(at)
    except ValueError:
        raise UserError(
            f"--start {at!r} is not an ISO 8601 date or time, e.g. 2027-01-04 or 2027-01-04T08:00Z"
        ) from None
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


@digest_cli.callback()
def digest(
    ctx: typer.Context,
    team: Annotated[str | None, typer.Option(help="The team, as in the roster.")] = None,
    at: Annotated[
        str | None, typer.Option(help="The end of the week to show, ISO-8601 (default: now).")
    ] = None,
    print_it: Annotated[
        bool, typer.Option("--print", help="Write the digest to standard output as plain text; send nothing.")
    ] = False,
) -> None:
    """The digest of --team for the week ending --at: printed (--print), or queued for its channels."""
    if ctx.invoked_subcommand is not None:
        return
    if not team:
        raise UserError("journeybot digest needs --team (see 'journeybot digest --help')")
    from bot.main.digest_cli import DigestError, show

    instant = _instant(at)
    try:
        print(_with_app(lambda app: show(app, team, instant, print_it)))
    except DigestError as error:
        raise UserError(str(error)) from error


_SLACK_CHANNEL = typer.Option(help="A Slack channel id (C…).")
_TEAMS_CONVERSATION = typer.Option(help="A Teams channel's conversation id (19:…@thread.tacv2).")


@digest_cli.command("subscribe")
def digest_subscribe(
    team: Annotated[str, typer.Option(help="The team, as in the roster.")],
    slack_channel: Annotated[str | None, _SLACK_CHANNEL] = None,
    slack_workspace: Annotated[
        str | None, typer.Option(help="The Slack workspace (team) id; default: the one people are in.")
    ] = None,
    teams_conversation: Annotated[str | None, _TEAMS_CONVERSATION] = None,
    day: Annotated[str, typer.Option(help="The weekday it goes out.")] = "monday",
    time: Annotated[str, typer.Option(help="The local time it goes out, HH:MM.")] = "09:30",
    timezone: Annotated[
        str | None, typer.Option(help="IANA time zone; default: where most of the team is.")
    ] = None,
) -> None:
    """Send --team's weekly digest to a Slack or Teams channel."""
    from bot.main.digest_cli import DigestError, place_of, subscribe

    async def work(app: App) -> str:
        place = await place_of(app, slack_channel, slack_workspace, teams_conversation)
        subscription = await subscribe(app, team, place, day, time, timezone)
        return f"{subscription.channel} gets {subscription.team}'s digest on {subscription.when}."

    try:
        print(_with_app(work))
    except DigestError as error:
        raise UserError(str(error)) from error


@digest_cli.command("unsubscribe")
def digest_unsubscribe(
    slack_channel: Annotated[str | None, _SLACK_CHANNEL] = None,
    slack_workspace: Annotated[str | None, typer.Option(help="The Slack workspace (team) id.")] = None,
    teams_conversation: Annotated[str | None, _TEAMS_CONVERSATION] = None,
    team: Annotated[str | None, typer.Option(help="Ignored; accepted for symmetry with subscribe.")] = None,
) -> None:
    """Stop the digest in a channel."""
    from bot.main.digest_cli import DigestError, place_of, unsubscribe

    async def work(app: App) -> str:
        place = await place_of(app, slack_channel, slack_workspace, teams_conversation)
        gone = await unsubscribe(app, place)
        return (
            f"{place[2]} gets no digest any more." if gone else f"{place[2]} got no digest; nothing changed."
        )

    try:
        print(_with_app(work))
    except DigestError as error:
        raise UserError(str(error)) from error


@digest_cli.command("list")
def digest_list() -> None:
    """Every channel that gets a digest: team, platform, channel, when."""
    from bot.main.digest_cli import listing

    print("\n".join(_with_app(listing)))


@cli.command()
def recognition(
    since: Annotated[str, typer.Option(help="The start of the review period, e.g. 2026-01-01.")],
    until: Annotated[str | None, typer.Option(help="Its end, ISO-8601 (default: now).")] = None,
) -> None:
    """The three people with the most real impact since --since, among those who opted into public
    celebration, with the evidence (seed 004's six-monthly reward)."""
    from bot.digests.recognition import lines, top_impact

    try:
        start, end = _instant(since), _instant(until)
    except UserError:
        raise UserError(
            f"--since and --until want dates like 2026-01-01, not '{since}' / '{until}'"
        ) from None
    if start >= end:
        raise UserError("--since must be before --until (or now)")
    print("\n".join(lines(_with_app(lambda app: top_impact(app.db, start, end)), start)))


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply all database migrations."""
    from bot.store.migrate import upgrade

    settings = Settings()
    asyncio.run(upgrade(settings.database_url))
    print("Database is up to date.")


@roster_cli.command("import")
def roster_import(
    file: Annotated[Path, typer.Argument(help="CSV: email,name,timezone,team,manager_email,roles,…")],
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="The file is the whole organisation: people it does not list get no more nudges "
            "and are erased after RETENTION_DAYS.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; change nothing.")
    ] = False,
) -> None:
    """Import or update people from a CSV file (all or nothing)."""
    from bot.importers.roster import import_roster
    from bot.main.admin_cli import ProgressBar

    settings = Settings()
    with ProgressBar("Importing the roster") as bar:
        result = _with_app(
            lambda app: import_roster(app.store, file, bar.start, full=full, dry_run=dry_run, now=app.clock())
        )
    verb = "would be imported" if dry_run else "imported"
    print(f"Roster {verb}: {result.created} new, {result.updated} updated, {result.unchanged} unchanged.")
    if result.returned:
        print(f"{result.returned} who had left {'would be' if dry_run else 'are'} back: their data is kept.")
    if full:
        print(_leaving_line(result.leaving, result.still_left, settings.retention_days, dry_run))
    if dry_run:
        print("Dry run: nothing was changed.")


def _leaving_line(leaving: tuple[str, ...], still_left: int, retention_days: int, dry_run: bool) -> str:
    """The one line a full import prints about the people it no longer lists."""
    earlier = f" ({still_left} who left earlier are still waiting for their erasure)" if still_left else ""
    if not leaving:
        return f"Nobody is leaving: everyone the bot knows is in the file{earlier}."
    shown = ", ".join(leaving[:10]) + (f" and {len(leaving) - 10} more" if len(leaving) > 10 else "")
    when = (datetime.now(UTC) + timedelta(days=retention_days)).date()
    verb = "would get" if dry_run else "get"
    return (
        f"Leaving: {len(leaving)} not in the file {verb} no more nudges from now on and "
        f"{'would be' if dry_run else 'are'} erased on {when} (RETENTION_DAYS={retention_days}): {shown}{earlier}."
    )


@content_cli.command("import")
def content_import(
    file: Annotated[Path, typer.Argument(help="YAML: a list of items, or a mapping with an 'items' list")],
) -> None:
    """Import or update suggested shares from a YAML file (all or nothing)."""
    from bot.content.rules import content_rules
    from bot.importers.content import Imported, import_content

    async def work(app: App) -> Imported:
        rules = await content_rules(app.db, app.settings)
        return await import_content(app.store, file, app.clock(), rules, created_by="cli")

    print(f"Content imported: {_with_app(work)}.")


@calendar_cli.command("import")
def calendar_import(
    file: Annotated[Path, typer.Argument(help="An .ics calendar, or a YAML list of dates")],
) -> None:
    """Replace the holiday calendar with this file's days (all or nothing)."""
    from bot.importers.calendar import import_calendar

    days = _with_app(lambda app: import_calendar(app.store, file))
    print(f"Holidays imported: {len(days)} day(s), {days[0]} to {days[-1]}. No proactive nudges on them.")


@calendar_cli.command("show")
def calendar_show() -> None:
    """List the holidays on which no proactive nudge goes out."""
    days = sorted(_with_app(lambda app: app.store.holidays()))
    if not days:
        print("No holidays yet. Import some with: journeybot calendar import FILE.ics (or FILE.yaml)")
    for day in days:
        print(f"{day.isoformat()}  {day:%A}")


@org_cli.command("show")
def org_show() -> None:
    """The organisation's defaults (a person's own settings always win)."""
    from bot.store.org import read_org_defaults

    defaults = _with_app(lambda app: read_org_defaults(app.db))
    print("\n".join(defaults.describe()))


@org_cli.command("set")
def org_set(
    hours: Annotated[str | None, typer.Option(help="Working hours, e.g. 09:00-17:00.")] = None,
    days: Annotated[str | None, typer.Option(help="Working days, e.g. mon-fri or mon,tue,thu.")] = None,
    cap: Annotated[int | None, typer.Option(help="Nudges per week at most (1 to 7).")] = None,
) -> None:
    """Set defaults for everyone who has not chosen their own; applied at once."""
    from bot.store.org import parse_defaults, read_org_defaults, set_org_defaults

    if hours is None and days is None and cap is None:
        raise UserError("nothing to set: give --hours, --days or --cap (see 'journeybot org set --help')")

    async def work(app: App) -> tuple[list[str], int]:
        defaults = parse_defaults(await read_org_defaults(app.db), hours, days, cap)
        return defaults.describe(), await set_org_defaults(app.db, defaults)

    described, applied = _with_app(work)
    print("\n".join(described))
    print(f"Applied to {applied} people who have not chosen their own.")


@content_cli.command("list")
def content_list() -> None:
    """List the suggested shares."""
    items = _with_app(lambda app: app.store.list_content())
    if not items:
        print("No content yet. Add some with: journeybot content import FILE.yaml")
    now = datetime.now(UTC)
    for item in items:
        networks = ", ".join(item.texts)
        state = "withdrawn" if item.withdrawn_at else "" if item.live(now) else "not live"
        topics = ", ".join(item.topics) or "everyone"
        print(f"{item.id}  {item.title}  [{topics}]  ({networks}){'  ' + state if state else ''}")


def _end(item_id: str, withdraw: bool) -> None:
    from bot.content.ending import end_item

    ended = _with_app(lambda app: end_item(app.db, app.senders, item_id, app.clock(), withdraw=withdraw))
    if ended is None:
        raise UserError(f"no suggested share with id {item_id!r} (see: journeybot content list)")
    what = "withdrawn" if withdraw else "expired"
    line = f"{ended.item.id} {what}: never offered again; {ended.updated} card(s) already sent now say it has ended"
    if ended.failed or ended.unreachable:
        line += f" ({ended.failed + ended.unreachable} could not be updated)"
    print(line + ".")


@content_cli.command("expire")
def content_expire(item_id: Annotated[str, typer.Argument(help="the item's id")]) -> None:
    """End a suggested share now (it ran its course)."""
    _end(item_id, withdraw=False)


@content_cli.command("withdraw")
def content_withdraw(item_id: Annotated[str, typer.Argument(help="the item's id")]) -> None:
    """Withdraw a suggested share (it should not be shared any more)."""
    _end(item_id, withdraw=True)


@content_cli.command("report")
def content_report(
    item_id: Annotated[str | None, typer.Argument(help="one item's id (default: every item)")] = None,
    since: Annotated[str | None, typer.Option(help="count from this date on, e.g. 2026-05-01")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable")] = False,
) -> None:
    """Offered, shared (by network) and clicks, by team and zone; counts under 3 show as "a few"."""
    import json

    from bot.content.report import content_report as report

    try:
        start = _instant(since) if since else None
    except UserError:
        raise UserError(f"--since wants a date like 2026-05-01, not {since!r}") from None
    reports = _with_app(lambda app: report(app.db, item_id, start))
    if item_id is not None and not reports:
        raise UserError(f"no suggested share with id {item_id!r} (see: journeybot content list)")
    if as_json:
        print(json.dumps([r.as_json() for r in reports], ensure_ascii=False, indent=2))
        return
    if not reports:
        print("No suggested shares yet. Add some with: journeybot content import FILE.yaml")
    for r in reports:
        print("\n".join(r.lines()))


people_cli = typer.Typer(help="The people the bot knows, and each one's data: export it, erase it.")
cli.add_typer(people_cli, name="people")


@people_cli.callback(invoke_without_command=True)
def people(
    ctx: typer.Context,
    unreachable: Annotated[
        bool, typer.Option("--unreachable", help="Only people nudges cannot reach (no Slack/Teams address).")
    ] = False,
) -> None:
    """The people the bot knows and where it can reach them (or: people export / people erase)."""
    if ctx.invoked_subcommand is not None:
        return
    settings = Settings()
    everyone = _with_app(lambda app: app.store.reachability())
    shown = 0
    for person in everyone:
        where = ", ".join(person.platforms) or "no Slack or Teams address (never opened the app)"
        if person.unreachable_at is not None:
            where = f"unreachable since {person.unreachable_at:%Y-%m-%d %H:%M} UTC ({where})"
        elif unreachable and person.platforms:
            continue
        if person.left_at is not None:
            erased_on = (person.left_at + timedelta(days=settings.retention_days)).date()
            where = f"left on {person.left_at:%Y-%m-%d}, to be erased on {erased_on} ({where})"
        shown += 1
        print(f"{person.email}  {person.name}  {where}")
    if unreachable:
        print(f"{shown} of {len(everyone)} people cannot be reached.")


EmailOption = Annotated[str, typer.Option("--email", help="The person's email, as in the roster.")]


@people_cli.command("export")
def people_export(email: EmailOption) -> None:
    """Everything the bot holds about one person, as JSON on standard output."""
    from bot.store import privacy

    async def work(app: App) -> str | None:
        person_id = await privacy.find(app.db, email)
        data = None if person_id is None else await privacy.export(app.db, person_id, app.clock())
        return None if data is None else privacy.export_json(data)

    exported = _with_app(work)
    if exported is None:
        raise UserError(f"nobody with the email {email!r} (see: journeybot people)")
    print(exported)


@people_cli.command("erase")
def people_erase(
    email: EmailOption,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask: erasing cannot be undone.")] = False,
) -> None:
    """Erase one person and everything about them, for good (the audit trail keeps only that it happened)."""
    from bot.main.admin_cli import _actor
    from bot.store import privacy

    if not yes:
        if not sys.stdin.isatty():
            raise UserError(f"erasing {email} cannot be undone: add --yes to go ahead")
        typer.confirm(f"Erase everything about {email}? This cannot be undone.", abort=True)

    async def work(app: App) -> privacy.Erased | None:
        person_id = await privacy.find(app.db, email)
        if person_id is None:
            return None
        return await privacy.erase(app.db, person_id, now=app.clock(), actor=_actor(), platform="cli")

    erased = _with_app(work)
    if erased is None:
        raise UserError(f"nobody with the email {email!r} (see: journeybot people)")
    print(
        f"Erased {email}: {erased.rows} row(s) of theirs deleted, {erased.scrubbed} mention(s) elsewhere "
        "removed. Take them out of the roster file too, or the next import adds them again."
    )


def version_callback(value: bool) -> None:
    if value:
        print(f"journeybot {package_version('journeybot')}")
        raise typer.Exit()


@cli.callback()
def options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """journeybot: a gentle guide from reading social media to leading conversations."""


def main() -> None:
    try:
        _configure_logging(Settings())
        # Not standalone: click would print its own multi-line usage box and exit; here a usage
        # mistake is an exception like any other, so it becomes one line too. --help still prints
        # (click then returns the exit code instead of exiting).
        code = cli(standalone_mode=False)
    except KeyboardInterrupt:
        sys.exit(130)
    except NoArgsIsHelpError as error:  # `journeybot` or `journeybot db` alone: the help is the answer
        error.show()
        sys.exit(error.exit_code)
    except Exception as error:  # every failure is one line for the person at the terminal
        logging.getLogger("journeybot").debug("command failed", exc_info=True)
        print(f"error: {_describe(error)}", file=sys.stderr)
        sys.exit(getattr(error, "exit_code", 1) if isinstance(error, typer.TyperException) else 1)
    if isinstance(code, int) and code:
        sys.exit(code)


def _configure_logging(settings: Settings) -> None:
    from bot.observability.logs import configure_logging, secret_values

    configure_logging(settings.log_level, secret_values(settings))


def _describe(error: Exception) -> str:
    from pydantic import ValidationError
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from bot.store.migrate import SchemaNotReady

    if isinstance(error, typer.TyperException):  # a usage mistake: unknown command, missing argument …
        message = " ".join(error.format_message().split())
        ctx = getattr(error, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        return message.rstrip(".") + hint
    if isinstance(error, ValidationError):  # a setting from the environment has the wrong form
        return "; ".join(
            f"{'_'.join(str(part) for part in e['loc']).upper() or 'settings'}: {e['msg']}"
            for e in error.errors(include_input=False, include_url=False)
        )
    if isinstance(error, ArgumentError) and "URL" in str(error):  # never echo the URL: it may hold a password
        return (
            "DATABASE_URL is not a database URL (use sqlite:///FILE.db or "
            "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE)"
        )
    if isinstance(error, SQLAlchemyError):
        return f"database problem: {str(error.__cause__ or error).splitlines()[0]}"
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        return f"{error.filename}: {error.strerror}"
    if isinstance(error, ValueError | UserError | OSError | SchemaNotReady):
        return str(error)
    return f"{type(error).__name__}: {error}"


if __name__ == "__main__":  # `python -m bot.main.cli`: how serve starts its turn processes
    main()
