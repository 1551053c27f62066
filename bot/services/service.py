"""What every service is given."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.clock import Clock
from bot.services.outbox import Outbox
from bot.services.respondents import Respondents
from storage.db import SessionFactory
from storage.db import unit_of_work
from storage.models import Network


class Service:
    """A service opens its units of work from `sessions`, reads the time from `clock`, and records
    the effects of its writes in `outbox` (without one, an outbox whose items `process_id` owns, or
    none: a live process carries them out at its next sweep). `process_id` signs this process's claims
    (see bot.services.processes)."""

    def __init__(
        self,
        *,
        sessions: SessionFactory,
        clock: Clock,
        outbox: Outbox | None = None,
        process_id: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._outbox = outbox or Outbox(clock=clock, process_id=process_id)
        self._process_id = process_id

    def _today(self, network: Network) -> date:
        """The date it is now where the network meets (its time zone)."""
        return self._clock.now().astimezone(ZoneInfo(network.timezone)).date()

    def _claim_each(
        self,
        find_due: Callable[[Session, datetime], Iterable[int]],
        claim: Callable[[Session, int, datetime], bool],
    ) -> int:
        """Claim each row `find_due` finds due now, each in a unit of work of its own, so that each claim
        commits with its effects whatever becomes of the next; how many this process claimed."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            due = list(find_due(session, now))
        claimed = 0
        for row_id in due:
            with unit_of_work(self._sessions) as session:
                claimed += claim(session, row_id, now)
        return claimed


class AnswerKeepingService(Service):
    """A service that keeps members' answers anonymous: who answered is only `respondents`' keyed hash."""

    def __init__(
        self,
        *,
        sessions: SessionFactory,
        clock: Clock,
        outbox: Outbox | None = None,
        respondents: Respondents | None = None,
    ) -> None:
        super().__init__(sessions=sessions, clock=clock, outbox=outbox)
        self._respondents = respondents or Respondents()
