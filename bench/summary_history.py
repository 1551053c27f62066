"""A learning network with a history, written straight into the tables: for the summary's benchmark and
tests. Rows are built in bulk (one flush per table), so two years of history take well under a second.

`network_id` must exist already (start it with the network service); the members, too, should be in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from bot.services.checkin_common import SCALE
from storage.db import SessionFactory
from storage.db import unit_of_work
from storage.models import AgreementAcceptance
from storage.models import AgreementVersion
from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseStatus
from storage.models import CheckinPoll
from storage.models import CheckinReaction
from storage.models import GoalVote
from storage.models import Intro
from storage.models import LearningGoal
from storage.models import Meeting
from storage.models import MeetingEvaluation
from storage.models.base import RunKind
from storage.models.checkins import PollStatus
from storage.models.checkins import StepState
from storage.models.network import Network


@dataclass(frozen=True, slots=True)
class HistorySize:
    polls: int = 50
    cases: int = 300
    advice: int = 3000
    meetings: int = 40
    confidential_every: int = 10
    """Every n-th case is confidential."""


TWO_YEARS = HistorySize()


def write_history(
    sessions: SessionFactory, *, network_id: int, members: list[str], now: datetime, size: HistorySize
) -> None:
    """Introductions, agreements, goals and votes for `members`; then `size` polls, cases, advice and
    meetings spread over the time before `now` (two weeks per poll), the most recent ones last."""
    start = now - timedelta(days=14 * max(size.polls, 1) + 7)
    with unit_of_work(sessions) as session:
        network = session.get(Network, network_id)
        assert network is not None
        for n, user_id in enumerate(members):
            if n % 4 == 3:
                continue  # one in four has not introduced themselves
            session.add(
                Intro(
                    network_id=network_id,
                    user_id=user_id,
                    job_role="begeleider",
                    organisation=f"Organisatie {n}",
                    gives="ervaring",
                    wants="ideeën",
                    created_at=start,
                    updated_at=start,
                )
            )
        version = AgreementVersion(
            network_id=network_id,
            version=1,
            text="Wat hier gezegd wordt, blijft hier.",
            created_by=members[0],
            created_at=start,
        )
        session.add(version)
        session.flush()
        session.add_all(
            AgreementAcceptance(version_id=version.id or 0, user_id=u, accepted_at=start)
            for u in members[:-1]
        )
        goals = ["Moeilijke gesprekken met ouders", "Grenzen stellen", "Samenwerken met scholen"]
        for n, user_id in enumerate(members):
            goal = goals[n % len(goals)]
            session.add(
                LearningGoal(
                    network_id=network_id,
                    user_id=user_id,
                    position=1,
                    text=goal,
                    goal_key=goal.lower(),
                    created_at=start,
                )
            )
            session.add(
                GoalVote(
                    network_id=network_id,
                    user_id=user_id,
                    goal_key=goals[0].lower(),
                    slot=1,
                    created_at=start,
                )
            )
        session.flush()

        polls = [
            CheckinPoll(
                network_id=network_id,
                key=f"checkin/{network_id}/history/{n}",
                kind=RunKind.SCHEDULED,
                run_date=(start + timedelta(days=14 * n)).date(),
                status=PollStatus.CLOSED,
                claimed_at=start + timedelta(days=14 * n),
                channel_id=network.channel_id,
                language=network.language,
                message_ts=f"{1_700_000_000 + n}.000100",
                posted_at=start + timedelta(days=14 * n),
                closes_at=start + timedelta(days=14 * n + 3),
                closed_at=start + timedelta(days=14 * n + 3),
                anonymity_threshold=3,
                member_count=len(members),
            )
            for n in range(size.polls)
        ]
        session.add_all(polls)
        session.flush()
        reactions = []
        for n, poll in enumerate(polls):
            for m, _ in enumerate(members):
                # A gentle wave between the best and the middle answer; one member changes their mind.
                emoji = SCALE[(n + m) % 3]
                reactions.append(
                    CheckinReaction(
                        poll_id=poll.id or 0, respondent=f"r{n}-{m}", emoji=emoji, reacted_at=poll.closes_at
                    )
                )
                if m == 0:
                    reactions.append(
                        CheckinReaction(
                            poll_id=poll.id or 0,
                            respondent=f"r{n}-{m}",
                            emoji=SCALE[4],
                            reacted_at=poll.closes_at - timedelta(days=1),
                        )
                    )
        session.add_all(reactions)

        cases = []
        for n in range(size.cases):
            created = start + timedelta(hours=n * 50)
            closed = n % 3 == 0
            cases.append(
                Case(
                    network_id=network_id,
                    owner_id=members[n % (len(members) - 2)],
                    title=f"Casus {n + 1}: een ouder die niet meer komt",
                    situation="Een lange beschrijving van de situatie. " * 5,
                    question="Hoe pak ik dit aan?",
                    tried="Bellen, mailen.",
                    help_wanted="advice",
                    confidential=n % size.confidential_every == size.confidential_every - 1,
                    status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                    created_at=min(created, now - timedelta(days=1)),
                    closed_at=min(created, now) + timedelta(hours=1) if closed else None,
                    lesson=f"Les {n + 1}: eerst luisteren, dan pas voorstellen." if closed else "",
                )
            )
        session.add_all(cases)
        session.flush()
        advised = [c for n, c in enumerate(cases) if n % 5 != 4]  # one case in five has no advice
        session.add_all(
            CaseAdvice(
                case_id=advised[n % len(advised)].id or 0,
                giver_id=members[n % (len(members) - 2)],
                text="Probeer het eens zo.",
                source="modal",
                created_at=advised[n % len(advised)].created_at + timedelta(hours=2),
            )
            for n in range(size.advice if advised else 0)
        )

        meetings = [
            Meeting(
                network_id=network_id,
                starts_at=start + timedelta(days=18 * n, hours=12),
                ends_at=start + timedelta(days=18 * n, hours=15),
                topic=f"Sessie {n + 1}",
                planned_by=members[0],
                created_at=start,
                agenda_state=StepState.POSTED,
                evaluation_state=StepState.POSTED,
            )
            for n in range(size.meetings)
        ]
        session.add_all(meetings)
        session.flush()
        session.add_all(
            MeetingEvaluation(
                meeting_id=meeting.id or 0,
                respondent=f"e{n}-{m}",
                usefulness=3 + (n + m) % 3,
                takeaway=f"Inzicht {m}" if m < 2 else "",
            )
            for n, meeting in enumerate(meetings)
            for m in range(min(len(members), 8))
        )
