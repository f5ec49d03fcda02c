"""The one aiohttp server: health, metrics, tracked links, and the routes of each configured platform.

Platform routes come from ``adapters/<platform>/web.py``'s ``mount(web_app, deps)``, imported only
when that platform is configured, so SDK imports stay in their adapter folder. Each adapter gets
the narrow ``AdapterDeps``, never the ``App``. A half-configured platform stops the server here,
before anything is mounted (``bot.settings.check_configuration``).
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.content.redirect import ROUTE, redirect_handler
from bot.main.build import App, build
from bot.scheduling.jobs import start_scheduler
from bot.settings import Settings, check_configuration

log = logging.getLogger("journeybot.web")
APP_KEY = web.AppKey("journeybot", App)


async def healthz(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    try:
        await app.store.get_setting("healthz")
    except Exception:  # readiness: the database must answer
        log.warning("health check: database unreachable", exc_info=True)
        return web.json_response({"status": "database unreachable"}, status=503)
    return web.json_response({"status": "ok"})


async def metrics(_request: web.Request) -> web.Response:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def build_web_app(app: App) -> web.Application:
    check_configuration(app.settings)
    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    # Tracked links of suggested shares (bot/content/redirect.py): counted, then on to the item.
    web_app.router.add_get(ROUTE, redirect_handler(app.db, app.settings.public_url, app.clock))
    served = []
    if app.settings.slack_configured:
        from adapters.slack.web import mount as mount_slack

        mount_slack(web_app, app.adapter_deps)
        served.append("Slack")
    if app.settings.teams_configured:
        from adapters.teams.web import mount as mount_teams

        mount_teams(web_app, app.adapter_deps)
        served.append("Teams")
    else:
        log.info("Teams is off (POST /api/messages answers 404): no TEAMS_APP_ID / TEAMS_ALLOW_ANONYMOUS")
    log.info("serving: %s", ", ".join(served) or "health and metrics only (no platform configured)")
    return web_app


async def serve_forever(
    settings: Settings, host: str | None = None, port: int | None = None, *, scheduler: bool = True
) -> None:
    app = await build(settings)
    runner = web.AppRunner(build_web_app(app))
    await runner.setup()
    site = web.TCPSite(runner, host or settings.host, port or settings.port)
    await site.start()
    log.info("listening on http://%s:%s", host or settings.host, port or settings.port)
    # `serve --no-scheduler`: a web-only replica
    ticking = start_scheduler(app.tick_job()) if scheduler else None
    try:
        await asyncio.Event().wait()
    finally:
        if ticking is not None:
            ticking.shutdown(wait=False)
        await runner.cleanup()
        await app.close()
