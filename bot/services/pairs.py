"""Getting to know each other in pairs: rounds that pair a network's members in a group DM.

A facilitator starts the rounds (every week or every two weeks, from now, at this local time of day) and
stops them. Each round is claimed once under its key, with its groups, in one unit of work that also
records one outbox item per group: the publishing layer opens the group DM and posts the two questions,
so a round is made once across restarts and processes, and each group is greeted once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.errors import InvalidInput
from bot.services import access
from bot.services import lookups
from bot.services.due_runs import CATCH_UP_GRACE
from bot.services.due_runs import DueRun
from bot.services.due_runs import RecurringRuns
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.pairing import pair_up
from bot.services.service import Service
from storage import queries
from storage import queries_pairs as q
from storage.db import unit_of_work
from storage.models import Network
from storage.models import PairingRound
from storage.models import PairingSchedule
from storage.models.pairs import PAIRING_EVERY_WEEKS


@dataclass(frozen=True, slots=True)
class PairingOverview:
    active: bool
    every_weeks: int
    next_round_at: datetime | None
    rounds: int
    timezone: str


@dataclass(frozen=True, slots=True)
class PairedMember:
    user_id: str
    gives: str
    wants: str


@dataclass(frozen=True, slots=True)
class PairingGroupPost:
    """What a group's message is made of: who, and what they said they bring and want to learn."""

    group_id: int
    network_name: str
    language: str
    members: list[PairedMember]


def round_key(network_id: int, run_date: date) -> str:
    return f"pairs/{network_id}/{run_date.isoformat()}"


def round_at(schedule: PairingSchedule, timezone: str, number: int) -> datetime:
    """The UTC moment of round `number` (0 is the first): the first round's local time of day, every
    `every_weeks` weeks, whatever daylight saving did in between."""
    zone = ZoneInfo(timezone)
    first = schedule.starts_at.astimezone(zone)
    local = first.replace(tzinfo=None) + timedelta(weeks=schedule.every_weeks * number)
    return local.replace(tzinfo=zone).astimezone(UTC)


def due_round(schedule: PairingSchedule, timezone: str, now: datetime) -> tuple[date, datetime] | None:
    """The latest round at or before `now` if it came at most CATCH_UP_GRACE ago (its local date, moment)."""
    if not schedule.active or now < schedule.starts_at:
        return None
    number = (now - schedule.starts_at).days // (7 * schedule.every_weeks) + 1
    while number >= 0 and round_at(schedule, timezone, number) > now:
        number -= 1
    if number < 0:
        return None
    moment = round_at(schedule, timezone, number)
    if now - moment > CATCH_UP_GRACE:
        return None
    return moment.astimezone(ZoneInfo(timezone)).date(), moment


def _due(network: Network, schedule: PairingSchedule | None, now: datetime) -> tuple[date, datetime] | None:
    return due_round(schedule, network.timezone, now) if schedule is not None else None


ROUNDS = RecurringRuns(
    name="pairing round",
    schedules=q.live_networks_pairing,
    schedule_of=q.get_schedule,
    due=_due,
    key=round_key,
    claimed_keys=q.existing_round_keys,
    lock=True,
)


class PairsService(Service):
    def overview(self, *, network_id: int, user_id: str) -> PairingOverview:
        """The rounds as they stand, for a facilitator.

        Raises NotAMember, NotAFacilitator, ChannelNotLinked."""
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id)
            return self._overview(session, network)

    def start(
        self, *, network_id: int, user_id: str, every_weeks: str, requester: Requester | None = None
    ) -> PairingOverview:
        """Start (or change) the rounds: the first one now, then every `every_weeks` weeks.

        Raises InvalidInput (`every_weeks`) for a rhythm other than 1 or 2 weeks, NotAMember or
        NotAFacilitator, ChannelNotLinked. A round already made today is not made again.
        """
        weeks = int(every_weeks) if every_weeks.isdecimal() else 0
        if weeks not in PAIRING_EVERY_WEEKS:
            raise InvalidInput({"every_weeks": ("pairs.error.choose", {})})
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id, lock=True)
            schedule = q.get_schedule(session=session, network_id=network_id) or PairingSchedule(
                network_id=network_id,
                every_weeks=weeks,
                starts_at=now,
                active=True,
                updated_by=user_id,
                updated_at=now,
            )
            schedule.every_weeks, schedule.starts_at, schedule.active = weeks, now, True
            schedule.updated_by, schedule.updated_at = user_id, now
            q.save_schedule(session=session, schedule=schedule)
            self._outbox.notice(session, requester, f"pairs.started.{weeks}", language=network.language)
            return self._overview(session, network)

    def stop(self, *, network_id: int, user_id: str, requester: Requester | None = None) -> None:
        """Stop the rounds (stopping rounds that are not running changes nothing). Raises NotAMember or
        NotAFacilitator, ChannelNotLinked."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id, lock=True)
            schedule = q.get_schedule(session=session, network_id=network_id)
            if schedule is not None and schedule.active:
                schedule.active, schedule.updated_by, schedule.updated_at = False, user_id, now
                q.save_schedule(session=session, schedule=schedule)
            self._outbox.notice(session, requester, "pairs.stopped", language=network.language)

    def _overview(self, session: Session, network: Network) -> PairingOverview:
        schedule = q.get_schedule(session=session, network_id=network.id or 0)
        rounds = q.rounds_of(session=session, network_id=network.id or 0)
        if schedule is None or not schedule.active:
            return PairingOverview(
                False, schedule.every_weeks if schedule else 1, None, rounds, network.timezone
            )
        now = self._clock.now()
        number = 0
        while round_at(schedule, network.timezone, number) <= now:
            number += 1
        return PairingOverview(
            True, schedule.every_weeks, round_at(schedule, network.timezone, number), rounds, network.timezone
        )

    # ------------------------------------------------------------------ the rounds, claimed once

    def due_rounds(self) -> list[int]:
        """The networks whose latest round is due, not paused and not yet claimed."""
        return ROUNDS.due_networks(self._sessions, self._clock.now())

    def claim_round(self, *, network_id: int) -> int | None:
        """Make the network's due round if nobody did: pair its members and record one group DM per
        group. How many groups, or None when there was nothing to do (not due, paused, claimed already).

        Members who left or were forgotten have no membership and are not paired.
        """
        return ROUNDS.claim(self._sessions, network_id, self._clock.now(), self._make_round)

    def _make_round(self, session: Session, due: DueRun[PairingSchedule]) -> int:
        members = [m.user_id for m in queries.list_memberships(session=session, network_id=due.network_id)]
        groups = pair_up(members, q.past_groups(session=session, network_id=due.network_id))
        made = q.add_round(
            session=session,
            pairing_round=PairingRound(
                network_id=due.network_id, key=due.key, run_date=due.run_date, claimed_at=due.claimed_at
            ),
            groups=groups,
        )
        for group in q.groups_of_round(session=session, round_id=made.id or 0):
            self._outbox.record(session, EffectKind.PAIRS_GROUP, key=f"pairs-{group.id}", group_id=group.id)
        return len(groups)

    def group_post(self, *, group_id: int) -> PairingGroupPost | None:
        """A group's message as it stands; None once the network or the group is gone."""
        with unit_of_work(self._sessions) as session:
            found = q.group_members(session=session, group_id=group_id)
            if found is None:
                return None
            group, user_ids = found
            network = access.find_live_network(session, group.network_id)
            if network is None or len(user_ids) < 2:
                return None
            intros = q.intros_of(session=session, network_id=group.network_id, user_ids=user_ids)
            return PairingGroupPost(
                group_id=group_id,
                network_name=network.name,
                language=network.language,
                members=[
                    PairedMember(
                        user_id=u,
                        gives=intros[u].gives if u in intros else "",
                        wants=intros[u].wants if u in intros else "",
                    )
                    for u in user_ids
                ],
            )


def export_pairing(session: Session, *, network_id: int) -> list[dict[str, object]]:
    """The network's pairing rounds for the export: each round's local date and its groups."""
    return [
        {"run_date": pairing_round.run_date.isoformat(), "groups": groups}
        for pairing_round, groups in q.rounds_with_groups(session=session, network_id=network_id)
    ]
