"""Imports every module that defines tables, so ``metadata`` (and Alembic) sees them all.

A platform or feature that adds tables in its own module adds one import line here.
"""

from bot.db import models  # noqa: F401  (the core tables)
from bot.db import slack_models  # noqa: F401  (Slack: seen events, digest channels, OAuth stores)
from bot.db import teams_models  # noqa: F401  (Teams: digest channels)
