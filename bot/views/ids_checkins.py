"""Ids of the check-in poll, its modals, the schedule modal, and the meeting modal and messages."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

CHECKIN_ANSWER_MODAL: Final = "checkin_answer"
CHECKIN_SCHEDULE_MODAL: Final = "checkin_schedule"
MEETING_PLAN_MODAL: Final = "meeting_plan"
MEETING_EVALUATION_MODAL: Final = "meeting_evaluation"


class CheckinActions:
    """Buttons on the poll and meeting messages; each carries the poll's or meeting's id as its value."""

    WRITE_GOES_WELL: Final = "checkin_write_goes_well"
    WRITE_COULD_BE_BETTER: Final = "checkin_write_could_be_better"
    EVALUATE_MEETING: Final = "meeting_evaluate"


class CheckinPollBlocks:
    GOES_WELL: Final = "checkin_poll_goes_well"
    COULD_BE_BETTER: Final = "checkin_poll_could_be_better"


class CheckinAnswerBlocks(FormBlocks):
    TEXT: Final = "checkin_answer_text"
    SIGN: Final = "checkin_answer_sign"


SIGN_ANSWER_OPTION: Final = "signed"
"""The value of the one checkbox that signs a check-in answer with one's name."""


class CheckinScheduleBlocks(FormBlocks):
    FREQUENCY: Final = "checkin_schedule_frequency"
    WEEKDAY: Final = "checkin_schedule_weekday"
    TIME: Final = "checkin_schedule_time"
    OPEN_DAYS: Final = "checkin_schedule_open_days"
    REMINDERS: Final = "checkin_schedule_reminders"
    ANONYMITY_THRESHOLD: Final = "checkin_schedule_threshold"


class MeetingPlanBlocks:
    DAY: Final = "meeting_day"
    START: Final = "meeting_start"
    END: Final = "meeting_end"
    TOPIC: Final = "meeting_topic"
    CASES: Final = "meeting_cases"
    LINKED_CASES: Final = "meeting_linked_cases"

    # Spelled out, not a FormBlocks: the linked cases are read apart, into the form's case ids.
    BY_FIELD: Final = {"day": DAY, "start": START, "end": END, "topic": TOPIC, "cases": CASES}


class MeetingEvaluationBlocks(FormBlocks):
    USEFULNESS: Final = "meeting_evaluation_usefulness"
    TAKEAWAY: Final = "meeting_evaluation_takeaway"
