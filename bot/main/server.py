"""The one aiohttp server: health, readiness, metrics, tracked links, and the routes of each configured platform.

Platform routes come from ``adapters/<platform>/web.py``'s ``mount(web_app, deps)``, imported only
when that platform is configured, so SDK imports stay in their adapter folder. Each adapter gets
the narrow ``AdapterDeps``, never the ``App``. A half-configured platform stops the server here,
before anything is mounted (``bot.settings.check_configuration``).

- ``GET /healthz``: the process is alive and serving (a container's health check; no database call,
  so a database outage does not get every replica restarted at once).
- ``GET /readyz``: this replica can do its work: the database answers, its schema is at the newest
  migration, and every configured platform's credentials were verified at least once (adapters
  record those in ``bot.observability.readiness``). 503 with the reasons otherwise.
- ``GET /metrics``: Prometheus (``bot/observability/metrics.py``).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import time

from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError

from bot.content.redirect import ROUTE, redirect_handler
from bot.delivery.gauges import read_outbox_gauges
from bot.main.build import App, build
from bot.main.stopping import until_stopped
from bot.main.turn_processes import TurnProcesses
from bot.observability import context
from bot.observability.metrics import GC_FROZEN_OBJECTS
from bot.observability.readiness import READINESS, Readiness
from bot.scheduling.jobs import start_scheduler
from bot.settings import Settings, check_configuration
from bot.store.migrate import schema_problem

log = logging.getLogger("journeybot.web")
APP_KEY = web.AppKey("journeybot", App)


@web.middleware
async def request_ids(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every request gets an id (the caller's ``X-Request-Id`` if it is a plausible one) that each
    log line written while handling it carries, and that the response returns."""
    request_id = context.new_request_id(request.headers.get("X-Request-Id"))
    token = context.request_id.set(request_id)
    started = time.monotonic()
    try:
        response = await handler(request)
        response.headers["X-Request-Id"] = request_id
        # The path only: query strings carry OAuth codes and states.
        elapsed = (time.monotonic() - started) * 1000
        log.debug("%s %s -> %s in %.0f ms", request.method, request.path, response.status, elapsed)
        return response
    except web.HTTPException as error:  # aiohttp's own 404/405 …: answered, with the id too
        error.headers["X-Request-Id"] = request_id
        raise
    finally:
        context.request_id.reset(token)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    readiness = request.app[READINESS]
    problems = await readiness.problems()
    if problems:
        return web.json_response({"status": "not ready", "problems": problems}, status=503)
    return web.json_response({"status": "ready", "checked": readiness.names()})


async def metrics(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    await read_outbox_gauges(app.db, app.clock())
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def database_check(app: App) -> Readiness:
    readiness = Readiness()

    async def database() -> str | None:
        try:
            return await schema_problem(app.db.engine)
        except (SQLAlchemyError, OSError) as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()
            return f"unreachable ({type(error).__name__}: {reason[0] if reason else 'no detail'})"

    readiness.add_check("database", database)
    return readiness


def build_web_app(app: App) -> web.Application:
    check_configuration(app.settings)
    web_app = web.Application(middlewares=[request_ids])
    web_app[APP_KEY] = app
    web_app[READINESS] = database_check(app)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    web_app.router.add_get("/metrics", metrics)
    # Tracked links of suggested shares (bot/content/redirect.py): counted, then on to the item.
    web_app.router.add_get(ROUTE, redirect_handler(app.db, app.settings.public_url, app.clock))
    served = _mount_platforms(web_app, app, "mount")
    if not app.settings.teams_configured:
        log.info("Teams is off (POST /api/messages answers 404): no TEAMS_APP_ID / TEAMS_ALLOW_ANONYMOUS")
    log.info("serving: %s", ", ".join(served) or "health and metrics only (no platform configured)")
    if served and app.settings.turns == "worker":
        log.info("TURNS=worker: events are acknowledged and stored here; `journeybot turns` answers them")
    return web_app


def build_turns_app(app: App) -> web.Application:
    """A turn process's platforms (TURNS=worker): no routes, only each configured platform's draining
    inbox and what its turns need, started and stopped like the server's (aiohttp's cleanup contexts)."""
    check_configuration(app.settings)
    turns_app = web.Application()
    turns_app[APP_KEY] = app
    served = _mount_platforms(turns_app, app, "mount_turns")
    log.info("running turns for: %s", ", ".join(served) or "nothing (no platform configured)")
    return turns_app


def _mount_platforms(web_app: web.Application, app: App, mount: str) -> list[str]:
    """Each configured platform's ``mount`` (its routes and inbox) or ``mount_turns`` (its draining
    inbox only) from its adapter, imported only when configured; the names of those mounted."""
    mounted = []
    if app.settings.slack_configured:
        from adapters.slack import web as slack

        getattr(slack, mount)(web_app, app.adapter_deps)
        mounted.append("Slack")
    if app.settings.teams_configured:
        from adapters.teams import web as teams

        getattr(teams, mount)(web_app, app.adapter_deps)
        mounted.append("Teams")
    return mounted


def _freeze_startup_objects() -> None:
    """What startup built (modules, mappers, Bolt's and twitter-text's tables) lives as long as the
    process: out of the garbage collector's sight (``gc.freeze``), its full collections scan only
    what came after. On the bench VM one took 80 ms over startup's objects, and every ack that came
    in meanwhile waited behind it (bench/RESULTS.md, section 5)."""
    gc.collect()
    gc.freeze()
    GC_FROZEN_OBJECTS.set(gc.get_freeze_count())


async def _orphaned(parent: int) -> None:
    """Return when the process that started this one is gone (then this one is re-parented)."""
    while True:
        await asyncio.sleep(2)
        if os.getppid() != parent:
            log.warning("the server that started this turn process is gone; stopping")
            return


async def run_turns(settings: Settings, parent: int | None = None) -> None:
    """``journeybot turns``: run the turns the serving processes took in (TURNS=worker), until stopped
    (or, when a server started it, until that server is gone)."""
    check_configuration(settings)
    if settings.turns != "worker":
        log.warning("TURNS is %r: serving processes run their own turns; this one runs what they spill",
                    settings.turns)  # fmt: skip
    app = await build(settings)
    runner = web.AppRunner(build_turns_app(app))
    try:
        await runner.setup()  # starts the inboxes (no site: nothing listens)
        _freeze_startup_objects()
        await until_stopped(None if parent is None else _orphaned(parent))
    finally:
        await runner.cleanup()  # the inboxes finish what they hold, within their grace
        await app.close()


async def serve_forever(
    settings: Settings, host: str | None = None, port: int | None = None, *, scheduler: bool = True
) -> None:
    check_configuration(settings)  # before the database is touched: one line, nothing half done
    app = await build(settings)
    try:
        runner = web.AppRunner(build_web_app(app), access_log=None)  # request_ids logs each request
        await runner.setup()
        site = web.TCPSite(runner, host or settings.host, port or settings.port)
        await site.start()
    except BaseException:
        await app.close()
        raise
    log.info("listening on http://%s:%s", host or settings.host, port or settings.port)
    turn_processes = None
    if settings.turns == "worker" and settings.turn_processes and settings.any_platform:
        turn_processes = TurnProcesses(settings.turn_processes)  # bot/main/turn_processes.py
        await turn_processes.start()
    # `serve --no-scheduler`: a web-only replica
    ticking = start_scheduler(app.tick_job()) if scheduler else None
    _freeze_startup_objects()
    try:
        await until_stopped()
    finally:
        if ticking is not None:
            ticking.shutdown(wait=False)
        if turn_processes is not None:
            await turn_processes.stop()
        await runner.cleanup()
        await app.close()
