"""Queries of the pairing rounds: the rhythm per network, the rounds claimed, who met whom."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import Intro
from storage.models import Network
from storage.models import PairingGroup
from storage.models import PairingMember
from storage.models import PairingRound
from storage.models import PairingSchedule
from storage.rows import add_row
from storage.rows import existing_keys
from storage.rows import find_row
from storage.rows import live_networks_with


def get_schedule(*, session: Session, network_id: int) -> PairingSchedule | None:
    return find_row(session, PairingSchedule, network_id=network_id)


def save_schedule(*, session: Session, schedule: PairingSchedule) -> PairingSchedule:
    return add_row(session, schedule)


def live_networks_pairing(*, session: Session) -> list[tuple[Network, PairingSchedule]]:
    """The live networks whose pairing rounds are on."""
    on = live_networks_with(session, PairingSchedule, col(PairingSchedule.active).is_(True))
    return [(network, schedule) for network, schedule in on if schedule is not None]


def existing_round_keys(*, session: Session, keys: list[str]) -> set[str]:
    return existing_keys(session, PairingRound.key, keys)


def add_round(*, session: Session, pairing_round: PairingRound, groups: list[list[str]]) -> PairingRound:
    """Insert a claimed round with its groups; its unique key refuses a second claim (at flush)."""
    session.add(pairing_round)
    session.flush()
    for position, user_ids in enumerate(groups):
        group = PairingGroup(
            round_id=pairing_round.id or 0, network_id=pairing_round.network_id, position=position
        )
        session.add(group)
        session.flush()
        for user_id in user_ids:
            session.add(PairingMember(group_id=group.id or 0, network_id=group.network_id, user_id=user_id))
    session.flush()
    return pairing_round


def past_groups(*, session: Session, network_id: int) -> list[list[str]]:
    """Every group the network's rounds made, oldest first, as the user ids still stored."""
    statement = (
        select(PairingMember.group_id, PairingMember.user_id)
        .where(PairingMember.network_id == network_id)
        .order_by(col(PairingMember.group_id), col(PairingMember.id))
    )
    groups: dict[int, list[str]] = defaultdict(list)
    for group_id, user_id in session.exec(statement):
        groups[group_id].append(user_id)
    return list(groups.values())


def group_members(*, session: Session, group_id: int) -> tuple[PairingGroup, list[str]] | None:
    group = session.get(PairingGroup, group_id)
    if group is None:
        return None
    statement = (
        select(PairingMember.user_id)
        .where(PairingMember.group_id == group_id)
        .order_by(col(PairingMember.id))
    )
    return group, list(session.exec(statement))


def groups_of_round(*, session: Session, round_id: int) -> list[PairingGroup]:
    statement = (
        select(PairingGroup).where(PairingGroup.round_id == round_id).order_by(col(PairingGroup.position))
    )
    return list(session.exec(statement))


def intros_of(*, session: Session, network_id: int, user_ids: list[str]) -> dict[str, Intro]:
    statement = select(Intro).where(Intro.network_id == network_id, col(Intro.user_id).in_(user_ids))
    return {intro.user_id: intro for intro in session.exec(statement)}


def rounds_of(*, session: Session, network_id: int) -> int:
    statement = select(PairingRound.id).where(PairingRound.network_id == network_id)
    return len(list(session.exec(statement)))


def rounds_with_groups(*, session: Session, network_id: int) -> list[tuple[PairingRound, list[list[str]]]]:
    """The network's rounds, oldest first, each with its groups' user ids (as still stored)."""
    rounds = list(
        session.exec(
            select(PairingRound)
            .where(PairingRound.network_id == network_id)
            .order_by(col(PairingRound.run_date))
        )
    )
    statement = (
        select(PairingGroup.round_id, PairingGroup.id, PairingMember.user_id)
        .join(PairingMember, col(PairingMember.group_id) == col(PairingGroup.id))
        .where(PairingGroup.network_id == network_id)
        .order_by(col(PairingGroup.position), col(PairingMember.id))
    )
    groups: dict[int, dict[int, list[str]]] = defaultdict(dict)
    for round_id, group_id, user_id in session.exec(statement):
        groups[round_id].setdefault(group_id, []).append(user_id)
    return [(r, list(groups[r.id or 0].values())) for r in rounds]
