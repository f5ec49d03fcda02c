"""Imports every module that defines tables, so ``metadata`` (and Alembic) sees them all.

The core's tables live in ``bot/store/models.py``, the outbox's beside delivery, the digest
subscriptions' in ``bot/digests/models.py``; each platform's
own tables live beside its adapter. This module sits outside ``bot/`` because it is the one place
that may name them all: the bot itself never imports an adapter. A platform or feature that adds
tables in its own module adds it to the import and the tuple.
"""

from adapters.slack import models as slack_models
from adapters.teams import models as teams_models
from bot.conversation import models as inbox_models
from bot.creators import models as creators_models
from bot.delivery import models as outbox_models
from bot.digests import models as digest_models
from bot.store import audit, models

TABLE_MODULES = (
    models,
    audit,
    outbox_models,
    inbox_models,
    digest_models,
    creators_models,
    slack_models,
    teams_models,
)
