"""Wiring for ``journeybot simulate``: a throwaway application on a simulated clock.

The simulation itself lives in ``bot/simulation/``; this builds the real application around it (its
own SQLite file in a temporary folder, migrated like any other; no platform, no workers) and hands
it the planner's tick, planning only: nothing is delivered anywhere.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from bot.main.build import build
from bot.scheduling.tick import plan
from bot.settings import Settings
from bot.simulation.personas import Persona
from bot.simulation.run import Journey, SimClock, Simulation


async def simulate(
    persona: Persona, weeks: int, start: datetime, seed: int = 0, migrated: Path | None = None
) -> Journey:
    """``migrated``: an already migrated SQLite file to start from, copied (several simulations in one
    event loop cannot each run Alembic, whose context is global to the process)."""
    with tempfile.TemporaryDirectory(prefix="journeybot-sim-") as folder:
        path = Path(folder) / "simulation.db"
        if migrated is not None:
            shutil.copyfile(migrated, path)
        url = f"sqlite:///{path}"
        settings = Settings(
            database_url=url,
            random_seed=seed,
            plan_workers=0,
            catalogue_file=None,
            slack_bot_token=None,
            slack_signing_secret=None,
            slack_app_token=None,
            teams_app_id=None,
            teams_app_password=None,
        )
        clock = SimClock(start)
        app = await build(settings, clock=clock, rng=random.Random(seed), migrate=migrated is None)
        planning = app.planning  # built once: it holds the planners and the rng the ticks share
        try:

            async def tick(now: datetime) -> object:
                return await plan(planning, now)

            return await Simulation(app.conversation, app.store, tick, clock, persona).run(weeks)
        finally:
            await app.close()
