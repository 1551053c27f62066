"""A network's recurring run, claimed once: the check-in polls, the summary digests, the pairing rounds.

Each kind of run has a rule for when a network's latest run was due and a unique key per network and
local run date. A run is due when its time has come (at most a grace period ago, as the rule has it), no
pause covers that moment, and no run was added under its key yet. The caller adds the run under the key
in the claim's own unit of work: of two processes racing for it, the second one's insert fails, and that
claim comes to nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Generic
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.services import access
from bot.services.pauses import covers_in
from storage.db import SessionFactory
from storage.db import unit_of_work
from storage.models import Network

log = logging.getLogger(__name__)

CATCH_UP_GRACE = timedelta(hours=6)
"""A run missed while no process ran the scheduler is still made this long after its time; one missed
for longer (the bot was down) is skipped, not made late."""

ScheduleT = TypeVar("ScheduleT")
ClaimT = TypeVar("ClaimT")


@dataclass(frozen=True, slots=True)
class DueRun(Generic[ScheduleT]):
    """A run found due and not yet claimed, in the unit of work that is claiming it."""

    network: Network
    schedule: ScheduleT | None
    key: str
    run_date: date
    """The local date the run belongs to."""
    runs_at: datetime
    claimed_at: datetime

    @property
    def network_id(self) -> int:
        return self.network.id or 0


@dataclass(frozen=True, slots=True)
class RecurringRuns(Generic[ScheduleT]):
    """One kind of recurring run; the queries are called with keywords, as storage's queries take them."""

    name: str
    """What the log calls one run: "digest", "pairing round"."""
    schedules: Callable[..., Iterable[tuple[Network, ScheduleT | None]]]
    """(session): every live network that may have runs, with its schedule."""
    schedule_of: Callable[..., ScheduleT | None]
    """(session, network_id): the network's schedule."""
    due: Callable[[Network, ScheduleT | None, datetime], tuple[date, datetime] | None]
    """The network's latest run (its local date, its moment) if it is due at `now`."""
    key: Callable[[int, date], str]
    claimed_keys: Callable[..., Collection[str]]
    """(session, keys): those of `keys` that runs were added under."""
    lock: bool = False
    """Lock the network's row while claiming (when the run reads what a facilitator may be changing)."""

    def due_networks(self, sessions: SessionFactory, now: datetime) -> list[int]:
        """The networks whose latest run is due at `now`, not paused and not yet claimed."""
        with unit_of_work(sessions) as session:
            candidates: dict[str, int] = {}
            for network, schedule in self.schedules(session=session):
                due = self.due(network, schedule, now)
                if due is not None and not covers_in(session, network, due[1]):
                    candidates[self.key(network.id or 0, due[0])] = network.id or 0
            claimed = self.claimed_keys(session=session, keys=list(candidates))
        return [network_id for key, network_id in candidates.items() if key not in claimed]

    def claim(
        self,
        sessions: SessionFactory,
        network_id: int,
        now: datetime,
        add: Callable[[Session, DueRun[ScheduleT]], ClaimT],
    ) -> ClaimT | None:
        """Claim the network's latest run if it is due at `now` and nobody claimed it: `add` adds it under
        its key, and what `add` returns is the claim. None when the network is gone, the run is not due,
        a pause covers it, or another process claimed it (here or in a race)."""
        try:
            with unit_of_work(sessions) as session:
                run = self._due_in(session, network_id, now)
                return add(session, run) if run is not None else None
        except IntegrityError:
            log.info("the %s of network %s was claimed by another process", self.name, network_id)
            return None

    def _due_in(self, session: Session, network_id: int, now: datetime) -> DueRun[ScheduleT] | None:
        network = access.find_live_network(session, network_id, lock=self.lock)
        if network is None:
            return None
        schedule = self.schedule_of(session=session, network_id=network_id)
        due = self.due(network, schedule, now)
        if due is None or covers_in(session, network, due[1]):
            return None
        key = self.key(network_id, due[0])
        if self.claimed_keys(session=session, keys=[key]):
            return None
        return DueRun(network, schedule, key, run_date=due[0], runs_at=due[1], claimed_at=now)
