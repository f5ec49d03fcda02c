"""The floor for ``bench/ack_bench.py``: a bare slack-bolt app that verifies, acks and does nothing else.

    .venv/bin/python bench/bare_bolt.py --port 3101 --api http://127.0.0.1:PORT/api/ --secret S

The same Bolt version, the same aiohttp adapter and the same fake Web API as the project's server,
so the difference between the two is what the project does before and around its ack.
"""

from __future__ import annotations

import argparse

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    bolt = AsyncApp(
        signing_secret=args.secret,
        client=AsyncWebClient(token="xoxb-bench", base_url=args.api),
        process_before_response=False,
    )

    @bolt.event("message")
    async def message() -> None:
        """Acked by Bolt before this runs; nothing to do."""

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", lambda _request: web.json_response({"status": "ok"}))  # type: ignore[arg-type,return-value]
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
