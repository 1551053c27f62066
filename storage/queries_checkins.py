"""Queries of check-ins and meetings: keyword-only, add/flush/select; the caller's unit of work commits.

The `claim_*` functions are compare-and-set updates: of several processes racing for one step, exactly
one gets True back, whatever the isolation level.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import delete
from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import CheckinAnswer
from storage.models import CheckinPoll
from storage.models import CheckinReaction
from storage.models import CheckinSchedule
from storage.models import Meeting
from storage.models import MeetingEvaluation
from storage.models import Network
from storage.models.checkins import PollStatus
from storage.models.checkins import Question
from storage.models.checkins import StepState
from storage.rows import add_row
from storage.rows import changed_one
from storage.rows import changed_rows
from storage.rows import existing_keys
from storage.rows import find_row
from storage.rows import live_networks_with
from storage.rows import rows_of_network
from storage.rows import rows_under

# ---------------------------------------------------------------------- schedules


def get_schedule(*, session: Session, network_id: int) -> CheckinSchedule | None:
    return find_row(session, CheckinSchedule, network_id=network_id)


def save_schedule(*, session: Session, schedule: CheckinSchedule) -> CheckinSchedule:
    return add_row(session, schedule)


def list_live_networks_with_schedules(*, session: Session) -> list[tuple[Network, CheckinSchedule | None]]:
    """Every network that is not archived, with its schedule (None: the default one)."""
    return live_networks_with(session, CheckinSchedule)


# ---------------------------------------------------------------------- polls


def add_poll(*, session: Session, poll: CheckinPoll) -> CheckinPoll:
    """Insert a claimed poll; its unique key refuses a second claim of the same run (at flush or commit)."""
    return add_row(session, poll)


def get_poll(*, session: Session, poll_id: int) -> CheckinPoll | None:
    return session.get(CheckinPoll, poll_id)


def get_poll_by_message(*, session: Session, channel_id: str, message_ts: str) -> CheckinPoll | None:
    return find_row(session, CheckinPoll, channel_id=channel_id, message_ts=message_ts)


def existing_poll_keys(*, session: Session, keys: Iterable[str]) -> set[str]:
    return existing_keys(session, CheckinPoll.key, keys)


def list_polls(
    *, session: Session, network_id: int, statuses: Sequence[PollStatus] | None = None
) -> list[CheckinPoll]:
    in_statuses = () if statuses is None else (col(CheckinPoll.status).in_(list(statuses)),)
    return rows_of_network(session, CheckinPoll, network_id, *in_statuses, order_by=[CheckinPoll.claimed_at])


def polls_in_status(
    *, session: Session, statuses: Sequence[PollStatus], claimed_before: datetime | None = None
) -> list[CheckinPoll]:
    statement = select(CheckinPoll).where(col(CheckinPoll.status).in_(list(statuses)))
    if claimed_before is not None:
        statement = statement.where(col(CheckinPoll.claimed_at) < claimed_before)
    return list(session.exec(statement.order_by(col(CheckinPoll.id))))


def polls_awaiting_scale(*, session: Session) -> list[tuple[CheckinPoll, Network]]:
    """Posted polls (with their network) whose scale is not complete, in the order they were posted."""
    statement = (
        select(CheckinPoll, Network)
        .join(Network, col(Network.id) == col(CheckinPoll.network_id))
        .where(CheckinPoll.status == PollStatus.POSTED, col(CheckinPoll.message_ts).is_not(None))
        .order_by(col(CheckinPoll.posted_at), col(CheckinPoll.id))
    )
    return [(poll, network) for poll, network in session.exec(statement)]


def polls_due_to_close(*, session: Session, now: datetime) -> list[CheckinPoll]:
    """Polls taking answers (open, or posted with an incomplete scale) whose time is up."""
    statement = select(CheckinPoll).where(
        col(CheckinPoll.status).in_([PollStatus.POSTED, PollStatus.OPEN]), col(CheckinPoll.closes_at) <= now
    )
    return list(session.exec(statement.order_by(col(CheckinPoll.closes_at), col(CheckinPoll.id))))


def polls_due_a_reminder(*, session: Session, now: datetime) -> list[CheckinPoll]:
    statement = select(CheckinPoll).where(
        CheckinPoll.status == PollStatus.OPEN,
        col(CheckinPoll.remind_at) <= now,
        col(CheckinPoll.reminded_at).is_(None),
        col(CheckinPoll.closes_at) > now,
    )
    return list(session.exec(statement.order_by(col(CheckinPoll.id))))


def claim_poll_step(
    *,
    session: Session,
    poll_id: int,
    expected_status: PollStatus,
    expected_claimed_at: datetime,
    status: PollStatus,
    now: datetime,
    claimed_by: str | None = None,
) -> bool:
    """Move the poll to `status` (claimed by `claimed_by` at `now`) if nobody moved or claimed it since."""
    return changed_one(
        session,
        update(CheckinPoll)
        .where(
            col(CheckinPoll.id) == poll_id,
            col(CheckinPoll.status) == expected_status,
            col(CheckinPoll.claimed_at) == expected_claimed_at,
        )
        .values(status=status, claimed_at=now, claimed_by=claimed_by),
    )


def drop_unposted_poll(*, session: Session, poll_id: int) -> bool:
    """Delete the poll if it is still claimed and was never posted; True if it was."""
    return changed_one(
        session,
        delete(CheckinPoll).where(
            col(CheckinPoll.id) == poll_id,
            col(CheckinPoll.status) == PollStatus.CLAIMED,
            col(CheckinPoll.message_ts).is_(None),
        ),
    )


def claim_reminder(*, session: Session, poll_id: int, now: datetime) -> bool:
    return changed_one(
        session,
        update(CheckinPoll)
        .where(col(CheckinPoll.id) == poll_id, col(CheckinPoll.reminded_at).is_(None))
        .values(reminded_at=now),
    )


# ---------------------------------------------------------------------- reactions and answers


def get_reaction(*, session: Session, poll_id: int, respondent: str, emoji: str) -> CheckinReaction | None:
    return find_row(session, CheckinReaction, poll_id=poll_id, respondent=respondent, emoji=emoji)


def add_reaction(*, session: Session, reaction: CheckinReaction) -> CheckinReaction:
    return add_row(session, reaction)


def remove_reaction(*, session: Session, poll_id: int, respondent: str, emoji: str) -> bool:
    removed = delete(CheckinReaction).where(
        col(CheckinReaction.poll_id) == poll_id,
        col(CheckinReaction.respondent) == respondent,
        col(CheckinReaction.emoji) == emoji,
    )
    return changed_rows(session, removed) > 0


def list_reactions(*, session: Session, poll_ids: Sequence[int]) -> list[CheckinReaction]:
    by_time = [CheckinReaction.reacted_at, CheckinReaction.id]
    return rows_under(session, CheckinReaction, CheckinReaction.poll_id, poll_ids, order_by=by_time)


def get_answer(
    *, session: Session, poll_id: int, question: Question, respondent: str
) -> CheckinAnswer | None:
    return find_row(session, CheckinAnswer, poll_id=poll_id, question=question, respondent=respondent)


def save_answer(*, session: Session, answer: CheckinAnswer) -> CheckinAnswer:
    return add_row(session, answer)


def list_answers(*, session: Session, poll_ids: Sequence[int]) -> list[CheckinAnswer]:
    # By text: the order in which answers came in must not show.
    by_text = [CheckinAnswer.text, CheckinAnswer.respondent]
    return rows_under(session, CheckinAnswer, CheckinAnswer.poll_id, poll_ids, order_by=by_text)


# ---------------------------------------------------------------------- meetings


def add_meeting(*, session: Session, meeting: Meeting) -> Meeting:
    return add_row(session, meeting)


def get_meeting(*, session: Session, meeting_id: int) -> Meeting | None:
    return session.get(Meeting, meeting_id)


def same_meeting(
    *, session: Session, network_id: int, starts_at: datetime, ends_at: datetime, topic: str
) -> Meeting | None:
    """The network's meeting at these times on this topic, if one is planned already."""
    return find_row(
        session, Meeting, network_id=network_id, starts_at=starts_at, ends_at=ends_at, topic=topic
    )


def list_meetings(*, session: Session, network_id: int) -> list[Meeting]:
    return rows_of_network(session, Meeting, network_id, order_by=[Meeting.starts_at])


def meetings_due_an_agenda(
    *, session: Session, now: datetime, lead: datetime
) -> list[tuple[Meeting, Network]]:
    """Meetings starting at or before `lead` that have not ended and whose agenda is not out yet."""
    window = (col(Meeting.starts_at) <= lead, col(Meeting.ends_at) > now)
    return _meetings_due(session, "agenda", *window, order_by=Meeting.starts_at)


def meetings_due_an_evaluation(
    *, session: Session, now: datetime, ended_after: datetime
) -> list[tuple[Meeting, Network]]:
    window = (col(Meeting.ends_at) <= now, col(Meeting.ends_at) > ended_after)
    return _meetings_due(session, "evaluation", *window, order_by=Meeting.ends_at)


def _meetings_due(
    session: Session, step: str, *window: ColumnElement[bool], order_by: Any
) -> list[tuple[Meeting, Network]]:
    """Meetings of live networks in the `window` whose `step` ("agenda" or "evaluation") is not out yet."""
    return _meetings_with_network(
        session,
        col(getattr(Meeting, f"{step}_state")) == StepState.PENDING,
        *window,
        col(Network.archived_at).is_(None),
        order_by=(col(order_by), col(Meeting.id)),
    )


def meetings_with_stale_claims(
    *, session: Session, claimed_before: datetime
) -> list[tuple[Meeting, Network]]:
    agenda_stale = (col(Meeting.agenda_state) == StepState.CLAIMED) & (
        col(Meeting.agenda_claimed_at) < claimed_before
    )
    evaluation_stale = (col(Meeting.evaluation_state) == StepState.CLAIMED) & (
        col(Meeting.evaluation_claimed_at) < claimed_before
    )
    return _meetings_with_network(session, agenda_stale | evaluation_stale, order_by=(col(Meeting.id),))


def _meetings_with_network(
    session: Session, *conditions: ColumnElement[bool], order_by: tuple[Any, ...]
) -> list[tuple[Meeting, Network]]:
    statement = (
        select(Meeting, Network)
        .join(Network, col(Network.id) == col(Meeting.network_id))
        .where(*conditions)
        .order_by(*order_by)
    )
    return [(meeting, network) for meeting, network in session.exec(statement)]


def claim_meeting_step(
    *,
    session: Session,
    meeting_id: int,
    step: str,
    expected_state: StepState,
    expected_claimed_at: datetime | None,
    now: datetime,
) -> bool:
    """Claim the meeting's `step` ("agenda" or "evaluation") if nobody claimed or posted it since."""
    state_column = col(getattr(Meeting, f"{step}_state"))
    claimed_column = col(getattr(Meeting, f"{step}_claimed_at"))
    claimed_matches = (
        claimed_column.is_(None) if expected_claimed_at is None else claimed_column == expected_claimed_at
    )
    return changed_one(
        session,
        update(Meeting)
        .where(col(Meeting.id) == meeting_id, state_column == expected_state, claimed_matches)
        .values({f"{step}_state": StepState.CLAIMED, f"{step}_claimed_at": now}),
    )


def get_evaluation(*, session: Session, meeting_id: int, respondent: str) -> MeetingEvaluation | None:
    return find_row(session, MeetingEvaluation, meeting_id=meeting_id, respondent=respondent)


def save_evaluation(*, session: Session, evaluation: MeetingEvaluation) -> MeetingEvaluation:
    return add_row(session, evaluation)


def list_evaluations(*, session: Session, meeting_ids: Sequence[int]) -> list[MeetingEvaluation]:
    # By text, as written answers are.
    by_text = [MeetingEvaluation.takeaway, MeetingEvaluation.respondent]
    return rows_under(session, MeetingEvaluation, MeetingEvaluation.meeting_id, meeting_ids, order_by=by_text)
