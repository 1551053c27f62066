"""Queries of the summary: counts and averages computed by the database, a fixed number per summary.

However many cases, pieces of advice, polls or meetings a network has, each function here is one
statement, and what it returns is bounded (aggregates, or a `limit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime

from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseStatus
from storage.models import CheckinPoll
from storage.models import CheckinReaction
from storage.models import DigestRun
from storage.models import DigestSchedule
from storage.models import Intro
from storage.models import Meeting
from storage.models import MeetingEvaluation
from storage.models import Network
from storage.rows import add_row
from storage.rows import existing_keys
from storage.rows import find_row
from storage.rows import live_networks_with


@dataclass(frozen=True, slots=True)
class CaseCountRow:
    open_without_advice: int
    open_with_advice: int
    closed: int
    confidential: int
    waiting_long: int
    """Open, not confidential, without advice, brought before the cut-off."""


def introduced_user_ids(*, session: Session, network_id: int) -> set[str]:
    return set(session.exec(select(Intro.user_id).where(Intro.network_id == network_id)))


def _advice_per_case():  # type: ignore[no-untyped-def]
    return (
        select(col(CaseAdvice.case_id).label("case_id"), func.count().label("advice"))
        .group_by(col(CaseAdvice.case_id))
        .subquery()
    )


def case_counts(*, session: Session, network_id: int, waiting_since: datetime) -> CaseCountRow:
    """The network's cases counted by where they stand; deleted cases left out, confidential ones
    counted apart (what stands in their thread stays there)."""
    advice = _advice_per_case()
    has_advice = func.coalesce(advice.c.advice, 0) > 0
    is_open = and_(col(Case.status) == CaseStatus.OPEN, col(Case.confidential).is_(False))
    statement = (
        select(
            func.sum(case((and_(is_open, ~has_advice), 1), else_=0)),
            func.sum(case((and_(is_open, has_advice), 1), else_=0)),
            func.sum(
                case(
                    (and_(col(Case.status) == CaseStatus.CLOSED, col(Case.confidential).is_(False)), 1),
                    else_=0,
                )
            ),
            func.sum(case((col(Case.confidential).is_(True), 1), else_=0)),
            func.sum(case((and_(is_open, ~has_advice, col(Case.created_at) <= waiting_since), 1), else_=0)),
        )
        .select_from(Case)
        .outerjoin(advice, advice.c.case_id == col(Case.id))
        .where(Case.network_id == network_id, Case.status != CaseStatus.DELETED)
    )
    row = session.exec(statement).one()
    return CaseCountRow(*(int(value or 0) for value in row))


def cases_waiting_long(
    *, session: Session, network_id: int, waiting_since: datetime, limit: int
) -> list[str]:
    """Titles of the oldest open cases (not confidential) that got no advice since `waiting_since`."""
    advice = _advice_per_case()
    statement = (
        select(Case.title)
        .outerjoin(advice, advice.c.case_id == col(Case.id))
        .where(
            Case.network_id == network_id,
            Case.status == CaseStatus.OPEN,
            col(Case.confidential).is_(False),
            advice.c.advice.is_(None),
            col(Case.created_at) <= waiting_since,
        )
        .order_by(col(Case.created_at), col(Case.id))
        .limit(limit)
    )
    return list(session.exec(statement))


def recent_lessons(*, session: Session, network_id: int, limit: int) -> list[tuple[str, str]]:
    """(title, lesson) of the most recently closed cases with a lesson, confidential ones left out."""
    statement = (
        select(Case.title, Case.lesson)
        .where(
            Case.network_id == network_id,
            Case.status == CaseStatus.CLOSED,
            col(Case.confidential).is_(False),
            Case.lesson != "",
        )
        .order_by(col(Case.closed_at).desc(), col(Case.id).desc())
        .limit(limit)
    )
    return [(title, lesson) for title, lesson in session.exec(statement)]


def confidential_titles(*, session: Session, network_id: int, limit: int) -> list[str]:
    statement = (
        select(Case.title)
        .where(
            Case.network_id == network_id,
            Case.status != CaseStatus.DELETED,
            col(Case.confidential).is_(True),
        )
        .order_by(col(Case.created_at).desc(), col(Case.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement))


def latest_polls(*, session: Session, network_id: int, limit: int) -> list[tuple[int, date]]:
    """(id, run date) of the network's most recent posted polls, oldest first."""
    statement = (
        select(CheckinPoll.id, CheckinPoll.run_date)
        .where(CheckinPoll.network_id == network_id, col(CheckinPoll.message_ts).is_not(None))
        .order_by(col(CheckinPoll.run_date).desc(), col(CheckinPoll.id).desc())
        .limit(limit)
    )
    rows = [(int(poll_id or 0), run_date) for poll_id, run_date in session.exec(statement)]
    return list(reversed(rows))


def poll_answers(*, session: Session, network_id: int, poll_limit: int) -> list[tuple[int, str, int]]:
    """(poll id, emoji, respondents) over the latest `poll_limit` polls: each respondent counts once,
    with the emoji they added last (as bot.services.checkin_common.distribution counts them)."""
    polls = (
        select(col(CheckinPoll.id).label("id"))
        .where(CheckinPoll.network_id == network_id, col(CheckinPoll.message_ts).is_not(None))
        .order_by(col(CheckinPoll.run_date).desc(), col(CheckinPoll.id).desc())
        .limit(poll_limit)
        .subquery()
    )
    ranked = (
        select(
            col(CheckinReaction.poll_id).label("poll_id"),
            col(CheckinReaction.emoji).label("emoji"),
            func.row_number()
            .over(
                partition_by=(col(CheckinReaction.poll_id), col(CheckinReaction.respondent)),
                order_by=(col(CheckinReaction.reacted_at).desc(), col(CheckinReaction.id).desc()),
            )
            .label("rank"),
        )
        .where(col(CheckinReaction.poll_id).in_(select(polls.c.id)))
        .subquery()
    )
    statement = (
        select(ranked.c.poll_id, ranked.c.emoji, func.count())
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.poll_id, ranked.c.emoji)
    )
    return [(int(poll_id), str(emoji), int(count)) for poll_id, emoji, count in session.exec(statement)]


def meeting_evaluations(
    *, session: Session, network_id: int, before: datetime, limit: int
) -> list[tuple[int, str, datetime, int, float | None]]:
    """(id, topic, start, responses, average usefulness) of the latest meetings that ended before
    `before`, oldest first."""
    statement = (
        select(
            Meeting.id,
            Meeting.topic,
            Meeting.starts_at,
            func.count(col(MeetingEvaluation.id)),
            func.avg(col(MeetingEvaluation.usefulness)),
        )
        .outerjoin(MeetingEvaluation, col(MeetingEvaluation.meeting_id) == col(Meeting.id))
        .where(Meeting.network_id == network_id, col(Meeting.ends_at) <= before)
        .group_by(col(Meeting.id), col(Meeting.topic), col(Meeting.starts_at))
        .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
        .limit(limit)
    )
    rows = [
        (int(meeting_id or 0), topic, starts_at, int(count), float(average) if average is not None else None)
        for meeting_id, topic, starts_at, count, average in session.exec(statement)
    ]
    return list(reversed(rows))


def meeting_takeaways(*, session: Session, meeting_id: int, limit: int) -> list[str]:
    # By text: the order in which evaluations came in must not show.
    statement = (
        select(MeetingEvaluation.takeaway)
        .where(MeetingEvaluation.meeting_id == meeting_id, MeetingEvaluation.takeaway != "")
        .order_by(col(MeetingEvaluation.takeaway))
        .limit(limit)
    )
    return list(session.exec(statement))


# ---------------------------------------------------------------------- the digest's schedule and runs


def get_digest_schedule(*, session: Session, network_id: int) -> DigestSchedule | None:
    return find_row(session, DigestSchedule, network_id=network_id)


def save_digest_schedule(*, session: Session, schedule: DigestSchedule) -> DigestSchedule:
    return add_row(session, schedule)


def live_networks_with_digest_schedules(*, session: Session) -> list[tuple[Network, DigestSchedule | None]]:
    return live_networks_with(session, DigestSchedule)


def existing_digest_keys(*, session: Session, keys: list[str]) -> set[str]:
    return existing_keys(session, DigestRun.key, keys)


def add_digest_run(*, session: Session, run: DigestRun) -> DigestRun:
    """Insert a claimed run; its unique key refuses a second claim of the same run (at flush or commit)."""
    return add_row(session, run)


def get_digest_run(*, session: Session, run_id: int) -> DigestRun | None:
    return session.get(DigestRun, run_id)


def stale_digest_runs(
    *, session: Session, claimed_before: datetime, claimed_after: datetime
) -> list[DigestRun]:
    """Runs claimed in that window and never posted: their process died before it finished."""
    statement = select(DigestRun).where(
        col(DigestRun.message_ts).is_(None),
        col(DigestRun.claimed_at) <= claimed_before,
        col(DigestRun.claimed_at) >= claimed_after,
    )
    return list(session.exec(statement))
