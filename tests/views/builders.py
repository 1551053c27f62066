"""What the services hand the views, built for the view tests of more than one part of the bot."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime

from bot.services.cases import CaseState
from bot.services.charter import Charter
from bot.services.expectations import GoalLine
from bot.services.lessons import LessonLine
from storage.models import Case
from storage.models import CaseStatus

CASE_CREATED = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)


def case_state(language: str = "nl", **changes: object) -> CaseState:
    """An open case with two pieces of advice and one recognition; `changes` set the case's fields or
    those counts."""
    fields: dict[str, object] = {
        "id": 7,
        "network_id": 1,
        "owner_id": "U2",
        "title": "Ouders die niet opdagen",
        "situation": "Drie keer op rij kwam niemand naar het oudergesprek.",
        "question": "Hoe krijg ik ouders wel aan tafel?",
        "tried": "Een brief en een sms.",
        "help_wanted": "advice,sounding_board",
        "confidential": False,
        "status": CaseStatus.OPEN,
        "card_ts": "100.000001",
        "created_at": CASE_CREATED,
    }
    counts = {key: changes.pop(key) for key in ("advice_count", "recognition_count") if key in changes}
    fields.update(changes)
    return CaseState(
        case=Case(**fields),
        channel_id="C1",
        language=language,
        advice_count=int(counts.get("advice_count", 2)),  # type: ignore[arg-type]
        recognition_count=int(counts.get("recognition_count", 1)),  # type: ignore[arg-type]
    )


def charter(**changes) -> Charter:
    """The charter of a network under way, but for `changes`."""
    values = dict(
        network_id=1,
        channel_id="C0NETWERK",
        name="Lerend netwerk jeugdhulp",
        goal="Samen sterker worden in moeilijke gesprekken.\nMet ouders en jongeren.",
        origin="organised",
        composition="same_role",
        language="nl",
        started_on=date(2026, 11, 2),
        facilitator_ids=["U0ELS"],
        expert_ids=[],
        member_count=12,
        agreements="Wat hier gezegd wordt, blijft hier.\nWe komen op tijd.",
        accepted=9,
        top_goals=[GoalLine("Omgaan met agressie", 7), GoalLine("Feedback geven", 1)],
        lessons=[LessonLine("Ouders die niet opdagen", "Zelf bellen werkt beter.")],
    )
    values.update(changes)
    return Charter(**values)
