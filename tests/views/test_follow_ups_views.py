"""The follow-up and lessons views: snapshots of what Slack receives, escaping, and Slack's limits."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.follow_ups import AgendaFollowUp
from bot.services.follow_ups import FollowUpQuestion
from bot.services.lessons import Lesson
from bot.services.lessons import LessonSource
from bot.services.lessons import LessonsPage
from bot.views.cases import CaseModalContext
from bot.views.cases import close_modal
from bot.views.follow_ups import adviser_message
from bot.views.follow_ups import agenda_follow_ups
from bot.views.follow_ups import answer_modal
from bot.views.follow_ups import close_modal_follow_up
from bot.views.follow_ups import question_message
from bot.views.follow_ups import settled_message
from bot.views.follow_ups import thread_post
from bot.views.lessons import lessons_message
from storage.models import FollowUpOutcome
from storage.models import FollowUpState
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict
from tests.views.builders import case_state

NOW = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
LANGUAGES = ["nl", "en"]


def question(language: str = "nl", **changes: object) -> FollowUpQuestion:
    fields: dict[str, object] = {
        "follow_up_id": 3,
        "case_id": 7,
        "network_id": 1,
        "owner_id": "U2",
        "case_title": "Ouders die niet opdagen <!channel>",
        "plan": "De ouders *zelf* opbellen.",
        "language": language,
        "channel_id": "C1",
        "card_ts": "100.000001",
        "confidential": False,
        "state": FollowUpState.ASKED,
        "asked_count": 1,
        "due_at": NOW,
        "timezone": "Europe/Brussels",
        "question_channel": "D1",
        "question_ts": "200.000001",
        "outcome": None,
        "answer": "",
        "advisers": ["U3"],
    }
    fields.update(changes)
    return FollowUpQuestion(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_close_modal_with_its_follow_up_block(language: str) -> None:
    texts = Texts(language)
    shown = case_state(language, confidential=True)
    extra = close_modal_follow_up(texts, shown, look_back_on=date(2026, 10, 5))
    view = close_modal(
        texts, context=CaseModalContext("C1", language, case_id=7), state=shown, follow_up=extra
    )
    assert validate_view(view.to_dict()) == []
    assert_matches_snapshot(f"follow_up_close_modal_{language}", view.to_dict())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_question_its_answer_and_where_it_goes(language: str) -> None:
    texts = Texts(language)
    answered = question(
        language, state=FollowUpState.ANSWERED, outcome=FollowUpOutcome.HELPED, answer="Het <@U9> werkte."
    )
    later = question(
        language,
        state=FollowUpState.PENDING,
        outcome=FollowUpOutcome.NOT_YET,
        due_at=NOW + timedelta(weeks=2),
    )
    messages = {
        "question": question_message(texts, question(language)),
        "again": question_message(texts, question(language, asked_count=2, confidential=True)),
        "settled": settled_message(texts, answered),
        "ask_again": settled_message(texts, later),
        "thread": thread_post(texts, answered),
        "adviser": adviser_message(texts, answered),
    }
    for message in messages.values():
        assert validate_blocks(message.blocks_as_dicts()) == []
        assert "<!channel>" not in str(message.blocks_as_dicts()) and "<@U9>" not in str(
            message.blocks_as_dicts()
        )
    modal = answer_modal(texts, question(language), outcome="not_yet").to_dict()
    assert validate_view(modal) == []
    snapshot = {name: message_dict(message) for name, message in messages.items()}
    snapshot["modal"] = modal
    snapshot["agenda"] = [
        block.to_dict()
        for block in agenda_follow_ups(
            texts, [AgendaFollowUp("Ouders", "U2", FollowUpOutcome.DID_NOT_HELP, "x")]
        )
    ]
    assert_matches_snapshot(f"follow_up_messages_{language}", snapshot)


def lesson(number: int, **changes: object) -> Lesson:
    fields: dict[str, object] = {
        "text": f"Les {number} *vet* <!here>",
        "source": LessonSource.CASE,
        "title": f"Casus {number}",
        "theme": None,
        "at": NOW - timedelta(days=number),
    }
    fields.update(changes)
    return Lesson(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_of_lessons(language: str) -> None:
    lessons = [
        lesson(1, source=LessonSource.MEETING, title="Ouders betrekken", theme="Ouders betrekken"),
        lesson(2),
        lesson(3, source=LessonSource.FOLLOW_UP, outcome="helped"),
        lesson(4, confidential=True, title=""),
    ]
    page = LessonsPage(
        lessons=lessons, page=0, total=14, has_more=True, language=language, timezone="Europe/Brussels"
    )
    message = lessons_message(Texts(language), page)
    assert validate_blocks(message.blocks_as_dicts()) == []
    assert "<!here>" not in str(message.blocks_as_dicts())
    assert_matches_snapshot(f"lessons_{language}", message_dict(message))


def test_a_full_page_of_long_lessons_fits_in_a_message() -> None:
    lessons = [lesson(n, text="x" * 2000, theme=f"Thema {n}", title="t" * 500) for n in range(10)]
    page = LessonsPage(lessons=lessons, page=1, total=40, has_more=True, language="nl", timezone="UTC")
    blocks = lessons_message(Texts("nl"), page).blocks_as_dicts()
    assert len(blocks) <= 50 and validate_blocks(blocks) == []
