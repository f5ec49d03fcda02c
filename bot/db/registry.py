"""Imports every module that defines tables, so ``metadata`` (and Alembic) sees them all.

A platform or feature that adds tables in its own module adds it to the import and the tuple.
"""

from bot.db import models, outbox_models, slack_models, teams_models

TABLE_MODULES = (models, outbox_models, slack_models, teams_models)
