"""Every callback_id, block_id and action_id the bot uses: builders and handlers both import these.

One module per part of the bot keeps them apart; this one gathers them so that a clash is caught by
the test that checks they are unique.
"""

from bot.views.ids_cases import CASE_ADVICE_MODAL
from bot.views.ids_cases import CASE_CLOSE_MODAL
from bot.views.ids_cases import CASE_INTAKE_MODAL
from bot.views.ids_cases import CASE_ROUND_MODAL
from bot.views.ids_cases import CONFIDENTIAL_OPTION
from bot.views.ids_cases import CaseActions
from bot.views.ids_cases import CaseAdviceBlocks
from bot.views.ids_cases import CaseCardBlocks
from bot.views.ids_cases import CaseCloseBlocks
from bot.views.ids_cases import CaseIntakeBlocks
from bot.views.ids_cases import CaseRoundBlocks
from bot.views.ids_checkins import CHECKIN_ANSWER_MODAL
from bot.views.ids_checkins import CHECKIN_SCHEDULE_MODAL
from bot.views.ids_checkins import MEETING_EVALUATION_MODAL
from bot.views.ids_checkins import MEETING_PLAN_MODAL
from bot.views.ids_checkins import SIGN_ANSWER_OPTION
from bot.views.ids_checkins import CheckinActions
from bot.views.ids_checkins import CheckinAnswerBlocks
from bot.views.ids_checkins import CheckinPollBlocks
from bot.views.ids_checkins import CheckinScheduleBlocks
from bot.views.ids_checkins import MeetingEvaluationBlocks
from bot.views.ids_checkins import MeetingPlanBlocks
from bot.views.ids_follow_ups import FOLLOW_UP_ANSWER_MODAL
from bot.views.ids_follow_ups import SHARE_LESSON_OPTION
from bot.views.ids_follow_ups import SHARE_TAKEAWAY_BLOCK
from bot.views.ids_follow_ups import SHARE_TAKEAWAY_OPTION
from bot.views.ids_follow_ups import FollowUpActions
from bot.views.ids_follow_ups import FollowUpAnswerBlocks
from bot.views.ids_follow_ups import FollowUpCloseBlocks
from bot.views.ids_follow_ups import LessonActions
from bot.views.ids_home import HOME_VIEW
from bot.views.ids_home import HomeActions
from bot.views.ids_home import HomeBlocks
from bot.views.ids_journey import JOURNEY_PLAN_MODAL
from bot.views.ids_journey import JOURNEY_SESSIONS_MODAL
from bot.views.ids_journey import THEME_BLOCK_PREFIX
from bot.views.ids_journey import WORKFORM_BLOCK_PREFIX
from bot.views.ids_journey import CaseAgendaBlocks
from bot.views.ids_journey import JourneyActions
from bot.views.ids_journey import JourneyPlanBlocks
from bot.views.ids_kickoff import AGREEMENTS_MODAL
from bot.views.ids_kickoff import EXPECTATIONS_MODAL
from bot.views.ids_kickoff import GOAL_BLOCK_PREFIX
from bot.views.ids_kickoff import INTRO_MODAL
from bot.views.ids_kickoff import AgreementsBlocks
from bot.views.ids_kickoff import ExpectationsBlocks
from bot.views.ids_kickoff import IntroBlocks
from bot.views.ids_kickoff import KickoffActions
from bot.views.ids_network import START_NETWORK_MODAL
from bot.views.ids_network import VALUE_ACTION
from bot.views.ids_network import StartNetworkBlocks
from bot.views.ids_pairs import PAIRS_MODAL
from bot.views.ids_pairs import PAUSE_MODAL
from bot.views.ids_pairs import PairsBlocks
from bot.views.ids_pairs import PauseActions
from bot.views.ids_pairs import PauseBlocks
from bot.views.ids_privacy import PrivacyActions
from bot.views.ids_safe import CASE_GUESTS_MODAL
from bot.views.ids_safe import CASE_READING_VIEW
from bot.views.ids_safe import FORGET_DETAILS_OPTION
from bot.views.ids_safe import SafeActions
from bot.views.ids_safe import SafeBlocks
from bot.views.ids_shortcuts import BRING_IN_AS_CASE_SHORTCUT
from bot.views.ids_shortcuts import SAVE_AS_LESSON_SHORTCUT
from bot.views.ids_shortcuts import ShortcutActions
from bot.views.ids_summary import SUMMARY_DIGEST_MODAL
from bot.views.ids_summary import SummaryDigestBlocks
from bot.views.ids_thermometer import THERMOMETER_ANSWER_MODAL
from bot.views.ids_thermometer import ThermometerActions
from bot.views.ids_thermometer import ThermometerAnswerBlocks
from bot.views.ids_wrap_up import LOOK_BACK_MODAL
from bot.views.ids_wrap_up import WRAP_UP_MODAL
from bot.views.ids_wrap_up import LookBackBlocks
from bot.views.ids_wrap_up import WrapUpActions
from bot.views.ids_wrap_up import WrapUpBlocks

__all__ = [
    "AGREEMENTS_MODAL",
    "BRING_IN_AS_CASE_SHORTCUT",
    "CASE_ADVICE_MODAL",
    "CASE_CLOSE_MODAL",
    "CASE_GUESTS_MODAL",
    "CASE_INTAKE_MODAL",
    "CASE_READING_VIEW",
    "CASE_ROUND_MODAL",
    "CHECKIN_ANSWER_MODAL",
    "CHECKIN_SCHEDULE_MODAL",
    "CONFIDENTIAL_OPTION",
    "EXPECTATIONS_MODAL",
    "FOLLOW_UP_ANSWER_MODAL",
    "FORGET_DETAILS_OPTION",
    "GOAL_BLOCK_PREFIX",
    "HOME_VIEW",
    "INTRO_MODAL",
    "JOURNEY_PLAN_MODAL",
    "JOURNEY_SESSIONS_MODAL",
    "LOOK_BACK_MODAL",
    "MEETING_EVALUATION_MODAL",
    "MEETING_PLAN_MODAL",
    "PAIRS_MODAL",
    "PAUSE_MODAL",
    "SAVE_AS_LESSON_SHORTCUT",
    "SHARE_LESSON_OPTION",
    "SHARE_TAKEAWAY_BLOCK",
    "SHARE_TAKEAWAY_OPTION",
    "SIGN_ANSWER_OPTION",
    "START_NETWORK_MODAL",
    "SUMMARY_DIGEST_MODAL",
    "THEME_BLOCK_PREFIX",
    "THERMOMETER_ANSWER_MODAL",
    "VALUE_ACTION",
    "WORKFORM_BLOCK_PREFIX",
    "WRAP_UP_MODAL",
    "AgreementsBlocks",
    "CaseActions",
    "CaseAdviceBlocks",
    "CaseAgendaBlocks",
    "CaseCardBlocks",
    "CaseCloseBlocks",
    "CaseIntakeBlocks",
    "CaseRoundBlocks",
    "CheckinActions",
    "CheckinAnswerBlocks",
    "CheckinPollBlocks",
    "CheckinScheduleBlocks",
    "ExpectationsBlocks",
    "FollowUpActions",
    "FollowUpAnswerBlocks",
    "FollowUpCloseBlocks",
    "HomeActions",
    "HomeBlocks",
    "IntroBlocks",
    "JourneyActions",
    "JourneyPlanBlocks",
    "KickoffActions",
    "LessonActions",
    "LookBackBlocks",
    "MeetingEvaluationBlocks",
    "MeetingPlanBlocks",
    "PairsBlocks",
    "PauseActions",
    "PauseBlocks",
    "PrivacyActions",
    "SafeActions",
    "SafeBlocks",
    "ShortcutActions",
    "StartNetworkBlocks",
    "SummaryDigestBlocks",
    "ThermometerActions",
    "ThermometerAnswerBlocks",
    "WrapUpActions",
    "WrapUpBlocks",
]

FIELD_BLOCKS_BY_MODAL: dict[str, dict[str, str]] = {
    CASE_INTAKE_MODAL: CaseIntakeBlocks.BY_FIELD,
    CASE_ADVICE_MODAL: CaseAdviceBlocks.BY_FIELD,
    CASE_CLOSE_MODAL: {**CaseCloseBlocks.BY_FIELD, **FollowUpCloseBlocks.BY_FIELD},
    CHECKIN_ANSWER_MODAL: CheckinAnswerBlocks.BY_FIELD,
    CHECKIN_SCHEDULE_MODAL: CheckinScheduleBlocks.BY_FIELD,
    MEETING_PLAN_MODAL: MeetingPlanBlocks.BY_FIELD,
    MEETING_EVALUATION_MODAL: MeetingEvaluationBlocks.BY_FIELD,
    INTRO_MODAL: IntroBlocks.BY_FIELD,
    EXPECTATIONS_MODAL: ExpectationsBlocks.BY_FIELD,
    AGREEMENTS_MODAL: AgreementsBlocks.BY_FIELD,
    START_NETWORK_MODAL: StartNetworkBlocks.BY_FIELD,
    SUMMARY_DIGEST_MODAL: SummaryDigestBlocks.BY_FIELD,
    CASE_ROUND_MODAL: CaseRoundBlocks.BY_FIELD,
    CASE_GUESTS_MODAL: SafeBlocks.GUESTS_BY_FIELD,
    FOLLOW_UP_ANSWER_MODAL: FollowUpAnswerBlocks.BY_FIELD,
    JOURNEY_PLAN_MODAL: JourneyPlanBlocks.BY_FIELD,
    # One theme and one work form per session: a field `theme-<id>` is shown under `journey_theme_<id>`.
    JOURNEY_SESSIONS_MODAL: {"theme-*": THEME_BLOCK_PREFIX, "workform-*": WORKFORM_BLOCK_PREFIX},
    THERMOMETER_ANSWER_MODAL: ThermometerAnswerBlocks.BY_FIELD,
    PAIRS_MODAL: PairsBlocks.BY_FIELD,
    PAUSE_MODAL: PauseBlocks.BY_FIELD,
    WRAP_UP_MODAL: WrapUpBlocks.BY_FIELD,
    LOOK_BACK_MODAL: LookBackBlocks.BY_FIELD,
}
"""Per modal, the block that shows each form field's problems: the error boundary's map from a domain
validation error (InvalidInput, by field name) to `response_action="errors"`."""
