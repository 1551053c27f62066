"""Check-ins and meetings: `/netwerk peiling` and `/netwerk sessie`, the poll's buttons and modals, the
meeting evaluation, and the reactions that answer the poll.

Each listener acknowledges, reads plain ids and values, and calls one service; what Slack must be shown
after a change (the poll, its results, a meeting's announcement, a thank-you) the service records in the
outbox, and the publishing layer carries it out. A domain error reaches the one error boundary
(handlers.errors).
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands import CLOSE_WORDS
from bot.commands import SCHEDULE_WORDS
from bot.errors import BotNotInChannel
from bot.errors import InvalidInput
from bot.errors import MeetingNotFound
from bot.errors import PollNotFound
from bot.jobs import publish_poll
from bot.publishing.publisher import REFUSED_FOR_GOOD
from bot.services.checkin_answers import validate_answer_text
from bot.services.checkin_polls import CheckinPollService
from bot.services.checkin_polls import PollPost
from bot.services.checkin_schedule import DEFAULT_ANONYMITY_THRESHOLD
from bot.services.checkin_schedule import ScheduleForm
from bot.services.checkin_schedule import validate_schedule_form
from bot.services.meetings import MeetingForm
from bot.services.meetings import validate_evaluation
from bot.services.outbox import Requester
from bot.views import ids
from bot.views.checkins import AnswerModalContext
from bot.views.checkins import EvaluationModalContext
from bot.views.checkins import NetworkModalContext
from bot.views.checkins import answer_modal
from bot.views.checkins import evaluation_modal
from bot.views.checkins import meeting_modal
from bot.views.checkins import schedule_modal
from bot.views.checkins import schedule_notice
from bot.views.common import notice
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import action_id_value
from handlers.common import button_number
from handlers.common import open_draft_modal
from handlers.common import selected_values
from handlers.common import state_value
from handlers.common import state_values
from handlers.common import submitter
from storage.models.checkins import Question

_QUESTION_OF_ACTION = {
    ids.CheckinActions.WRITE_GOES_WELL: Question.GOES_WELL,
    ids.CheckinActions.WRITE_COULD_BE_BETTER: Question.COULD_BE_BETTER,
}


# ---------------------------------------------------------------------- /netwerk peiling, /netwerk sessie


def _poll(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk peiling`: post a poll now; `planning` shows (and opens the change of) the schedule;
    `sluiten` closes the open poll."""
    network_id = invocation.require_network().network_id
    word = invocation.first_word
    request = invocation.request
    polls = deps.services.checkin_polls
    if word in SCHEDULE_WORDS:
        _show_schedule(invocation, deps, network_id)
    elif word in CLOSE_WORDS:
        requester = Requester(user_id=request.user_id, channel_id=request.channel_id)
        polls.close_now(network_id=network_id, user_id=request.user_id, requester=requester)
    elif word:
        invocation.reply(notice(invocation.texts("checkins.usage")))
    else:
        # The poll's claim, like a scheduled poll's, carries it across a restart (bot.jobs.recover).
        post = polls.claim_manual_poll(network_id=network_id, user_id=request.user_id)
        _publish_asked_poll(invocation.client, polls, post)


def _publish_asked_poll(client: WebClient, polls: CheckinPollService, post: PollPost) -> None:
    """Post the poll a facilitator asked for; one Slack refuses for good is given up, and a bot no longer
    in the channel is told as such (the facilitator invites it and asks again)."""
    try:
        publish_poll(client, polls, post)
    except SlackApiError as error:
        reason = error.response.get("error")
        if reason not in REFUSED_FOR_GOOD:
            raise
        polls.give_up_post(poll_id=post.poll_id)
        if reason == "not_in_channel":
            raise BotNotInChannel() from error
        raise


def _show_schedule(invocation: Invocation, deps: HandlerDeps, network_id: int) -> None:
    """A facilitator gets the modal to change the schedule; another member sees it."""
    shown = deps.services.checkin_schedule.schedule_for(
        network_id=network_id, user_id=invocation.request.user_id
    )
    if not shown.may_change:
        invocation.reply(schedule_notice(invocation.texts, shown.overview))
        return
    modal = schedule_modal(invocation.texts, shown.overview, context=NetworkModalContext.of(shown.network))
    invocation.open_modal(modal)


def _session(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk sessie`: a facilitator plans a meeting in a modal."""
    network, day = deps.services.meetings.planning_day(
        network_id=invocation.require_network().network_id, user_id=invocation.request.user_id
    )
    open_cases = deps.services.agenda.open_cases(network_id=network.id or 0)
    modal = meeting_modal(
        invocation.texts, context=NetworkModalContext.of(network), suggested_day=day, open_cases=open_cases
    )
    invocation.open_modal(modal)


SUBHANDLERS: dict[str, Subhandler] = {"peiling": _poll, "sessie": _session}


# ---------------------------------------------------------------------- the poll's buttons and modal


def handle_write_answer_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    draft = HandlerDeps.of(context).services.checkin_answers.answer_draft(
        poll_id=action_id_value(action, PollNotFound),
        user_id=context.user_id or "",
        question=_QUESTION_OF_ACTION[str(action.get("action_id") or "")],
    )
    open_draft_modal(answer_modal, draft, client, body, context)


def handle_checkin_answer_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = AnswerModalContext.decode(view.get("private_metadata", ""))
    blocks = ids.CheckinAnswerBlocks
    text = state_value(view, blocks.TEXT)
    InvalidInput.raise_if_any(validate_answer_text(text))
    HandlerDeps.of(context).services.checkin_answers.save_answer(
        poll_id=modal.poll_id,
        **submitter(context, modal.channel_id),
        question=modal.question,
        text=text,
        signed=ids.SIGN_ANSWER_OPTION in selected_values(view, blocks.SIGN),
    )
    ack()


def handle_checkin_schedule_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = NetworkModalContext.decode(view.get("private_metadata", ""))
    form = ScheduleForm(**state_values(view, ids.CheckinScheduleBlocks.BY_FIELD))
    # What the form alone can tell; the threshold against the network's current one comes after.
    InvalidInput.raise_if_any(validate_schedule_form(form, current_threshold=DEFAULT_ANONYMITY_THRESHOLD))
    HandlerDeps.of(context).services.checkin_schedule.change_schedule(
        network_id=modal.network_id, user_id=context.user_id or "", form=form
    )
    ack()


# ---------------------------------------------------------------------- meetings


def handle_meeting_planned(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = NetworkModalContext.decode(view.get("private_metadata", ""))
    meetings = HandlerDeps.of(context).services.meetings
    linked = selected_values(view, ids.MeetingPlanBlocks.LINKED_CASES)
    form = MeetingForm(
        **state_values(view, ids.MeetingPlanBlocks.BY_FIELD),
        case_ids=tuple(number for value in linked if (number := button_number(value)) is not None),
    )
    InvalidInput.raise_if_any(meetings.validate(form, timezone=modal.timezone))
    meetings.plan(network_id=modal.network_id, **submitter(context, modal.channel_id), form=form)
    ack()


def handle_evaluate_meeting_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    draft = HandlerDeps.of(context).services.meetings.evaluation_draft(
        meeting_id=action_id_value(action, MeetingNotFound), user_id=context.user_id or ""
    )
    open_draft_modal(evaluation_modal, draft, client, body, context)


def handle_meeting_evaluation_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = EvaluationModalContext.decode(view.get("private_metadata", ""))
    answers = state_values(view, ids.MeetingEvaluationBlocks.BY_FIELD)
    InvalidInput.raise_if_any(validate_evaluation(**answers))
    HandlerDeps.of(context).services.meetings.save_evaluation(
        meeting_id=modal.meeting_id,
        **submitter(context, modal.channel_id),
        **answers,
        share_takeaway=ids.SHARE_TAKEAWAY_OPTION in selected_values(view, ids.SHARE_TAKEAWAY_BLOCK),
    )
    ack()


# ---------------------------------------------------------------------- reactions on the poll


def handle_reaction_added(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
) -> None:
    ack()
    _record_reaction(body, event, context, added=True)


def handle_reaction_removed(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
) -> None:
    ack()
    _record_reaction(body, event, context, added=False)


def _record_reaction(
    body: dict[str, Any], event: dict[str, Any], context: BoltContext, *, added: bool
) -> None:
    item = event.get("item") or {}
    user_id = str(event.get("user") or "")
    if item.get("type") != "message" or not user_id or user_id == context.bot_user_id:
        return
    channel_id, ts = str(item.get("channel") or ""), str(item.get("ts") or "")
    emoji = str(event.get("reaction") or "")
    # Slack always sends an event_id; without one, the event's own content is the best key there is.
    event_id = str(
        body.get("event_id")
        or f"{event.get('type')}/{channel_id}/{ts}/{user_id}/{emoji}/{event.get('event_ts')}"
    )
    HandlerDeps.of(context).services.checkin_answers.record_reaction(
        channel_id=channel_id,
        message_ts=ts,
        user_id=user_id,
        emoji=emoji,
        added=added,
        event_id=event_id[:64],
        reacted_at=_reacted_at(event),
    )


# ---------------------------------------------------------------------- reading the payloads


def _reacted_at(event: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(event.get("event_ts") or ""), tz=UTC)
    except (ValueError, TypeError, OverflowError, OSError):  # not a time Slack would send
        return None


def register(app: App) -> None:
    app.action(ids.CheckinActions.WRITE_GOES_WELL)(handle_write_answer_pressed)
    app.action(ids.CheckinActions.WRITE_COULD_BE_BETTER)(handle_write_answer_pressed)
    app.view(ids.CHECKIN_ANSWER_MODAL)(handle_checkin_answer_submitted)
    app.view(ids.CHECKIN_SCHEDULE_MODAL)(handle_checkin_schedule_submitted)
    app.view(ids.MEETING_PLAN_MODAL)(handle_meeting_planned)
    app.action(ids.CheckinActions.EVALUATE_MEETING)(handle_evaluate_meeting_pressed)
    app.view(ids.MEETING_EVALUATION_MODAL)(handle_meeting_evaluation_submitted)
    app.event("reaction_added")(handle_reaction_added)
    app.event("reaction_removed")(handle_reaction_removed)
