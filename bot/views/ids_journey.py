"""Ids of the trajectory's modals, messages and buttons, and of the agenda."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

JOURNEY_PLAN_MODAL: Final = "journey_plan"
JOURNEY_SESSIONS_MODAL: Final = "journey_sessions"
THEME_BLOCK_PREFIX: Final = "journey_theme_"
WORKFORM_BLOCK_PREFIX: Final = "journey_workform_"


class JourneyActions:
    """Buttons; a role's carries the role's id, an agenda item's its id, a case's the case id."""

    EDIT_SESSIONS: Final = "journey_edit_sessions"
    REPLAN: Final = "journey_replan"
    PASS_ROLE: Final = "journey_pass_role"
    ACCEPT_ROLE: Final = "journey_accept_role"
    DECLINE_ROLE: Final = "journey_decline_role"
    PICK_AGENDA: Final = "agenda_pick"
    UNPICK_AGENDA: Final = "agenda_unpick"
    PUT_CASE_FORWARD: Final = "agenda_put_case_forward"


class JourneyPlanBlocks(FormBlocks):
    COUNT: Final = "journey_count"
    RHYTHM: Final = "journey_rhythm"
    FIRST_DAY: Final = "journey_first_day"
    START: Final = "journey_start"
    END: Final = "journey_end"
    PLACE: Final = "journey_place"
    LINK: Final = "journey_link"


class CaseAgendaBlocks:
    """The case card's own agenda block, apart from its other buttons."""

    ACTIONS: Final = "case_agenda_actions"
