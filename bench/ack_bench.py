"""How fast Slack gets its ack from the project, beside a bare Bolt app that only acks (the floor).

    .venv/bin/python bench/ack_bench.py                       # SQLite in a temporary directory
    .venv/bin/python bench/ack_bench.py --database postgresql+psycopg://postgres@127.0.0.1:5432/journeybot_bench_ack

Three processes besides this one, all on 127.0.0.1: the fake Slack Web API (``bench/fake_slack.py``,
unlimited here), the project's server (``journeybot serve --no-scheduler``, Slack configured against
the fake) and a bare slack-bolt app (``bench/bare_bolt.py``) on the same fake. This process signs
``message.im`` events as Slack does (v0 HMAC-SHA256) and sends them at a steady rate to one server,
then the other, for each rate (``--rates``, ``--seconds`` each): ack latency p50/p99/max, requests
that failed (not 200, or no answer within 10 s) and acks later than Slack's 3 s (Slack would retry
those). Every event comes from a new person in a DM of their own and says "help", which has one
answer: the fake counts ``chat.postMessage`` per channel, so each project event must be answered
exactly once (missing and duplicated answers are reported). ``--again``: after each rate, the same
people say "help" once more (new event ids), as regulars do: known to the project, found without
``users.info``. Then a burst: ``--burst`` DMs within
``--burst-seconds``, all acked under 1 s and all answered within 30 s?

``--turn-workers N`` (N > 0) runs the project with ``TURNS=worker``: its server only acknowledges and
stores each event, and N ``journeybot turns`` processes (started here, ``--turn-nice`` lower in CPU
priority) answer them; their CPU is reported apart (``turn_cpu_ms_per_event``).

``--side-by-side``: both servers are sent to at once, event by event in turn, each at the rate, so
both acks meet the same machine: the project's answers (its turns, the database, the fake Slack
answering them) share the cores with both. Without it each server has a phase of its own, and the
bare app's phase runs on a machine that has nothing else to do.

CPU: each server's CPU seconds (``/proc/<pid>/stat``) over a phase, per event. Latencies include this
client's own scheduling on a shared machine; both servers are measured the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-signing-secret-0123456789ab"
SLACK_TIMEOUT = 3.0  # Slack retries an event not acked within 3 s
GIVE_UP = 10.0  # a request with no answer by then is an error
ANSWER_WITHIN = 30.0
DRAIN = 240.0  # a phase's backlog is waited for this long at most before the next phase


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def turners_cpu(turners: list[subprocess.Popen]) -> float:
    return sum(cpu_seconds(t.pid) for t in turners)


def signed(body: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def dm_event(user: str, channel: str, event_id: str, text: str = "help") -> str:
    ts = f"{time.time():.6f}"
    return json.dumps({
        "token": "bench", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()),
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True, "enterprise_id": None,
                            "is_enterprise_install": False}],
        "event": {"type": "message", "channel_type": "im", "user": user, "channel": channel, "text": text,
                  "ts": ts, "event_ts": ts, "team": "T1"},
    })  # fmt: skip


@dataclass
class Phase:
    name: str
    target: str
    rate: float
    events: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    cpu: float = 0.0
    turn_cpu: float | None = None  # the turn processes' (TURNS=worker)
    channels: list[str] = field(default_factory=list)
    sent_seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        q = (lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000) if lat else (lambda p: float("nan"))
        return {
            "phase": self.name, "target": self.target, "rate": self.rate, "events": self.events,
            "p50_ms": round(q(0.50), 1), "p99_ms": round(q(0.99), 1), "max_ms": round(q(1.0), 1),
            "errors": self.errors, "late_over_3s": sum(1 for x in lat if x > SLACK_TIMEOUT),
            "cpu_ms_per_event": round(1000 * self.cpu / max(self.events, 1), 2),
            "sent_in_s": round(self.sent_seconds, 2),
            **({} if self.turn_cpu is None else
               {"turn_cpu_ms_per_event": round(1000 * self.turn_cpu / max(self.events, 1), 2)}),
        }  # fmt: skip


async def drive(
    session: aiohttp.ClientSession, sends: list[tuple[str, Phase, str]], again: bool = False
) -> None:
    """Send each phase's events to its url, from the people its prefix names, at the phase's rate;
    several phases' events take turns (one to each, evenly spaced). ``again``: events of their own
    (new ids) from the same people, who spoke before."""

    async def one(url: str, phase: Phase, body: str, headers: dict[str, str]) -> None:
        started = time.perf_counter()
        try:
            async with session.post(url, data=body.encode(), headers=headers) as response:
                await response.read()
                ok = response.status == 200
        except (TimeoutError, aiohttp.ClientError):
            ok = False
        if ok:
            phase.latencies.append(time.perf_counter() - started)
        else:
            phase.errors += 1

    schedule = []  # (offset in seconds, url, phase, body, headers)
    for k, (url, phase, prefix) in enumerate(sends):
        for i in range(phase.events):
            user, channel = f"U{prefix}{i:06d}", f"D{prefix}{i:06d}"
            phase.channels.append(channel)
            body = dm_event(user, channel, f"Ev{prefix}{'a' if again else ''}{i:06d}")
            schedule.append(((i + k / len(sends)) / phase.rate, url, phase, body, signed(body)))
    schedule.sort(key=lambda item: item[0])
    start, tasks = time.perf_counter(), []
    for offset, url, phase, body, headers in schedule:
        delay = start + offset - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(url, phase, body, headers)))
    for _url, phase, _prefix in sends:
        phase.sent_seconds = time.perf_counter() - start
    await asyncio.gather(*tasks)


async def answer_counts(session: aiohttp.ClientSession, fake: str) -> dict[str, int]:
    async with session.get(f"{fake}/channels") as response:
        counts: dict[str, int] = await response.json()
        return counts


async def answers(
    session: aiohttp.ClientSession,
    fake: str,
    channels: list[str],
    started: float,
    within: float,
    before: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Count the answers ``within`` seconds of ``started`` (beyond the counts ``before``); then wait
    (up to ``DRAIN``) for the rest, so the next phase starts on an idle server, and say when the
    last one came."""
    wanted, at_mark, last = set(channels), None, None
    while True:
        now = await answer_counts(session, fake)
        counts = {c: n - (before or {}).get(c, 0) for c, n in now.items()}
        done = sum(1 for c in wanted if counts.get(c, 0) >= 1)
        elapsed = time.perf_counter() - started
        if at_mark is None and (done == len(wanted) or elapsed > within):
            at_mark = done
        if done == len(wanted):
            last = elapsed
            break
        if elapsed > DRAIN:
            break
        await asyncio.sleep(0.2)
    return {
        f"answered_within_{within:g}s": at_mark,
        "all_answered_after_s": None if last is None else round(last, 1),
        "answered_once": sum(1 for c in wanted if counts.get(c, 0) == 1),
        "missing": sum(1 for c in wanted if counts.get(c, 0) == 0),
        "duplicated": sum(1 for c in wanted if counts.get(c, 0) > 1),
    }


async def wait_healthy(session: aiohttp.ClientSession, url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def prepare_database(url: str) -> None:
    from bench.generate import reset

    reset(url)  # created (or replaced) and migrated: the server starts on an empty organisation


def start(
    args: argparse.Namespace, fake_port: int, project_port: int, bare_port: int
) -> list[subprocess.Popen]:
    """The fake Slack, the project's server and the bare Bolt app, each in its own process."""
    api = f"http://127.0.0.1:{fake_port}/api/"
    prepare_database(args.database)
    python = sys.executable
    env = {
        **os.environ,
        "DATABASE_URL": args.database,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        # The bench starts the turn processes itself (to count their CPU): the server starts none.
        **({"TURNS": "worker", "TURN_PROCESSES": "0"} if args.turn_workers else {}),
        **dict(kv.split("=", 1) for kv in args.env),
    }
    quiet = {"stdout": subprocess.DEVNULL, "cwd": ROOT}
    project_log = (Path(args.logs) / "project.log").open("w")
    return [
        subprocess.Popen(
            [python, "-m", "bench.fake_slack", "--port", str(fake_port), "--per-second", "1000000",
             "--burst", "1000000", "--channel-per-second", "1000", "--channel-burst", "1000"],
            env=env, **quiet),  # type: ignore[call-overload]
        subprocess.Popen(
            [str(Path(python).with_name("journeybot")), "serve", "--no-scheduler", "--host", "127.0.0.1",
             "--port", str(project_port)], env=env, stderr=project_log, **quiet),  # type: ignore[call-overload]
        subprocess.Popen(
            [python, str(ROOT / "bench" / "bare_bolt.py"), "--port", str(bare_port), "--api", api,
             "--secret", SECRET], env={k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"}, **quiet),  # type: ignore[call-overload]
        *(subprocess.Popen(
            [str(Path(python).with_name("journeybot")), "turns", "--nice", str(args.turn_nice)],
            env=env, stderr=project_log, **quiet)  # type: ignore[call-overload]
          for _ in range(args.turn_workers)),
    ]  # fmt: skip


async def measure(
    session: aiohttp.ClientSession,
    fake: str,
    sends: list[tuple[str, subprocess.Popen, Phase, str]],
    turners: list[subprocess.Popen],
    again: bool = False,
) -> list[dict[str, Any]]:
    """Drive the phases (several at once: side by side) and summarise each: the project's answers
    counted too, and its turns' CPU until every event was answered."""
    before = await answer_counts(session, fake) if again else None
    cpu_before = [cpu_seconds(process.pid) for _url, process, _phase, _prefix in sends]
    started, turn_cpu = time.perf_counter(), turners_cpu(turners)
    await drive(session, [(url, phase, prefix) for url, _process, phase, prefix in sends], again=again)
    summaries = []
    for (_url, process, phase, _prefix), cpu in zip(sends, cpu_before, strict=True):
        counted = {}
        if phase.target == "project":
            counted = await answers(session, fake, phase.channels, started, ANSWER_WITHIN, before)
            if turners:
                phase.turn_cpu = turners_cpu(turners) - turn_cpu
        phase.cpu = cpu_seconds(process.pid) - cpu
        summaries.append({**phase.summary(), **counted})
    return summaries


async def run(
    args: argparse.Namespace, ports: tuple[int, int, int], processes: list[subprocess.Popen]
) -> None:
    fake_port, project_port, bare_port = ports
    fake = f"http://127.0.0.1:{fake_port}"
    logs = Path(args.logs)
    fake_process, project, bare, *turners = processes
    targets = {
        "project": (f"http://127.0.0.1:{project_port}/slack/events", project),
        "bare": (f"http://127.0.0.1:{bare_port}/slack/events", bare),
    }
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=GIVE_UP)
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            await wait_healthy(session, f"{fake}/stats", fake_process)
            await wait_healthy(session, f"http://127.0.0.1:{project_port}/healthz", project)
            await wait_healthy(session, f"http://127.0.0.1:{bare_port}/healthz", bare)
            await asyncio.sleep(2 if turners else 0)  # the turn processes' start (no health route)
            for turner in turners:
                if turner.poll() is not None:
                    raise RuntimeError(f"a turn process exited with {turner.returncode}")
            for name, (url, _process) in targets.items():  # warm up: auth.test, first connections
                await drive(session, [(url, Phase("warm-up", name, 10, 10), f"W{name[0].upper()}")])
            await asyncio.sleep(2)

            async def phases(name: str, rate: float, events: int, prefix: str, again: bool = False) -> None:
                """Each server in turn, or both side by side (``--side-by-side``)."""
                sends = [(url, process, Phase(name, target, rate, events), f"{prefix}{target[0].upper()}")
                         for target, (url, process) in targets.items()]  # fmt: skip
                for group in [sends] if args.side_by_side else [[one] for one in sends]:
                    summaries = await measure(session, fake, group, turners, again=again)
                    for (_url, _process, phase, _prefix), summary in zip(group, summaries, strict=True):
                        if name == "burst":
                            summary["acked_under_1s"] = sum(1 for x in phase.latencies if x < 1.0)
                        print(json.dumps(summary), flush=True)
                    await asyncio.sleep(1)

            for k, rate in enumerate(args.rates):
                await phases(f"steady {rate:g}/s", rate, int(rate * args.seconds), f"R{k}")
                if args.again:  # the same people once more: regulars, known to the project
                    await phases(
                        f"steady {rate:g}/s, again", rate, int(rate * args.seconds), f"R{k}", again=True
                    )
            if args.burst:
                await phases("burst", args.burst / args.burst_seconds, args.burst, "B")
        errors = sum(
            1 for line in (logs / "project.log").read_text().splitlines() if line.startswith("ERROR")
        )
        print(json.dumps({"project_log_errors": errors, "load_average": round(os.getloadavg()[0], 2)}),
              flush=True)  # fmt: skip
    finally:
        for process in processes:
            process.terminate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None, help="default: SQLite in a temporary directory")
    parser.add_argument(
        "--rates", type=lambda s: [float(x) for x in s.split(",")], default=[50.0, 200.0, 500.0]
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="how long each steady phase sends")
    parser.add_argument("--burst", type=int, default=1000, help="DMs in the burst (0: no burst)")
    parser.add_argument("--burst-seconds", type=float, default=5.0)
    parser.add_argument("--turn-workers", type=int, default=0,
                        help="TURNS=worker with this many `journeybot turns` processes (0: TURNS=here)")  # fmt: skip
    parser.add_argument("--turn-nice", type=int, default=0, help="os.nice of the turn processes")
    parser.add_argument("--env", action="append", default=[], help="NAME=value for the project's server")
    parser.add_argument("--again", action="store_true",
                        help="after each rate, the same people once more (regulars: known, no users.info)")  # fmt: skip
    parser.add_argument("--side-by-side", action="store_true",
                        help="send to both servers at once, alternating event by event, each at the rate, "
                             "so both meet the same machine (the project's answers included)")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if args.database is None:
            args.database = f"sqlite:///{scratch}/ack_bench.db"
        args.logs = scratch
        print(f"# load average {os.getloadavg()[0]:.2f}, database {args.database.split('@')[-1]}, "
              f"turn workers {args.turn_workers}", flush=True)  # fmt: skip
        ports = free_port(), free_port(), free_port()
        processes = start(args, *ports)
        try:
            asyncio.run(run(args, ports, processes))
        finally:
            stop(processes)


def stop(processes: list[subprocess.Popen]) -> None:
    """Each process asked to stop, and killed if it has not within 10 s."""
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
