"""Ids of the kickoff: the intro, expectations and agreements modals, the map and agreement buttons."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

INTRO_MODAL: Final = "kickoff_intro"
EXPECTATIONS_MODAL: Final = "kickoff_expectations"
AGREEMENTS_MODAL: Final = "kickoff_agreements"


class IntroBlocks(FormBlocks):
    """Blocks of the intro modal, one per answer (the service's field names map onto them)."""

    JOB_ROLE: Final = "intro_job_role"
    ORGANISATION: Final = "intro_organisation"
    GIVES: Final = "intro_gives"
    WANTS: Final = "intro_wants"
    PRACTICE_QUESTION: Final = "intro_practice_question"


class ExpectationsBlocks(FormBlocks):
    TEXT: Final = "expectations_text"
    GOAL_1: Final = "expectations_goal_1"
    GOAL_2: Final = "expectations_goal_2"
    GOAL_3: Final = "expectations_goal_3"

    GOALS: Final = (GOAL_1, GOAL_2, GOAL_3)


class AgreementsBlocks:
    TEXT: Final = "agreements_text"

    # Spelled out, not a FormBlocks: the service calls its one field `agreements`.
    BY_FIELD: Final = {"agreements": TEXT}


class KickoffActions:
    """Buttons and selects in kickoff messages; their values carry a goal ref or an agreements version."""

    VOTE: Final = "kickoff_vote"
    VOTE_OTHER_GOAL: Final = "kickoff_vote_other_goal"
    ACCEPT_AGREEMENTS: Final = "kickoff_accept_agreements"
    SHOW_PENDING: Final = "kickoff_show_pending"


GOAL_BLOCK_PREFIX: Final = "kickoff_goal_"
"""A map's goal section is `GOAL_BLOCK_PREFIX` + the goal's ref."""
