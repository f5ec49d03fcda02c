"""One replica for ``tests/scheduling/test_tick_processes.py``: a separate OS process running ``journeybot tick``'s
own code (``bot.main.runs.tick_once``, settings from the environment) at each instant read from stdin.

One ISO instant per line in; one JSON line per tick out (what it planned and delivered). It stays up
between ticks only to spare the interpreter's start-up; every tick builds its app afresh, as the
command does.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime

from bot.main.runs import tick_once
from bot.settings import Settings


async def main() -> None:
    loop = asyncio.get_running_loop()
    while line := (await loop.run_in_executor(None, sys.stdin.readline)).strip():
        report = await tick_once(Settings(), datetime.fromisoformat(line))
        delivered = report.delivered
        print(json.dumps({"planned": report.planned, "sent": delivered.sent if delivered else 0}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
