"""Ids of the follow-up part of the close modal, the follow-up question and its modal, and the lessons."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

FOLLOW_UP_ANSWER_MODAL: Final = "follow_up_answer_modal"


class FollowUpCloseBlocks:
    """The close modal's follow-up block (beside CaseCloseBlocks)."""

    PLAN: Final = "follow_up_plan"
    DATE: Final = "follow_up_date"
    SHARE: Final = "follow_up_share_lesson"

    # Spelled out, not a FormBlocks: in the close modal the service names these fields `follow_up_…`.
    BY_FIELD: Final = {"follow_up_plan": PLAN, "follow_up_date": DATE}


SHARE_LESSON_OPTION: Final = "share_lesson"


class FollowUpAnswerBlocks(FormBlocks):
    OUTCOME: Final = "follow_up_outcome"
    ANSWER: Final = "follow_up_answer"


class FollowUpActions:
    ANSWER: Final = "follow_up_answer_button"
    """Value `<follow-up id>:<outcome>`: the outcome the modal opens with."""


class LessonActions:
    MORE: Final = "lessons_more"
    """Value: the page to show."""


SHARE_TAKEAWAY_BLOCK: Final = "meeting_evaluation_share"
SHARE_TAKEAWAY_OPTION: Final = "share_takeaway"
