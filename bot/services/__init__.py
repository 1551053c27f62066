"""Domain services: rules about networks and their members, free of Slack payloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from bot.clock import Clock
from bot.services.agenda import AgendaService
from bot.services.agreements import AgreementService
from bot.services.cases import CaseService
from bot.services.charter import CharterService
from bot.services.checkin_answers import CheckinAnswerService
from bot.services.checkin_polls import CheckinPollService
from bot.services.checkin_reminders import CheckinReminderService
from bot.services.checkin_schedule import CheckinScheduleService
from bot.services.expectations import ExpectationService
from bot.services.follow_ups import FollowUpService
from bot.services.home import HomeService
from bot.services.intros import IntroService
from bot.services.journey import JourneyService
from bot.services.lessons import LessonService
from bot.services.meetings import MeetingService
from bot.services.networks import NetworkService
from bot.services.outbox import Outbox
from bot.services.pairs import PairsService
from bot.services.pauses import PauseService
from bot.services.privacy import PrivacyService
from bot.services.respondents import Respondents
from bot.services.roster import MemberService
from bot.services.safe import SafeGroupService
from bot.services.service import AnswerKeepingService
from bot.services.service import Service
from bot.services.shortcuts import ShortcutService
from bot.services.summary import SummaryService
from bot.services.thermometer import ThermometerService
from bot.services.wrap_up import WrapUpService
from storage.db import SessionFactory

S = TypeVar("S", bound=Service)
A = TypeVar("A", bound=AnswerKeepingService)


@dataclass(frozen=True, slots=True)
class Services:
    networks: NetworkService
    cases: CaseService
    intros: IntroService
    expectations: ExpectationService
    agreements: AgreementService
    members: MemberService
    checkin_schedule: CheckinScheduleService
    checkin_polls: CheckinPollService
    checkin_answers: CheckinAnswerService
    checkin_reminders: CheckinReminderService
    meetings: MeetingService
    home: HomeService
    summary: SummaryService
    privacy: PrivacyService
    charter: CharterService
    outbox: Outbox
    safe: SafeGroupService
    follow_ups: FollowUpService
    lessons: LessonService
    journey: JourneyService
    agenda: AgendaService
    thermometer: ThermometerService
    pairs: PairsService
    pauses: PauseService
    shortcuts: ShortcutService
    wrap_up: WrapUpService


def build_services(
    *,
    sessions: SessionFactory,
    clock: Clock,
    respondents: Respondents | None = None,
    process_id: str | None = None,
) -> Services:
    # One keyed hash for check-ins and meetings alike; bot.runtime derives its key from the bot's secrets.
    respondents = respondents or Respondents()
    # Effects are owned by the process that records them; without one (a test of the rules alone) they
    # are anybody's to carry out.
    outbox = Outbox(clock=clock, process_id=process_id)

    def plain(kind: type[S]) -> S:
        return kind(sessions=sessions, clock=clock, outbox=outbox)

    def answer_keeping(kind: type[A]) -> A:
        return kind(sessions=sessions, clock=clock, outbox=outbox, respondents=respondents)

    return Services(
        networks=plain(NetworkService),
        cases=plain(CaseService),
        intros=plain(IntroService),
        expectations=plain(ExpectationService),
        agreements=plain(AgreementService),
        members=plain(MemberService),
        checkin_schedule=plain(CheckinScheduleService),
        checkin_polls=CheckinPollService(
            sessions=sessions, clock=clock, process_id=process_id, outbox=outbox
        ),
        checkin_answers=answer_keeping(CheckinAnswerService),
        checkin_reminders=answer_keeping(CheckinReminderService),
        meetings=answer_keeping(MeetingService),
        home=answer_keeping(HomeService),
        summary=plain(SummaryService),
        privacy=answer_keeping(PrivacyService),
        charter=plain(CharterService),
        outbox=outbox,
        safe=plain(SafeGroupService),
        follow_ups=plain(FollowUpService),
        lessons=plain(LessonService),
        journey=plain(JourneyService),
        agenda=plain(AgendaService),
        thermometer=answer_keeping(ThermometerService),
        pairs=plain(PairsService),
        pauses=plain(PauseService),
        shortcuts=plain(ShortcutService),
        wrap_up=plain(WrapUpService),
    )
