"""The workspaces the bot is installed in, the install flow's states, and the workspace of a network."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import Case
from storage.models import CaseFollowUp
from storage.models import Network
from storage.models import OAuthState
from storage.models import PairingGroup
from storage.models import SavedLesson
from storage.models import SlackInstallation
from storage.models import ThermometerRound
from storage.models import WrapUp
from storage.rows import changed_rows
from storage.rows import find_row

# The payload ids of outbox items that lead to a network through the row they name.
_ROWS_UNDER_A_NETWORK: dict[str, Any] = {
    "case_id": Case,
    "round_id": ThermometerRound,
    "group_id": PairingGroup,
    "wrap_up_id": WrapUp,
    "lesson_id": SavedLesson,
}


def get_installation(*, session: Session, team_id: str) -> SlackInstallation | None:
    return find_row(session, SlackInstallation, team_id=team_id)


def save_installation(*, session: Session, installation: SlackInstallation) -> None:
    """Keep the workspace's latest installation: a re-install replaces the one before."""
    session.execute(delete(SlackInstallation).where(col(SlackInstallation.team_id) == installation.team_id))
    session.add(installation)


def delete_installation(*, session: Session, team_id: str, installed_before: datetime | None = None) -> bool:
    """Delete the workspace's installation (with `installed_before`, only one made before then)."""
    removed = delete(SlackInstallation).where(col(SlackInstallation.team_id) == team_id)
    if installed_before is not None:
        removed = removed.where(col(SlackInstallation.installed_at) < installed_before)
    return changed_rows(session, removed) > 0


def installed_team_ids(*, session: Session) -> set[str]:
    return set(session.exec(select(SlackInstallation.team_id)))


def add_state(*, session: Session, state: str, expires_at: datetime) -> None:
    session.add(OAuthState(state=state, expires_at=expires_at))


def consume_state(*, session: Session, state: str, now: datetime) -> bool:
    """Take the state if it is there and still valid; one DELETE, so two redirects cannot both have it."""
    valid = col(OAuthState.state) == state, col(OAuthState.expires_at) > now
    return bool(changed_rows(session, delete(OAuthState).where(*valid)))


def purge_expired_states(*, session: Session, now: datetime) -> int:
    return changed_rows(session, delete(OAuthState).where(col(OAuthState.expires_at) <= now))


def team_of_network(*, session: Session, network_id: int) -> str | None:
    return session.exec(select(Network.team_id).where(col(Network.id) == network_id)).first()


def team_of_effect(*, session: Session, payload: dict[str, Any]) -> str | None:
    """The workspace an outbox item belongs to, from the first id in its payload that leads to a network."""
    with session.no_autoflush:
        network_id = _network_of_effect(session=session, payload=payload)
    return None if network_id is None else team_of_network(session=session, network_id=network_id)


def _network_of_effect(*, session: Session, payload: dict[str, Any]) -> int | None:
    # Read without flushing: recording an effect must not move the caller's writes to the database early.
    if isinstance(payload.get("network_id"), int):
        return payload["network_id"]
    for name, model in _ROWS_UNDER_A_NETWORK.items():
        if isinstance(payload.get(name), int):
            return session.exec(select(model.network_id).where(col(model.id) == payload[name])).first()
    if isinstance(payload.get("follow_up_id"), int):
        return session.exec(
            select(Case.network_id)
            .join(CaseFollowUp, col(CaseFollowUp.case_id) == col(Case.id))
            .where(col(CaseFollowUp.id) == payload["follow_up_id"])
        ).first()
    if isinstance(payload.get("channel_id"), str):
        return session.exec(
            select(Network.id).where(col(Network.channel_id) == payload["channel_id"])
        ).first()
    return None
