"""Database URLs as people write them, turned into the driver-specific URLs SQLAlchemy needs.

Operators write ``sqlite:///journeybot.db`` or ``postgresql://…`` (Heroku-style ``postgres://`` too)
and should never have to know that the bot talks to SQLite through aiosqlite at runtime but through
the standard library in Alembic, or that psycopg 3 serves both the async and the sync side.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

# drivername as written -> backend; anything else is refused rather than silently rewritten.
_BACKENDS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "sqlite+aiosqlite": "sqlite",
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "postgresql+psycopg": "postgresql",
    "postgresql+psycopg_async": "postgresql",
}
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def backend(url: str | URL) -> str:
    """``"sqlite"`` or ``"postgresql"``; ValueError for any other database or driver."""
    drivername = make_url(url).drivername
    try:
        return _BACKENDS[drivername]
    except KeyError:
        known = ", ".join(sorted({d.split("+")[0] for d in _BACKENDS}))
        raise ValueError(f"unsupported database URL scheme {drivername!r} (use one of: {known})") from None


def async_url(url: str | URL) -> str:
    """The URL for ``create_async_engine``: aiosqlite for SQLite, psycopg 3 for PostgreSQL."""
    return _with_driver(url, _ASYNC_DRIVERS[backend(url)])


def sync_url(url: str | URL) -> str:
    """The URL for a plain ``create_engine`` (Alembic): pysqlite for SQLite, psycopg 3 for PostgreSQL."""
    return _with_driver(url, _SYNC_DRIVERS[backend(url)])


def _with_driver(url: str | URL, drivername: str) -> str:
    return make_url(url).set(drivername=drivername).render_as_string(hide_password=False)
