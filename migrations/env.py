"""Alembic environment: the models' metadata, batch mode for SQLite, one sync engine per run.

The URL comes from ``-x url=…`` on the command line, then from ``bot.store.migrate`` (which passes it
in ``config.attributes`` so no environment variable can redirect a programmatic upgrade), then the
``DATABASE_URL`` environment variable, then ``sqlalchemy.url`` in alembic.ini.
"""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, pool

import migrations.tables  # noqa: F401  (imports every module with tables, so metadata holds them all)
from bot.store.models import UTCDateTime, metadata
from bot.store.urls import sync_url

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.attributes.get("url")
        or os.environ.get("DATABASE_URL")
        or config.get_main_option("sqlalchemy.url")
    )
    if not url:
        raise RuntimeError("no database URL: pass -x url=…, set DATABASE_URL or sqlalchemy.url")
    return sync_url(url)


def render_item(kind: str, obj: Any, _context: Any) -> str | bool:
    """Render our column types as plain SQLAlchemy ones, so migrations never import the models."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


OPTIONS: dict[str, Any] = {
    "target_metadata": metadata,
    "render_as_batch": True,  # SQLite can only ALTER by copying the table
    "render_item": render_item,
    "compare_type": True,
}


def run_migrations_offline() -> None:
    context.configure(url=database_url(), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def _write_ahead_logging(connection: Connection) -> None:
    """Leave a SQLite file in write-ahead logging, which the file itself remembers. Switching takes a
    lock SQLite does not wait for (busy timeout or not), so the switch belongs here, while the migration
    is the file's only user: left to the bot's first connections, several processes starting at once
    (the turn workers, the scheduler) could each try it and one fail with "database is locked"."""
    connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    connection.commit()


def run_migrations_online() -> None:
    engine = create_engine(database_url(), poolclass=pool.NullPool, hide_parameters=True)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                _write_ahead_logging(connection)
            context.configure(connection=connection, **OPTIONS)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
