"""The kickoff's part of `python -m bot export`: introductions, expectations with their votes, and
who accepted the current agreements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from bot.services.expectations import network_goals
from storage import queries_kickoff as kq
from storage.models import Membership


def export_kickoff(session: Session, *, network_id: int, memberships: Iterable[Membership]) -> dict[str, Any]:
    """The kickoff's part of `python -m bot export`: per member whether they introduced themselves and
    accepted the current agreements, the introductions, and the expectations with their votes."""
    intros = kq.list_intros(session=session, network_id=network_id)
    introduced = {intro.user_id for intro in intros}
    current = kq.current_agreement_version(session=session, network_id=network_id)
    accepted = kq.accepted_user_ids(session=session, version_id=current.id or 0) if current else set()
    memberships = list(memberships)
    active_ids = {m.user_id for m in memberships if m.active}
    goals = network_goals(session, network_id, voter_ids=active_ids)
    return {
        "members": {
            m.user_id: {"introduced": m.user_id in introduced, "accepted_agreements": m.user_id in accepted}
            for m in memberships
        },
        "intros": [
            {
                "user_id": intro.user_id,
                "job_role": intro.job_role,
                "organisation": intro.organisation,
                "gives": intro.gives,
                "wants": intro.wants,
                "practice_question": intro.practice_question,
                "created_at": intro.created_at.isoformat(),
                "updated_at": intro.updated_at.isoformat(),
            }
            for intro in intros
        ],
        "expectations": [
            {
                "kind": "learning_goal",
                "text": goal.text,
                "votes": goal.votes,
                "wordings": list(goal.wordings),
                "proposed_by": list(goal.proposer_ids),
                "voters": list(goal.voter_ids),
            }
            for goal in goals
        ]
        + [
            {"kind": "expectation", "text": expectation.text, "votes": 0, "user_id": expectation.user_id}
            for expectation in kq.list_expectations(session=session, network_id=network_id)
        ],
        "agreements": {
            "version": current.version if current else None,
            "agreements": current.lines if current else [],
            "accepted_by": sorted(accepted & active_ids),
        },
    }
