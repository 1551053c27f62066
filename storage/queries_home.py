"""Queries of App Home: keyword-only functions that select; the caller's unit of work commits."""

from __future__ import annotations

from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import Membership
from storage.models import Network


def networks_of_user(*, session: Session, team_id: str, user_id: str) -> list[tuple[Network, Membership]]:
    """Every live (not archived) network of the workspace the user takes part in now, with their
    membership, oldest network first."""
    statement = (
        select(Network, Membership)
        .join(Membership, col(Membership.network_id) == col(Network.id))
        .where(
            Network.team_id == team_id,
            col(Network.archived_at).is_(None),
            Membership.user_id == user_id,
            col(Membership.left_at).is_(None),
        )
        .order_by(col(Network.created_at), col(Network.id))
    )
    return [(network, membership) for network, membership in session.exec(statement)]
