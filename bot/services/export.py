"""The network as data (`python -m bot export`): the shape CONTRACT.md promises to operators."""

from __future__ import annotations

from typing import Any

from bot.errors import ChannelNotLinked
from bot.services.cases import export_cases
from bot.services.checkin_export import export_polls
from bot.services.follow_ups import export_follow_ups
from bot.services.journey import export_traject
from bot.services.kickoff_export import export_kickoff
from bot.services.lessons import export_lessons
from bot.services.meetings import export_sessions
from bot.services.pairs import export_pairing
from bot.services.pauses import export_pauses
from bot.services.thermometer import export_thermometer
from bot.services.wrap_up import export_harvest
from storage import queries
from storage.db import SessionFactory
from storage.db import unit_of_work
from storage.models import Membership
from storage.models import Network
from storage.models import Role


def export_network(
    *, sessions: SessionFactory, channel_id: str, team_id: str | None = None
) -> dict[str, Any]:
    """All that is stored about the network linked to `channel_id` (or, when none is, the one last
    archived there), as JSON-ready data. With `team_id`, only that workspace's network: a channel shared
    between two organisations has one id in both, and each may link a network of its own to it.

    Raises ChannelNotLinked when no network is or was linked to that channel (in that workspace).
    """
    with unit_of_work(sessions) as session:
        linked = (
            queries.get_network_by_channel_any_team(session=session, channel_id=channel_id)
            if team_id is None
            else queries.get_network_by_channel(session=session, team_id=team_id, channel_id=channel_id)
        )
        # A channel whose network was archived (by hand, or at the close of its wrap-up) still exports it.
        network = linked or queries.latest_archived_network_of_channel(session=session, channel_id=channel_id)
        if network is None or (team_id is not None and network.team_id != team_id):
            raise ChannelNotLinked(channel=channel_id)
        memberships = queries.list_memberships(session=session, network_id=network.id or 0, active_only=False)
        kickoff = export_kickoff(session, network_id=network.id or 0, memberships=memberships)
        cases = export_cases(session=session, network_id=network.id or 0)
        polls = export_polls(session=session, network_id=network.id or 0)
        meetings = export_sessions(session=session, network_id=network.id or 0)
        follow_ups = export_follow_ups(session=session, network_id=network.id or 0)
        lessons = export_lessons(session=session, network_id=network.id or 0)
        traject = export_traject(session=session, network=network)
        thermometer = export_thermometer(session=session, network_id=network.id or 0)
        pairing = export_pairing(session, network_id=network.id or 0)
        pauses = export_pauses(session, network_id=network.id or 0)
        harvest = export_harvest(session=session, network_id=network.id or 0)
    return {
        "network": _network_record(network, memberships),
        "members": [_member_record(m, kickoff["members"][m.user_id]) for m in memberships],
        "intros": kickoff["intros"],
        "expectations": kickoff["expectations"],
        "agreements": kickoff["agreements"],
        "cases": cases,
        "polls": polls,
        "sessions": meetings,
        "follow_ups": follow_ups,
        "lessons": lessons,
        "traject": traject,
        "thermometer": thermometer,
        "pairing_rounds": pairing,
        "pauses": pauses,
        "harvest": harvest,
    }


def _network_record(network: Network, memberships: list[Membership]) -> dict[str, Any]:
    active = [m for m in memberships if m.active]
    return {
        "channel_id": network.channel_id,
        "team_id": network.team_id,
        "name": network.name,
        "goal": network.goal,
        "origin": str(network.origin),
        "composition": str(network.composition),
        "facilitators": queries.user_ids_with_role(active, Role.FACILITATOR),
        "language": network.language,
        "timezone": network.timezone,
        "created_by": network.created_by,
        "created_at": network.created_at.isoformat(),
        "archived_at": network.archived_at.isoformat() if network.archived_at else None,
    }


def _member_record(membership: Membership, kickoff_part: dict[str, Any]) -> dict[str, Any]:
    return {
        "user_id": membership.user_id,
        "role": str(membership.role),
        "active": membership.active,
        "joined_at": membership.joined_at.isoformat(),
        "left_at": membership.left_at.isoformat() if membership.left_at else None,
        **kickoff_part,
    }
