"""The tables, one module per part of the bot; importing this package registers them all."""

from storage.models.cases import (
    ADVICE_MAX,
    CASE_QUESTION_MAX,
    CASE_SITUATION_MAX,
    CASE_TITLE_MAX,
    CASE_TRIED_MAX,
    LESSON_MAX,
    AdviceSource,
    Case,
    CaseAdvice,
    CaseRecognition,
    CaseStatus,
    HelpKind,
    RoundStep,
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
from storage.models.summary import DigestFrequency, DigestRun, DigestSchedule

__all__ = [
    "ADVICE_MAX",
    "CASE_QUESTION_MAX",
    "CASE_SITUATION_MAX",
    "CASE_TITLE_MAX",
    "CASE_TRIED_MAX",
    "GOAL_MAX",
    "LESSON_MAX",
    "NAME_MAX",
    "AdviceSource",
    "AgreementAcceptance",
    "AgreementVersion",
    "BotProcess",
    "Case",
    "CaseAdvice",
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
    "GoalVote",
    "HelpKind",
    "Intro",
    "LearningGoal",
    "Meeting",
    "MeetingEvaluation",
    "Membership",
    "Network",
    "NetworkCharter",
    "NetworkComposition",
    "NetworkOrigin",
    "NetworkPause",
    "OutboxItem",
    "OutboxStatus",
    "PairingGroup",
    "PairingMember",
    "PairingRound",
    "PairingSchedule",
    "ProcessedEvent",
    "Role",
    "RoundStep",
    "metadata",
]
