"""The tables, one module per part of the bot; importing this package registers them all."""

from storage.models.cases import (
    ADVICE_MAX,
    CASE_QUESTION_MAX,
    CASE_SITUATION_MAX,
    CASE_TITLE_MAX,
    CASE_TRIED_MAX,
    LESSON_MAX,
    SOURCE_PERMALINK_MAX,
    AdviceSource,
    Case,
    CaseAdvice,
    CaseRecognition,
    CaseStatus,
    HelpKind,
)
from storage.models.charter import NetworkCharter
from storage.models.checkins import (
    CheckinAnswer,
    CheckinPoll,
    CheckinReaction,
    CheckinSchedule,
    Meeting,
    MeetingEvaluation,
)
from storage.models.events import ProcessedEvent
from storage.models.follow_ups import CaseFollowUp, FollowUpOutcome, FollowUpState
from storage.models.inbound import InboundRequest
from storage.models.installations import OAuthState, SlackInstallation
from storage.models.journey import AgendaItem, Journey, JourneyRole, JourneySession
from storage.models.kickoff import (
    AgreementAcceptance,
    AgreementVersion,
    Expectation,
    ExpectationsMap,
    GoalVote,
    Intro,
    LearningGoal,
)
from storage.models.network import (
    GOAL_MAX,
    NAME_MAX,
    Membership,
    Network,
    NetworkComposition,
    NetworkOrigin,
    Role,
    metadata,
)
from storage.models.outbox import OutboxItem, OutboxStatus
from storage.models.pairs import PairingGroup, PairingMember, PairingRound, PairingSchedule
from storage.models.pauses import NetworkPause
from storage.models.processes import BotProcess
from storage.models.safe import CaseGuest
from storage.models.saved_lessons import SavedLesson, SavedLessonStatus
from storage.models.summary import DigestFrequency, DigestRun, DigestSchedule
from storage.models.thermometer import ThermometerAnswer, ThermometerRound
from storage.models.wrap_up import WrapUp, WrapUpAnswer, WrapUpProgress

__all__ = [
    "ADVICE_MAX",
    "CASE_QUESTION_MAX",
    "CASE_SITUATION_MAX",
    "CASE_TITLE_MAX",
    "CASE_TRIED_MAX",
    "GOAL_MAX",
    "LESSON_MAX",
    "NAME_MAX",
    "SOURCE_PERMALINK_MAX",
    "AdviceSource",
    "AgendaItem",
    "AgreementAcceptance",
    "AgreementVersion",
    "BotProcess",
    "Case",
    "CaseAdvice",
    "CaseFollowUp",
    "CaseGuest",
    "CaseRecognition",
    "CaseStatus",
    "CheckinAnswer",
    "CheckinPoll",
    "CheckinReaction",
    "CheckinSchedule",
    "DigestFrequency",
    "DigestRun",
    "DigestSchedule",
    "Expectation",
    "ExpectationsMap",
    "FollowUpOutcome",
    "FollowUpState",
    "GoalVote",
    "HelpKind",
    "InboundRequest",
    "Intro",
    "Journey",
    "JourneyRole",
    "JourneySession",
    "LearningGoal",
    "Meeting",
    "MeetingEvaluation",
    "Membership",
    "Network",
    "NetworkCharter",
    "NetworkComposition",
    "NetworkOrigin",
    "NetworkPause",
    "OAuthState",
    "OutboxItem",
    "OutboxStatus",
    "PairingGroup",
    "PairingMember",
    "PairingRound",
    "PairingSchedule",
    "ProcessedEvent",
    "Role",
    "RoundStep",
    "SavedLesson",
    "SavedLessonStatus",
    "SlackInstallation",
    "ThermometerAnswer",
    "ThermometerRound",
    "WrapUp",
    "WrapUpAnswer",
    "WrapUpProgress",
    "metadata",
]
