"""Queries of the kickoff: keyword-only functions that add, flush and select; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import func
from sqlmodel import Session
from sqlmodel import SQLModel
from sqlmodel import col
from sqlmodel import select

from storage.models import AgreementAcceptance
from storage.models import AgreementVersion
from storage.models import Expectation
from storage.models import ExpectationsMap
from storage.models import GoalVote
from storage.models import Intro
from storage.models import LearningGoal
from storage.models import Membership
from storage.models import Network
from storage.models import Role
from storage.rows import add_row
from storage.rows import changed_rows
from storage.rows import delete_rows
from storage.rows import find_row
from storage.rows import rows_of_network

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
    return add_row(session, membership)


def delete_participants(*, session: Session, network_id: int, user_ids: Iterable[str]) -> int:
    """Delete the memberships of these users that are participants (never a facilitator's); how many."""
    removed = delete(Membership).where(
        col(Membership.network_id) == network_id,
        col(Membership.user_id).in_(list(user_ids)),
        col(Membership.role) == Role.PARTICIPANT,
    )
    return changed_rows(session, removed)


def count_active_members(*, session: Session, network_id: int) -> int:
    statement = select(func.count()).where(
        Membership.network_id == network_id, col(Membership.left_at).is_(None)
    )
    return int(session.exec(statement).one())


# ---------------------------------------------------------------------- introductions


def get_intro(*, session: Session, network_id: int, user_id: str) -> Intro | None:
    return find_row(session, Intro, network_id=network_id, user_id=user_id)


def get_intro_by_id(*, session: Session, intro_id: int) -> Intro | None:
    return session.get(Intro, intro_id)


def list_intros(*, session: Session, network_id: int) -> list[Intro]:
    return rows_of_network(session, Intro, network_id, order_by=[Intro.created_at])


def add(*, session: Session, row: SQLModel) -> None:
    """Add any new row and flush, so its id is known and its unique keys are checked now."""
    add_row(session, row)


# ---------------------------------------------------------------------- expectations and learning goals


def get_expectation(*, session: Session, network_id: int, user_id: str) -> Expectation | None:
    return find_row(session, Expectation, network_id=network_id, user_id=user_id)


def list_expectations(*, session: Session, network_id: int) -> list[Expectation]:
    return rows_of_network(session, Expectation, network_id, order_by=[Expectation.created_at])


def list_learning_goals(
    *, session: Session, network_id: int, user_id: str | None = None
) -> list[LearningGoal]:
    """The network's learning goals (or one member's), in the order they were written."""
    of_user = () if user_id is None else (LearningGoal.user_id == user_id,)
    return rows_of_network(session, LearningGoal, network_id, *of_user, order_by=[LearningGoal.created_at])


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
    unproposed = col(GoalVote.network_id) == network_id, col(GoalVote.goal_key).not_in(proposed)
    dropped = changed_rows(session, delete(GoalVote).where(*unproposed))
    session.flush()
    return dropped


def list_votes(*, session: Session, network_id: int, user_id: str | None = None) -> list[GoalVote]:
    of_user = () if user_id is None else (GoalVote.user_id == user_id,)
    return rows_of_network(session, GoalVote, network_id, *of_user, order_by=[GoalVote.slot])


def delete_vote(*, session: Session, vote: GoalVote) -> None:
    delete_rows(session, [vote])


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
