"""Waking the processes that work requests when another process records one (PostgreSQL LISTEN/NOTIFY).

A web-only process records requests for the workers of other processes; without a signal those find them
only by looking again and again. On PostgreSQL the recording transaction sends a notification, delivered
at its commit, and a worker waiting on `Wakeups` looks at once. SQLite has no such signal (and is not
shared between processes in production): there `Wakeups` never wakes early, and the worker's own interval
is all there is.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import text

log = logging.getLogger(__name__)

CHANNEL = "netwerkbot_requests"


def announce(connection: Connection) -> None:
    """Tell the listening workers that requests wait; sent when the transaction of `connection` commits."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


class Wakeups:
    """One dedicated connection listening on CHANNEL; `wait` returns as soon as a notification came.

    A lost connection (a database restart) is opened again at the next wait; until then `wait` only
    sleeps, so the caller falls back to its interval and misses nothing.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._listening: Any = None

    @property
    def listens(self) -> bool:
        return self._engine.dialect.name == "postgresql"

    def wait(self, timeout: float) -> bool:
        """Until a notification arrives (True) or `timeout` seconds have passed (False)."""
        if not self.listens:
            time.sleep(timeout)
            return False
        try:
            connection = self._connection()
            woken = any(True for _ in connection.notifies(timeout=timeout, stop_after=1))
        except Exception as error:
            log.warning("not listening for new requests (%s); looking for them every interval", error)
            self.close()
            time.sleep(timeout)
            return False
        return woken

    def close(self) -> None:
        if self._listening is not None:
            try:
                self._listening.close()
            except Exception:
                log.debug("closing the listening connection failed", exc_info=True)
            self._listening = None

    def _connection(self) -> Any:
        """The psycopg connection LISTENing on CHANNEL, taken out of the pool for good."""
        if self._listening is None:
            pooled = self._engine.raw_connection()
            pooled.detach()
            connection = pooled.dbapi_connection
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANNEL}")
            self._listening = connection
        return self._listening
