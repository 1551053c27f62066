"""Queries for privacy: everything stored about one user, and erasing or purging it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from typing import TypeVar

from sqlalchemy import delete
from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import SQLModel
from sqlmodel import col
from sqlmodel import select

from storage.models import AdviceSource
from storage.models import AgreementAcceptance
from storage.models import AgreementVersion
from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseRecognition
from storage.models import CaseStatus
from storage.models import CheckinAnswer
from storage.models import CheckinPoll
from storage.models import CheckinReaction
from storage.models import CheckinSchedule
from storage.models import DigestRun
from storage.models import DigestSchedule
from storage.models import Expectation
from storage.models import ExpectationsMap
from storage.models import GoalVote
from storage.models import Intro
from storage.models import Journey
from storage.models import LearningGoal
from storage.models import Meeting
from storage.models import MeetingEvaluation
from storage.models import Membership
from storage.models import Network
from storage.models import NetworkPause
from storage.models import PairingGroup
from storage.models import PairingMember
from storage.models import PairingRound
from storage.models import PairingSchedule
from storage.models import WrapUp
from storage.models.base import MemberRow
from storage.queries_cases import parts_of_user
from storage.rows import delete_rows as _delete_rows
from storage.rows import rows_of_network

RowOfMember = TypeVar("RowOfMember", bound=MemberRow)


def networks_of_team(*, session: Session, team_id: str) -> list[Network]:
    """Every network of the workspace, archived ones included, oldest first."""
    return list(session.exec(select(Network).where(Network.team_id == team_id).order_by(col(Network.id))))


def get_network_for_update(*, session: Session, network_id: int) -> Network | None:
    return session.get(Network, network_id, with_for_update=True)


def rows_of_user(
    *, session: Session, model: type[RowOfMember], network_id: int, user_id: str
) -> list[RowOfMember]:
    """Rows of a table keyed by (network_id, user_id): memberships, intros, expectations, goals, votes."""
    return rows_of_network(session, model, network_id, model.user_id == user_id)


def acceptances_of_user(
    *, session: Session, network_id: int, user_id: str
) -> list[tuple[AgreementAcceptance, AgreementVersion]]:
    statement = (
        select(AgreementAcceptance, AgreementVersion)
        .join(AgreementVersion, col(AgreementVersion.id) == col(AgreementAcceptance.version_id))
        .where(AgreementVersion.network_id == network_id, AgreementAcceptance.user_id == user_id)
        .order_by(col(AgreementAcceptance.id))
    )
    return [(acceptance, version) for acceptance, version in session.exec(statement)]


def cases_owned(*, session: Session, network_id: int, user_id: str, for_update: bool = False) -> list[Case]:
    statement = select(Case).where(Case.network_id == network_id, Case.owner_id == user_id)
    if for_update:
        statement = statement.with_for_update()
    return list(session.exec(statement.order_by(col(Case.id))))


def rounds_led(*, session: Session, network_id: int, user_id: str) -> list[Case]:
    """The cases whose round the user leads (or led) as session lead."""
    statement = select(Case).where(Case.network_id == network_id, Case.round_lead_id == user_id)
    return list(session.exec(statement.with_for_update().order_by(col(Case.id))))


def advice_given(*, session: Session, network_id: int, user_id: str) -> list[CaseAdvice]:
    return parts_of_user(
        CaseAdvice, CaseAdvice.giver_id, session=session, network_id=network_id, user_id=user_id
    )


def advice_given_with_card(
    *, session: Session, network_id: int, user_id: str
) -> list[tuple[CaseAdvice, str | None]]:
    """The user's advice with the card ts of its case (None for a deleted or unpublished case)."""
    statement = (
        select(CaseAdvice, Case.card_ts, Case.status)
        .join(Case, col(Case.id) == col(CaseAdvice.case_id))
        .where(Case.network_id == network_id, CaseAdvice.giver_id == user_id)
        .order_by(col(CaseAdvice.id))
    )
    return [
        (advice, card_ts if status != CaseStatus.DELETED else None)
        for advice, card_ts, status in session.exec(statement)
    ]


def recognitions_given(*, session: Session, network_id: int, user_id: str) -> list[CaseRecognition]:
    return parts_of_user(
        CaseRecognition, CaseRecognition.user_id, session=session, network_id=network_id, user_id=user_id
    )


def polls_of_network(*, session: Session, network_id: int) -> list[CheckinPoll]:
    return rows_of_network(session, CheckinPoll, network_id)


def meetings_of_network(*, session: Session, network_id: int) -> list[Meeting]:
    return rows_of_network(session, Meeting, network_id)


def reactions_of(*, session: Session, poll_id: int, respondent: str) -> list[CheckinReaction]:
    statement = select(CheckinReaction).where(
        CheckinReaction.poll_id == poll_id, CheckinReaction.respondent == respondent
    )
    return list(session.exec(statement.order_by(col(CheckinReaction.id))))


def answers_of(*, session: Session, poll_id: int, respondent: str, user_id: str) -> list[CheckinAnswer]:
    """Written answers found by the respondent hash, or signed with the user's id."""
    statement = select(CheckinAnswer).where(
        CheckinAnswer.poll_id == poll_id,
        (col(CheckinAnswer.respondent) == respondent) | (col(CheckinAnswer.signed_by) == user_id),
    )
    return list(session.exec(statement.order_by(col(CheckinAnswer.id))))


def evaluations_of(*, session: Session, meeting_id: int, respondent: str) -> list[MeetingEvaluation]:
    statement = select(MeetingEvaluation).where(
        MeetingEvaluation.meeting_id == meeting_id, MeetingEvaluation.respondent == respondent
    )
    return list(session.exec(statement.order_by(col(MeetingEvaluation.id))))


def votes_without_goal(*, session: Session, network_id: int) -> list[GoalVote]:
    """Votes for a learning goal that nobody in the network proposes any more."""
    proposed = select(LearningGoal.goal_key).where(LearningGoal.network_id == network_id)
    statement = select(GoalVote).where(
        GoalVote.network_id == network_id, col(GoalVote.goal_key).not_in(proposed)
    )
    return list(session.exec(statement))


_SHARED_RECORDS: tuple[tuple[type[SQLModel], Any], ...] = (
    (Network, Network.created_by),
    (Meeting, Meeting.planned_by),
    (Journey, Journey.planned_by),
    (CheckinSchedule, CheckinSchedule.updated_by),
    (DigestSchedule, DigestSchedule.updated_by),
    (AgreementVersion, AgreementVersion.created_by),
    (ExpectationsMap, ExpectationsMap.posted_by),
    (PairingSchedule, PairingSchedule.updated_by),
    (NetworkPause, NetworkPause.created_by),
    (WrapUp, WrapUp.started_by),
)
"""The network's shared records that keep who set them up: they belong to the group, the name to its user."""


def _network_key(model: type[SQLModel]) -> Any:
    return Network.id if model is Network else model.network_id  # type: ignore[attr-defined]


def records_set_up_by(*, session: Session, network_id: int, user_id: str) -> list[dict[str, Any]]:
    """The shared records that name the user as who set them up: which record, as what, and its id."""
    return [
        {"record": model.__tablename__, "as": column.key, "id": getattr(row, "id", None)}
        for model, column in _SHARED_RECORDS
        for row in session.exec(select(model).where(_network_key(model) == network_id, column == user_id))
    ]


def blank_user_in_network_records(*, session: Session, network_id: int, user_id: str) -> None:
    """Forget who set up the network's shared records (they stay: they belong to the group)."""
    for model, column in _SHARED_RECORDS:
        key = _network_key(model)
        session.execute(update(model).where(key == network_id, column == user_id).values({column.key: ""}))
    session.flush()


def delete_rows(*, session: Session, rows: list[object]) -> None:
    _delete_rows(session, rows)


def archived_before(*, session: Session, cutoff: datetime) -> list[Network]:
    statement = select(Network).where(
        col(Network.archived_at).is_not(None), col(Network.archived_at) < cutoff
    )
    return list(session.exec(statement.with_for_update().order_by(col(Network.id))))


def delete_network(*, session: Session, network_id: int) -> None:
    """Delete a network and everything under it: every child table cascades ON DELETE (both backends).

    Deepest tables first all the same, so that the order does not rest on the cascade alone.
    """
    polls = select(CheckinPoll.id).where(CheckinPoll.network_id == network_id)
    meetings = select(Meeting.id).where(Meeting.network_id == network_id)
    cases = select(Case.id).where(Case.network_id == network_id)
    versions = select(AgreementVersion.id).where(AgreementVersion.network_id == network_id)
    session.execute(delete(CheckinReaction).where(col(CheckinReaction.poll_id).in_(polls)))
    session.execute(delete(CheckinAnswer).where(col(CheckinAnswer.poll_id).in_(polls)))
    session.execute(delete(MeetingEvaluation).where(col(MeetingEvaluation.meeting_id).in_(meetings)))
    session.execute(delete(CaseAdvice).where(col(CaseAdvice.case_id).in_(cases)))
    session.execute(delete(CaseRecognition).where(col(CaseRecognition.case_id).in_(cases)))
    session.execute(delete(AgreementAcceptance).where(col(AgreementAcceptance.version_id).in_(versions)))
    for model in (
        PairingMember,
        PairingGroup,
        PairingRound,
        PairingSchedule,
        NetworkPause,
        CheckinPoll,
        Meeting,
        Case,
        AgreementVersion,
        GoalVote,
        LearningGoal,
        Expectation,
        Intro,
        ExpectationsMap,
        CheckinSchedule,
        DigestSchedule,
        DigestRun,
        Membership,
    ):
        session.execute(delete(model).where(model.network_id == network_id))  # type: ignore[attr-defined]
    session.execute(delete(Network).where(col(Network.id) == network_id))
    session.flush()


def removed_advice_post(*, session: Session, advice_id: int) -> tuple[Network, str, str] | None:
    """The network and case card of removed advice posted through the modal, while its card is there,
    and the owner of a confidential case (whose private messages got the advice), else ""."""
    statement = (
        select(Network, Case.card_ts, Case.owner_id, Case.confidential)
        .join(Case, col(Case.network_id) == col(Network.id))
        .join(CaseAdvice, col(CaseAdvice.case_id) == col(Case.id))
        .where(
            CaseAdvice.id == advice_id,
            col(CaseAdvice.removed).is_(True),
            CaseAdvice.source == AdviceSource.MODAL,
            Case.status != CaseStatus.DELETED,
            col(Case.card_ts).is_not(None),
        )
    )
    row = session.exec(statement).first()
    if row is None:
        return None
    return row[0], str(row[1]), str(row[2]) if row[3] else ""
