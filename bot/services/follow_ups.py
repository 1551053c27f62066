"""Follow-ups: some weeks after closing a case, its owner is asked what they did with the advice.

Rules kept here, free of Slack:
- when closing, the owner may say what they will try and when to look back (three weeks by default;
  not in the past, not more than a year ahead), as a day in the network's time zone;
- at that day's ASK_HOUR the question is claimed in the database together with the outbox item that asks
  it, so it is asked once whatever process runs the timed work, however often, and across restarts;
- a member who left is not asked; a forgotten owner's case is erased, and its follow-up with it;
- "not yet" is asked once more, ASK_AGAIN_AFTER later, then left alone;
- an answer goes to the case's thread, the next meeting's agenda and the advisers, except for a
  confidential case: there it stays with the bot and its owner;
- only the case's owner answers, once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.errors import FollowUpAnswered
from bot.errors import FollowUpNotFound
from bot.errors import InvalidInput
from bot.errors import NotTheCaseOwner
from bot.services import access
from bot.services import lookups
from bot.services.input_checks import Problems
from bot.services.input_checks import check_length
from bot.services.outbox import EffectKind
from bot.services.service import Service
from storage import queries_follow_ups as q
from storage.db import unit_of_work
from storage.models import Case
from storage.models import CaseFollowUp
from storage.models import CaseStatus
from storage.models import FollowUpOutcome
from storage.models import FollowUpState
from storage.models import Meeting
from storage.models import Network
from storage.models.follow_ups import FOLLOW_UP_ANSWER_MAX
from storage.models.follow_ups import FOLLOW_UP_PLAN_MAX

LOOK_BACK_AFTER = timedelta(weeks=3)
LOOK_BACK_AT_MOST = timedelta(days=366)
ASK_AGAIN_AFTER = timedelta(weeks=2)
ASK_HOUR = time(10, 0)
"""The question comes at this local time of the chosen day."""
TIMES_ASKED_AT_MOST = 2


@dataclass(frozen=True, slots=True)
class FollowUpPlan:
    """What the owner filled in when closing; raw until validated."""

    plan: str = ""
    look_back_on: str = ""
    """YYYY-MM-DD, as a datepicker sends it; "" for the default."""
    share_lesson: bool = False
    """For a confidential case: its lesson may be read by the network."""


@dataclass(frozen=True, slots=True)
class FollowUpQuestion:
    """A follow-up as its question, its answer modal and what follows the answer show it."""

    follow_up_id: int
    case_id: int
    network_id: int
    owner_id: str
    case_title: str
    plan: str
    language: str
    channel_id: str
    card_ts: str | None
    confidential: bool
    state: FollowUpState
    asked_count: int
    due_at: datetime
    timezone: str
    question_channel: str | None
    question_ts: str | None
    outcome: FollowUpOutcome | None
    answer: str
    advisers: list[str]


@dataclass(frozen=True, slots=True)
class AgendaFollowUp:
    case_title: str
    owner_id: str
    outcome: FollowUpOutcome
    answer: str


@dataclass(frozen=True, slots=True)
class FollowUpTally:
    """How many cases came back with what outcome (the summary's figures)."""

    planned: int
    answered: int
    outcomes: dict[str, int]


def default_look_back(now: datetime, timezone: str) -> date:
    return (now.astimezone(ZoneInfo(timezone)) + LOOK_BACK_AFTER).date()


def validate_plan(plan: FollowUpPlan, *, timezone: str, now: datetime) -> Problems:
    """The plan's problems by field name (`follow_up_plan`, `follow_up_date`); empty if none."""
    problems: Problems = {}
    check_length(problems, "follow_up_plan", plan.plan.strip(), FOLLOW_UP_PLAN_MAX)
    if plan.look_back_on.strip():
        try:
            day = date.fromisoformat(plan.look_back_on.strip())
        except ValueError:
            problems["follow_up_date"] = ("follow_ups.validation.date", {})
            return problems
        today = now.astimezone(ZoneInfo(timezone)).date()
        if day < today:
            problems["follow_up_date"] = ("follow_ups.validation.in_the_past", {})
        elif day > today + LOOK_BACK_AT_MOST - timedelta(days=1):
            problems["follow_up_date"] = ("follow_ups.validation.too_far", {})
    return problems


def due_moment(plan: FollowUpPlan, *, timezone: str, now: datetime) -> datetime:
    """When to ask, in UTC: ASK_HOUR of the chosen day in the network's time zone (DST included)."""
    chosen = plan.look_back_on.strip()
    day = date.fromisoformat(chosen) if chosen else default_look_back(now, timezone)
    return datetime.combine(day, ASK_HOUR, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def plan_follow_up(
    session: Session, case: Case, network: Network, plan: FollowUpPlan, *, now: datetime
) -> None:
    """Keep the follow-up of a case being closed (validated by `validate_plan` before)."""
    case.lesson_shared = case.confidential and plan.share_lesson
    session.add(case)
    q.add(
        session=session,
        follow_up=CaseFollowUp(
            case_id=case.id or 0,
            plan=plan.plan.strip(),
            due_at=due_moment(plan, timezone=network.timezone, now=now),
            state=FollowUpState.PENDING,
            created_at=now,
        ),
    )


def validate_answer(outcome: str, answer: str) -> Problems:
    problems: Problems = {}
    if outcome not in {o.value for o in FollowUpOutcome}:
        problems["outcome"] = ("validation.choose_one", {})
    check_length(problems, "answer", answer.strip(), FOLLOW_UP_ANSWER_MAX)
    return problems


class FollowUpService(Service):
    def default_look_back_on(self, *, case_id: int) -> date:
        """The day the close modal proposes: three weeks from today in the network's time zone."""
        with unit_of_work(self._sessions) as session:
            case = session.get(Case, case_id)
            network = lookups.network_of(session, case)
            timezone = network.timezone if network else "UTC"
        return default_look_back(self._clock.now(), timezone)

    # ------------------------------------------------------------------ asking, at the time chosen

    def ask_due(self) -> int:
        """Claim each follow-up whose time has come and record its question (each once, whatever
        process asks); drop those whose owner no longer takes part. How many were asked."""
        with unit_of_work(self._sessions) as session:
            due = q.due(session=session, now=self._clock.now())
        asked = 0
        for follow_up_id, asked_count in due:
            with unit_of_work(self._sessions) as session:
                asked += self._ask(session, follow_up_id, asked_count)
        return asked

    def _ask(self, session: Session, follow_up_id: int, asked_count: int) -> int:
        follow_up = q.get(session=session, follow_up_id=follow_up_id, for_update=True)
        case = session.get(Case, follow_up.case_id) if follow_up else None
        network = access.find_live_network(session, case.network_id) if case else None
        if follow_up is None or case is None or network is None:
            return 0
        if case.status != CaseStatus.CLOSED or not access.takes_part(session, network, case.owner_id):
            if follow_up.state == FollowUpState.PENDING:
                follow_up.state = FollowUpState.DROPPED
                session.add(follow_up)
            return 0
        if not q.claim(
            session=session, follow_up_id=follow_up_id, asked_count=asked_count, now=self._clock.now()
        ):
            return 0
        self._outbox.record(
            session,
            EffectKind.FOLLOW_UP_ASK,
            key=f"follow-up-ask-{follow_up_id}-{asked_count + 1}",
            follow_up_id=follow_up_id,
        )
        return 1

    def question(self, *, follow_up_id: int) -> FollowUpQuestion | None:
        """The follow-up as it stands; None once it is gone (its case deleted, its owner forgotten)."""
        with unit_of_work(self._sessions) as session:
            try:
                return _question(session, follow_up_id)
            except FollowUpNotFound:
                return None

    def record_question_posted(self, *, follow_up_id: int, channel: str, ts: str) -> None:
        with unit_of_work(self._sessions) as session:
            follow_up = q.get(session=session, follow_up_id=follow_up_id, for_update=True)
            if follow_up is not None:
                follow_up.question_channel, follow_up.question_ts = channel, ts
                session.add(follow_up)

    # ------------------------------------------------------------------ the owner's answer

    def answer_draft(self, *, follow_up_id: int, user_id: str) -> FollowUpQuestion:
        """The follow-up, if `user_id` may answer it now (before the answer modal opens).

        Raises FollowUpNotFound, NotTheCaseOwner, FollowUpAnswered or ChannelNotLinked.
        """
        with unit_of_work(self._sessions) as session:
            question = _question(session, follow_up_id)
            _require_answerable(session, question, user_id)
            return question

    def answer(self, *, follow_up_id: int, user_id: str, outcome: str, answer: str) -> FollowUpQuestion:
        """Keep the owner's answer and record what follows it: asked again later after a first
        "not yet", else shared (see the module's rules).

        Raises InvalidInput and what `answer_draft` raises.
        """
        InvalidInput.raise_if_any(validate_answer(outcome, answer))
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            follow_up = q.get(session=session, follow_up_id=follow_up_id, for_update=True)
            _require_answerable(session, _question(session, follow_up_id), user_id)
            assert follow_up is not None
            follow_up.outcome = FollowUpOutcome(outcome)
            follow_up.answer = answer.strip()
            if follow_up.outcome == FollowUpOutcome.NOT_YET and follow_up.asked_count < TIMES_ASKED_AT_MOST:
                follow_up.state = FollowUpState.PENDING
                follow_up.due_at = now + ASK_AGAIN_AFTER
            else:
                follow_up.state = FollowUpState.ANSWERED
                follow_up.answered_at = now
            session.add(follow_up)
            session.flush()
            self._record_answered(session, follow_up)
            return _question(session, follow_up_id)

    def _record_answered(self, session: Session, follow_up: CaseFollowUp) -> None:
        follow_up_id = follow_up.id or 0
        self._outbox.record(
            session,
            EffectKind.FOLLOW_UP_SETTLED,
            key=f"follow-up-settled-{follow_up_id}-{follow_up.asked_count}",
            follow_up_id=follow_up_id,
        )
        if follow_up.state != FollowUpState.ANSWERED:
            return
        case = session.get(Case, follow_up.case_id)
        assert case is not None
        self._outbox.record(session, EffectKind.CASE_REFRESH, case_id=case.id)
        if not case.confidential:
            self._outbox.record(
                session,
                EffectKind.FOLLOW_UP_SHARE,
                key=f"follow-up-share-{follow_up_id}",
                follow_up_id=follow_up_id,
            )
            self._outbox.charter_changed(session, case.network_id)

    # ------------------------------------------------------------------ what others read of it

    def agenda_items(self, *, meeting_id: int) -> list[AgendaFollowUp]:
        """The follow-ups answered since the meeting before this one (confidential cases left out)."""
        with unit_of_work(self._sessions) as session:
            meeting = session.get(Meeting, meeting_id)
            if meeting is None:
                return []
            after = q.previous_meeting_start(
                session=session, network_id=meeting.network_id, before=meeting.starts_at
            )
            answered = q.answered_between(
                session=session, network_id=meeting.network_id, after=after, until=self._clock.now()
            )
            return [
                AgendaFollowUp(
                    case_title=case.title,
                    owner_id=case.owner_id,
                    outcome=FollowUpOutcome(follow_up.outcome or FollowUpOutcome.OTHER),
                    answer=follow_up.answer,
                )
                for follow_up, case in answered
            ]

    def tally(self, *, network_id: int) -> FollowUpTally:
        with unit_of_work(self._sessions) as session:
            return tally_follow_ups(session=session, network_id=network_id)


def tally_follow_ups(*, session: Session, network_id: int) -> FollowUpTally:
    follow_ups = [f for f, _ in q.of_network(session=session, network_id=network_id)]
    answered = [f for f in follow_ups if f.state == FollowUpState.ANSWERED]
    counts = Counter(str(f.outcome) for f in answered)
    return FollowUpTally(
        planned=len(follow_ups),
        answered=len(answered),
        outcomes={outcome.value: counts.get(outcome.value, 0) for outcome in FollowUpOutcome},
    )


def export_follow_ups(*, session: Session, network_id: int) -> list[dict[str, Any]]:
    """The contract's `follow_ups`; what a confidential case's owner wrote stays out."""
    exported: list[dict[str, Any]] = []
    for follow_up, case in q.of_network(session=session, network_id=network_id):
        entry: dict[str, Any] = {
            "case_id": case.id,
            "due_at": follow_up.due_at.isoformat(),
            "outcome": str(follow_up.outcome) if follow_up.state == FollowUpState.ANSWERED else None,
            "state": str(follow_up.state),
            "asked_count": follow_up.asked_count,
        }
        if not case.confidential:
            entry.update(
                plan=follow_up.plan,
                answer=follow_up.answer if follow_up.state == FollowUpState.ANSWERED else "",
                answered_at=follow_up.answered_at.isoformat() if follow_up.answered_at else None,
            )
        exported.append(entry)
    return exported


def _question(session: Session, follow_up_id: int) -> FollowUpQuestion:
    follow_up = q.get(session=session, follow_up_id=follow_up_id)
    case = session.get(Case, follow_up.case_id) if follow_up else None
    network = lookups.network_of(session, case)
    if follow_up is None or case is None or network is None or case.status == CaseStatus.DELETED:
        raise FollowUpNotFound()
    return FollowUpQuestion(
        follow_up_id=follow_up_id,
        case_id=case.id or 0,
        network_id=network.id or 0,
        owner_id=case.owner_id,
        case_title=case.title,
        plan=follow_up.plan,
        language=network.language,
        channel_id=network.channel_id,
        card_ts=case.card_ts,
        confidential=case.confidential,
        state=FollowUpState(follow_up.state),
        asked_count=follow_up.asked_count,
        due_at=follow_up.due_at,
        timezone=network.timezone,
        question_channel=follow_up.question_channel,
        question_ts=follow_up.question_ts,
        outcome=FollowUpOutcome(follow_up.outcome) if follow_up.outcome else None,
        answer=follow_up.answer,
        advisers=[
            user_id
            for user_id in q.advisers(session=session, case_id=case.id or 0)
            if user_id != case.owner_id and access.takes_part(session, network, user_id)
        ],
    )


def _require_answerable(session: Session, question: FollowUpQuestion, user_id: str) -> None:
    if question.owner_id != user_id:
        raise NotTheCaseOwner(owner=question.owner_id)
    access.live_network(session, question.network_id)
    if question.state != FollowUpState.ASKED:
        raise FollowUpAnswered()
