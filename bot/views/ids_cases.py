"""Ids of the case card, its thread posts, the case modals and `/case lijst`."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

CASE_INTAKE_MODAL: Final = "case_intake"
CASE_ADVICE_MODAL: Final = "case_advice_modal"
CASE_CLOSE_MODAL: Final = "case_close_modal"
CASE_ROUND_MODAL: Final = "case_round_modal"


class CaseIntakeBlocks(FormBlocks):
    """Blocks of the intake modal, one per form field (the service's field names map onto them)."""

    TITLE: Final = "case_title"
    SITUATION: Final = "case_situation"
    QUESTION: Final = "case_question"
    TRIED: Final = "case_tried"
    HELP_WANTED: Final = "case_help_wanted"
    CONFIDENTIAL: Final = "case_confidential"


class CaseAdviceBlocks(FormBlocks):
    ADVICE: Final = "case_advice_text"


class CaseCloseBlocks(FormBlocks):
    LESSON: Final = "case_lesson"


class CaseRoundBlocks(FormBlocks):
    METHOD: Final = "case_round_method"
    LEAD: Final = "case_round_lead"


CONFIDENTIAL_OPTION: Final = "confidential"
"""The value of the one checkbox that makes a case confidential."""


class CaseActions:
    """Buttons on the case card and its round posts; each carries the case id in its value."""

    GIVE_ADVICE: Final = "case_give_advice"
    RECOGNISE: Final = "case_recognise"
    CLOSE: Final = "case_close"
    DELETE: Final = "case_delete"
    AGENDA: Final = "case_agenda"
    """Value `<case id>:on` or `<case id>:off`: the state asked for, so a second press is harmless."""
    START_ROUND: Final = "case_start_round"
    NEXT_STEP: Final = "case_next_step"
    """Value `<case id>:<index of the step moved from>`: a second press is refused, never a skip."""


class CaseCardBlocks:
    ACTIONS: Final = "case_card_actions"
    ROUND_ACTIONS: Final = "case_round_actions"
