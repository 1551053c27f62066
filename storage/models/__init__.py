"""The tables, one module per part of the bot; importing this package registers them all."""

from storage.models.base import metadata
from storage.models.cases import ADVICE_MAX
from storage.models.cases import CASE_QUESTION_MAX
from storage.models.cases import CASE_SITUATION_MAX
from storage.models.cases import CASE_TITLE_MAX
from storage.models.cases import CASE_TRIED_MAX
from storage.models.cases import LESSON_MAX
from storage.models.cases import SOURCE_PERMALINK_MAX
from storage.models.cases import AdviceSource
from storage.models.cases import Case
from storage.models.cases import CaseAdvice
from storage.models.cases import CaseRecognition
from storage.models.cases import CaseStatus
from storage.models.cases import HelpKind
from storage.models.charter import NetworkCharter
from storage.models.checkins import CheckinAnswer
from storage.models.checkins import CheckinPoll
from storage.models.checkins import CheckinReaction
from storage.models.checkins import CheckinSchedule
from storage.models.checkins import Meeting
from storage.models.checkins import MeetingEvaluation
from storage.models.events import ProcessedEvent
from storage.models.follow_ups import CaseFollowUp
from storage.models.follow_ups import FollowUpOutcome
from storage.models.follow_ups import FollowUpState
from storage.models.inbound import InboundRequest
from storage.models.installations import OAuthState
from storage.models.installations import SlackInstallation
from storage.models.journey import AgendaItem
from storage.models.journey import Journey
from storage.models.journey import JourneyRole
from storage.models.journey import JourneySession
from storage.models.kickoff import AgreementAcceptance
from storage.models.kickoff import AgreementVersion
from storage.models.kickoff import Expectation
from storage.models.kickoff import ExpectationsMap
from storage.models.kickoff import GoalVote
from storage.models.kickoff import Intro
from storage.models.kickoff import LearningGoal
from storage.models.network import GOAL_MAX
from storage.models.network import NAME_MAX
from storage.models.network import Membership
from storage.models.network import Network
from storage.models.network import NetworkComposition
from storage.models.network import NetworkOrigin
from storage.models.network import Role
from storage.models.outbox import OutboxItem
from storage.models.outbox import OutboxStatus
from storage.models.pairs import PairingGroup
from storage.models.pairs import PairingMember
from storage.models.pairs import PairingRound
from storage.models.pairs import PairingSchedule
from storage.models.pauses import NetworkPause
from storage.models.processes import BotProcess
from storage.models.safe import CaseGuest
from storage.models.saved_lessons import SavedLesson
from storage.models.saved_lessons import SavedLessonStatus
from storage.models.summary import DigestFrequency
from storage.models.summary import DigestRun
from storage.models.summary import DigestSchedule
from storage.models.thermometer import ThermometerAnswer
from storage.models.thermometer import ThermometerRound
from storage.models.wrap_up import WrapUp
from storage.models.wrap_up import WrapUpAnswer
from storage.models.wrap_up import WrapUpProgress

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
