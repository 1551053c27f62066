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

from storage import queries
from storage.models import CheckinAnswer
from storage.models import CheckinReaction
from storage.models import Membership
from storage.models.checkins import Question

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
