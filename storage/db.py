"""Engines, sessions and migrations."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage import queries_inbound
from storage import queries_outbox

SessionFactory = Callable[[], Session]

# Any number to serialise concurrent `migrate` runs of several bot processes on one PostgreSQL database.
_MIGRATION_LOCK_ID = 0x4E657477


def create_db_engine(url: str, **options: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    if make_url(url).get_backend_name() == "sqlite":
        options.setdefault("connect_args", {}).update({"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _configure_sqlite_connection)
    else:
        options.setdefault("pool_pre_ping", True)
        engine = create_engine(url, **options)
    event.listen(engine, "begin", _forget_writes)
    event.listen(engine, "before_cursor_execute", _note_write)
    return engine


_WROTE = "netwerkbot_wrote"


def _forget_writes(connection: Any) -> None:
    connection.info.pop(_WROTE, None)


def _note_write(
    connection: Any, _cursor: Any, _statement: str, _parameters: Any, context: Any, *_: Any
) -> None:
    # A request worked after its acknowledgement is settled with its first write (storage.queries_inbound):
    # the transaction has to know whether it wrote anything.
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        connection.info[_WROTE] = True


def _wrote(session: Session) -> bool:
    return session.in_transaction() and bool(session.connection().info.get(_WROTE))


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit: services return them to handlers that render them.
    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False)


@contextmanager
def unit_of_work(sessions: SessionFactory) -> Iterator[Session]:
    """A session whose work is committed once at the end, or rolled back whole on any error."""
    session = sessions()
    try:
        yield session
        # What the ORM would write at the commit is written now, so that the settlement sees it.
        session.flush()
        queries_inbound.settle_with(session, wrote=_wrote(session))
        session.commit()
    except BaseException:
        session.rollback()
        queries_outbox.forget_rolled_back(session)
        queries_inbound.forget_rolled_back(session)
        raise
    finally:
        session.close()
    queries_outbox.hand_over_committed(session)
    queries_inbound.settled_committed(session)


def ping(engine: Engine) -> bool:
    """Whether the database answers a trivial query now."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision of every branch; safe from several processes at once."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
