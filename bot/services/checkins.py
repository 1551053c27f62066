"""Check-in polls: the schedule, claiming each run once, reactions, written answers, closing, reminders.

Nothing here knows Slack. Every step that Slack will see is first *claimed* in the database, in a unit
of work of its own, so that of several processes (or a restarted one) exactly one takes it:
- a scheduled run is claimed by inserting its poll under a unique key: the network and the local date of
  the run (a manual one: the local date it was asked for);
- closing and reminding are compare-and-set updates of the poll;
- a claim whose step was not finished (the process died between claim and post) goes stale after
  `CLAIM_TIMEOUT` and is finished by `stale_claims`, which the caller re-posts under the same
  idempotency key after looking whether the first attempt landed after all.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.clock import Clock
from bot.errors import (
    ChannelNotLinked,
    InvalidInput,
    NoOpenPoll,
    NotAFacilitator,
    NotAMember,
    PollAlreadyOpen,
    PollAlreadyPostedToday,
    PollClosed,
    PollNotFound,
)
from bot.services.checkin_schedule import (
    ANONYMITY_THRESHOLD_MAX,
    DEFAULT_ANONYMITY_THRESHOLD,
    DEFAULT_FREQUENCY,
    DEFAULT_HOUR,
    DEFAULT_MINUTE,
    DEFAULT_OPEN_DAYS,
    DEFAULT_WEEKDAY,
    OPEN_DAYS_CHOICES,
    IrregularRun,
    ScheduleRule,
    first_run_date,
)
from bot.services.processes import LEASE
from storage import queries, queries_processes
from storage import queries_checkins as q
from storage.db import SessionFactory, unit_of_work
from storage.models import CheckinAnswer, CheckinPoll, CheckinReaction, CheckinSchedule, Membership, Network
from storage.models.checkins import ANSWER_MAX, Frequency, PollKind, PollStatus, Question
from storage.models.network import Role

log = logging.getLogger(__name__)

SCALE: tuple[str, ...] = (
    "grinning",
    "slightly_smiling_face",
    "neutral_face",
    "slightly_frowning_face",
    "disappointed",
)
"""The answers to "Zijn we goed bezig?", best first: emoji names as Slack sends them in reactions."""

CATCH_UP_GRACE = timedelta(hours=6)
"""A run missed while no process ran the scheduler is still posted this long after its time."""
CLAIM_TIMEOUT = timedelta(minutes=30)
"""A claimed step not finished after this long is taken over even though its process still beats (it hangs).

A process that dies is noticed much sooner, by its missing beats (bot.services.processes.LEASE). This is
long because a live step may wait out many 429s: taking it over then would post it twice."""


# ---------------------------------------------------------------------- respondents


class Respondents:
    """Who answered, as only the running bot can tell: HMAC-SHA256 of the poll (or meeting) and the user.

    The key comes from the bot's secrets (see bot.runtime), never from the database, so the database
    alone cannot re-identify an answer by hashing every member's id; the poll id in the message makes
    one person's answers to different polls unlinkable.
    """

    def __init__(self, key: bytes | None = None) -> None:
        # Without a key (tools and tests that never keep answers across processes) a random one.
        self._key = key or secrets.token_bytes(32)

    def _of(self, scope: str, user_id: str) -> str:
        return hmac.new(self._key, f"{scope}:{user_id}".encode(), hashlib.sha256).hexdigest()

    def of_poll(self, poll_id: int, user_id: str) -> str:
        return self._of(f"poll:{poll_id}", user_id)

    def of_meeting(self, meeting_id: int, user_id: str) -> str:
        return self._of(f"meeting:{meeting_id}", user_id)


def derive_answer_key(secret: str) -> bytes:
    """A key for `Respondents`, derived from a server secret and used for nothing else."""
    return hmac.new(secret.encode(), b"netwerkbot/respondents/v1", hashlib.sha256).digest()


# ---------------------------------------------------------------------- what the service hands out


@dataclass(frozen=True, slots=True)
class ScheduleOverview:
    network_id: int
    rule: ScheduleRule
    open_days: int
    reminders: bool
    anonymity_threshold: int
    is_default: bool
    next_run: datetime | None
    irregular: list[IrregularRun] = field(default_factory=list)
    """Coming runs whose time falls in a daylight-saving gap or fold, to tell the facilitator."""

    @property
    def timezone(self) -> str:
        return self.rule.timezone


@dataclass(frozen=True, slots=True)
class ScheduleForm:
    """What a facilitator chose in the schedule modal; raw strings until validated."""

    frequency: str
    weekday: str
    time: str
    open_days: str
    reminders: str
    anonymity_threshold: str


@dataclass(frozen=True, slots=True)
class PollPost:
    """All that is needed to post a poll (or to finish posting it)."""

    poll_id: int
    key: str
    channel_id: str
    language: str
    timezone: str
    closes_at: datetime
    status: PollStatus
    message_ts: str | None


@dataclass(frozen=True, slots=True)
class WrittenAnswer:
    text: str
    signed_by: str | None


@dataclass(frozen=True, slots=True)
class PollResults:
    poll_id: int
    key: str
    channel_id: str
    message_ts: str | None
    language: str
    timezone: str
    closes_at: datetime
    status: PollStatus
    results_ts: str | None
    member_count: int
    respondent_count: int
    anonymity_threshold: int
    distribution: dict[str, int]
    """Each scale emoji (in scale order) and how many respondents it is the answer of."""
    goes_well: list[WrittenAnswer]
    could_be_better: list[WrittenAnswer]

    @property
    def shows_answers(self) -> bool:
        """Below the threshold only the count is shown: too few answers would give their writers away."""
        return self.respondent_count >= self.anonymity_threshold

    @property
    def results_key(self) -> str:
        return f"{self.key}/results"


@dataclass(frozen=True, slots=True)
class AnswerDraft:
    poll_id: int
    question: Question
    language: str
    text: str
    signed: bool


@dataclass(frozen=True, slots=True)
class Reminder:
    poll_id: int
    channel_id: str
    message_ts: str | None
    language: str
    timezone: str
    closes_at: datetime
    user_ids: list[str]


# ---------------------------------------------------------------------- rules that need no database


def default_anchor(network: Network) -> date:
    return first_run_date(
        frequency=DEFAULT_FREQUENCY,
        weekday=DEFAULT_WEEKDAY,
        hour=DEFAULT_HOUR,
        minute=DEFAULT_MINUTE,
        timezone=network.timezone,
        after=network.created_at,
    )


def rule_of(network: Network, schedule: CheckinSchedule | None) -> ScheduleRule:
    """The network's schedule; without a stored one, the default (every two weeks, Monday 10:00)."""
    if schedule is None:
        return ScheduleRule(
            frequency=DEFAULT_FREQUENCY,
            weekday=DEFAULT_WEEKDAY,
            hour=DEFAULT_HOUR,
            minute=DEFAULT_MINUTE,
            timezone=network.timezone,
            anchor=default_anchor(network),
        )
    return ScheduleRule(
        frequency=Frequency(schedule.frequency),
        weekday=schedule.weekday,
        hour=schedule.hour,
        minute=schedule.minute,
        timezone=network.timezone,
        anchor=schedule.anchor,
    )


def scheduled_key(network_id: int, run_date: date) -> str:
    return f"checkin/{network_id}/{run_date.isoformat()}"


def manual_key(network_id: int, run_date: date) -> str:
    return f"checkin/{network_id}/manual/{run_date.isoformat()}"


def normalise_emoji(name: str) -> str:
    """`thumbsup::skin-tone-2` and `:grinning:` as the bare names the scale uses."""
    return name.strip(":").split("::", 1)[0]


def parse_time_of_day(raw: str) -> tuple[int, int] | None:
    """ "HH:MM" (a timepicker's value) as hour and minute, or None when it is not a time."""
    parts = raw.strip().split(":")
    if len(parts) != 2 or not all(part.isdigit() and len(part) == 2 for part in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def validate_schedule_form(
    form: ScheduleForm, *, current_threshold: int
) -> dict[str, tuple[str, dict[str, Any]]]:
    """The problems with `form`, by field name, each as a catalog key with its values; empty if none."""
    problems: dict[str, tuple[str, dict[str, Any]]] = {}
    if form.frequency not in set(Frequency):
        problems["frequency"] = ("validation.choose_one", {})
    if form.weekday not in {str(day) for day in range(7)}:
        problems["weekday"] = ("validation.choose_one", {})
    if parse_time_of_day(form.time) is None:
        problems["time"] = ("checkins.validation.time", {})
    if form.open_days not in {str(days) for days in OPEN_DAYS_CHOICES}:
        problems["open_days"] = ("validation.choose_one", {})
    if form.reminders not in ("on", "off"):
        problems["reminders"] = ("validation.choose_one", {})
    threshold = int(form.anonymity_threshold) if form.anonymity_threshold.isdigit() else None
    if threshold is None or threshold > ANONYMITY_THRESHOLD_MAX:
        problems["anonymity_threshold"] = ("validation.choose_one", {})
    elif threshold < current_threshold:
        problems["anonymity_threshold"] = (
            "checkins.validation.threshold_lower",
            {"current": current_threshold},
        )
    return problems


def validate_answer_text(text: str) -> dict[str, tuple[str, dict[str, Any]]]:
    stripped = text.strip()
    if not stripped:
        return {"text": ("validation.required", {})}
    if len(stripped) > ANSWER_MAX:
        return {"text": ("validation.too_long", {"limit": ANSWER_MAX, "length": len(stripped)})}
    return {}


def active_memberships(session: Session, network_id: int) -> list[Membership]:
    return queries.list_memberships(session=session, network_id=network_id)


def require_role(memberships: Iterable[Membership], user_id: str, *, facilitator: bool) -> Membership:
    membership = next((m for m in memberships if m.user_id == user_id and m.active), None)
    if membership is None:
        raise NotAMember()
    if facilitator and membership.role != Role.FACILITATOR:
        raise NotAFacilitator()
    return membership


class CheckinService:
    def __init__(
        self,
        *,
        sessions: SessionFactory,
        clock: Clock,
        respondents: Respondents | None = None,
        process_id: str | None = None,
    ) -> None:
        """`process_id` signs this process's claims (see bot.services.processes); without it, a claim
        left behind is only taken over after CLAIM_TIMEOUT."""
        self._sessions = sessions
        self._clock = clock
        self._respondents = respondents or Respondents()
        self._process_id = process_id

    # ------------------------------------------------------------------ the schedule

    def schedule_overview(self, *, network_id: int) -> ScheduleOverview:
        """The network's schedule and its next run. Raises ChannelNotLinked for an unknown network."""
        with unit_of_work(self._sessions) as session:
            network = session.get(Network, network_id)
            if network is None:
                raise ChannelNotLinked()
            schedule = q.get_schedule(session=session, network_id=network_id)
            return self._overview(network, schedule)

    def _overview(self, network: Network, schedule: CheckinSchedule | None) -> ScheduleOverview:
        rule = rule_of(network, schedule)
        now = self._clock.now()
        return ScheduleOverview(
            network_id=network.id or 0,
            rule=rule,
            open_days=schedule.open_days if schedule else DEFAULT_OPEN_DAYS,
            reminders=schedule.reminders if schedule else True,
            anonymity_threshold=schedule.anonymity_threshold if schedule else DEFAULT_ANONYMITY_THRESHOLD,
            is_default=schedule is None,
            next_run=rule.next_run_at_or_after(now),
            irregular=rule.irregular_runs(now),
        )

    def change_schedule(self, *, network_id: int, user_id: str, form: ScheduleForm) -> ScheduleOverview:
        """Store the network's new schedule; the next run follows it.

        Raises NotAMember or NotAFacilitator (only facilitators change it), and InvalidInput for a value
        that is not offered or an anonymity threshold below the current one. A change of the timing
        starts the rhythm afresh from the first run after now; a change of anything else keeps it.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            network = session.get(Network, network_id)
            if network is None or network.archived_at is not None:
                raise ChannelNotLinked()
            require_role(active_memberships(session, network_id), user_id, facilitator=True)
            schedule = q.get_schedule(session=session, network_id=network_id)
            current = schedule.anonymity_threshold if schedule else DEFAULT_ANONYMITY_THRESHOLD
            problems = validate_schedule_form(form, current_threshold=current)
            if problems:
                raise InvalidInput(problems)
            hour, minute = parse_time_of_day(form.time) or (DEFAULT_HOUR, DEFAULT_MINUTE)
            frequency, weekday = Frequency(form.frequency), int(form.weekday)
            before = rule_of(network, schedule)
            timing_changed = (before.frequency, before.weekday, before.hour, before.minute) != (
                frequency,
                weekday,
                hour,
                minute,
            )
            anchor = (
                first_run_date(
                    frequency=frequency,
                    weekday=weekday,
                    hour=hour,
                    minute=minute,
                    timezone=network.timezone,
                    after=now,
                )
                if timing_changed
                else before.anchor
            )
            # A table model is not validated on creation: every field is set just below.
            schedule = schedule or CheckinSchedule(network_id=network_id)
            schedule.frequency = frequency
            schedule.weekday = weekday
            schedule.hour = hour
            schedule.minute = minute
            schedule.anchor = anchor
            schedule.open_days = int(form.open_days)
            schedule.reminders = form.reminders == "on"
            schedule.anonymity_threshold = int(form.anonymity_threshold)
            schedule.updated_by = user_id
            schedule.updated_at = now
            q.save_schedule(session=session, schedule=schedule)
            return self._overview(network, schedule)

    def active_rules(self) -> dict[int, ScheduleRule]:
        """The schedule of every network that is polled, by network id: what the scheduler runs."""
        with unit_of_work(self._sessions) as session:
            rows = q.list_live_networks_with_schedules(session=session)
            rules = {network.id or 0: rule_of(network, schedule) for network, schedule in rows}
        return {network_id: rule for network_id, rule in rules.items() if rule.active}

    # ------------------------------------------------------------------ claiming runs

    def due_runs(self) -> list[int]:
        """The networks whose latest scheduled run is due (within the grace period) and not yet claimed."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            candidates: dict[str, int] = {}
            for network, schedule in q.list_live_networks_with_schedules(session=session):
                latest = rule_of(network, schedule).latest_run_at_or_before(now)
                if latest is not None and now - latest[1] <= CATCH_UP_GRACE:
                    candidates[scheduled_key(network.id or 0, latest[0])] = network.id or 0
            claimed = q.existing_poll_keys(session=session, keys=candidates)
        return [network_id for key, network_id in candidates.items() if key not in claimed]

    def claim_scheduled_poll(self, *, network_id: int) -> PollPost | None:
        """Claim the network's latest scheduled run if it is due and nobody claimed it; None otherwise.

        Due means: its time has come, at most CATCH_UP_GRACE ago (a run missed while the bot was down
        longer than that is skipped, not posted days late). The claim is the poll's unique key, so two
        processes, or a trigger that fires twice in an autumn fold, claim it once.
        """
        now = self._clock.now()
        try:
            with unit_of_work(self._sessions) as session:
                network = session.get(Network, network_id)
                if network is None or network.archived_at is not None:
                    return None
                schedule = q.get_schedule(session=session, network_id=network_id)
                latest = rule_of(network, schedule).latest_run_at_or_before(now)
                if latest is None or now - latest[1] > CATCH_UP_GRACE:
                    return None
                run_date, runs_at = latest
                open_days = schedule.open_days if schedule else DEFAULT_OPEN_DAYS
                poll = self._new_poll(
                    network,
                    schedule,
                    key=scheduled_key(network_id, run_date),
                    kind=PollKind.SCHEDULED,
                    run_date=run_date,
                    opens_at=runs_at,
                    closes_at=runs_at + timedelta(days=open_days),
                    now=now,
                )
                if q.existing_poll_keys(session=session, keys=[poll.key]):
                    return None
                q.add_poll(session=session, poll=poll)
                post = _post_of(poll, network)
        except IntegrityError:
            log.info("check-in run of network %s was claimed by another process", network_id)
            return None
        return post

    def claim_manual_poll(self, *, network_id: int, user_id: str) -> PollPost:
        """Claim a poll to post now, at a facilitator's request.

        Raises NotAMember or NotAFacilitator; PollAlreadyOpen while another poll of the network is open;
        PollAlreadyPostedToday for a second one on the same local day (a double click, two facilitators).
        """
        now = self._clock.now()
        try:
            with unit_of_work(self._sessions) as session:
                network = session.get(Network, network_id)
                if network is None or network.archived_at is not None:
                    raise ChannelNotLinked()
                require_role(active_memberships(session, network_id), user_id, facilitator=True)
                unfinished = q.list_polls(
                    session=session,
                    network_id=network_id,
                    statuses=[PollStatus.CLAIMED, PollStatus.POSTED, PollStatus.OPEN],
                )
                if unfinished:
                    raise PollAlreadyOpen()
                schedule = q.get_schedule(session=session, network_id=network_id)
                rule = rule_of(network, schedule)
                run_date = rule.local_date_of(now)
                open_days = schedule.open_days if schedule else DEFAULT_OPEN_DAYS
                poll = self._new_poll(
                    network,
                    schedule,
                    key=manual_key(network_id, run_date),
                    kind=PollKind.MANUAL,
                    run_date=run_date,
                    opens_at=now,
                    closes_at=now + timedelta(days=open_days),
                    now=now,
                )
                if q.existing_poll_keys(session=session, keys=[poll.key]):
                    raise PollAlreadyPostedToday()
                q.add_poll(session=session, poll=poll)
                return _post_of(poll, network)
        except IntegrityError:
            raise PollAlreadyPostedToday() from None

    def _new_poll(
        self,
        network: Network,
        schedule: CheckinSchedule | None,
        *,
        key: str,
        kind: PollKind,
        run_date: date,
        opens_at: datetime,
        closes_at: datetime,
        now: datetime,
    ) -> CheckinPoll:
        reminders = schedule.reminders if schedule else True
        return CheckinPoll(
            network_id=network.id or 0,
            key=key,
            kind=kind,
            run_date=run_date,
            status=PollStatus.CLAIMED,
            claimed_at=now,
            claimed_by=self._process_id,
            channel_id=network.channel_id,
            language=network.language,
            closes_at=closes_at,
            remind_at=opens_at + (closes_at - opens_at) / 2 if reminders else None,
            anonymity_threshold=schedule.anonymity_threshold if schedule else DEFAULT_ANONYMITY_THRESHOLD,
        )

    def record_posted(self, *, poll_id: int, message_ts: str) -> None:
        """The poll message is in the channel: reactions and answers count from now on."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            if poll is None or poll.status != PollStatus.CLAIMED:
                return
            poll.message_ts = message_ts
            poll.posted_at = now
            poll.status = PollStatus.POSTED
            poll.claimed_at = now
            session.add(poll)

    def polls_awaiting_scale(self) -> list[PollPost]:
        """Posted polls whose scale is not (all) on the message yet, oldest first.

        Scheduled polls are posted without it: at Tier 3 (50 reactions.add a minute per workspace) adding
        five emoji to each of many polls falling due together would hold back every post behind them.
        """
        with unit_of_work(self._sessions) as session:
            return [_post_of(poll, network) for poll, network in q.polls_awaiting_scale(session=session)]

    def record_opened(self, *, poll_id: int) -> None:
        """The scale is on the message too: the poll is complete."""
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            if poll is not None and poll.status == PollStatus.POSTED:
                poll.status = PollStatus.OPEN
                session.add(poll)

    # ------------------------------------------------------------------ answers

    def record_reaction(
        self,
        *,
        channel_id: str,
        message_ts: str,
        user_id: str,
        emoji: str,
        added: bool,
        event_id: str,
        reacted_at: datetime | None = None,
    ) -> bool:
        """Count (or uncount) a reaction; True if it changed a poll's answers.

        Only reactions on a poll still taking answers, with an emoji of the scale, by a member of the
        network count; an event delivered before (the same event_id) or a reaction already counted
        changes nothing. A respondent's answer is the scale emoji they added last and still have.
        """
        now = self._clock.now()
        name = normalise_emoji(emoji)
        if name not in SCALE:
            return False
        try:
            with unit_of_work(self._sessions) as session:
                poll = q.get_poll_by_message(session=session, channel_id=channel_id, message_ts=message_ts)
                if poll is None or poll.status not in (PollStatus.POSTED, PollStatus.OPEN):
                    return False
                members = active_memberships(session, poll.network_id)
                if not any(m.user_id == user_id for m in members):
                    return False
                if not queries.claim_event(session=session, event_id=event_id, received_at=now):
                    return False
                respondent = self._respondents.of_poll(poll.id or 0, user_id)
                if not added:
                    return q.remove_reaction(
                        session=session, poll_id=poll.id or 0, respondent=respondent, emoji=name
                    )
                existing = q.get_reaction(
                    session=session, poll_id=poll.id or 0, respondent=respondent, emoji=name
                )
                if existing is not None:
                    return False
                q.add_reaction(
                    session=session,
                    reaction=CheckinReaction(
                        poll_id=poll.id or 0, respondent=respondent, emoji=name, reacted_at=reacted_at or now
                    ),
                )
        except IntegrityError:
            # The same reaction, delivered twice at once: the other delivery counted it.
            return False
        return True

    def reconcile_reactions(self, *, poll_id: int, on_message: Mapping[str, Iterable[str]]) -> bool:
        """Make the members' counted answers match the reactions on the poll message; True if any changed.

        `on_message` is emoji name → the users who have it on the message now, as Slack tells when the
        poll closes. An event Slack gave up re-delivering (the bot was down longer than its retries, or
        the database was) is counted this way after all, and a removal that never arrived is undone. A
        reaction found only now counts as added at this moment. Only members' reactions are looked at:
        someone who left or was forgotten is not brought back.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            if poll is None or poll.status not in (PollStatus.POSTED, PollStatus.OPEN, PollStatus.CLOSING):
                return False
            members = {m.user_id for m in active_memberships(session, poll.network_id)}
            key_of = {user_id: self._respondents.of_poll(poll_id, user_id) for user_id in members}
            present = {
                (key_of[user_id], normalise_emoji(emoji))
                for emoji, user_ids in on_message.items()
                if normalise_emoji(emoji) in SCALE
                for user_id in user_ids
                if user_id in key_of
            }
            counted = {
                (r.respondent, r.emoji)
                for r in q.list_reactions(session=session, poll_ids=[poll_id])
                if r.respondent in key_of.values()
            }
            for respondent, emoji in counted - present:
                q.remove_reaction(session=session, poll_id=poll_id, respondent=respondent, emoji=emoji)
            for respondent, emoji in sorted(present - counted):
                q.add_reaction(
                    session=session,
                    reaction=CheckinReaction(
                        poll_id=poll_id, respondent=respondent, emoji=emoji, reacted_at=now
                    ),
                )
            return counted != present

    def answer_draft(self, *, poll_id: int, user_id: str, question: str) -> AnswerDraft:
        """What the member wrote before to `question` (empty if nothing), to edit in the modal.

        Raises PollNotFound, PollClosed, or NotAMember.
        """
        with unit_of_work(self._sessions) as session:
            poll = self._answerable_poll(session, poll_id, user_id, question)
            existing = q.get_answer(
                session=session,
                poll_id=poll_id,
                question=Question(question),
                respondent=self._respondents.of_poll(poll_id, user_id),
            )
            return AnswerDraft(
                poll_id=poll_id,
                question=Question(question),
                language=poll.language,
                text=existing.text if existing else "",
                signed=bool(existing and existing.signed_by),
            )

    def save_answer(self, *, poll_id: int, user_id: str, question: str, text: str, signed: bool) -> str:
        """Keep the member's written answer (replacing an earlier one); returns the poll's language.

        Anonymous unless `signed`: then the member's user id is kept with it, to be shown beside it.
        Raises InvalidInput (empty or too long), PollNotFound, PollClosed, or NotAMember.
        """
        problems = validate_answer_text(text)
        if problems:
            raise InvalidInput(problems)
        try:
            with unit_of_work(self._sessions) as session:
                poll = self._answerable_poll(session, poll_id, user_id, question)
                respondent = self._respondents.of_poll(poll_id, user_id)
                answer = q.get_answer(
                    session=session, poll_id=poll_id, question=Question(question), respondent=respondent
                ) or CheckinAnswer(
                    poll_id=poll_id, question=Question(question), respondent=respondent, text=""
                )
                answer.text = text.strip()
                answer.signed_by = user_id if signed else None
                q.save_answer(session=session, answer=answer)
                return poll.language
        except IntegrityError:
            # The same person submitted twice at once; the other submission is kept.
            return self._language_of_poll(poll_id)

    def _language_of_poll(self, poll_id: int) -> str:
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            return poll.language if poll else "nl"

    def _answerable_poll(self, session: Session, poll_id: int, user_id: str, question: str) -> CheckinPoll:
        if question not in set(Question):
            raise PollNotFound()
        poll = q.get_poll(session=session, poll_id=poll_id)
        if poll is None:
            raise PollNotFound()
        if poll.status not in (PollStatus.POSTED, PollStatus.OPEN):
            raise PollClosed()
        require_role(active_memberships(session, poll.network_id), user_id, facilitator=False)
        return poll

    def poll_language(self, *, poll_id: int) -> str | None:
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            return poll.language if poll else None

    # ------------------------------------------------------------------ closing

    def claim_due_closings(self) -> Iterator[PollResults]:
        """Claim the close of each open poll whose time is up, one at a time as the caller takes them.

        Each claim is made just before its results go out, never long before: with many polls closing
        together (chat.update is Tier 3: 50 a minute), a claim made for all at once would go stale
        before its turn and be taken over while it is still coming.
        """
        with unit_of_work(self._sessions) as session:
            due = [poll.id or 0 for poll in q.polls_due_to_close(session=session, now=self._clock.now())]
        for poll_id in due:
            with unit_of_work(self._sessions) as session:
                poll = q.get_poll(session=session, poll_id=poll_id)
                if poll is None:
                    continue
                status, claimed_at = PollStatus(poll.status), poll.claimed_at
            results = self._claim_close(poll_id, status, claimed_at, self._clock.now())
            if results is not None:
                yield results

    def close_now(self, *, network_id: int, user_id: str) -> PollResults:
        """Close the network's open poll now, at a facilitator's request; returns its results.

        Raises NotAMember, NotAFacilitator, or NoOpenPoll.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            require_role(active_memberships(session, network_id), user_id, facilitator=True)
            open_polls = q.list_polls(
                session=session, network_id=network_id, statuses=[PollStatus.POSTED, PollStatus.OPEN]
            )
            candidates = [(poll.id or 0, PollStatus(poll.status), poll.claimed_at) for poll in open_polls]
        for poll_id, status, claimed_at in candidates:
            results = self._claim_close(poll_id, status, claimed_at, now)
            if results is not None:
                return results
        raise NoOpenPoll()

    def _claim_close(
        self, poll_id: int, status: PollStatus, claimed_at: datetime, now: datetime
    ) -> PollResults | None:
        with unit_of_work(self._sessions) as session:
            if not q.claim_poll_step(
                session=session,
                poll_id=poll_id,
                expected_status=status,
                expected_claimed_at=claimed_at,
                status=PollStatus.CLOSING,
                now=now,
                claimed_by=self._process_id,
            ):
                return None
            poll = q.get_poll(session=session, poll_id=poll_id)
            assert poll is not None
            session.refresh(poll)
            poll.member_count = len(active_memberships(session, poll.network_id))
            poll.closed_at = now
            session.add(poll)
            session.flush()
            return self._results(session, poll)

    def record_closed(self, *, poll_id: int, results_ts: str) -> None:
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            if poll is None or poll.status != PollStatus.CLOSING:
                return
            poll.results_ts = results_ts
            poll.status = PollStatus.CLOSED
            session.add(poll)

    def results(self, *, poll_id: int) -> PollResults | None:
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            return self._results(session, poll) if poll else None

    def _results(self, session: Session, poll: CheckinPoll) -> PollResults:
        poll_id = poll.id or 0
        network = session.get(Network, poll.network_id)
        reactions = q.list_reactions(session=session, poll_ids=[poll_id])
        answers = q.list_answers(session=session, poll_ids=[poll_id])
        member_count = poll.member_count
        if member_count is None:
            member_count = len(active_memberships(session, poll.network_id))
        return PollResults(
            poll_id=poll_id,
            key=poll.key,
            channel_id=poll.channel_id,
            message_ts=poll.message_ts,
            language=poll.language,
            timezone=network.timezone if network else "UTC",
            closes_at=poll.closes_at,
            status=PollStatus(poll.status),
            results_ts=poll.results_ts,
            member_count=member_count,
            respondent_count=len({r.respondent for r in reactions} | {a.respondent for a in answers}),
            anonymity_threshold=poll.anonymity_threshold,
            distribution=distribution(reactions),
            goes_well=_written(answers, Question.GOES_WELL),
            could_be_better=_written(answers, Question.COULD_BE_BETTER),
        )

    # ------------------------------------------------------------------ reminders

    def claim_due_reminders(self) -> list[Reminder]:
        """Claim the halfway reminder of every open poll due one: at most one reminder per poll, ever.

        Each comes with the members who have not answered yet (neither a reaction nor a written answer).
        """
        now = self._clock.now()
        reminders: list[Reminder] = []
        with unit_of_work(self._sessions) as session:
            due = q.polls_due_a_reminder(session=session, now=now)
        for candidate in due:
            with unit_of_work(self._sessions) as session:
                if not q.claim_reminder(session=session, poll_id=candidate.id or 0, now=now):
                    continue
                poll_id = candidate.id or 0
                answered = {r.respondent for r in q.list_reactions(session=session, poll_ids=[poll_id])} | {
                    a.respondent for a in q.list_answers(session=session, poll_ids=[poll_id])
                }
                members = active_memberships(session, candidate.network_id)
                network = session.get(Network, candidate.network_id)
                waiting = [
                    m.user_id
                    for m in members
                    if self._respondents.of_poll(poll_id, m.user_id) not in answered
                ]
                reminders.append(
                    Reminder(
                        poll_id=poll_id,
                        channel_id=candidate.channel_id,
                        message_ts=candidate.message_ts,
                        language=candidate.language,
                        timezone=network.timezone if network else "UTC",
                        closes_at=candidate.closes_at,
                        user_ids=waiting,
                    )
                )
        return reminders

    # ------------------------------------------------------------------ recovery

    def stale_claims(self) -> tuple[list[PollPost], list[PollResults]]:
        """Re-claim the steps a dead process left half-done: polls to post, closes to finish.

        A posted poll still missing its scale is not stale: the scale is added by its own job, in order
        (see polls_awaiting_scale), however long the rate limit makes it wait.

        A claim is stale once the process that made it stopped beating (LEASE), or in any case after
        CLAIM_TIMEOUT: a process that beats but hangs on one step. Each comes back claimed afresh by this
        call (compare-and-set), so two recovering processes do not both take one. The caller must look
        for the first attempt's message before posting again.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            alive = queries_processes.live_process_ids(session=session, beating_since=now - LEASE)
            stale = [
                (poll.id or 0, PollStatus(poll.status), poll.claimed_at)
                for poll in q.polls_in_status(
                    session=session, statuses=[PollStatus.CLAIMED, PollStatus.CLOSING]
                )
                if poll.claimed_at < now - CLAIM_TIMEOUT
                or (poll.claimed_by not in (None, self._process_id) and poll.claimed_by not in alive)
            ]
        posts: list[PollPost] = []
        closes: list[PollResults] = []
        for poll_id, status, claimed_at in stale:
            with unit_of_work(self._sessions) as session:
                if not q.claim_poll_step(
                    session=session,
                    poll_id=poll_id,
                    expected_status=status,
                    expected_claimed_at=claimed_at,
                    status=status,
                    now=now,
                    claimed_by=self._process_id,
                ):
                    continue
                poll = q.get_poll(session=session, poll_id=poll_id)
                assert poll is not None
                session.refresh(poll)
                if status == PollStatus.CLAIMED and poll.closes_at <= now:
                    # It could not be posted before it would have closed (the bot was removed from the
                    # channel, say): a poll nobody saw is given up, not posted late.
                    log.warning("check-in poll %s was never posted; giving it up", poll_id)
                    poll.status = PollStatus.CLOSED
                    poll.closed_at = now
                    session.add(poll)
                    continue
                network = session.get(Network, poll.network_id)
                assert network is not None
                if status == PollStatus.CLOSING:
                    closes.append(self._results(session, poll))
                else:
                    posts.append(_post_of(poll, network))
        return posts, closes

    # ------------------------------------------------------------------ export

    def export_polls(self, *, network_id: int) -> list[dict[str, Any]]:
        """The network's polls as the export shows them: counts and texts, never an anonymous author."""
        with unit_of_work(self._sessions) as session:
            return export_polls(session=session, network_id=network_id)


def export_polls(*, session: Session, network_id: int) -> list[dict[str, Any]]:
    polls = [p for p in q.list_polls(session=session, network_id=network_id) if p.message_ts is not None]
    poll_ids = [p.id or 0 for p in polls]
    reactions = q.list_reactions(session=session, poll_ids=poll_ids)
    answers = q.list_answers(session=session, poll_ids=poll_ids)
    exported = []
    for poll in polls:
        mine = [r for r in reactions if r.poll_id == poll.id]
        written = [a for a in answers if a.poll_id == poll.id]
        exported.append(
            {
                "id": poll.id,
                "kind": str(poll.kind),
                "run_date": poll.run_date.isoformat(),
                "posted_at": poll.posted_at.isoformat() if poll.posted_at else None,
                "message_ts": poll.message_ts,
                "closes_at": poll.closes_at.isoformat(),
                "closed_at": poll.closed_at.isoformat() if poll.closed_at else None,
                "status": str(poll.status),
                "scale": list(SCALE),
                "reactions": distribution(mine),
                "respondents": len({r.respondent for r in mine} | {a.respondent for a in written}),
                "members": poll.member_count,
                "anonymity_threshold": poll.anonymity_threshold,
                "goes_well": [a.text for a in _written(written, Question.GOES_WELL)],
                "could_be_better": [a.text for a in _written(written, Question.COULD_BE_BETTER)],
                "signed_answers": [
                    {"question": str(a.question), "text": a.text, "user_id": a.signed_by}
                    for a in written
                    if a.signed_by
                ],
            }
        )
    return exported


def distribution(reactions: Iterable[CheckinReaction]) -> dict[str, int]:
    """How many respondents gave each scale answer: each counts once, with the emoji they added last."""
    latest: dict[str, CheckinReaction] = {}
    for reaction in sorted(reactions, key=lambda r: (r.reacted_at, r.id or 0)):
        latest[reaction.respondent] = reaction
    counts = Counter(reaction.emoji for reaction in latest.values())
    return {emoji: counts.get(emoji, 0) for emoji in SCALE}


def _written(answers: Iterable[CheckinAnswer], question: Question) -> list[WrittenAnswer]:
    # Sorted by text: neither the order they came in nor who wrote them shows.
    chosen = [a for a in answers if a.question == question]
    return [
        WrittenAnswer(text=a.text, signed_by=a.signed_by)
        for a in sorted(chosen, key=lambda a: (a.text.casefold(), a.text, a.respondent))
    ]


def _post_of(poll: CheckinPoll, network: Network) -> PollPost:
    return PollPost(
        poll_id=poll.id or 0,
        key=poll.key,
        channel_id=poll.channel_id,
        language=poll.language,
        timezone=network.timezone,
        closes_at=poll.closes_at,
        status=PollStatus(poll.status),
        message_ts=poll.message_ts,
    )
