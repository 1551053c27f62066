"""The check-ins' part of `python -m bot export`: each posted poll with its counts and written answers,
never the author of an anonymous one."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.services.checkin_common import SCALE
from bot.services.checkin_common import distribution
from bot.services.checkin_common import respondents_of
from bot.services.checkin_common import written_answers
from storage import queries_checkins as q
from storage.models import CheckinAnswer
from storage.models import CheckinPoll
from storage.models import CheckinReaction
from storage.models.checkins import Question


def export_polls(*, session: Session, network_id: int) -> list[dict[str, Any]]:
    """The network's posted polls as the export shows them: counts and texts, never an anonymous author."""
    polls = [p for p in q.list_polls(session=session, network_id=network_id) if p.message_ts is not None]
    poll_ids = [p.id or 0 for p in polls]
    reactions = q.list_reactions(session=session, poll_ids=poll_ids)
    answers = q.list_answers(session=session, poll_ids=poll_ids)
    return [
        _exported(
            poll,
            [r for r in reactions if r.poll_id == poll.id],
            [a for a in answers if a.poll_id == poll.id],
        )
        for poll in polls
    ]


def _exported(
    poll: CheckinPoll, reactions: list[CheckinReaction], written: list[CheckinAnswer]
) -> dict[str, Any]:
    return {
        "id": poll.id,
        "kind": str(poll.kind),
        "run_date": poll.run_date.isoformat(),
        "posted_at": poll.posted_at.isoformat() if poll.posted_at else None,
        "message_ts": poll.message_ts,
        "closes_at": poll.closes_at.isoformat(),
        "closed_at": poll.closed_at.isoformat() if poll.closed_at else None,
        "status": str(poll.status),
        "scale": list(SCALE),
        "reactions": distribution(reactions),
        "respondents": len(respondents_of(reactions, written)),
        "members": poll.member_count,
        "anonymity_threshold": poll.anonymity_threshold,
        "goes_well": [a.text for a in written_answers(written, Question.GOES_WELL)],
        "could_be_better": [a.text for a in written_answers(written, Question.COULD_BE_BETTER)],
        "signed_answers": [
            {"question": str(a.question), "text": a.text, "user_id": a.signed_by}
            for a in written
            if a.signed_by
        ],
    }
