"""Check-in polls: claiming each run once, posting, closing with the results, and recovery.

Nothing here knows Slack. Every step that Slack will see is first *claimed* in the database, in a unit
of work of its own, so that of several processes (or a restarted one) exactly one takes it:
- a scheduled run is claimed by inserting its poll under a unique key: the network and the local date of
  the run (a manual one: the local date it was asked for);
- closing and reminding are compare-and-set updates of the poll;
- a claim whose step was not finished (the process died between claim and post) goes stale after
  `CLAIM_TIMEOUT` and is finished by `stale_claims`, which the caller re-posts under the same
  idempotency key after looking whether the first attempt landed after all.

A poll a facilitator asks for is claimed and recovered as a scheduled one. A close they ask for is
claimed the same way, and the post of its results is recorded in the outbox in the claim's own
transaction: the publishing layer carries it out, and `stale_claims` leaves that close to the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import NoOpenPoll
from bot.errors import PollAlreadyOpen
from bot.errors import PollAlreadyPostedToday
from bot.services import access
from bot.services import lookups
from bot.services.checkin_common import WrittenAnswer
from bot.services.checkin_common import active_memberships
from bot.services.checkin_common import distribution
from bot.services.checkin_common import respondents_of
from bot.services.checkin_common import written_answers
from bot.services.checkin_schedule import DEFAULT_ANONYMITY_THRESHOLD
from bot.services.checkin_schedule import DEFAULT_OPEN_DAYS
from bot.services.checkin_schedule import rule_of
from bot.services.due_runs import CATCH_UP_GRACE
from bot.services.due_runs import DueRun
from bot.services.due_runs import RecurringRuns
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.processes import LEASE
from bot.services.service import Service
from storage import queries_checkins as q
from storage import queries_outbox
from storage import queries_processes
from storage.db import unit_of_work
from storage.models import CheckinPoll
from storage.models import CheckinSchedule
from storage.models import Network
from storage.models.base import RunKind
from storage.models.checkins import PollStatus
from storage.models.checkins import Question

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=30)
"""A claimed step not finished after this long is taken over even though its process still beats (it hangs).

A process that dies is noticed much sooner, by its missing beats (bot.services.processes.LEASE). This is
long because a live step may wait out many 429s: taking it over then would post it twice."""


@dataclass(frozen=True, slots=True)
class PollPost:
    """All that is needed to post a poll (or to finish posting it)."""

    poll_id: int
    network_id: int
    key: str
    channel_id: str
    language: str
    timezone: str
    closes_at: datetime
    status: PollStatus
    message_ts: str | None


@dataclass(frozen=True, slots=True)
class PollResults:
    post: PollPost
    """The poll the results are of, as it stands while it closes."""
    results_ts: str | None
    member_count: int
    respondent_count: int
    anonymity_threshold: int
    distribution: dict[str, int]
    """Each scale emoji (in scale order) and how many respondents it is the answer of."""
    goes_well: list[WrittenAnswer]
    could_be_better: list[WrittenAnswer]

    @property
    def poll_id(self) -> int:
        return self.post.poll_id

    @property
    def shows_answers(self) -> bool:
        """Below the threshold only the count is shown: too few answers would give their writers away."""
        return self.respondent_count >= self.anonymity_threshold

    @property
    def results_key(self) -> str:
        return f"{self.post.key}/results"


def scheduled_key(network_id: int, run_date: date) -> str:
    return f"checkin/{network_id}/{run_date.isoformat()}"


def manual_key(network_id: int, run_date: date) -> str:
    return f"checkin/{network_id}/manual/{run_date.isoformat()}"


def _due_run(
    network: Network, schedule: CheckinSchedule | None, now: datetime
) -> tuple[date, datetime] | None:
    return rule_of(network, schedule).due_run(now, grace=CATCH_UP_GRACE)


SCHEDULED_RUNS = RecurringRuns(
    name="check-in run",
    schedules=q.list_live_networks_with_schedules,
    schedule_of=q.get_schedule,
    due=_due_run,
    key=scheduled_key,
    claimed_keys=q.existing_poll_keys,
)


class CheckinPollService(Service):
    """Without a `process_id`, a claim this process left behind is only taken over after CLAIM_TIMEOUT."""

    # ------------------------------------------------------------------ claiming runs

    def due_runs(self) -> list[int]:
        """The networks whose latest scheduled run is due (within the grace period) and not yet claimed."""
        return SCHEDULED_RUNS.due_networks(self._sessions, self._clock.now())

    def claim_scheduled_poll(self, *, network_id: int) -> PollPost | None:
        """Claim the network's latest scheduled run if it is due and nobody claimed it; None otherwise.

        Due means: its time has come, at most CATCH_UP_GRACE ago (a run missed while the bot was down
        longer than that is skipped, not posted days late). The claim is the poll's unique key, so two
        processes, or a trigger that fires twice in an autumn fold, claim it once.
        """
        return SCHEDULED_RUNS.claim(
            self._sessions,
            network_id,
            self._clock.now(),
            lambda session, run: self._claim(session, run, kind=RunKind.SCHEDULED),
        )

    def claim_manual_poll(self, *, network_id: int, user_id: str) -> PollPost:
        """Claim a poll to post now, at a facilitator's request; the caller posts it as a scheduled one
        (its claim, not the outbox, carries it across a restart: see `stale_claims`).

        Raises ChannelNotLinked, NotAMember or NotAFacilitator; PollAlreadyOpen while another poll of the
        network is open; PollAlreadyPostedToday for a second one on the same local day (a double click,
        two facilitators).
        """
        now = self._clock.now()
        try:
            with unit_of_work(self._sessions) as session:
                network = lookups.facilitator_network(session, network_id, user_id)
                unfinished = q.list_polls(
                    session=session,
                    network_id=network_id,
                    statuses=[PollStatus.CLAIMED, PollStatus.POSTED, PollStatus.OPEN],
                )
                if unfinished:
                    raise PollAlreadyOpen()
                schedule = q.get_schedule(session=session, network_id=network_id)
                run_date = rule_of(network, schedule).local_date_of(now)
                key = manual_key(network_id, run_date)
                if q.existing_poll_keys(session=session, keys=[key]):
                    raise PollAlreadyPostedToday()
                run = DueRun(network, schedule, key, run_date=run_date, runs_at=now, claimed_at=now)
                return self._claim(session, run, kind=RunKind.MANUAL)
        except IntegrityError:
            raise PollAlreadyPostedToday() from None

    def _claim(self, session: Session, run: DueRun[CheckinSchedule], *, kind: RunKind) -> PollPost:
        """Add the poll of `run`, opening at its time and claimed by this process."""
        schedule, opens_at = run.schedule, run.runs_at
        closes_at = opens_at + timedelta(days=schedule.open_days if schedule else DEFAULT_OPEN_DAYS)
        reminders = schedule.reminders if schedule else True
        poll = CheckinPoll(
            network_id=run.network_id,
            key=run.key,
            kind=kind,
            run_date=run.run_date,
            status=PollStatus.CLAIMED,
            claimed_at=run.claimed_at,
            claimed_by=self._process_id,
            channel_id=run.network.channel_id,
            language=run.network.language,
            closes_at=closes_at,
            remind_at=opens_at + (closes_at - opens_at) / 2 if reminders else None,
            anonymity_threshold=schedule.anonymity_threshold if schedule else DEFAULT_ANONYMITY_THRESHOLD,
        )
        q.add_poll(session=session, poll=poll)
        return poll_post(poll, run.network)

    # ------------------------------------------------------------------ posting

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

    def give_up_post(self, *, poll_id: int) -> None:
        """A poll Slack refused for good before it was posted is dropped: it must not keep the network
        from having another one (a facilitator's again the same day, once Slack takes it)."""
        with unit_of_work(self._sessions) as session:
            q.drop_unposted_poll(session=session, poll_id=poll_id)

    def polls_awaiting_scale(self) -> list[PollPost]:
        """Posted polls whose scale is not (all) on the message yet, oldest first.

        Scheduled polls are posted without it: at Tier 3 (50 reactions.add a minute per workspace) adding
        five emoji to each of many polls falling due together would hold back every post behind them.
        """
        with unit_of_work(self._sessions) as session:
            return [poll_post(poll, network) for poll, network in q.polls_awaiting_scale(session=session)]

    def record_opened(self, *, poll_id: int) -> None:
        """The scale is on the message too: the poll is complete."""
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            if poll is not None and poll.status == PollStatus.POSTED:
                poll.status = PollStatus.OPEN
                session.add(poll)

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

    def close_now(self, *, network_id: int, user_id: str, requester: Requester | None = None) -> PollResults:
        """Close the network's open poll now, at a facilitator's request, and record the post of its
        results in the outbox; returns the results as they are at the close.

        Raises ChannelNotLinked, NotAMember, NotAFacilitator, or NoOpenPoll.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            lookups.facilitator_network(session, network_id, user_id)
            open_polls = q.list_polls(
                session=session, network_id=network_id, statuses=[PollStatus.POSTED, PollStatus.OPEN]
            )
            for poll in open_polls:
                results = self._close(session, poll.id or 0, PollStatus(poll.status), poll.claimed_at, now)
                if results is not None:
                    self._outbox.record(
                        session,
                        EffectKind.CHECKIN_RESULTS,
                        key=results.results_key,
                        poll_id=results.poll_id,
                        requester=requester,
                        language=results.post.language,
                    )
                    return results
        raise NoOpenPoll()

    def _claim_close(
        self, poll_id: int, status: PollStatus, claimed_at: datetime, now: datetime
    ) -> PollResults | None:
        with unit_of_work(self._sessions) as session:
            return self._close(session, poll_id, status, claimed_at, now)

    def _close(
        self, session: Session, poll_id: int, status: PollStatus, claimed_at: datetime, now: datetime
    ) -> PollResults | None:
        poll = self._claim_step(session, poll_id, status, claimed_at, status=PollStatus.CLOSING, now=now)
        if poll is None:
            return None
        poll.member_count = len(active_memberships(session, poll.network_id))
        poll.closed_at = now
        session.add(poll)
        if access.find_live_network(session, poll.network_id) is None:
            # An archived network's channel hears nothing more; its poll just ends.
            poll.status = PollStatus.CLOSED
            return None
        session.flush()
        return self._results(session, poll)

    def _claim_step(
        self,
        session: Session,
        poll_id: int,
        expected: PollStatus,
        claimed_at: datetime,
        *,
        status: PollStatus,
        now: datetime,
    ) -> CheckinPoll | None:
        """Claim the poll's next step if it is still as seen (`expected`, `claimed_at`); None if another
        process claimed it first."""
        if not q.claim_poll_step(
            session=session,
            poll_id=poll_id,
            expected_status=expected,
            expected_claimed_at=claimed_at,
            status=status,
            now=now,
            claimed_by=self._process_id,
        ):
            return None
        poll = q.get_poll(session=session, poll_id=poll_id)
        assert poll is not None
        session.refresh(poll)
        return poll

    def record_closed(self, *, poll_id: int, results_ts: str) -> None:
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            if poll is None or poll.status != PollStatus.CLOSING:
                return
            poll.results_ts = results_ts
            poll.status = PollStatus.CLOSED
            session.add(poll)

    def give_up_close(self, *, poll_id: int) -> None:
        """A close whose results Slack refused for good: the poll is closed without them, so that the
        network can have a new one."""
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            if poll is None or poll.status != PollStatus.CLOSING:
                return
            poll.status = PollStatus.CLOSED
            poll.closed_at = poll.closed_at or self._clock.now()
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
            post=poll_post(poll, network),
            results_ts=poll.results_ts,
            member_count=member_count,
            respondent_count=len(respondents_of(reactions, answers)),
            anonymity_threshold=poll.anonymity_threshold,
            distribution=distribution(reactions),
            goes_well=written_answers(answers, Question.GOES_WELL),
            could_be_better=written_answers(answers, Question.COULD_BE_BETTER),
        )

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
        posts: list[PollPost] = []
        closes: list[PollResults] = []
        for poll_id, status, claimed_at in self._stale(now):
            with unit_of_work(self._sessions) as session:
                poll = self._claim_step(session, poll_id, status, claimed_at, status=status, now=now)
                if poll is None:
                    continue
                if status == PollStatus.CLAIMED and poll.closes_at <= now:
                    # It could not be posted before it would have closed (the bot was removed from the
                    # channel, say): a poll nobody saw is given up, not posted late.
                    log.warning("check-in poll %s was never posted; giving it up", poll_id)
                    poll.status = PollStatus.CLOSED
                    poll.closed_at = now
                    session.add(poll)
                elif status == PollStatus.CLOSING:
                    closes.append(self._results(session, poll))
                else:
                    posts.append(poll_post(poll, session.get(Network, poll.network_id)))
        return posts, closes

    def _stale(self, now: datetime) -> list[tuple[int, PollStatus, datetime]]:
        """The claimed posts and closes whose process stopped beating, or that took too long.

        A close whose results are in the outbox (a facilitator asked for it) is the outbox's to finish.
        """
        with unit_of_work(self._sessions) as session:
            alive = queries_processes.live_process_ids(session=session, beating_since=now - LEASE)
            return [
                (poll.id or 0, PollStatus(poll.status), poll.claimed_at)
                for poll in q.polls_in_status(
                    session=session, statuses=[PollStatus.CLAIMED, PollStatus.CLOSING]
                )
                if (
                    poll.claimed_at < now - CLAIM_TIMEOUT
                    or (poll.claimed_by not in (None, self._process_id) and poll.claimed_by not in alive)
                )
                and not _left_to_the_outbox(session, poll)
            ]


def _left_to_the_outbox(session: Session, poll: CheckinPoll) -> bool:
    return poll.status == PollStatus.CLOSING and queries_outbox.exists(
        session=session, key=f"{poll.key}/results"
    )


def poll_post(poll: CheckinPoll, network: Network | None) -> PollPost:
    """The poll as its message is posted, closed and reminded of."""
    return PollPost(
        poll_id=poll.id or 0,
        network_id=poll.network_id,
        key=poll.key,
        channel_id=poll.channel_id,
        language=poll.language,
        timezone=network.timezone if network else "UTC",
        closes_at=poll.closes_at,
        status=PollStatus(poll.status),
        message_ts=poll.message_ts,
    )
