"""What the check-in services share: who may take part, the scale, and how answers are counted.

The services themselves each hold one concern: bot.services.checkin_schedule (when polls run),
checkin_polls (claiming, posting, closing, recovery), checkin_answers (reactions and written answers)
and checkin_reminders; checkin_export gives the polls to `python -m bot export`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from bot.errors import ChannelNotLinked, NotAFacilitator, NotAMember
from storage import queries
from storage.models import CheckinAnswer, CheckinReaction, Membership, Network
from storage.models.checkins import Question
from storage.models.network import Role

SCALE: tuple[str, ...] = (
    "grinning",
    "slightly_smiling_face",
    "neutral_face",
    "slightly_frowning_face",
    "disappointed",
)
"""The answers to "Zijn we goed bezig?", best first: emoji names as Slack sends them in reactions."""


@dataclass(frozen=True, slots=True)
class WrittenAnswer:
    text: str
    signed_by: str | None


def normalise_emoji(name: str) -> str:
    """`thumbsup::skin-tone-2` and `:grinning:` as the bare names the scale uses."""
    return name.strip(":").split("::", 1)[0]


def active_memberships(session: Session, network_id: int) -> list[Membership]:
    return queries.list_memberships(session=session, network_id=network_id)


def require_role(memberships: Iterable[Membership], user_id: str, *, facilitator: bool) -> Membership:
    membership = next((m for m in memberships if m.user_id == user_id and m.active), None)
    if membership is None:
        raise NotAMember()
    if facilitator and membership.role != Role.FACILITATOR:
        raise NotAFacilitator()
    return membership


def facilitated_network(session: Session, network_id: int, user_id: str) -> Network:
    """The linked, live network, if `user_id` is its facilitator.

    Raises ChannelNotLinked (unknown or archived), NotAMember, or NotAFacilitator.
    """
    network = session.get(Network, network_id)
    if network is None or network.archived_at is not None:
        raise ChannelNotLinked()
    require_role(active_memberships(session, network_id), user_id, facilitator=True)
    return network


def respondents_of(reactions: Iterable[CheckinReaction], answers: Iterable[CheckinAnswer]) -> set[str]:
    """Who answered (as their keyed hashes): with a reaction of the scale, a written answer, or both."""
    return {r.respondent for r in reactions} | {a.respondent for a in answers}


def distribution(reactions: Iterable[CheckinReaction]) -> dict[str, int]:
    """How many respondents gave each scale answer: each counts once, with the emoji they added last."""
    latest: dict[str, CheckinReaction] = {}
    for reaction in sorted(reactions, key=lambda r: (r.reacted_at, r.id or 0)):
        latest[reaction.respondent] = reaction
    counts = Counter(reaction.emoji for reaction in latest.values())
    return {emoji: counts.get(emoji, 0) for emoji in SCALE}


def written_answers(answers: Iterable[CheckinAnswer], question: Question) -> list[WrittenAnswer]:
    """The answers to `question`, sorted by text: neither the order they came in nor who wrote them shows."""
    chosen = [a for a in answers if a.question == question]
    return [
        WrittenAnswer(text=a.text, signed_by=a.signed_by)
        for a in sorted(chosen, key=lambda a: (a.text.casefold(), a.text, a.respondent))
    ]
