"""Cases: a member brings a problem from practice, the others advise and recognise it, the owner closes it.

Rules kept here, free of Slack:
- only active members bring, advise and recognise; nobody advises or recognises their own case;
- "ik herken dit" counts once per member: pressing it again is refused (AlreadyRecognised), never a toggle,
  so a double click cannot undo or double it;
- a member's reply in the case's thread counts as advice, except the owner's own replies and, while a
  round runs, replies in a step whose method asks for no advice; each Events API delivery is applied once;
- only the owner closes (with a lesson) or deletes; facilitators put a case on the agenda of the next
  meeting; a facilitator or the owner starts a round by a peer-consultation method, and a facilitator,
  the owner or the round's session lead moves it on, one step at a time;
- deleting keeps an empty row: no owner, no title, no texts, nobody who recognised it. The advice rows
  stay without their text, so each giver's "advice given" stays true; "cases brought" no longer counts it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import AdviceWaitsForRound
from bot.errors import AlreadyRecognised
from bot.errors import CaseClosed
from bot.errors import CaseDeleted
from bot.errors import CaseNotFound
from bot.errors import InvalidInput
from bot.errors import NotTheCaseOwner
from bot.errors import OwnCase
from bot.errors import RoundAlreadyStarted
from bot.errors import RoundStepPassed
from bot.services import access
from bot.services import lookups
from bot.services.agenda import pick_for_next_meeting
from bot.services.agreements import AgreementsStatus
from bot.services.agreements import agreements_to_accept
from bot.services.follow_ups import FollowUpPlan
from bot.services.follow_ups import plan_follow_up
from bot.services.follow_ups import validate_plan
from bot.services.input_checks import Problems
from bot.services.input_checks import check_length
from bot.services.input_checks import text_problems
from bot.services.journey import planned_lead
from bot.services.outbox import EffectKind
from bot.services.outbox import Outbox
from bot.services.outbox import Requester
from bot.services.safe import forget_case_details
from bot.services.safe import note_public_reply
from bot.services.service import Service
from bot.services.workforms import WorkForm
from bot.services.workforms import WorkFormKind
from bot.services.workforms import WorkFormStep
from bot.services.workforms import work_form
from bot.text import truncate
from storage import queries
from storage import queries_cases
from storage import queries_follow_ups
from storage import queries_safe
from storage.db import unit_of_work
from storage.models import ADVICE_MAX
from storage.models import CASE_QUESTION_MAX
from storage.models import CASE_SITUATION_MAX
from storage.models import CASE_TITLE_MAX
from storage.models import CASE_TRIED_MAX
from storage.models import LESSON_MAX
from storage.models import SOURCE_PERMALINK_MAX
from storage.models import AdviceSource
from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseStatus
from storage.models import HelpKind
from storage.models import Network

CaseRequirement = Callable[[Session, Case, Network, str], None]
"""A rule a user must pass for the case: returns, or raises the domain error that says why not."""
_SLACK_LINK = re.compile(r"https://[^\s<>|]+")


@dataclass(frozen=True, slots=True)
class CaseIntake:
    """What a member fills in to bring a case; raw strings until validated."""

    title: str
    situation: str
    question: str
    tried: str
    help_wanted: tuple[str, ...]
    confidential: bool
    source_permalink: str = ""
    """The link to the message it is brought in from ("Breng in als casus"); "" for `/case`."""


@dataclass(frozen=True, slots=True)
class CaseState:
    """A case with what its card shows: where it lives, in which language, and its counts."""

    case: Case
    channel_id: str
    language: str
    advice_count: int
    recognition_count: int
    followed_up: bool = False
    """Its owner told the group what the advice yielded ("teruggekoppeld")."""
    suggested_lead_id: str | None = None
    """Who would lead a round started now: the trajectory's gespreksleider of the session at hand."""

    @property
    def case_id(self) -> int:
        return self.case.id or 0


@dataclass(frozen=True, slots=True)
class CaseDeletion:
    """What is left to clean up in Slack once a case is deleted."""

    channel_id: str
    card_ts: str | None
    language: str
    already_deleted: bool
    """True when the case was deleted before: the clean-up is repeated, nothing else happens."""


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One line of `/case lijst`."""

    id: int
    title: str
    status: CaseStatus
    confidential: bool
    advice_count: int
    created_at: datetime
    closed_at: datetime | None
    on_agenda: bool


@dataclass(frozen=True, slots=True)
class IntakeOpening:
    """What `/case` shows a member: the intake form, or first the agreements they have not accepted."""

    channel_id: str
    language: str
    agreements_first: AgreementsStatus | None


@dataclass(frozen=True, slots=True)
class CaseListing:
    cases: list[CaseSummary]
    """In the order to show: open cases without advice first (oldest first), then open cases with
    advice (oldest first), then closed cases (most recently closed first)."""
    now: datetime
    language: str = "nl"


@dataclass(frozen=True, slots=True)
class CaseDigest:
    """A case as a summary or digest may show it: a confidential case by its title alone (None elsewhere)."""

    id: int
    title: str
    confidential: bool
    on_agenda: bool
    status: CaseStatus | None
    advice_count: int | None
    recognition_count: int | None
    lesson: str | None
    """What the owner takes away; "" while the case is open."""


@dataclass(frozen=True, slots=True)
class GiveAndReceive:
    user_id: str
    advice_given: int
    cases_brought: int


def validate_intake(intake: CaseIntake) -> Problems:
    """The problems with `intake`, by field name, each as a catalog key with its values; empty if none."""
    problems: Problems = {}
    check_length(problems, "title", intake.title.strip(), CASE_TITLE_MAX, required=True)
    check_length(problems, "situation", intake.situation.strip(), CASE_SITUATION_MAX, required=True)
    check_length(problems, "question", intake.question.strip(), CASE_QUESTION_MAX, required=True)
    check_length(problems, "tried", intake.tried.strip(), CASE_TRIED_MAX)
    known = set(HelpKind)
    if not intake.help_wanted or any(kind not in known for kind in intake.help_wanted):
        problems["help_wanted"] = ("cases.validation.choose_help", {})
    return problems


def validate_advice(text: str) -> Problems:
    return text_problems("advice", text.strip(), ADVICE_MAX, required=True)


def validate_lesson(text: str) -> Problems:
    return text_problems("lesson", text.strip(), LESSON_MAX, required=True)


def listing_order(summary: CaseSummary) -> tuple[int, float]:
    if summary.status == CaseStatus.OPEN:
        return (0 if summary.advice_count == 0 else 1, summary.created_at.timestamp())
    return (2, -(summary.closed_at or summary.created_at).timestamp())


class CaseService(Service):
    # ------------------------------------------------------------------ bringing a case

    def bring(
        self,
        *,
        team_id: str,
        channel_id: str,
        owner_id: str,
        intake: CaseIntake,
        requester: Requester | None = None,
    ) -> CaseState:
        """Record a new open case of `owner_id` in the channel's network, and that its card is to be posted.

        Raises InvalidInput, ChannelNotLinked or NotAMember; writes all or nothing.
        """
        InvalidInput.raise_if_any(validate_intake(intake))
        chosen = set(intake.help_wanted)
        with unit_of_work(self._sessions) as session:
            network = lookups.linked_member_network(
                session, team_id=team_id, channel_id=channel_id, user_id=owner_id
            )
            case = queries_cases.add_case(
                session=session,
                case=Case(
                    network_id=network.id or 0,
                    owner_id=owner_id,
                    title=intake.title.strip(),
                    situation=intake.situation.strip(),
                    question=intake.question.strip(),
                    tried=intake.tried.strip(),
                    help_wanted=",".join(kind.value for kind in HelpKind if kind in chosen),
                    confidential=intake.confidential,
                    status=CaseStatus.OPEN,
                    created_at=self._clock.now(),
                    source_permalink=slack_link(intake.source_permalink),
                ),
            )
            self._outbox.record(
                session,
                EffectKind.CASE_CARD,
                key=f"case-card-{case.id}",
                case_id=case.id,
                requester=requester,
                language=network.language,
            )
            return _state(session, case, network)

    def open_intake(self, *, team_id: str, channel_id: str, user_id: str) -> IntakeOpening:
        """Whether the member may bring a case now; the agreements come first for one who has not accepted
        the posted ones. Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            network = access.linked_network(session, team_id=team_id, channel_id=channel_id)
            return intake_opening(session, network, user_id)

    def attach_card(self, *, case_id: int, card_ts: str) -> CaseState:
        """Remember where the case's card (and so its thread) is."""
        with unit_of_work(self._sessions) as session:
            case, network = _load(session, case_id, for_update=True)
            case.card_ts = card_ts
            session.add(case)
            return _state(session, case, network)

    def discard_unpublished(self, *, case_id: int) -> None:
        """Erase a case whose card Slack refused for good, so no case exists that nobody can see.

        Its row stays, empty, as a deleted case's does: its id (and so its card's idempotency key) is
        never given to another case.
        """
        with unit_of_work(self._sessions) as session:
            case = queries_cases.get_case(session=session, case_id=case_id, for_update=True)
            network = lookups.network_of(session, case)
            if case is not None and network is not None and case.card_ts is None:
                erase_case(session, case, network, now=self._clock.now(), outbox=self._outbox)

    def advice_to_post(self, *, advice_id: int) -> tuple[CaseAdvice, CaseState]:
        """Advice given through the modal, with its case; raises CaseNotFound when either is gone."""
        with unit_of_work(self._sessions) as session:
            advice = queries_cases.get_advice(session=session, advice_id=advice_id)
            if advice is None:
                raise CaseNotFound()
            case, network = _load(session, advice.case_id)
            return advice, _state(session, case, network)

    def state(self, *, case_id: int) -> CaseState:
        """The case as its card shows it; raises CaseNotFound."""
        with unit_of_work(self._sessions) as session:
            case, network = _load(session, case_id)
            return _state(session, case, network)

    def _checked_state(self, case_id: int, user_id: str, require: CaseRequirement) -> CaseState:
        """The case as its card shows it, once `require` let `user_id` through."""
        with unit_of_work(self._sessions) as session:
            case, network = _load(session, case_id)
            require(session, case, network, user_id)
            return _state(session, case, network)

    # ------------------------------------------------------------------ advice and recognition

    def check_can_advise(self, *, case_id: int, user_id: str) -> CaseState:
        """The case, if `user_id` may advise on it now (before the advice modal opens).

        Raises CaseNotFound, CaseDeleted, CaseClosed, ChannelNotLinked, NotAMember, OwnCase or
        AdviceWaitsForRound.
        """
        return self._checked_state(case_id, user_id, _require_may_advise)

    def give_advice(self, *, case_id: int, user_id: str, text: str) -> tuple[CaseAdvice, CaseState]:
        """Record advice given through the modal.

        Raises InvalidInput, and what `check_can_advise` raises.
        """
        InvalidInput.raise_if_any(validate_advice(text))
        with unit_of_work(self._sessions) as session:
            case, network = _load(session, case_id, for_update=True)
            _require_may_advise(session, case, network, user_id)
            advice = queries_cases.add_advice(
                session=session,
                advice=CaseAdvice(
                    case_id=case_id,
                    giver_id=user_id,
                    text=text.strip(),
                    source=AdviceSource.MODAL,
                    created_at=self._clock.now(),
                ),
            )
            self._outbox.record(
                session, EffectKind.CASE_ADVICE, key=f"case-advice-{advice.id}", advice_id=advice.id
            )
            self._refresh_card(session, case)
            return advice, _state(session, case, network)

    def is_case_thread(self, *, team_id: str, channel_id: str, thread_ts: str) -> bool:
        """Whether `thread_ts` in this channel is the card of a case (of any status)."""
        with unit_of_work(self._sessions) as session:
            network = queries.get_network_by_channel(session=session, team_id=team_id, channel_id=channel_id)
            if network is None:
                return False
            case = queries_cases.get_case_by_card(
                session=session, network_id=network.id or 0, card_ts=thread_ts
            )
            return case is not None

    def record_thread_reply(
        self,
        *,
        event_id: str,
        team_id: str,
        channel_id: str,
        thread_ts: str,
        user_id: str,
        text: str,
        message_ts: str,
    ) -> CaseState | None:
        """Count a reply in a case's thread as advice; the new state, or None when it does not count.

        It does not count when the author is not an active member or owns the case, when the case's
        round is at a step that asks for no advice, or when this delivery was applied before. A member's
        reply to a closed or deleted case raises CaseClosed or CaseDeleted, once per delivery, so they can
        be told.
        """
        refusal: CaseClosed | CaseDeleted | None = None
        try:
            with unit_of_work(self._sessions) as session:
                found = _case_of_thread(session, team_id=team_id, channel_id=channel_id, thread_ts=thread_ts)
                if found is None:
                    return None
                case, network = found
                if case.confidential and case.status != CaseStatus.DELETED:
                    # Not advice: a reply here is read by the whole channel, which its writer is told.
                    reply = Requester(user_id=user_id, channel_id=channel_id)
                    note_public_reply(
                        session,
                        self._outbox,
                        case,
                        network,
                        reply=reply,
                        event_id=event_id,
                        now=self._clock.now(),
                    )
                    return None
                case = queries_cases.get_case(session=session, case_id=case.id or 0, for_update=True)
                if case is None or case.owner_id == user_id or not advice_counts_now(case):
                    return None
                if not access.takes_part(session, network, user_id):
                    return None
                if not queries.claim_event(session=session, event_id=event_id, received_at=self._clock.now()):
                    return None
                if case.status != CaseStatus.OPEN:
                    # The claim commits, so a re-delivery does not tell them twice.
                    refusal = CaseDeleted() if case.status == CaseStatus.DELETED else CaseClosed()
                else:
                    _add_thread_advice(session, case, user_id, text, message_ts, now=self._clock.now())
                    self._refresh_card(session, case)
                    return _state(session, case, network)
        except IntegrityError:
            # Slack re-delivered the event while the first delivery was being applied: that one counts.
            return None
        assert refusal is not None, "every other way out of the unit of work returns"
        raise refusal

    def thread_reply_changed(
        self, *, team_id: str, channel_id: str, thread_ts: str, message_ts: str, text: str | None
    ) -> bool:
        """Follow its writer's edit (`text`) or deletion (None) of a reply kept as advice; whether one was.

        What its writer took back, or wrote again, is what the group keeps: a deleted reply no longer
        counts and its words are gone; an edited one is kept as it reads now. Redelivery changes nothing.
        """
        with unit_of_work(self._sessions) as session:
            found = _case_of_thread(session, team_id=team_id, channel_id=channel_id, thread_ts=thread_ts)
            advice = (
                queries_cases.get_thread_advice(
                    session=session, case_id=found[0].id or 0, message_ts=message_ts
                )
                if found is not None
                else None
            )
            if found is None or advice is None:
                return False
            if text is None:
                queries_cases.delete_advice(session=session, advice=advice)
                self._refresh_card(session, found[0])
            elif not advice.removed:
                advice.text = truncate(text.strip(), ADVICE_MAX)
                session.add(advice)
            return True

    def recognise(self, *, case_id: int, user_id: str, requester: Requester | None = None) -> CaseState:
        """Count `user_id` among the members who face the same problem.

        Raises CaseNotFound, CaseDeleted, CaseClosed, ChannelNotLinked, NotAMember, OwnCase, or
        AlreadyRecognised when they did so before.
        """
        try:
            with unit_of_work(self._sessions) as session:
                case, network = _load(session, case_id, for_update=True)
                _require_open(case)
                access.member(session, network, user_id)
                access.case_reader(session, network, case, user_id)
                if case.owner_id == user_id:
                    raise OwnCase()
                if queries_cases.has_recognised(session=session, case_id=case_id, user_id=user_id):
                    raise AlreadyRecognised()
                queries_cases.add_recognition(
                    session=session, case_id=case_id, user_id=user_id, at=self._clock.now()
                )
                self._refresh_card(session, case)
                self._outbox.notice(session, requester, "cases.answer.recognised", language=network.language)
                return _state(session, case, network)
        except IntegrityError:
            # The same member pressed twice at once; the other press counted.
            raise AlreadyRecognised() from None

    # ------------------------------------------------------------------ closing the loop

    def check_can_close(self, *, case_id: int, user_id: str) -> CaseState:
        """The case, if `user_id` may close it now; raises CaseNotFound, CaseDeleted, CaseClosed,
        NotTheCaseOwner or ChannelNotLinked."""
        return self._checked_state(case_id, user_id, _require_may_close)

    def close(
        self,
        *,
        case_id: int,
        user_id: str,
        lesson: str,
        forget_details: bool = False,
        follow_up: FollowUpPlan | None = None,
    ) -> CaseState:
        """Close the case with what its owner takes away from it; a running round ends with it.
        `forget_details` erases what a confidential case said and its advice (title, lesson and counts stay).
        With `follow_up`, its owner is asked later what they did with the advice (bot.services.follow_ups).

        The same refusals as `check_can_close`, and InvalidInput.
        """
        problems = validate_lesson(lesson)
        with unit_of_work(self._sessions) as session:
            case, network = _load(session, case_id, for_update=True)
            if follow_up is not None:
                problems |= validate_plan(follow_up, timezone=network.timezone, now=self._clock.now())
            if problems:
                raise InvalidInput(problems)
            _require_may_close(session, case, network, user_id)
            if forget_details:
                forget_case_details(session, case)
            # After the forgetting: what the owner plans in the same form is what they ask to be asked.
            if follow_up is not None:
                plan_follow_up(session, case, network, follow_up, now=self._clock.now())
            case.status = CaseStatus.CLOSED
            case.closed_at = self._clock.now()
            case.lesson = lesson.strip()
            end_round(case)
            session.add(case)
            self._outbox.record(
                session, EffectKind.CASE_LESSON, key=f"case-lesson-{case_id}", case_id=case_id
            )
            if not case.confidential:
                self._outbox.charter_changed(session, network.id or 0)
            self._refresh_card(session, case)
            return _state(session, case, network)

    def set_on_agenda(self, *, case_id: int, user_id: str, on_agenda: bool) -> CaseState:
        """Put the case on (or take it off) the agenda of the next meeting; setting it twice is harmless.

        Raises CaseNotFound, CaseDeleted, CaseClosed, ChannelNotLinked, NotAMember or NotAFacilitator.
        """
        with unit_of_work(self._sessions) as session:
            case, network = _load(session, case_id, for_update=True)
            _require_open(case)
            access.facilitator(session, network, user_id)
            case.on_agenda = on_agenda
            session.add(case)
            pick_for_next_meeting(session, case, user_id=user_id, picked=on_agenda, now=self._clock.now())
            self._refresh_card(session, case)
            return _state(session, case, network)

    # ------------------------------------------------------------------ the round by a method

    def check_can_start_round(self, *, case_id: int, user_id: str) -> CaseState:
        """The case, if `user_id` may start its round now (before the method is chosen).

        Raises CaseNotFound, CaseDeleted, CaseClosed, ChannelNotLinked, NotAMember, NotARoundLeader or
        RoundAlreadyStarted.
        """
        with unit_of_work(self._sessions) as session:
            case, network = _load(session, case_id)
            _require_may_start_round(session, case, network, user_id)
            lead = planned_lead(session, network.id or 0, self._clock.now())
            return dataclasses.replace(_state(session, case, network), suggested_lead_id=lead)

    def start_round(self, *, case_id: int, user_id: str, method: str, lead_id: str = "") -> CaseState:
        """Start a round by the peer-consultation method `method` at its first step, led by `lead_id`
        (the starter when none is named).

        Raises InvalidInput (no such method, a lead who does not take part), and what
        `check_can_start_round` raises; a second submit raises RoundAlreadyStarted.
        """
        form = work_form(method)
        if form is None or form.kind != WorkFormKind.PEER_CONSULTATION:
            raise InvalidInput({"method": ("case_rounds.validation.choose_method", {})})
        with unit_of_work(self._sessions) as session:
            case, network = _load(session, case_id, for_update=True)
            _require_may_start_round(session, case, network, user_id)
            lead = lead_id or user_id
            if not access.takes_part(session, network, lead):
                raise InvalidInput({"lead": ("case_rounds.validation.lead_not_member", {})})
            case.round_method = form.key
            case.round_step_index = 0
            case.round_lead_id = lead
            session.add(case)
            self._post_round_step(session, case)
            return _state(session, case, network)

    def advance_round(
        self, *, case_id: int, user_id: str, from_index: int, step_message: tuple[str, str] | None = None
    ) -> CaseState:
        """Move the round from step `from_index` to the next one (past the last: the round is finished).

        Naming the step moved from makes a second press (or a second leader) harmless: it raises
        RoundStepPassed instead of skipping a step. `step_message` (channel, ts) is the message of the
        step moved from, to be marked done. Also raises CaseNotFound, CaseDeleted, CaseClosed,
        ChannelNotLinked, NotAMember or NotARoundLeader.
        """
        with unit_of_work(self._sessions) as session:
            case, network = _load(session, case_id, for_update=True)
            _require_open(case)
            leaders = {case.owner_id, case.round_lead_id or ""}
            access.round_leader(session, network, user_id, leaders=leaders)
            if current_round_step(case) is None or case.round_step_index != from_index:
                raise RoundStepPassed()
            case.round_step_index = from_index + 1
            session.add(case)
            if step_message is not None:
                self._outbox.record(
                    session,
                    EffectKind.CASE_ROUND_STEP_DONE,
                    key=f"case-round-done-{case_id}-{from_index}",
                    case_id=case_id,
                    index=from_index,
                    moved_on_by=user_id,
                    channel_id=step_message[0],
                    ts=step_message[1],
                )
            self._post_round_step(session, case)
            return _state(session, case, network)

    def _post_round_step(self, session: Session, case: Case) -> None:
        self._outbox.record(
            session,
            EffectKind.CASE_ROUND_STEP,
            key=f"case-round-{case.id}-{case.round_step_index}",
            case_id=case.id,
            index=case.round_step_index,
        )
        self._refresh_card(session, case)

    def _refresh_card(self, session: Session, case: Case) -> None:
        self._outbox.record(session, EffectKind.CASE_REFRESH, case_id=case.id)

    # ------------------------------------------------------------------ deleting

    def delete(self, *, case_id: int, user_id: str, requester: Requester | None = None) -> CaseDeletion:
        """Delete the case's stored details; only its owner may, at any time, member or not.

        A case deleted before is not refused: the answer says so, and its card and posts can be cleaned
        up again (a clean-up that failed half-way is finished by pressing again). Raises CaseNotFound or
        NotTheCaseOwner.
        """
        with unit_of_work(self._sessions) as session:
            case = queries_cases.get_case(session=session, case_id=case_id, for_update=True)
            network = lookups.network_of(session, case)
            if case is None or network is None:
                raise CaseNotFound()
            if case.status != CaseStatus.DELETED:
                _require_owner(case, user_id)
            # A closed case that is not confidential may be on the charter, by its lesson or follow-up.
            on_charter = case.status == CaseStatus.CLOSED and not case.confidential
            # Deleting again repeats the clean-up in Slack: one that failed half-way is finished so.
            deletion = erase_case(session, case, network, now=self._clock.now(), outbox=self._outbox)
            if on_charter:
                self._outbox.charter_changed(session, network.id or 0)
            answer = "cases.answer.already_deleted" if deletion.already_deleted else "cases.answer.deleted"
            self._outbox.notice(session, requester, answer, language=deletion.language)
            return deletion

    # ------------------------------------------------------------------ overviews

    def list_cases(self, *, team_id: str, channel_id: str, user_id: str) -> CaseListing:
        """The network's cases for `/case lijst`, deleted ones left out.

        Raises ChannelNotLinked or NotAMember.
        """
        with unit_of_work(self._sessions) as session:
            network = lookups.linked_member_network(
                session, team_id=team_id, channel_id=channel_id, user_id=user_id
            )
            cases = queries_cases.list_cases(session=session, network_id=network.id or 0)
            counts = queries_cases.advice_counts(session=session, case_ids=[c.id or 0 for c in cases])
        summaries = [
            CaseSummary(
                id=case.id or 0,
                title=case.title,
                status=case.status,
                confidential=case.confidential,
                advice_count=counts.get(case.id or 0, 0),
                created_at=case.created_at,
                closed_at=case.closed_at,
                on_agenda=case.on_agenda,
            )
            for case in cases
        ]
        return CaseListing(
            cases=sorted(summaries, key=listing_order), now=self._clock.now(), language=network.language
        )

    def digest(self, *, network_id: int) -> list[CaseDigest]:
        """The network's cases (deleted ones left out), oldest first, as summaries and digests may show
        them: what a confidential case says stays in its thread."""
        with unit_of_work(self._sessions) as session:
            cases, advice, recognitions = _counted_cases(session, network_id)
        return [
            CaseDigest(
                id=case.id or 0,
                title=case.title,
                confidential=case.confidential,
                on_agenda=case.on_agenda,
                status=None if case.confidential else CaseStatus(case.status),
                advice_count=None if case.confidential else advice.get(case.id or 0, 0),
                recognition_count=None if case.confidential else recognitions.get(case.id or 0, 0),
                lesson=None if case.confidential else case.lesson,
            )
            for case in cases
        ]

    def give_and_receive(self, *, network_id: int) -> dict[str, GiveAndReceive]:
        """Per member, advice given and cases brought: every active member (zeros included), then anyone
        else who gave or brought something, in the order they joined."""
        with unit_of_work(self._sessions) as session:
            given = queries_cases.advice_given_by_member(session=session, network_id=network_id)
            brought = queries_cases.cases_brought_by_member(session=session, network_id=network_id)
            members = queries.list_memberships(session=session, network_id=network_id, active_only=False)
        people = [m.user_id for m in members if m.active]
        people += [
            m.user_id for m in members if not m.active and (m.user_id in given or m.user_id in brought)
        ]
        return {
            user_id: GiveAndReceive(
                user_id=user_id,
                advice_given=given.get(user_id, 0),
                cases_brought=brought.get(user_id, 0),
            )
            for user_id in people
        }


def intake_opening(session: Session, network: Network, user_id: str) -> IntakeOpening:
    """Whether the member may bring a case in the network now (raises NotAMember), and whether the
    agreements come first."""
    membership = access.member(session, network, user_id)
    return IntakeOpening(
        channel_id=network.channel_id,
        language=network.language,
        agreements_first=agreements_to_accept(session, network, membership),
    )


def slack_link(url: str) -> str | None:
    """`url` if it can stand in a mrkdwn link as Slack gave it (https, no spaces, `<`, `>` or `|`, not
    too long), else None: a case keeps no link it could not show safely."""
    if len(url) > SOURCE_PERMALINK_MAX or not _SLACK_LINK.fullmatch(url):
        return None
    return url


def erase_case(
    session: Session, case: Case, network: Network, *, now: datetime, outbox: Outbox
) -> CaseDeletion:
    """Erase a case, as its owner's deletion and forgetting its owner both do, and record the removal of
    its card and the bot's posts in its thread.

    An empty row stays (no owner, title or texts; advice blanked, recognitions gone), so each adviser's
    "advice given" stays true.
    """
    deletion = CaseDeletion(
        channel_id=access.original_channel_id(network),
        card_ts=case.card_ts,
        language=network.language,
        already_deleted=case.status == CaseStatus.DELETED,
    )
    outbox.record(
        session,
        EffectKind.CASE_CLEAN_UP,
        case_id=case.id,
        channel_id=deletion.channel_id,
        card_ts=deletion.card_ts,
    )
    if deletion.already_deleted:
        return deletion
    queries_cases.erase_case_texts(session=session, case_id=case.id or 0)
    queries_safe.remove_guests(session=session, case_id=case.id or 0)
    queries_follow_ups.delete_of_case(session=session, case_id=case.id or 0)
    case.status = CaseStatus.DELETED
    case.deleted_at = case.deleted_at or now
    case.owner_id = ""
    case.title = ""
    case.situation = ""
    case.question = ""
    case.tried = ""
    case.help_wanted = ""
    case.lesson = ""
    case.lesson_shared = False
    case.on_agenda = False
    case.round_method = None
    case.round_step_index = None
    case.round_lead_id = None
    case.source_permalink = None
    session.add(case)
    return deletion


def export_cases(*, session: Session, network_id: int) -> list[dict[str, Any]]:
    """The network's cases for the export; a confidential case shows nothing beyond its title."""
    cases, advice, recognitions = _counted_cases(session, network_id)
    exported: list[dict[str, Any]] = []
    for case in cases:
        entry: dict[str, Any] = {
            "id": case.id,
            "title": case.title,
            "status": str(case.status),
            "advice_count": advice.get(case.id or 0, 0),
            "confidential": case.confidential,
        }
        if not case.confidential:
            entry.update(
                owner_id=case.owner_id,
                situation=case.situation,
                question=case.question,
                tried=case.tried,
                help_wanted=[str(kind) for kind in case.help_kinds],
                created_at=case.created_at.isoformat(),
                closed_at=case.closed_at.isoformat() if case.closed_at else None,
                lesson=case.lesson,
                recognitions=recognitions.get(case.id or 0, 0),
                on_agenda=case.on_agenda,
                round_method=case.round_method,
                round_step=round_step_key(case),
                advice=[
                    {
                        "user_id": item.giver_id,
                        "text": item.text,
                        "source": str(item.source),
                        **({"removed": True} if item.removed else {}),
                        "created_at": item.created_at.isoformat(),
                    }
                    for item in queries_cases.list_advice(session=session, case_id=case.id or 0)
                ],
            )
        exported.append(entry)
    return exported


# ---------------------------------------------------------------------- rules shared by the methods


def _load(session: Session, case_id: int, *, for_update: bool = False) -> tuple[Case, Network]:
    """The case and its network; raises CaseNotFound, or ChannelNotLinked when the network is archived."""
    case = queries_cases.get_case(session=session, case_id=case_id, for_update=for_update)
    if case is None:
        raise CaseNotFound()
    return case, access.live_network(session, case.network_id)


def _counted_cases(session: Session, network_id: int) -> tuple[list[Case], dict[int, int], dict[int, int]]:
    """The network's cases (deleted ones left out), oldest first, with their advice and recognition
    counts by case id."""
    cases = queries_cases.list_cases(session=session, network_id=network_id)
    ids = [case.id or 0 for case in cases]
    advice = queries_cases.advice_counts(session=session, case_ids=ids)
    return cases, advice, queries_cases.recognition_counts(session=session, case_ids=ids)


def _case_of_thread(
    session: Session, *, team_id: str, channel_id: str, thread_ts: str
) -> tuple[Case, Network] | None:
    """The case whose card starts this thread, locked, with its live network; None when there is none."""
    network = access.find_linked_network(session, team_id=team_id, channel_id=channel_id)
    if network is None:
        return None
    case = queries_cases.get_case_by_card(session=session, network_id=network.id or 0, card_ts=thread_ts)
    if case is None:
        return None
    case = queries_cases.get_case(session=session, case_id=case.id or 0, for_update=True)
    return (case, network) if case is not None else None


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.DELETED:
        raise CaseDeleted()
    if case.status == CaseStatus.CLOSED:
        raise CaseClosed()


def _require_owner(case: Case, user_id: str) -> None:
    if case.owner_id != user_id:
        raise NotTheCaseOwner(owner=case.owner_id)


def _require_may_close(session: Session, case: Case, network: Network, user_id: str) -> None:
    _require_open(case)
    _require_owner(case, user_id)


def _require_may_advise(session: Session, case: Case, network: Network, user_id: str) -> None:
    _require_open(case)
    # Advice on a confidential case is given by those who may read it (a guest expert too).
    access.case_reader(session, network, case, user_id)
    if case.owner_id == user_id:
        raise OwnCase()
    if not advice_counts_now(case):
        raise AdviceWaitsForRound()


def _require_may_start_round(session: Session, case: Case, network: Network, user_id: str) -> None:
    _require_open(case)
    access.round_leader(session, network, user_id, leaders={case.owner_id})
    if case.round_method is not None:
        raise RoundAlreadyStarted()


# ---------------------------------------------------------------------- where a round stands

FIXED_STEP_INDEX = {"questions": 2, "advice": 4, "response": 5}
"""The three fixed steps of old, by their place in the incident method: migration 0816 turned their running
rounds into incident rounds, and the buttons already posted for them (value `<case id>:<step>`) still work."""


def round_method(case: Case) -> WorkForm | None:
    """The method of the case's round; None when none was started (or the catalogue lost it)."""
    return work_form(case.round_method) if case.round_method else None


def _add_thread_advice(
    session: Session, case: Case, user_id: str, text: str, message_ts: str, *, now: datetime
) -> None:
    queries_cases.add_advice(
        session=session,
        advice=CaseAdvice(
            case_id=case.id or 0,
            giver_id=user_id,
            text=truncate(text.strip(), ADVICE_MAX),
            source=AdviceSource.THREAD,
            message_ts=message_ts,
            created_at=now,
        ),
    )


def current_round_step(case: Case) -> WorkFormStep | None:
    """The step the case's round is at; None when no round runs (none started, or finished)."""
    form = round_method(case)
    index = case.round_step_index
    if form is None or index is None or not 0 <= index < len(form.steps):
        return None
    return form.steps[index]


def round_step_key(case: Case) -> str | None:
    """The current step's key, `finished` for a round past its last step, None without a round."""
    if case.round_method is None:
        return None
    step = current_round_step(case)
    return step.key if step is not None else "finished"


def advice_counts_now(case: Case) -> bool:
    """Whether advice counts on the case now: always, unless its round is at a step that asks none."""
    step = current_round_step(case)
    return step is None or step.asks_for_advice


def end_round(case: Case) -> None:
    """Finish a running round, as closing the case does."""
    form = round_method(case)
    if form is not None and current_round_step(case) is not None:
        case.round_step_index = len(form.steps)


def _state(session: Session, case: Case, network: Network) -> CaseState:
    case_id = case.id or 0
    return CaseState(
        case=case,
        channel_id=network.channel_id,
        language=network.language,
        advice_count=queries_cases.advice_counts(session=session, case_ids=[case_id]).get(case_id, 0),
        recognition_count=queries_cases.recognition_counts(session=session, case_ids=[case_id]).get(
            case_id, 0
        ),
        followed_up=case_id in queries_follow_ups.answered_case_ids(session=session, case_ids=[case_id]),
    )
