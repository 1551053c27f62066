"""The network the benchmarks start: Dutch, organised, of members in the same role, on Brussels time; the
database it is kept in; what a benchmark reads back of it from there, and how many statements it took."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from typing import Any

from bot.services.networks import NetworkDetails

if TYPE_CHECKING:
    from sqlalchemy import Engine


def network_details(name: str, goal: str = "") -> NetworkDetails:
    """What the facilitator fills in at `/netwerk start`, as the benchmarks fill it in."""
    return NetworkDetails(
        name=name,
        goal=goal,
        origin="organised",
        composition="same_role",
        language="nl",
        timezone="Europe/Brussels",
    )


def read_number(database_url: str, query: str) -> int:
    """The one number `query` reads from the database (0 for none), on an engine of its own."""
    from sqlalchemy import text

    from storage.db import create_db_engine

    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(query)).scalar() or 0)
    finally:
        engine.dispose()


@contextmanager
def fresh_database(url: str | None) -> Iterator[str]:
    """A temporary SQLite file, or a new database on the PostgreSQL server of `url`, dropped afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    if url is None:
        with tempfile.TemporaryDirectory(prefix="netwerkbot-bench-") as directory:
            yield f"sqlite:///{directory}/bench.db"
        return
    name = f"netwerkbot_bench_{uuid.uuid4().hex[:10]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@contextmanager
def counted_statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements `engine` sends while the block runs, in order."""
    from sqlalchemy import event

    statements: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
