"""The roster import's bulk reads and writes: plain SQL through the driver, set-based upserts.

A roster is a whole organisation (100,000 people in the benchmark), so, as the planner does
(``bot/scheduling/sql.py``), these statements bypass SQLAlchemy's per-value type processing: the
people and identities are read once as the driver's tuples, and written with
``INSERT … ON CONFLICT … DO UPDATE`` — on SQLite one ``executemany`` (in-process and cheap), on
PostgreSQL one statement per few thousand rows, the rows sent as one JSON document
(``json_to_recordset``; an ``executemany`` there costs a round trip per row). They run inside the
import's one transaction (the session's connection), so all-or-nothing holds. The schema is
Alembic's; the roster tests run these statements on both backends.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import PersonRow

# The columns the roster owns (besides the email), in the order they are read and written.
ROSTER_COLUMNS = ("name", "timezone", "timezone_explicit", "team", "manager_email", "roles")
JSON_TEXT = frozenset({"roles"})  # JSON columns carried as their text (cast on PostgreSQL)
CHUNK = 10_000  # rows per upsert (and per step of the progress bar)
Owners = dict[tuple[str, str], tuple[int, str]]  # (platform, user id) -> (person id, their email)
Progress = Callable[[int], None]  # told how many more rows are done


class RosterSql:
    def __init__(self, driver: Any, postgres: bool) -> None:
        self.driver = driver
        self.postgres = postgres
        self.mark = "%s" if postgres else "?"

    @classmethod
    async def of(cls, session: AsyncSession) -> RosterSql:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        return cls(raw.driver_connection, connection.dialect.name == "postgresql")

    async def people(self) -> dict[str, dict[str, Any]]:
        """Everyone's roster columns, by email, as stored: roles as their JSON text (compared as text,
        not decoded: the import writes them as the ORM does, ``json.dumps`` of the list), the flag a bool."""
        roles_text = "roles::text" if self.postgres else "roles"
        columns = ", ".join(ROSTER_COLUMNS).replace("roles", roles_text)
        rows = await self._rows(f"SELECT email, {columns} FROM people")
        people = {}
        for email, name, timezone, explicit, team, manager, roles in rows:
            people[email] = {
                "name": name, "timezone": timezone, "timezone_explicit": bool(explicit), "team": team,
                "manager_email": manager, "roles": roles,
            }  # fmt: skip
        return people

    async def ids(self) -> dict[str, int]:
        return {email: person_id for person_id, email in await self._rows("SELECT id, email FROM people")}

    async def owners(self, platforms: Sequence[str]) -> Owners:
        marks = ", ".join([self.mark] * len(platforms))
        rows = await self._rows(
            "SELECT i.platform, i.user_id, p.id, p.email FROM identities i JOIN people p ON p.id = i.person_id "
            f"WHERE i.platform IN ({marks})",
            tuple(platforms),
        )
        return {(platform, user_id): (person_id, email) for platform, user_id, person_id, email in rows}

    async def upsert_people(self, rows: list[dict[str, Any]], now: datetime, progress: Progress) -> None:
        """Insert new people and update changed ones (``rows``: the email and the roster's columns).

        New people get the models' defaults for everything the roster does not own. A person whose
        time zone or team changes is planned again at the next tick (``next_due_at`` cleared: when
        they are due may have moved); ``updated_at`` moves, so a planner's claim sees the change."""
        distinct = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        update = ", ".join(f"{c} = excluded.{c}" for c in (*ROSTER_COLUMNS, "updated_at"))
        conflict = (
            f"ON CONFLICT (email) DO UPDATE SET {update}, next_due_at = CASE WHEN people.timezone {distinct} "
            f"excluded.timezone OR people.team {distinct} excluded.team THEN NULL ELSE people.next_due_at END"
        )
        stamp = self._stamp(now)
        values = [
            (row["email"], row["name"], row["timezone"], row["timezone_explicit"], row["team"],
             row["manager_email"], row["roles"], stamp, stamp)
            for row in rows
        ]  # fmt: skip
        await self._write("people", _PEOPLE_TYPES, values, _defaults(self.postgres), conflict, progress)

    async def upsert_identities(self, rows: list[tuple[str, str, int]], now: datetime) -> None:
        """(platform, user id, person id): new identities inserted, moved ones pointed at their person."""
        conflict = (
            "ON CONFLICT (platform, user_id) DO UPDATE SET person_id = excluded.person_id, "
            "updated_at = excluded.updated_at"
        )
        stamp = self._stamp(now)
        values = [(platform, user_id, person_id, stamp) for platform, user_id, person_id in rows]
        await self._write("identities", _IDENTITY_TYPES, values, {"tenant": ""}, conflict, lambda _done: None)

    async def _write(
        self,
        table: str,
        types: dict[str, str],
        rows: list[tuple[Any, ...]],
        constants: dict[str, Any],
        conflict: str,
        progress: Progress,
    ) -> None:
        columns = ", ".join((*types, *constants))
        if self.postgres and rows:
            # COPY into a staging table, then one set-based upsert from it per chunk: COPY is
            # PostgreSQL's fastest way in, and the upsert is one statement for thousands of rows.
            stage = f"roster_stage_{table}"
            record = ", ".join(f"{name} {kind}" for name, kind in types.items())
            fields = ", ".join(f"{name}::json" if name in JSON_TEXT else name for name in types)
            await self._execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} ({record}) ON COMMIT DROP")
            upsert = f"INSERT INTO {table} ({columns}) SELECT {fields}{', %s' * len(constants)} FROM {stage} {conflict}"
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if self.postgres:
                async with self.driver.cursor() as cursor, cursor.copy(f"COPY {stage} FROM STDIN") as copy:
                    for row in chunk:
                        await copy.write_row(row)
                await self._execute(upsert, tuple(constants.values()))
                await self._execute(f"TRUNCATE {stage}")
            else:
                marks = ", ".join("?" * (len(types) + len(constants)))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) {conflict}"
                fixed = tuple(constants.values())
                await (await self.driver.executemany(sql, [(*row, *fixed) for row in chunk])).close()
            progress(len(chunk))

    async def _execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        await (await self.driver.execute(sql, parameters)).close()

    def _stamp(self, now: datetime) -> str:
        """A timestamp as each backend stores it: SQLite naive UTC text (SQLAlchemy's own format)."""
        now = now.astimezone(UTC)
        return now.isoformat() if self.postgres else now.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")

    async def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = await self.driver.execute(sql, parameters)
        try:
            return list(await cursor.fetchall())
        finally:
            await cursor.close()


_PEOPLE_TYPES = {  # the columns written per row, with their type in a PostgreSQL record
    "email": "text", "name": "text", "timezone": "text", "timezone_explicit": "boolean", "team": "text",
    "manager_email": "text", "roles": "text", "created_at": "timestamptz", "updated_at": "timestamptz",
}  # fmt: skip
_IDENTITY_TYPES = {"platform": "text", "user_id": "text", "person_id": "integer", "updated_at": "timestamptz"}


def _defaults(postgres: bool) -> dict[str, Any]:
    """What the model gives a new person in the columns nobody writes here, as the driver takes it:
    read from ``PersonRow``'s own defaults, so the two cannot drift apart."""
    written = {*_PEOPLE_TYPES, "id"}
    defaults = {}
    for column in PersonRow.__table__.columns:
        if column.name in written or column.default is None:
            continue
        value = column.default.arg(None) if column.default.is_callable else column.default.arg
        if isinstance(value, list | dict):
            value = json.dumps(value)
        elif isinstance(value, bool) and not postgres:
            value = int(value)
        defaults[column.name] = value
    return defaults
