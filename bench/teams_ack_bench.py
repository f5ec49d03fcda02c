"""How fast Teams gets its answer to ``POST /api/messages`` from the project, under a burst of first messages.

    .venv/bin/python bench/teams_ack_bench.py                 # SQLite in a temporary directory
    .venv/bin/python bench/teams_ack_bench.py --database postgresql+psycopg://postgres@127.0.0.1:5432/journeybot_bench_teams

Two processes besides this one, on 127.0.0.1: a fake Bot Connector (this script with
``--fake-connector``: it accepts every activity and counts them per conversation) and the project's
server (``journeybot serve --no-scheduler``, Teams in anonymous mode so no token is involved). This
process sends ``--burst`` personal messages within ``--burst-seconds``, each from a new person in a
chat of their own (the first message, answered with a greeting and the first onboarding question):
ack latency p50/p99/max, failed requests (not 202, or no answer within 10 s), then how long until
every person was answered and whether each was answered exactly once (the same number of
activities in every chat). A message's turn runs after its ack (``adapters/teams/intake.py``), so
the acks should stay fast while the answers queue up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ack_bench import free_port, stop  # noqa: E402 (after the path above)

GIVE_UP = 10.0
ANSWER_WITHIN = 60.0


def fake_connector(port: int) -> None:
    """Accept every activity (201 with an id), count them per conversation (``GET /counts``)."""
    counts: Counter[str] = Counter()

    async def activity(request: web.Request) -> web.Response:
        counts[request.match_info["conversation"]] += 1
        return web.json_response({"id": f"activity-{sum(counts.values())}"}, status=201)

    async def member(request: web.Request) -> web.Response:
        member_id = request.match_info["member"]
        n = member_id.removeprefix("29:bench-")
        return web.json_response(
            {
                "id": member_id,
                "name": f"Bench {n}",
                "email": f"bench{n}@example.com",
                "userPrincipalName": f"bench{n}@example.com",
            }
        )

    async def counted(_request: web.Request) -> web.Response:
        return web.json_response(counts)

    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation}/activities", activity)
    app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", activity)
    app.router.add_get("/v3/conversations/{conversation}/members/{member}", member)
    app.router.add_get("/counts", counted)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


def first_message(n: int, service_url: str) -> dict[str, Any]:
    payload = json.loads((ROOT / "tests" / "teams" / "payloads" / "personal_message.json").read_text())
    payload.update(
        id=f"bench-{n}",
        serviceUrl=service_url,
        text="hello",
        conversation={**payload["conversation"], "id": f"a:bench-{n}"},
        **{
            "from": {
                "id": f"29:bench-{n}",
                "name": f"Bench {n}",
                "aadObjectId": f"00000000-0000-0000-0000-{n:012d}",
            }
        },
    )
    return payload


async def wait_healthy(session: aiohttp.ClientSession, url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        try:
            async with session.get(url) as response:
                if response.status < 500:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(int(p * len(ordered)), len(ordered) - 1)] * 1000, 1)


async def run(
    args: argparse.Namespace, fake: str, server: str, processes: list[subprocess.Popen[bytes]]
) -> None:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=GIVE_UP)
    ) as session:
        await wait_healthy(session, f"{fake}/counts", processes[0])
        await wait_healthy(session, f"{server}/healthz", processes[1])
        latencies: list[float] = []
        failures = 0

        async def one(n: int) -> None:
            nonlocal failures
            started = time.perf_counter()
            try:
                async with session.post(
                    f"{server}/api/messages", json=first_message(n, f"{fake}/")
                ) as response:
                    await response.read()
                    if response.status != 202:
                        failures += 1
                        return
            except (aiohttp.ClientError, TimeoutError):
                failures += 1
                return
            latencies.append(time.perf_counter() - started)

        interval = args.burst_seconds / args.burst
        started = time.perf_counter()
        tasks = []
        for n in range(args.burst):
            tasks.append(asyncio.create_task(one(n)))
            await asyncio.sleep(max(started + (n + 1) * interval - time.perf_counter(), 0))
        await asyncio.gather(*tasks)
        acked = time.perf_counter() - started
        wanted = {f"a:bench-{n}" for n in range(args.burst)}
        answered_after = None
        while time.perf_counter() - started < ANSWER_WITHIN:
            async with session.get(f"{fake}/counts") as response:
                counts = await response.json()
            if all(counts.get(c, 0) >= 1 for c in wanted):
                await asyncio.sleep(1)  # anything arriving twice arrives now
                async with session.get(f"{fake}/counts") as response:
                    counts = await response.json()
                answered_after = round(time.perf_counter() - started, 1)
                break
            await asyncio.sleep(0.2)
        per_chat = Counter(counts.get(c, 0) for c in wanted)
        print(
            json.dumps(
                {
                    "burst": args.burst,
                    "over_s": args.burst_seconds,
                    "acked": len(latencies),
                    "failed": failures,
                    "ack_p50_ms": percentile(latencies, 0.5),
                    "ack_p99_ms": percentile(latencies, 0.99),
                    "ack_max_ms": percentile(latencies, 1.0),
                    "acked_under_1s": sum(1 for x in latencies if x < 1.0),
                    "all_acked_after_s": round(acked, 2),
                    "all_answered_after_s": answered_after,
                    "activities_per_chat": dict(sorted(per_chat.items())),
                }
            ),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", default=None, help="default: SQLite in a temporary directory")
    parser.add_argument("--burst", type=int, default=1000, help="first messages in the burst")
    parser.add_argument("--burst-seconds", type=float, default=5.0)
    parser.add_argument("--fake-connector", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fake_connector is not None:
        fake_connector(args.fake_connector)
        return
    from bench.generate import reset

    with tempfile.TemporaryDirectory() as scratch:
        if args.database is None:
            args.database = f"sqlite:///{scratch}/teams_ack_bench.db"
        print(f"# load average {os.getloadavg()[0]:.2f}, database {args.database.split('@')[-1]}", flush=True)
        reset(args.database)
        fake_port, server_port = free_port(), free_port()
        env = {
            **os.environ,
            "DATABASE_URL": args.database,
            "TEAMS_ALLOW_ANONYMOUS": "true",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "TEAMS_APP_ID", "TEAMS_APP_PASSWORD"):
            env.pop(name, None)
        log = (Path(scratch) / "project.log").open("w")
        processes = [
            subprocess.Popen([sys.executable, __file__, "--fake-connector", str(fake_port)], env=env),
            subprocess.Popen(
                [str(Path(sys.executable).with_name("journeybot")), "serve", "--no-scheduler",
                 "--host", "127.0.0.1", "--port", str(server_port)],
                env=env, stderr=log, stdout=subprocess.DEVNULL, cwd=ROOT,
            ),
        ]  # fmt: skip
        try:
            asyncio.run(
                run(args, f"http://127.0.0.1:{fake_port}", f"http://127.0.0.1:{server_port}", processes)
            )
        finally:
            stop(processes)
            errors = [
                line for line in (Path(scratch) / "project.log").read_text().splitlines() if "ERROR" in line
            ]
            print(json.dumps({"project_log_errors": len(errors), "first": errors[:3]}), flush=True)


if __name__ == "__main__":
    main()
