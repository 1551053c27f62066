"""A member's roles in the trajectory and their agenda proposals: what my-data lists and forget-me erases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.services.journey import hand_on
from bot.services.journey import plan_changed
from bot.services.outbox import Outbox
from storage import queries_journey as q
from storage.models import Network
from storage.models.journey import AgendaKind
from storage.models.journey import RoleState


def journey_data(session: Session, network_id: int, user_id: str) -> dict[str, list[Any]]:
    """Their roles (held or passed on) and their agenda proposals in the network."""
    roles = [
        {
            "meeting_id": meeting.id,
            "starts_at": meeting.starts_at.isoformat(),
            "role": str(role.role),
            "state": str(role.state) if role.user_id == user_id else "passed_on",
        }
        for role, meeting in q.roles_in_network(session=session, network_id=network_id)
        if role.user_id == user_id or user_id in role.declined
    ]
    proposals = [
        {"meeting_id": meeting.id, "kind": str(item.kind), "text": item.text, "case_id": item.case_id}
        for item, meeting in q.agenda_items_of_user(session=session, network_id=network_id, user_id=user_id)
    ]
    return {"journey_roles": roles, "agenda_proposals": proposals}


def forget_in_journey(
    session: Session, outbox: Outbox, network: Network, user_id: str, now: datetime
) -> None:
    """Their name leaves every role: roles still to come go to the next in line, past ones stay unnamed;
    their proposed topics go, the cases they put forward stay on the agenda without their name; the plan
    in the channel follows."""
    named = False
    for role, meeting in q.roles_in_network(session=session, network_id=network.id or 0):
        if user_id in role.declined:
            role.declined_by = ",".join(other for other in role.declined if other != user_id)
            q.save(session=session, row=role)
        if role.user_id != user_id:
            continue
        named = True
        if meeting.starts_at > now and network.archived_at is None:
            hand_on(session, outbox, network, role, passed_by=user_id)
            role.declined_by = ",".join(other for other in role.declined if other != user_id)
        else:
            role.user_id, role.state = "", RoleState.OPEN
        q.save(session=session, row=role)
    journey = q.get_journey(session=session, network_id=network.id or 0)
    if named and journey is not None:
        plan_changed(session, outbox, journey, now)
    items = q.agenda_items_of_user(session=session, network_id=network.id or 0, user_id=user_id)
    q.delete(session=session, rows=[item for item, _ in items if item.kind == AgendaKind.TOPIC])
    for item, _ in items:
        if item.kind == AgendaKind.CASE:
            item.proposed_by = ""
            q.save(session=session, row=item)
