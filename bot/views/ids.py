"""Every callback_id, block_id and action_id the bot uses: builders and handlers both import these.

One module per part of the bot keeps them apart; this one gathers them so that a clash is caught by
the test that checks they are unique.
"""

from bot.views.ids_cases import (
    CASE_ADVICE_MODAL,
    CASE_CLOSE_MODAL,
    CASE_INTAKE_MODAL,
    CONFIDENTIAL_OPTION,
    CaseActions,
    CaseAdviceBlocks,
    CaseCardBlocks,
    CaseCloseBlocks,
    CaseIntakeBlocks,
)
from bot.views.ids_checkins import (
    CHECKIN_ANSWER_MODAL,
    CHECKIN_SCHEDULE_MODAL,
    MEETING_EVALUATION_MODAL,
    MEETING_PLAN_MODAL,
    CheckinActions,
    CheckinAnswerBlocks,
    CheckinPollBlocks,
    CheckinScheduleBlocks,
    MeetingEvaluationBlocks,
    MeetingPlanBlocks,
)
from bot.views.ids_home import HOME_VIEW, HomeActions, HomeBlocks
from bot.views.ids_kickoff import (
    AGREEMENTS_MODAL,
    EXPECTATIONS_MODAL,
    GOAL_BLOCK_PREFIX,
    INTRO_MODAL,
    AgreementsBlocks,
    ExpectationsBlocks,
    IntroBlocks,
    KickoffActions,
)
from bot.views.ids_network import START_NETWORK_MODAL, VALUE_ACTION, StartNetworkBlocks
from bot.views.ids_pairs import PAIRS_MODAL, PAUSE_MODAL, PairsBlocks, PauseActions, PauseBlocks
from bot.views.ids_privacy import PrivacyActions
from bot.views.ids_summary import SUMMARY_DIGEST_MODAL, SummaryDigestBlocks

__all__ = [
    "AGREEMENTS_MODAL",
    "CASE_ADVICE_MODAL",
    "CASE_CLOSE_MODAL",
    "CASE_INTAKE_MODAL",
    "CHECKIN_ANSWER_MODAL",
    "CHECKIN_SCHEDULE_MODAL",
    "CONFIDENTIAL_OPTION",
    "EXPECTATIONS_MODAL",
    "GOAL_BLOCK_PREFIX",
    "HOME_VIEW",
    "INTRO_MODAL",
    "MEETING_EVALUATION_MODAL",
    "MEETING_PLAN_MODAL",
    "PAIRS_MODAL",
    "PAUSE_MODAL",
    "START_NETWORK_MODAL",
    "SUMMARY_DIGEST_MODAL",
    "VALUE_ACTION",
    "AgreementsBlocks",
    "CaseActions",
    "CaseAdviceBlocks",
    "CaseCardBlocks",
    "CaseCloseBlocks",
    "CaseIntakeBlocks",
    "CheckinActions",
    "CheckinAnswerBlocks",
    "CheckinPollBlocks",
    "CheckinScheduleBlocks",
    "ExpectationsBlocks",
    "HomeActions",
    "HomeBlocks",
    "IntroBlocks",
    "KickoffActions",
    "MeetingEvaluationBlocks",
    "MeetingPlanBlocks",
    "PairsBlocks",
    "PauseActions",
    "PauseBlocks",
    "PrivacyActions",
    "StartNetworkBlocks",
    "SummaryDigestBlocks",
]

FIELD_BLOCKS_BY_MODAL: dict[str, dict[str, str]] = {
    CASE_INTAKE_MODAL: CaseIntakeBlocks.BY_FIELD,
    CASE_ADVICE_MODAL: CaseAdviceBlocks.BY_FIELD,
    CASE_CLOSE_MODAL: CaseCloseBlocks.BY_FIELD,
    CHECKIN_ANSWER_MODAL: CheckinAnswerBlocks.BY_FIELD,
    CHECKIN_SCHEDULE_MODAL: CheckinScheduleBlocks.BY_FIELD,
    MEETING_PLAN_MODAL: MeetingPlanBlocks.BY_FIELD,
    MEETING_EVALUATION_MODAL: MeetingEvaluationBlocks.BY_FIELD,
    INTRO_MODAL: IntroBlocks.BY_FIELD,
    EXPECTATIONS_MODAL: ExpectationsBlocks.BY_FIELD,
    AGREEMENTS_MODAL: AgreementsBlocks.BY_FIELD,
    START_NETWORK_MODAL: StartNetworkBlocks.BY_FIELD,
    SUMMARY_DIGEST_MODAL: SummaryDigestBlocks.BY_FIELD,
    PAIRS_MODAL: PairsBlocks.BY_FIELD,
    PAUSE_MODAL: PauseBlocks.BY_FIELD,
}
"""Per modal, the block that shows each form field's problems: the error boundary's map from a domain
validation error (InvalidInput, by field name) to `response_action="errors"`."""
