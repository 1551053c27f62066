"""The network thermometer: a deeper evaluation than the check-in, every quarter and when a facilitator
posts it. Each member scores six aspects from 1 to 10 and may say what would make the network stronger.

Anonymous as the check-in's written answers: who answered is only `Respondents`' keyed hash of the round
and the member, results show only at the close and only from the network's anonymity threshold on.

Exactly once, across restarts and processes: a round is created under a unique key (the network and the
quarter, or the local date a facilitator asked) in the same transaction as the outbox item that posts it;
a close is a compare-and-set of the round's status, in the transaction that records its results and the
facilitators' suggestions. The publishing layer carries them out, and a live process finishes what a
dead one left.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import InvalidInput
from bot.errors import NoOpenThermometer
from bot.errors import ThermometerAlreadyOpen
from bot.errors import ThermometerClosed
from bot.errors import ThermometerNotFound
from bot.services import access
from bot.services import lookups
from bot.services.answer_periods import answerable
from bot.services.answer_periods import close_once
from bot.services.answer_periods import record_message
from bot.services.checkin_schedule import DEFAULT_ANONYMITY_THRESHOLD
from bot.services.checkin_schedule import ScheduleRule
from bot.services.checkin_schedule import first_run_date
from bot.services.input_checks import Problems
from bot.services.input_checks import check_length
from bot.services.input_checks import whole_number_between
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.pauses import covers_in
from bot.services.respondents import Respondents
from bot.services.service import AnswerKeepingService
from storage import queries_checkins
from storage import queries_thermometer as q
from storage.db import unit_of_work
from storage.models import Network
from storage.models import ThermometerAnswer
from storage.models import ThermometerRound
from storage.models.base import AnswerPeriodStatus
from storage.models.base import RunKind
from storage.models.checkins import Frequency
from storage.models.thermometer import STRONGER_MAX
from storage.models.thermometer import Aspect

log = logging.getLogger(__name__)

ASPECTS: tuple[Aspect, ...] = tuple(Aspect)
SCORE_MIN, SCORE_MAX = 1, 10
OPEN_FOR = timedelta(days=7)
"""A round takes answers for a week."""
QUARTER_MONTHS = (1, 4, 7, 10)
ROUND_WEEKDAY, ROUND_HOUR, ROUND_MINUTE = 0, 10, 0
"""The quarterly round comes on the first Monday of January, April, July and October at 10:00, local."""
GRACE = timedelta(days=1)
"""A quarterly round missed while no process ran is still posted this long after its time."""
RECENT = timedelta(days=28)
"""No quarterly round within four weeks of another round (a facilitator just posted one)."""
LOW_BELOW = 6.0
FALLING_BY = 0.5
"""An aspect is low below 6; falling when it lost half a point or more since the previous round."""
HISTORY = 12


@dataclass(frozen=True, slots=True)
class RoundPost:
    round_id: int
    key: str
    channel_id: str
    language: str
    timezone: str
    closes_at: datetime
    anonymity_threshold: int
    status: AnswerPeriodStatus
    message_ts: str | None
    network_name: str = ""


@dataclass(frozen=True, slots=True)
class ThermometerDraft:
    round_id: int
    language: str
    scores: dict[str, int]
    """Per aspect the member's earlier score (empty: no answer yet)."""
    stronger: str


@dataclass(frozen=True, slots=True)
class RoundResults:
    post: RoundPost
    closed_at: datetime | None
    member_count: int
    respondent_count: int
    averages: dict[Aspect, float]
    """Per aspect the average score; empty below the threshold and while the round is open."""
    previous: dict[Aspect, float] = field(default_factory=dict)
    """The averages of the previous round that showed them: the base of the trend."""
    stronger: list[str] = field(default_factory=list)
    facilitator_ids: list[str] = field(default_factory=list)

    @property
    def round_id(self) -> int:
        return self.post.round_id

    @property
    def shows_answers(self) -> bool:
        return bool(self.averages)

    @property
    def results_key(self) -> str:
        return f"{self.post.key}/results"

    def trend(self, aspect: Aspect) -> float | None:
        if aspect not in self.averages or aspect not in self.previous:
            return None
        return round(self.averages[aspect] - self.previous[aspect], 1)

    def needs_attention(self) -> list[Aspect]:
        """The aspects that are low, or falling since the previous round."""
        return [
            aspect
            for aspect, average in self.averages.items()
            if average < LOW_BELOW or (self.trend(aspect) or 0.0) <= -FALLING_BY
        ]


def quarter_key(network_id: int, run_date: date) -> str:
    return f"thermometer/{network_id}/{run_date.year}-q{(run_date.month - 1) // 3 + 1}"


def manual_key(network_id: int, run_date: date) -> str:
    return f"thermometer/{network_id}/manual/{run_date.isoformat()}"


def quarterly_rule(network: Network) -> ScheduleRule:
    """First Mondays of the month in the network's time zone (daylight saving included); only those in
    QUARTER_MONTHS are rounds. No round for a time before the network existed."""
    anchor = first_run_date(
        frequency=Frequency.WEEKLY,
        weekday=ROUND_WEEKDAY,
        hour=ROUND_HOUR,
        minute=ROUND_MINUTE,
        timezone=network.timezone,
        after=network.created_at,
    )
    return ScheduleRule(
        frequency=Frequency.MONTHLY,
        weekday=ROUND_WEEKDAY,
        hour=ROUND_HOUR,
        minute=ROUND_MINUTE,
        timezone=network.timezone,
        anchor=anchor,
    )


def due_quarter(network: Network, now: datetime) -> tuple[date, datetime] | None:
    due = quarterly_rule(network).due_run(now, grace=GRACE)
    return due if due is not None and due[0].month in QUARTER_MONTHS else None


def validate_answer(scores: Mapping[str, str], stronger: str) -> Problems:
    """A field error for each aspect not scored as a whole number from 1 to 10, and a too long answer."""
    problems: Problems = {}
    for aspect in ASPECTS:
        raw = str(scores.get(aspect.value) or "").strip()
        if not raw:
            problems[aspect.value] = ("validation.required", {})
        elif not whole_number_between(raw, SCORE_MIN, SCORE_MAX):
            problems[aspect.value] = ("thermometer.validation.score", {"low": SCORE_MIN, "high": SCORE_MAX})
    check_length(problems, "stronger", stronger.strip(), STRONGER_MAX)
    return problems


class ThermometerService(AnswerKeepingService):
    # ------------------------------------------------------------------ opening rounds

    def post_now(self, *, network_id: int, user_id: str, requester: Requester | None = None) -> None:
        """Open a round now, at a facilitator's request; its post goes through the outbox, and `requester`
        is told if Slack refuses it.

        Raises ChannelNotLinked, NotAMember, NotAFacilitator, or ThermometerAlreadyOpen (a round is open,
        or one was posted today: a double click, two facilitators).
        """
        now = self._clock.now()
        try:
            with unit_of_work(self._sessions) as session:
                network = lookups.facilitator_network(session, network_id, user_id, lock=True)
                if q.open_rounds(session=session, network_id=network_id):
                    raise ThermometerAlreadyOpen()
                local_day = quarterly_rule(network).local_date_of(now)
                key = manual_key(network_id, local_day)
                if q.key_exists(session=session, key=key):
                    raise ThermometerAlreadyOpen()
                self._open(session, network, key=key, kind=RunKind.MANUAL, now=now, requester=requester)
        except IntegrityError:
            raise ThermometerAlreadyOpen() from None

    def open_due_rounds(self) -> int:
        """Open the quarterly round of every network whose time has come (unless a pause covers it); how
        many were opened."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            due = [
                network.id or 0
                for network in q.live_networks(session=session)
                if due_quarter(network, now) is not None
            ]
        return sum(1 for network_id in due if self._open_quarter(network_id, now))

    def _open_quarter(self, network_id: int, now: datetime) -> bool:
        try:
            with unit_of_work(self._sessions) as session:
                network = access.find_live_network(session, network_id)
                due = due_quarter(network, now) if network is not None else None
                if network is None or due is None:
                    return False
                key = quarter_key(network_id, due[0])
                if q.key_exists(session=session, key=key) or self._recently_opened(session, network_id, now):
                    return False
                if covers_in(session, network, due[1]):
                    # As every timed post: skipped, and not opened after the pause.
                    return False
                self._open(session, network, key=key, kind=RunKind.SCHEDULED, now=now)
                return True
        except IntegrityError:
            log.info("the thermometer of network %s was opened by another process", network_id)
            return False

    def _recently_opened(self, session: Session, network_id: int, now: datetime) -> bool:
        latest = q.latest_opened_at(session=session, network_id=network_id)
        return latest is not None and now - latest < RECENT

    def _open(
        self,
        session: Session,
        network: Network,
        *,
        key: str,
        kind: RunKind,
        now: datetime,
        requester: Requester | None = None,
    ) -> None:
        schedule = queries_checkins.get_schedule(session=session, network_id=network.id or 0)
        round_ = q.add_round(
            session=session,
            round_=ThermometerRound(
                network_id=network.id or 0,
                key=key,
                kind=kind,
                status=AnswerPeriodStatus.OPEN,
                channel_id=network.channel_id,
                language=network.language,
                opened_at=now,
                closes_at=now + OPEN_FOR,
                anonymity_threshold=(
                    schedule.anonymity_threshold if schedule else DEFAULT_ANONYMITY_THRESHOLD
                ),
            ),
        )
        self._outbox.record(
            session,
            EffectKind.THERMOMETER_ROUND,
            key=key,
            round_id=round_.id,
            requester=requester,
            language=network.language,
        )

    def round_post(self, *, round_id: int) -> RoundPost | None:
        with unit_of_work(self._sessions) as session:
            round_ = q.get_round(session=session, round_id=round_id)
            network = lookups.network_of(session, round_)
            return _post_of(round_, network) if round_ and network else None

    def record_posted(self, *, round_id: int, message_ts: str) -> None:
        with unit_of_work(self._sessions) as session:
            record_message(session, q.get_round(session=session, round_id=round_id), message_ts)

    def give_up_round(self, *, round_id: int) -> None:
        """A round Slack refused for good to post just ends, so that it does not keep the network from
        having another; its key stays, so that the same run is not opened again at every sweep."""
        with unit_of_work(self._sessions) as session:
            round_ = q.get_round(session=session, round_id=round_id)
            if round_ is not None and round_.message_ts is None:
                close_once(session, round_, now=self._clock.now())

    # ------------------------------------------------------------------ answers

    def answer_draft(self, *, round_id: int, user_id: str) -> ThermometerDraft:
        """What the member answered before (nothing yet: empty), to change in the modal.

        Raises ThermometerNotFound, ThermometerClosed, or NotAMember.
        """
        with unit_of_work(self._sessions) as session:
            round_ = self._answerable(session, round_id, user_id)
            existing = q.get_answer(
                session=session,
                round_id=round_id,
                respondent=self._respondents.of_thermometer(round_id, user_id),
            )
            return ThermometerDraft(
                round_id=round_id,
                language=round_.language,
                scores={a.value: existing.score(a) for a in ASPECTS} if existing else {},
                stronger=existing.stronger if existing else "",
            )

    def save_answer(
        self,
        *,
        round_id: int,
        user_id: str,
        scores: Mapping[str, str],
        stronger: str,
        requester: Requester | None = None,
    ) -> None:
        """Keep the member's scores and open answer, anonymously, replacing an earlier answer; thank
        `requester` once it is kept.

        Raises InvalidInput (a score not from 1 to 10, a too long answer), ThermometerNotFound,
        ThermometerClosed, or NotAMember.
        """
        InvalidInput.raise_if_any(validate_answer(scores, stronger))
        try:
            with unit_of_work(self._sessions) as session:
                round_ = self._answerable(session, round_id, user_id)
                respondent = self._respondents.of_thermometer(round_id, user_id)
                answer = q.get_answer(session=session, round_id=round_id, respondent=respondent)
                values = {aspect.value: int(str(scores[aspect.value]).strip()) for aspect in ASPECTS}
                if answer is None:
                    answer = ThermometerAnswer(round_id=round_id, respondent=respondent, **values)
                else:
                    for name, value in values.items():
                        setattr(answer, name, value)
                answer.stronger = stronger.strip()
                q.save_answer(session=session, answer=answer)
                self._outbox.notice(session, requester, "thermometer.answer.thanks", language=round_.language)
        except IntegrityError:
            # The same member submitted twice at once: the other submission is kept.
            return

    def _answerable(self, session: Session, round_id: int, user_id: str) -> ThermometerRound:
        round_, _ = answerable(
            session,
            q.get_round(session=session, round_id=round_id),
            user_id,
            now=self._clock.now(),
            not_found=ThermometerNotFound,
            closed=ThermometerClosed,
        )
        return round_

    # ------------------------------------------------------------------ closing

    def close_now(self, *, network_id: int, user_id: str) -> None:
        """Close the network's open round now, at a facilitator's request.

        Raises ChannelNotLinked, NotAMember, NotAFacilitator, or NoOpenThermometer.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            lookups.facilitator_network(session, network_id, user_id)
            for round_ in q.open_rounds(session=session, network_id=network_id):
                if self._close(session, round_.id or 0, now):
                    return
        raise NoOpenThermometer()

    def close_due_rounds(self) -> int:
        """Close every open round whose week is over; how many this process closed."""
        return self._claim_each(
            lambda session, now: q.rounds_due_to_close(session=session, now=now), self._close
        )

    def _close(self, session: Session, round_id: int, now: datetime) -> bool:
        """Close the round (once, whoever races for it) and record its results and suggestions."""
        round_ = close_once(session, q.get_round(session=session, round_id=round_id), now=now)
        if round_ is None:
            return False
        if access.find_live_network(session, round_.network_id) is None:
            # An archived network's channel hears nothing more; its round just ends.
            return True
        key = f"{round_.key}/results"
        self._outbox.record(session, EffectKind.THERMOMETER_RESULTS, key=key, round_id=round_id)
        self._outbox.record(
            session, EffectKind.THERMOMETER_SUGGESTIONS, key=f"{round_.key}/suggestions", round_id=round_id
        )
        return True

    # ------------------------------------------------------------------ results

    def results(self, *, round_id: int) -> RoundResults | None:
        """The round's results, with the trend since the network's previous round that showed them."""
        with unit_of_work(self._sessions) as session:
            round_ = q.get_round(session=session, round_id=round_id)
            if round_ is None:
                return None
            found = round_history(session, round_.network_id)
            facilitators = access.facilitator_ids(session, round_.network_id)
        for results in found:
            if results.round_id == round_id:
                return dataclasses.replace(results, facilitator_ids=facilitators)
        return None


def round_history(session: Session, network_id: int) -> list[RoundResults]:
    """The network's rounds, oldest first, each with its trend: for the results, export and summary."""
    rounds = q.rounds_of_network(session=session, network_id=network_id)
    answers = q.answers_of_rounds(session=session, round_ids=[r.id or 0 for r in rounds])
    by_round = _answers_by_round(answers)
    network = session.get(Network, network_id)
    found: list[RoundResults] = []
    previous: dict[Aspect, float] = {}
    for round_ in rounds:
        shown = _averages(round_, by_round.get(round_.id or 0, []))
        found.append(
            RoundResults(
                post=_post_of(round_, network),
                closed_at=round_.closed_at,
                member_count=round_.member_count or 0,
                respondent_count=len(by_round.get(round_.id or 0, [])),
                averages=shown,
                previous=previous,
                stronger=sorted(
                    (a.stronger for a in by_round.get(round_.id or 0, []) if a.stronger and shown),
                    key=lambda text: (text.casefold(), text),
                ),
            )
        )
        previous = shown or previous
    return found


def export_thermometer(*, session: Session, network_id: int) -> list[dict[str, Any]]:
    """The rounds as the export gives them: averages per aspect, never who answered."""
    return [
        {
            "id": results.round_id,
            "closed_at": results.closed_at.isoformat() if results.closed_at else None,
            "respondents": results.respondent_count if results.closed_at else None,
            "aspects": {aspect.value: results.averages.get(aspect) for aspect in ASPECTS},
        }
        for results in round_history(session, network_id)
    ]


def _answers_by_round(answers: list[ThermometerAnswer]) -> dict[int, list[ThermometerAnswer]]:
    grouped: dict[int, list[ThermometerAnswer]] = {}
    for answer in answers:
        grouped.setdefault(answer.round_id, []).append(answer)
    return grouped


def _averages(round_: ThermometerRound, answers: list[ThermometerAnswer]) -> dict[Aspect, float]:
    """The average per aspect of a closed round with enough answers; else nothing (anonymity)."""
    if round_.status != AnswerPeriodStatus.CLOSED or not answers or len(answers) < round_.anonymity_threshold:
        return {}
    return {aspect: round(sum(a.score(aspect) for a in answers) / len(answers), 1) for aspect in ASPECTS}


def _post_of(round_: ThermometerRound, network: Network | None) -> RoundPost:
    return RoundPost(
        round_id=round_.id or 0,
        key=round_.key,
        channel_id=round_.channel_id,
        language=round_.language,
        timezone=network.timezone if network else "UTC",
        closes_at=round_.closes_at,
        anonymity_threshold=round_.anonymity_threshold,
        status=AnswerPeriodStatus(round_.status),
        message_ts=round_.message_ts,
        network_name=network.name if network else "",
    )


# ---------------------------------------------------------------------- privacy (bot.services.privacy)


def _own_answers(
    session: Session, respondents: Respondents, *, network_id: int, user_id: str
) -> list[tuple[int, ThermometerAnswer]]:
    """The user's answers by round id, found by recomputing the keyed hash of each round."""
    found = []
    for round_ in q.rounds_of_network(session=session, network_id=network_id):
        round_id = round_.id or 0
        answer = q.get_answer(
            session=session, round_id=round_id, respondent=respondents.of_thermometer(round_id, user_id)
        )
        if answer is not None:
            found.append((round_id, answer))
    return found


def thermometer_answers_of(
    session: Session, respondents: Respondents, *, network_id: int, user_id: str
) -> list[dict[str, Any]]:
    """The user's own answers, found by recomputing the keyed hash: for their my-data file only."""
    return [
        {
            "round_id": round_id,
            "scores": {aspect.value: answer.score(aspect) for aspect in ASPECTS},
            "stronger": answer.stronger,
        }
        for round_id, answer in _own_answers(session, respondents, network_id=network_id, user_id=user_id)
    ]


def unlink_thermometer_answers(
    session: Session, respondents: Respondents, *, network_id: int, user_id: str
) -> None:
    """Forget-me: the scores stay as anonymous totals under a hash no key reproduces; the text goes."""
    for _, answer in _own_answers(session, respondents, network_id=network_id, user_id=user_id):
        answer.respondent = secrets.token_hex(32)
        answer.stronger = ""
        session.add(answer)
