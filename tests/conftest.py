"""Shared fixtures, and the Hypothesis profile every property test runs with.

Database: every store test runs on SQLite, and also on PostgreSQL when ``TEST_DATABASE_URL`` is set
(CI sets it). SQLite is migrated once into a template file that each test copies; PostgreSQL gets
one fresh database per session, migrated once and truncated before each test. If the URL is set but
no PostgreSQL test passed, the run fails: a silently skipped backend is worse than a red build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from hypothesis import settings
from sqlalchemy import create_engine, make_url, text

import migrations.tables  # noqa: F401  (every module with tables, so metadata holds them all)
from bot.store.database import Database
from bot.store.migrate import alembic_config
from bot.store.models import metadata
from bot.store.store import Store
from bot.store.urls import sync_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if TEST_DATABASE_URL else ["sqlite"]

# Property tests: no time limit per example. Hypothesis's default (200 ms) fails a correct test when
# the machine is busy; a slow engine is for bench/ to show, not for a timer inside a unit test.
# Each test keeps its own example count (@settings(max_examples=...) overrides only that).
settings.register_profile("journeybot", deadline=None, print_blob=True)
settings.load_profile("journeybot")


# Databases ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; copying it is much faster than migrating for every test."""
    path = tmp_path_factory.mktemp("template") / "journeybot.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "head")
    return path


@contextmanager
def scratch_postgres_database(name: str) -> Iterator[str]:
    """Create database ``name`` beside TEST_DATABASE_URL's, yield its URL, drop it afterwards."""
    assert TEST_DATABASE_URL, "a PostgreSQL database needs TEST_DATABASE_URL"
    admin = create_engine(sync_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One migrated PostgreSQL database for the whole session; tests truncate it, not recreate it."""
    with scratch_postgres_database(f"journeybot_test_{os.getpid()}") as url:
        command.upgrade(alembic_config(url), "head")
        yield url


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database on each backend under test."""
    if request.param == "sqlite":
        path = tmp_path / "journeybot.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        db = Database(f"sqlite:///{path}")
    else:
        db = Database(request.getfixturevalue("postgres_url"))
        tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
        async with db.engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
def store(database: Database) -> Store:
    return Store(database)


# Fail the run when PostgreSQL was asked for but never actually tested ------------------------------
# Each PostgreSQL test carries a mark in its report's user_properties, which pytest-xdist sends from
# the worker that ran it to the main process: the count is made there, over every worker's tests.

_POSTGRES = ("database", "postgresql")
_postgres_passed = 0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgresql" in callspec.params.values():
            item.user_properties.append(_POSTGRES)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    global _postgres_passed
    if report.when == "call" and report.passed and _POSTGRES in report.user_properties:
        _postgres_passed += 1


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _postgres_untested() -> bool:
    return bool(TEST_DATABASE_URL) and _postgres_passed == 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _is_xdist_worker(session.config):  # a worker may have drawn no PostgreSQL test; the total counts
        return
    if _postgres_untested() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TEST_DATABASE_URL:
        where = make_url(TEST_DATABASE_URL)  # rendered without the password
        terminalreporter.write_line(f"PostgreSQL: {_postgres_passed} test(s) passed on {where}")
    if _postgres_untested():
        terminalreporter.write_line(
            "FAILED: TEST_DATABASE_URL is set but no test passed on PostgreSQL; "
            "the store would ship untested on the production database.",
            red=True,
            bold=True,
        )
