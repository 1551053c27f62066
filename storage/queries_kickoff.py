"""Queries of the kickoff: keyword-only functions that add, flush and select; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, delete, func
from sqlmodel import Session, col, select

from storage.models import (
    AgreementAcceptance,
    AgreementVersion,
    Expectation,
    ExpectationsMap,
    GoalVote,
    Intro,
    LearningGoal,
    Membership,
    Network,
)

# ---------------------------------------------------------------------- networks and memberships


# What a click reads, built once (see storage.queries): the values travel as parameters.
_NETWORK = select(Network).where(Network.id == bindparam("network_id"))
_MEMBERSHIP = select(Membership).where(
    Membership.network_id == bindparam("network_id"), Membership.user_id == bindparam("user_id")
)
_CURRENT_AGREEMENT_VERSION = (
    select(AgreementVersion)
    .where(AgreementVersion.network_id == bindparam("network_id"))
    .order_by(col(AgreementVersion.version).desc())
)
_ACCEPTANCE = select(AgreementAcceptance).where(
    AgreementAcceptance.version_id == bindparam("version_id"),
    AgreementAcceptance.user_id == bindparam("user_id"),
)
_ACCEPTED_USER_IDS = select(AgreementAcceptance.user_id).where(
    AgreementAcceptance.version_id == bindparam("version_id")
)


def get_network(*, session: Session, network_id: int, lock: bool = False) -> Network | None:
    """The network; `lock` holds its row until commit (PostgreSQL), serialising rule checks per network.

    SQLite has no row locks, but it lets one writer in at a time, which serialises the same checks
    once the caller has written.
    """
    if not lock:
        return session.exec(_NETWORK, params={"network_id": network_id}).first()
    statement = select(Network).where(Network.id == network_id).with_for_update()
    return session.exec(statement).first()


def get_membership(*, session: Session, network_id: int, user_id: str) -> Membership | None:
    """The user's membership row, active or not."""
    return session.exec(_MEMBERSHIP, params={"network_id": network_id, "user_id": user_id}).first()


def add_membership(*, session: Session, membership: Membership) -> Membership:
    session.add(membership)
    session.flush()
    return membership


def count_active_members(*, session: Session, network_id: int) -> int:
    statement = select(func.count()).where(
        Membership.network_id == network_id, col(Membership.left_at).is_(None)
    )
    return int(session.exec(statement).one())


# ---------------------------------------------------------------------- introductions


def get_intro(*, session: Session, network_id: int, user_id: str) -> Intro | None:
    statement = select(Intro).where(Intro.network_id == network_id, Intro.user_id == user_id)
    return session.exec(statement).first()


def get_intro_by_id(*, session: Session, intro_id: int) -> Intro | None:
    return session.get(Intro, intro_id)


def list_intros(*, session: Session, network_id: int) -> list[Intro]:
    statement = (
        select(Intro).where(Intro.network_id == network_id).order_by(col(Intro.created_at), col(Intro.id))
    )
    return list(session.exec(statement))


def add(*, session: Session, row: object) -> None:
    """Add any new row and flush, so its id is known and its unique keys are checked now."""
    session.add(row)
    session.flush()


# ---------------------------------------------------------------------- expectations and learning goals


def get_expectation(*, session: Session, network_id: int, user_id: str) -> Expectation | None:
    statement = select(Expectation).where(
        Expectation.network_id == network_id, Expectation.user_id == user_id
    )
    return session.exec(statement).first()


def list_expectations(*, session: Session, network_id: int) -> list[Expectation]:
    statement = (
        select(Expectation)
        .where(Expectation.network_id == network_id)
        .order_by(col(Expectation.created_at), col(Expectation.id))
    )
    return list(session.exec(statement))


def list_learning_goals(
    *, session: Session, network_id: int, user_id: str | None = None
) -> list[LearningGoal]:
    """The network's learning goals (or one member's), in the order they were written."""
    statement = select(LearningGoal).where(LearningGoal.network_id == network_id)
    if user_id is not None:
        statement = statement.where(LearningGoal.user_id == user_id)
    statement = statement.order_by(col(LearningGoal.created_at), col(LearningGoal.id))
    return list(session.exec(statement))


def replace_learning_goals(
    *, session: Session, network_id: int, user_id: str, goals: Iterable[tuple[str, str]], now: datetime
) -> list[LearningGoal]:
    """Replace the member's learning goals by `goals` (text, key), keeping the first-written time of
    goals that stay, so the map's order does not jump when someone edits their list."""
    kept_since = {
        goal.goal_key: goal.created_at
        for goal in list_learning_goals(session=session, network_id=network_id, user_id=user_id)
    }
    session.execute(
        delete(LearningGoal).where(
            col(LearningGoal.network_id) == network_id, col(LearningGoal.user_id) == user_id
        )
    )
    session.flush()
    rows = [
        LearningGoal(
            network_id=network_id,
            user_id=user_id,
            position=position,
            text=text,
            goal_key=key,
            created_at=kept_since.get(key, now),
        )
        for position, (text, key) in enumerate(goals, 1)
    ]
    session.add_all(rows)
    session.flush()
    return rows


def delete_votes_for_missing_goals(*, session: Session, network_id: int) -> int:
    """Drop the votes on goals nobody proposes any more; their voters get those votes back."""
    proposed = select(LearningGoal.goal_key).where(LearningGoal.network_id == network_id)
    result = session.execute(
        delete(GoalVote).where(
            col(GoalVote.network_id) == network_id, col(GoalVote.goal_key).not_in(proposed)
        )
    )
    session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def list_votes(*, session: Session, network_id: int, user_id: str | None = None) -> list[GoalVote]:
    statement = select(GoalVote).where(GoalVote.network_id == network_id)
    if user_id is not None:
        statement = statement.where(GoalVote.user_id == user_id)
    return list(session.exec(statement.order_by(col(GoalVote.slot))))


def delete_vote(*, session: Session, vote: GoalVote) -> None:
    session.delete(vote)
    session.flush()


def get_expectations_map(*, session: Session, network_id: int) -> ExpectationsMap | None:
    return session.get(ExpectationsMap, network_id)


# ---------------------------------------------------------------------- agreements


def current_agreement_version(*, session: Session, network_id: int) -> AgreementVersion | None:
    return session.exec(_CURRENT_AGREEMENT_VERSION, params={"network_id": network_id}).first()


def get_agreement_version(*, session: Session, version_id: int) -> AgreementVersion | None:
    return session.get(AgreementVersion, version_id)


def get_acceptance(*, session: Session, version_id: int, user_id: str) -> AgreementAcceptance | None:
    return session.exec(_ACCEPTANCE, params={"version_id": version_id, "user_id": user_id}).first()


def accepted_user_ids(*, session: Session, version_id: int) -> set[str]:
    return set(session.exec(_ACCEPTED_USER_IDS, params={"version_id": version_id}))
