"""Fixtures shared by the whole suite: databases (SQLite and PostgreSQL), the clock, and a sandbox
workspace with one member."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from bot.sandbox.emulator import SlackEmulator
from storage.db import create_db_engine
from storage.db import migrate
from storage.db import session_factory
from storage.models import metadata
from tests.factories import CHANNEL_ID
from tests.factories import MEMBER_IDS

POSTGRES_ADMIN_URL = os.environ.get(
    "NETWERKBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ON_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_unreachable_reason() -> str | None:
    engine = create_db_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        return (
            f"PostgreSQL is not reachable at {make_url(POSTGRES_ADMIN_URL).render_as_string()}: "
            + (str(error).strip().splitlines()[0])
        )
    finally:
        engine.dispose()
    return None


def pytest_report_header(config: pytest.Config) -> str:
    problem = _postgres_unreachable_reason()
    if problem is None:
        return f"PostgreSQL: {make_url(POSTGRES_ADMIN_URL).render_as_string()} (a fresh database per run)"
    if ON_CI:
        return f"PostgreSQL: {problem}; on CI its tests FAIL instead of being skipped"
    return f"PostgreSQL: {problem}; its tests are skipped"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of its own for this test run, migrated, dropped at the end."""
    problem = _postgres_unreachable_reason()
    if problem is not None:
        if ON_CI:
            pytest.fail(f"{problem} (CI=true: PostgreSQL tests may not be skipped)")
        pytest.skip(f"{problem}: PostgreSQL tests skipped")
    name = f"netwerkbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    migrate(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies, so migrations run once per run."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database on each backend; every test starts from nothing."""
    if request.param == "sqlite":
        path = tmp_path / "netwerk.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    _empty_all_tables(url)


def _empty_all_tables(url: str) -> None:
    engine = create_db_engine(url)
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine):  # type: ignore[no-untyped-def]
    return session_factory(engine)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 9, 14, 8, 0, tzinfo=UTC))


@pytest.fixture
def workspace() -> Iterator[SlackEmulator]:
    """A running sandbox workspace with one Flemish member, MEMBER_IDS[0] (joke), in one channel,
    #netwerk (CHANNEL_ID)."""
    with SlackEmulator() as emulator:
        emulator.add_user(MEMBER_IDS[0], "joke", locale="nl-BE")
        emulator.add_channel(CHANNEL_ID, "netwerk", members=[MEMBER_IDS[0]])
        yield emulator
