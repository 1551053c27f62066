"""A network's pauses: between two dates its recurring posts are skipped.

`covers` is the one check every scheduled job asks before it claims a run: the check-in polls, their
reminders, the summary digests and the pairing rounds (and whatever timed post comes next). A run whose
moment falls in a pause is skipped for good, never posted after the pause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.errors import InvalidInput
from bot.errors import PauseNotFound
from bot.services import access
from bot.services import lookups
from bot.services.outbox import Requester
from bot.services.service import Service
from storage import queries_pauses as q
from storage.db import unit_of_work
from storage.models import Network
from storage.models import NetworkPause


@dataclass(frozen=True, slots=True)
class Pause:
    pause_id: int
    starts_on: date
    ends_on: date


def covers_in(session: Session, network: Network, moment: datetime) -> bool:
    """Whether a pause of `network` covers `moment` (the local date in the network's time zone), inside
    the caller's unit of work: the form of `PauseService.covers` for a service that is claiming a run."""
    day = moment.astimezone(ZoneInfo(network.timezone)).date()
    return q.covering(session=session, network_id=network.id or 0, day=day) is not None


class PauseService(Service):
    def covers(self, network_id: int, moment: datetime) -> bool:
        """Whether the network is paused at `moment`: a pause's first date up to and including its last,
        as local dates in the network's time zone. A scheduled job skips a run whose moment is covered
        (its due time, not the time the job runs, so a run missed in a pause is never posted afterwards).
        A network that is gone is not paused."""
        with unit_of_work(self._sessions) as session:
            network = session.get(Network, network_id)
            return network is not None and covers_in(session, network, moment)

    def upcoming(self, *, network_id: int, user_id: str) -> list[Pause]:
        """The network's pauses that are not over yet, in date order, for a facilitator. Raises
        NotAMember, NotAFacilitator, ChannelNotLinked."""
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id)
            return _upcoming(session, network, self._clock.now())

    def today(self, *, network_id: int) -> date:
        """The network's local date now: where a pause may start at the earliest."""
        with unit_of_work(self._sessions) as session:
            network = access.live_network(session, network_id)
            return self._today(network)

    def add(
        self,
        *,
        network_id: int,
        user_id: str,
        starts_on: date | None,
        ends_on: date | None,
        requester: Requester | None = None,
    ) -> Pause:
        """Pause the network from `starts_on` up to and including `ends_on` (local dates).

        Raises InvalidInput (`starts_on`, `ends_on`) for a missing date, an end before the start, a start
        in the past or a pause overlapping another; NotAMember or NotAFacilitator; ChannelNotLinked.
        """
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id, lock=True)
            today = self._today(network)
            _check(session, network_id, starts_on, ends_on, today)
            assert starts_on is not None and ends_on is not None
            pause = q.add(
                session=session,
                pause=NetworkPause(
                    network_id=network_id,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    created_by=user_id,
                    created_at=self._clock.now(),
                ),
            )
            self._outbox.notice(
                session,
                requester,
                "pause.saved",
                language=network.language,
                days={"starts_on": starts_on, "ends_on": ends_on},
            )
            return Pause(pause.id or 0, pause.starts_on, pause.ends_on)

    def remove(
        self, *, network_id: int, pause_id: int, user_id: str, requester: Requester | None = None
    ) -> None:
        """Remove one of the network's pauses. Raises PauseNotFound (a double click, another network's
        pause), NotAMember or NotAFacilitator, ChannelNotLinked."""
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id, lock=True)
            pause = q.get(session=session, pause_id=pause_id)
            if pause is None or pause.network_id != network_id:
                raise PauseNotFound()
            q.delete(session=session, pause=pause)
            self._outbox.notice(
                session,
                requester,
                "pause.removed",
                language=network.language,
                days={"starts_on": pause.starts_on, "ends_on": pause.ends_on},
            )


def upcoming_in(session: Session, network: Network, now: datetime) -> list[Pause]:
    """The pauses not over yet at `now`, for a view of the network's schedule (the summary, the polls')."""
    return _upcoming(session, network, now)


def _upcoming(session: Session, network: Network, now: datetime) -> list[Pause]:
    today = now.astimezone(ZoneInfo(network.timezone)).date()
    return [
        Pause(p.id or 0, p.starts_on, p.ends_on)
        for p in q.pauses_of(session=session, network_id=network.id or 0, ending_on_or_after=today)
    ]


def _check(
    session: Session, network_id: int, starts_on: date | None, ends_on: date | None, today: date
) -> None:
    if starts_on is None:
        raise InvalidInput({"starts_on": ("pause.error.missing", {})})
    if ends_on is None:
        raise InvalidInput({"ends_on": ("pause.error.missing", {})})
    if starts_on < today:
        raise InvalidInput({"starts_on": ("pause.error.in_the_past", {})})
    if ends_on < starts_on:
        raise InvalidInput({"ends_on": ("pause.error.end_before_start", {})})
    other = q.overlapping(session=session, network_id=network_id, starts_on=starts_on, ends_on=ends_on)
    if other is not None:
        raise InvalidInput(
            {
                "starts_on": (
                    "pause.error.overlaps",
                    {"starts_on": other.starts_on.isoformat(), "ends_on": other.ends_on.isoformat()},
                )
            }
        )


def export_pauses(session: Session, *, network_id: int) -> list[dict[str, str]]:
    """The network's pauses for the export, in date order."""
    return [
        {"starts_on": p.starts_on.isoformat(), "ends_on": p.ends_on.isoformat()}
        for p in q.pauses_of(session=session, network_id=network_id)
    ]
