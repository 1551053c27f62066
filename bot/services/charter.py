"""The network's charter: what the group agreed and where it is going, kept in one place in Slack.

The charter is read from the network as it stands (its goal, who takes part, the agreements, the
learning goals with the most votes, the latest lessons) whenever something in it may have changed;
whoever writes it to Slack compares it with what was written last, so that many changes in a row come
down to one write. Confidential cases never appear on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services import access
from bot.services.agreements import accepted_among
from bot.services.expectations import GoalLine
from bot.services.expectations import network_goals
from bot.services.journey import PlannedSession
from bot.services.journey import load_plan
from bot.services.lessons import LessonLine
from bot.services.lessons import latest_open_lessons
from bot.services.service import Service
from storage import queries
from storage import queries_charter
from storage import queries_kickoff
from storage.db import unit_of_work
from storage.models import Network
from storage.models import NetworkCharter
from storage.models import Role

TOP_GOALS = 5
LATEST_LESSONS = 3


@dataclass(frozen=True, slots=True)
class Charter:
    network_id: int
    channel_id: str
    name: str
    goal: str
    origin: str
    composition: str
    language: str
    started_on: date
    facilitator_ids: list[str]
    expert_ids: list[str]
    member_count: int
    agreements: str
    """The current agreements' text; empty while none were posted."""
    accepted: int
    """How many current members accepted the current agreements."""
    top_goals: list[GoalLine]
    lessons: list[LessonLine]
    journey: list[PlannedSession] = field(default_factory=list)
    """The trajectory's sessions with their dates, themes and roles; empty while none is planned."""
    timezone: str = "Europe/Brussels"


@dataclass(frozen=True, slots=True)
class CharterPlace:
    """Where the charter was last written, and what (by hash): nothing yet is all None and ""."""

    canvas_id: str | None = None
    pinned_ts: str | None = None
    written_hash: str = ""


CharterWriter = Callable[[Charter, CharterPlace], CharterPlace]
"""Writes the charter where it belongs (in Slack) and says where it is now."""


class CharterService(Service):
    def rewrite(self, *, network_id: int, write: CharterWriter) -> None:
        """Hand `write` the charter as it stands and where it was written last, and keep where it
        says the charter is now.

        The network stays locked meanwhile: one process at a time rewrites a network's charter, so
        two never both create its canvas. An archived or erased network's charter is left alone.
        """
        with unit_of_work(self._sessions) as session:
            network = access.find_live_network(session, network_id, lock=True)
            if network is None:
                return
            row = queries_charter.get(session=session, network_id=network_id)
            place = (
                CharterPlace()
                if row is None
                else CharterPlace(row.canvas_id, row.pinned_ts, row.written_hash)
            )
            written = write(_charter(session, network), place)
            if written == place:
                return
            row = row or NetworkCharter(network_id=network_id)
            row.canvas_id = written.canvas_id
            row.pinned_ts = written.pinned_ts
            row.written_hash = written.written_hash
            row.written_at = self._clock.now()
            queries_charter.save(session=session, charter=row)


def _charter(session: Session, network: Network) -> Charter:
    network_id = network.id or 0
    memberships = queries.list_memberships(session=session, network_id=network_id)
    member_ids = {m.user_id for m in memberships}
    version = queries_kickoff.current_agreement_version(session=session, network_id=network_id)
    accepted = accepted_among(session, version, member_ids)
    goals = network_goals(session, network_id, voter_ids=member_ids)
    lessons = latest_open_lessons(session=session, network_id=network_id, limit=LATEST_LESSONS)
    return Charter(
        network_id=network_id,
        channel_id=network.channel_id,
        name=network.name,
        goal=network.goal,
        origin=network.origin,
        composition=network.composition,
        language=network.language,
        started_on=network.created_at.astimezone(ZoneInfo(network.timezone)).date(),
        facilitator_ids=queries.user_ids_with_role(memberships, Role.FACILITATOR),
        expert_ids=queries.user_ids_with_role(memberships, Role.EXPERT),
        member_count=len(memberships),
        agreements=version.text if version is not None else "",
        accepted=len(accepted),
        top_goals=[GoalLine(text=g.text, votes=g.votes) for g in goals[:TOP_GOALS] if g.votes > 0],
        lessons=[LessonLine(case_title=lesson.title, lesson=lesson.text) for lesson in lessons],
        journey=plan.sessions if (plan := load_plan(session, network)) else [],
        timezone=network.timezone,
    )
