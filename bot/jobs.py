"""The scheduler's jobs, and the Slack side of what they do.

APScheduler calls these module-level functions by name (`"bot.jobs:post_due_checkin"`) with plain-id
arguments: the first is the name of the running bot (several can run in one process, in tests), under
which bot.runtime bound a `JobContext`.

Like a handler, a job is thin: the service claims what is due (in the database, once), a view renders
it, and the Web API posts it with the claim's idempotency key. A job that fails for one network logs it
and goes on with the next; what it left half-done is finished by `recover` a few minutes later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block

from bot.i18n import Texts
from bot.services.checkin_answers import CheckinAnswerService
from bot.services.checkin_common import SCALE
from bot.services.checkin_polls import CheckinPollService
from bot.services.checkin_polls import PollPost
from bot.services.checkin_polls import PollResults
from bot.services.checkin_reminders import Reminder
from bot.services.follow_ups import FollowUpService
from bot.services.meetings import MeetingInfo
from bot.services.meetings import MeetingService
from bot.services.meetings import MeetingStep
from bot.services.processes import ProcessRegistry
from bot.services.summary import DigestClaim
from bot.slack_api import WorkspaceClients
from bot.slack_api import find_posted_message
from bot.slack_api import post_message_once
from bot.slack_api import reactions_on_message
from bot.summary_post import publish_summary
from bot.views.checkins import agenda_message
from bot.views.checkins import closed_poll_message
from bot.views.checkins import evaluation_request_message
from bot.views.checkins import poll_message
from bot.views.checkins import reminder_message
from bot.views.checkins import results_message
from bot.views.common import Message
from bot.views.follow_ups import agenda_follow_ups

if TYPE_CHECKING:
    from bot.publishing import Publisher
    from bot.scheduler import Scheduling
    from bot.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobContext:
    services: Services
    client: WebClient
    publisher: Publisher
    scheduling: Scheduling
    processes: ProcessRegistry
    retention_months: int = 12
    clients: WorkspaceClients | None = None
    """Each workspace's client (many workspaces); without it, `client` serves every network."""

    def client_for_network(self, network_id: int) -> WebClient:
        """The client of the network's workspace, never the channel's: a channel shared between two
        organisations has one id in both, and each may have a network in it.

        Raises NotInstalled when that workspace has no installation (any more).
        """
        if self.clients is None:
            return self.client
        client = self.clients.for_network(network_id)
        if client is None:
            raise NotInstalled(str(network_id))
        return client

    def serves_network(self, network_id: int) -> bool:
        """Whether the network's workspace has the bot installed: a network of one that removed it is left
        alone, so that nothing is claimed that cannot be posted."""
        return self.clients is None or self.clients.for_network(network_id) is not None


class NotInstalled(Exception):
    """The work is for a workspace without an installation: it waits, unposted, until one comes back."""


_contexts: dict[str, JobContext] = {}
_contexts_lock = threading.Lock()


def bind(runtime: str, context: JobContext) -> None:
    with _contexts_lock:
        _contexts[runtime] = context


def unbind(runtime: str) -> None:
    with _contexts_lock:
        _contexts.pop(runtime, None)


def context_of(runtime: str) -> JobContext | None:
    with _contexts_lock:
        return _contexts.get(runtime)


# ---------------------------------------------------------------------- the jobs


def elect(runtime: str) -> None:
    """Say this process is alive, and take over the timed jobs if no process runs them (see bot.scheduler)."""
    context = context_of(runtime)
    if context is None:
        return
    try:
        context.processes.beat(leader=context.scheduling.is_leader)
    except Exception as error:
        log.warning("could not beat in the database: %s", error)
    context.scheduling.elect()


def carry_out_outbox(runtime: str) -> None:
    """Carry out the outbox items that are due: retries of this process's own, and a silent process's."""
    context = context_of(runtime)
    if context is not None:
        while context.publisher.carry_out_due() > 0:
            pass


def close_polls(runtime: str) -> None:
    """Close the polls whose time is up, beside the sweep: marking each closed is a Tier 3 chat.update, so
    1,000 polls closing together take some 20 minutes, and nothing else should wait for them."""
    context = context_of(runtime)
    if context is not None:
        close_due_polls(context)


def remind(runtime: str) -> None:
    """The halfway reminders, beside the sweep: with many networks they are thousands of private messages,
    which the workspace's chat.postMessage budget lets out over many minutes."""
    context = context_of(runtime)
    if context is not None:
        send_due_reminders(context)


def post_digests(runtime: str) -> None:
    """The summary digests, beside the sweep: each draws a chart and uploads it, within Tier 4 limits."""
    context = context_of(runtime)
    if context is not None:
        post_due_digests(context)


def recover_stale(runtime: str) -> None:
    """The sweep's recovery, more often: a killed process's claims are finished soon after its lease ends."""
    context = context_of(runtime)
    if context is not None:
        recover(context)


def post_due_checkin(runtime: str, network_id: int) -> None:
    """A network's check-in time has come: post its poll, unless some process already did."""
    context = context_of(runtime)
    if context is not None:
        _post_due(context, network_id)


def add_missing_scales(runtime: str) -> None:
    """Put the scale under each posted poll still missing it, oldest first, one call at a time.

    A job of its own, beside the sweep: when many polls fall due together, reactions.add's Tier 3 budget
    makes this take far longer than posting them, and closings and reminders must not wait behind it.
    """
    context = context_of(runtime)
    if context is None:
        return
    for post in context.services.checkin_polls.polls_awaiting_scale():
        if not context.scheduling.is_leader:
            return
        assert post.message_ts is not None
        try:
            add_scale(
                context.client_for_network(post.network_id), channel=post.channel_id, ts=post.message_ts
            )
        except SlackApiError as error:
            code = error.response.get("error")
            if code == "ratelimited":
                log.info("reactions.add is rate limited; the scales wait for the next round")
                return
            if code not in SCALE_GIVEN_UP_ON:
                log.warning("could not add the scale of poll %s yet (%s)", post.poll_id, code)
                continue
            log.warning(
                "the scale of poll %s cannot be added (%s); members react themselves", post.poll_id, code
            )
        except NotInstalled:
            continue
        except Exception:
            log.exception("could not add the scale of poll %s yet", post.poll_id)
            continue
        context.services.checkin_polls.record_opened(poll_id=post.poll_id)


# Answers that will not change by asking again: the message or the channel is gone, or closed to us.
SCALE_GIVEN_UP_ON = frozenset(
    {"message_not_found", "channel_not_found", "is_archived", "not_in_channel", "too_many_reactions"}
)


def sweep(runtime: str) -> None:
    """All the leader does every minute: each step on its own, so that one failing stops no other."""
    context = context_of(runtime)
    if context is None:
        return
    steps: list[Callable[[JobContext], None]] = [
        _sync_jobs,
        recover,
        post_due_checkins,
        run_meeting_steps,
        purge_archived_networks,
        purge_done_effects,
        ask_follow_ups,
        run_thermometer_rounds,
        make_due_pairing_rounds,
        run_wrap_ups,
    ]
    for step in steps:
        try:
            step(context)
        except Exception:
            log.exception("the timed step %s failed; the next sweep tries again", step.__name__)


def ask_follow_ups(context: JobContext) -> None:
    """Ask the owners of closed cases whose look-back day has come what the advice yielded: each
    question is claimed with its outbox item in one transaction, and carried out from there."""
    with context.publisher.after():
        context.services.follow_ups.ask_due()


def _sync_jobs(context: JobContext) -> None:
    context.scheduling.sync_checkin_jobs(context.services.checkin_schedule.active_rules())


def post_due_checkins(context: JobContext) -> None:
    """Post every scheduled poll that is due and not posted: on time, or late after a restart."""
    for network_id in context.services.checkin_polls.due_runs():
        _each(f"posting the check-in of network {network_id}", lambda n=network_id: _post_due(context, n))


def _post_due(context: JobContext, network_id: int) -> None:
    if not context.serves_network(network_id):
        return
    post = context.services.checkin_polls.claim_scheduled_poll(network_id=network_id)
    if post is not None:
        publish_poll(
            context.client_for_network(post.network_id),
            context.services.checkin_polls,
            post,
            with_scale=False,
        )


def purge_archived_networks(context: JobContext) -> None:
    """Delete the networks archived longer ago than the retention period, with all stored under them."""
    purged = context.services.privacy.purge_expired(retention_months=context.retention_months)
    if purged:
        log.info("purged %d archived networks", len(purged))


def run_thermometer_rounds(context: JobContext) -> None:
    """Open the quarterly thermometer rounds that are due and close those whose week is over; their
    posts go out through the outbox (now, or at the next sweep of a live process)."""
    thermometer = context.services.thermometer
    with context.publisher.after():
        thermometer.open_due_rounds()
        thermometer.close_due_rounds()


def make_due_pairing_rounds(context: JobContext) -> None:
    """Pair the members of every network whose round is due (once: the round's key is its claim); the
    group DMs are outbox items, carried out now or by whichever process lives on."""
    for network_id in context.services.pairs.due_rounds():
        _each(f"the pairing round of network {network_id}", lambda n=network_id: _make_round(context, n))


def _make_round(context: JobContext, network_id: int) -> None:
    with context.publisher.after():
        context.services.pairs.claim_round(network_id=network_id)


def run_wrap_ups(context: JobContext) -> None:
    """Remind who has not looked back when a closing ritual nears its end, and close the rituals whose
    period is over: each is claimed in the database (the close with its harvest and the archive), and
    carried out through the outbox (now, or by whichever process lives on)."""
    with context.publisher.after():
        context.services.wrap_up.remind_due()
        context.services.wrap_up.close_due()


def purge_done_effects(context: JobContext) -> None:
    context.publisher.purge_done()


def post_due_digests(context: JobContext) -> None:
    """Post every scheduled summary digest that is due and not claimed; finish those left half-done."""
    summaries = context.services.summary
    for claim in summaries.stale_digests():
        _each(
            f"recovering the digest of network {claim.network_id}",
            lambda c=claim: _publish_digest(context, c, recovering=True),
        )
    for network_id in summaries.due_digests():
        claim = summaries.claim_digest(network_id=network_id)
        if claim is not None:
            _each(f"posting the digest of network {network_id}", lambda c=claim: _publish_digest(context, c))


def _publish_digest(context: JobContext, claim: DigestClaim, *, recovering: bool = False) -> None:
    ts = None
    if recovering:
        channel_id = context.services.summary.digest_channel(run_id=claim.run_id)
        ts = find_posted_message(
            context.client_for_network(claim.network_id), channel=channel_id, key=claim.key, thread_ts=None
        )
    if ts is None:
        client = context.client_for_network(claim.network_id)
        ts = publish_summary(client, context.services.summary, network_id=claim.network_id, key=claim.key)
    context.services.summary.record_digest_posted(run_id=claim.run_id, message_ts=ts)


def close_due_polls(context: JobContext) -> None:
    for results in context.services.checkin_polls.claim_due_closings():
        _each(
            f"closing poll {results.poll_id}",
            lambda r=results: _close_poll(context, r),
        )


def send_due_reminders(context: JobContext) -> None:
    for reminder in context.services.checkin_reminders.claim_due_reminders():
        _each(
            f"reminding about poll {reminder.post.poll_id}",
            lambda r=reminder: send_reminders(context.client_for_network(r.post.network_id), r),
        )


def run_meeting_steps(context: JobContext) -> None:
    for step in context.services.meetings.claim_due_steps():
        _each(
            f"the {step.step} of meeting {step.meeting.meeting_id}",
            lambda s=step: _post_meeting_step(context, s),
        )


def _close_poll(context: JobContext, results: PollResults, *, recovering: bool = False) -> None:
    client = context.client_for_network(results.post.network_id)
    services = context.services
    publish_results(client, services.checkin_polls, services.checkin_answers, results, recovering=recovering)


def _post_meeting_step(context: JobContext, step: MeetingStep) -> None:
    client = context.client_for_network(step.meeting.network_id)
    publish_meeting_step(client, context.services.meetings, step, follow_ups=context.services.follow_ups)


def recover(context: JobContext) -> None:
    """Finish what a process that died left claimed but not done, without doing anything twice."""
    posts, closes = context.services.checkin_polls.stale_claims()
    for post in posts:
        _each(
            f"recovering poll {post.poll_id}",
            lambda p=post: publish_poll(
                context.client_for_network(p.network_id),
                context.services.checkin_polls,
                p,
                recovering=True,
                with_scale=False,
            ),
        )
    for results in closes:
        _each(
            f"recovering the close of poll {results.poll_id}",
            lambda r=results: _close_poll(context, r, recovering=True),
        )
    for step in context.services.meetings.stale_claims():
        _each(
            f"recovering the {step.step} of meeting {step.meeting.meeting_id}",
            lambda s=step: _post_meeting_step(context, s),
        )


def _each(what: str, work: Callable[[], object]) -> None:
    try:
        work()
    except NotInstalled:
        log.info("%s waits: its workspace has no installation", what)
    except Exception:
        log.exception("%s failed; it is retried once its claim goes stale", what)


# ---------------------------------------------------------------------- the Slack side, shared with handlers


def publish_poll(
    client: WebClient,
    polls: CheckinPollService,
    post: PollPost,
    *,
    recovering: bool = False,
    with_scale: bool = True,
) -> str:
    """Post the claimed poll (once: its key travels in the message metadata), then add the scale.

    `recovering` looks in the channel first for a message a previous attempt posted under the key.
    Without `with_scale` the poll is left posted for `add_missing_scales`, which the timed jobs use.
    """
    ts = post.message_ts
    if ts is None:
        if recovering:
            ts = find_posted_message(client, channel=post.channel_id, key=post.key, thread_ts=None)
        if ts is None:
            message = poll_message(Texts(post.language), post)
            ts = post_message_once(
                client, channel=post.channel_id, text=message.text, blocks=message.blocks, key=post.key
            )
        polls.record_posted(poll_id=post.poll_id, message_ts=ts)
    if not with_scale:
        return ts
    try:
        add_scale(client, channel=post.channel_id, ts=ts)
    except SlackApiError as error:
        # The poll is out and members can already react; add_missing_scales adds the rest later.
        log.warning("the scale of poll %s is incomplete (%s)", post.poll_id, error.response.get("error"))
        return ts
    polls.record_opened(poll_id=post.poll_id)
    return ts


def add_scale(client: WebClient, *, channel: str, ts: str) -> None:
    """The bot's own reactions: the answers to "Zijn we goed bezig?", one click away."""
    for emoji in SCALE:
        try:
            client.reactions_add(channel=channel, timestamp=ts, name=emoji)
        except SlackApiError as error:
            if error.response.get("error") != "already_reacted":
                raise


def publish_results(
    client: WebClient,
    polls: CheckinPollService,
    answers: CheckinAnswerService,
    results: PollResults,
    *,
    recovering: bool = False,
) -> None:
    """Post the results in the poll's thread (once) and mark the poll message closed."""
    post = results.post
    texts = Texts(post.language)
    if post.message_ts is None:
        polls.record_closed(poll_id=results.poll_id, results_ts="")
        return
    results_ts = None
    if recovering:
        results_ts = find_posted_message(
            client, channel=post.channel_id, key=results.results_key, thread_ts=post.message_ts
        )
    if results_ts is None:
        # The message's reactions are the answers; the events that told us of them may not all have come.
        on_message = reactions_on_message(client, channel=post.channel_id, ts=post.message_ts)
        if on_message is not None and answers.reconcile_reactions(
            poll_id=results.poll_id, on_message=on_message
        ):
            results = polls.results(poll_id=results.poll_id) or results
        message = results_message(texts, results)
        results_ts = post_message_once(
            client,
            channel=post.channel_id,
            text=message.text,
            blocks=message.blocks,
            thread_ts=post.message_ts,
            key=results.results_key,
        )
    closed = closed_poll_message(texts)
    client.chat_update(
        channel=post.channel_id, ts=post.message_ts, text=closed.text, blocks=closed.blocks_as_dicts()
    )
    polls.record_closed(poll_id=results.poll_id, results_ts=results_ts)


def send_reminders(client: WebClient, reminder: Reminder) -> None:
    """One private message to each member who has not answered yet."""
    message = reminder_message(Texts(reminder.post.language), reminder)
    for user_id in reminder.user_ids:
        try:
            client.chat_postMessage(channel=user_id, text=message.text, blocks=message.blocks_as_dicts())
        except SlackApiError as error:
            log.info(
                "could not remind %s about poll %s: %s",
                user_id,
                reminder.post.poll_id,
                error.response.get("error"),
            )


def publish_meeting_step(
    client: WebClient,
    meetings: MeetingService,
    step: MeetingStep,
    *,
    follow_ups: FollowUpService | None = None,
) -> None:
    meeting = step.meeting
    texts = Texts(meeting.language)
    if step.step == "agenda":
        key, message = meeting.agenda_key, meeting_agenda(texts, meeting, follow_ups)
    else:
        key, message = meeting.evaluation_key, evaluation_request_message(texts, meeting)
    ts = None
    if step.recovering:
        ts = find_posted_message(client, channel=meeting.channel_id, key=key, thread_ts=None)
    if ts is None:
        ts = post_message_once(
            client, channel=meeting.channel_id, text=message.text, blocks=message.blocks, key=key
        )
    meetings.record_posted(meeting_id=meeting.meeting_id, step=step.step, ts=ts)


def meeting_agenda(texts: Texts, meeting: MeetingInfo, follow_ups: FollowUpService | None) -> Message:
    """The meeting's agenda as the channel reads it, with what came back from practice."""
    return agenda_message(texts, meeting, _agenda_follow_ups(texts, meeting, follow_ups))


def _agenda_follow_ups(texts: Texts, meeting: MeetingInfo, follow_ups: FollowUpService | None) -> list[Block]:
    """The agenda's section of what came back from practice since the last meeting."""
    if follow_ups is None:
        return []
    return agenda_follow_ups(texts, follow_ups.agenda_items(meeting_id=meeting.meeting_id))
