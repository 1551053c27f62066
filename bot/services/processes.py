"""Which bot processes are alive: each beats in the database, and a silent one's claims are taken over."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock
from storage import queries_processes as q
from storage.db import SessionFactory
from storage.db import unit_of_work

BEAT_EVERY = timedelta(seconds=10)
LEASE = timedelta(seconds=30)
"""How long a process may stay silent before what it claimed is taken over: three missed beats."""
FORGET_AFTER = timedelta(days=1)


class ProcessRegistry:
    def __init__(self, *, sessions: SessionFactory, clock: Clock, process_id: str) -> None:
        self._sessions = sessions
        self._clock = clock
        self.process_id = process_id

    def beat(self, *, leader: bool = False) -> None:
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            q.beat(session=session, process_id=self.process_id, now=now, leader=leader)
            q.forget_silent(session=session, silent_since=now - FORGET_AFTER)

    def leave(self) -> None:
        """A clean stop: nothing of ours is in flight any more, so nobody need wait for our lease."""
        with unit_of_work(self._sessions) as session:
            q.forget(session=session, process_id=self.process_id)
