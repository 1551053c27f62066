"""Domain services: rules about networks and their members, free of Slack payloads."""

from __future__ import annotations

from dataclasses import dataclass

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
from bot.services.shortcuts import ShortcutService
from bot.services.summary import SummaryService
from bot.services.thermometer import ThermometerService
from bot.services.wrap_up import WrapUpService
from storage.db import SessionFactory


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
    return Services(
        networks=NetworkService(sessions=sessions, clock=clock, outbox=outbox),
        cases=CaseService(sessions=sessions, clock=clock, outbox=outbox),
        intros=IntroService(sessions=sessions, clock=clock, outbox=outbox),
        expectations=ExpectationService(sessions=sessions, clock=clock, outbox=outbox),
        agreements=AgreementService(sessions=sessions, clock=clock, outbox=outbox),
        members=MemberService(sessions=sessions, clock=clock, outbox=outbox),
        checkin_schedule=CheckinScheduleService(sessions=sessions, clock=clock, outbox=outbox),
        checkin_polls=CheckinPollService(
            sessions=sessions, clock=clock, process_id=process_id, outbox=outbox
        ),
        checkin_answers=CheckinAnswerService(
            sessions=sessions, clock=clock, respondents=respondents, outbox=outbox
        ),
        checkin_reminders=CheckinReminderService(sessions=sessions, clock=clock, respondents=respondents),
        meetings=MeetingService(sessions=sessions, clock=clock, respondents=respondents, outbox=outbox),
        home=HomeService(sessions=sessions, clock=clock, outbox=outbox, respondents=respondents),
        summary=SummaryService(sessions=sessions, clock=clock, outbox=outbox),
        privacy=PrivacyService(sessions=sessions, clock=clock, respondents=respondents, outbox=outbox),
        charter=CharterService(sessions=sessions, clock=clock, outbox=outbox),
        outbox=outbox,
        safe=SafeGroupService(sessions=sessions, clock=clock, outbox=outbox),
        follow_ups=FollowUpService(sessions=sessions, clock=clock, outbox=outbox),
        lessons=LessonService(sessions=sessions, clock=clock, outbox=outbox),
        journey=JourneyService(sessions=sessions, clock=clock, outbox=outbox),
        agenda=AgendaService(sessions=sessions, clock=clock, outbox=outbox),
        thermometer=ThermometerService(
            sessions=sessions, clock=clock, respondents=respondents, outbox=outbox
        ),
        pairs=PairsService(sessions=sessions, clock=clock, outbox=outbox),
        pauses=PauseService(sessions=sessions, clock=clock, outbox=outbox),
        shortcuts=ShortcutService(sessions=sessions, clock=clock, outbox=outbox),
        wrap_up=WrapUpService(sessions=sessions, clock=clock, outbox=outbox),
    )
