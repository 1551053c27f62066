"""Check-ins and meetings: `/netwerk peiling` and `/netwerk sessie`, the poll's buttons and modals, the
meeting evaluation, and the reactions that answer the poll."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import DomainError, InvalidInput, MeetingNotFound, PollNotFound
from bot.i18n import Texts
from bot.jobs import publish_poll, publish_results
from bot.services.checkin_answers import validate_answer_text
from bot.services.checkin_schedule import DEFAULT_ANONYMITY_THRESHOLD, ScheduleForm, validate_schedule_form
from bot.services.meetings import MeetingForm, validate_evaluation
from bot.slack_api import post_message_once
from bot.views import ids
from bot.views.checkins import (
    AnswerModalContext,
    EvaluationModalContext,
    NetworkModalContext,
    answer_modal,
    evaluation_modal,
    meeting_modal,
    meeting_planned_message,
    schedule_modal,
    schedule_notice,
    schedule_saved_message,
)
from bot.views.common import notice
from handlers import HandlerDeps
from handlers.commands import Invocation, Subhandler
from handlers.common import field_errors, state_value
from storage.models.checkins import Question
from storage.models.network import Role

log = logging.getLogger(__name__)

SCHEDULE_WORDS = frozenset({"planning", "schedule"})
CLOSE_WORDS = frozenset({"sluiten", "sluit", "close"})
_QUESTION_OF_ACTION = {
    ids.CheckinActions.WRITE_GOES_WELL: Question.GOES_WELL,
    ids.CheckinActions.WRITE_COULD_BE_BETTER: Question.COULD_BE_BETTER,
}


# ---------------------------------------------------------------------- /netwerk peiling, /netwerk sessie


def _poll(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk peiling`: post a poll now; `planning` shows (and opens the change of) the schedule;
    `sluiten` closes the open poll."""
    overview = invocation.require_network()
    network_id = overview.network.id or 0
    word = invocation.arguments[0].lower() if invocation.arguments else ""
    polls = deps.services.checkin_polls
    user_id = invocation.request.user_id
    if word in SCHEDULE_WORDS:
        membership = overview.require_member(user_id)
        schedule = deps.services.checkin_schedule.schedule_overview(network_id=network_id)
        if membership.role != Role.FACILITATOR:
            invocation.reply(schedule_notice(invocation.texts, schedule))
            return
        context = NetworkModalContext.of(overview.network)
        invocation.client.views_open(
            trigger_id=invocation.request.trigger_id,
            view=schedule_modal(invocation.texts, schedule, context=context),
        )
        return
    if word in CLOSE_WORDS:
        results = polls.close_now(network_id=network_id, user_id=user_id)
        publish_results(invocation.client, polls, deps.services.checkin_answers, results)
        return
    if word:
        invocation.reply(notice(invocation.texts("checkins.usage")))
        return
    post = polls.claim_manual_poll(network_id=network_id, user_id=user_id)
    publish_poll(invocation.client, polls, post)


def _session(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk sessie`: a facilitator plans a meeting in a modal."""
    overview = invocation.require_network()
    overview.require_facilitator(invocation.request.user_id)
    network = overview.network
    context = NetworkModalContext.of(network)
    modal = meeting_modal(
        invocation.texts,
        context=context,
        suggested_day=deps.services.meetings.suggested_day(timezone=network.timezone),
    )
    invocation.client.views_open(trigger_id=invocation.request.trigger_id, view=modal)


SUBHANDLERS: dict[str, Subhandler] = {"peiling": _poll, "sessie": _session}


# ---------------------------------------------------------------------- buttons, modals and reactions


def _user_id(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")


def _channel_id(body: dict[str, Any]) -> str:
    return str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")


def _action_value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")


def _as_id(raw: str, error: type[DomainError]) -> int:
    if not raw.isdigit():
        raise error()
    return int(raw)


def _checked(view: dict[str, Any], block_id: str, option: str) -> bool:
    element = ((view.get("state") or {}).get("values") or {}).get(block_id, {}).get(ids.VALUE_ACTION) or {}
    return any(choice.get("value") == option for choice in element.get("selected_options") or [])


@contextmanager
def _told_privately(texts: Texts, respond: Respond) -> Iterator[None]:
    """A domain error while handling a click becomes a private answer to whoever clicked."""
    try:
        yield
    except DomainError as error:
        respond(text=_explain(texts, error), response_type="ephemeral", replace_original=False)


def _explain(texts: Texts, error: DomainError) -> str:
    return texts(error.text_key, **error.values)


def _tell(client: WebClient, *, channel_id: str, user_id: str, text: str) -> None:
    """A private note in the channel after a modal closed (nothing to answer through any more)."""
    try:
        client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
    except SlackApiError as error:
        log.info("could not tell %s privately: %s", user_id, error.response.get("error"))


def _reacted_at(event: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(event.get("event_ts") or ""), tz=UTC)
    except (ValueError, TypeError, OverflowError, OSError):  # not a time Slack would send
        return None


def register(app: App, deps: HandlerDeps) -> None:
    answers = deps.services.checkin_answers
    meetings = deps.services.meetings

    def texts_of_poll(poll_id: int | None, user_id: str) -> Texts:
        language = answers.poll_language(poll_id=poll_id) if poll_id is not None else None
        return Texts(language or deps.languages.language_of(user_id))

    @app.action(ids.CheckinActions.WRITE_GOES_WELL)
    @app.action(ids.CheckinActions.WRITE_COULD_BE_BETTER)
    def handle_write_answer_pressed(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        user_id, raw = _user_id(body), _action_value(body)
        action_id = str((body.get("actions") or [{}])[0].get("action_id") or "")
        poll_id = int(raw) if raw.isdigit() else None
        with _told_privately(texts_of_poll(poll_id, user_id), respond):
            draft = answers.answer_draft(
                poll_id=_as_id(raw, PollNotFound), user_id=user_id, question=_QUESTION_OF_ACTION[action_id]
            )
            modal = answer_modal(Texts(draft.language), draft, channel_id=_channel_id(body))
            client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=modal)

    @app.view(ids.CHECKIN_ANSWER_MODAL)
    def handle_checkin_answer_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = AnswerModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.CheckinAnswerBlocks
        text = state_value(view, blocks.TEXT)
        problems = validate_answer_text(text)
        if problems:
            ack(response_action="errors", errors=field_errors(texts, problems, blocks.BY_FIELD))
            return
        ack()
        user_id = _user_id(body)
        try:
            answers.save_answer(
                poll_id=modal.poll_id,
                user_id=user_id,
                question=modal.question,
                text=text,
                signed=_checked(view, blocks.SIGN, blocks.SIGN_OPTION),
            )
        except DomainError as error:
            _tell(client, channel_id=modal.channel_id, user_id=user_id, text=_explain(texts, error))
            return
        _tell(client, channel_id=modal.channel_id, user_id=user_id, text=texts("checkins.answer.thanks"))

    @app.view(ids.CHECKIN_SCHEDULE_MODAL)
    def handle_checkin_schedule_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = NetworkModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.CheckinScheduleBlocks
        form = ScheduleForm(
            frequency=state_value(view, blocks.FREQUENCY),
            weekday=state_value(view, blocks.WEEKDAY),
            time=state_value(view, blocks.TIME),
            open_days=state_value(view, blocks.OPEN_DAYS),
            reminders=state_value(view, blocks.REMINDERS),
            anonymity_threshold=state_value(view, blocks.THRESHOLD),
        )
        # What the form alone can tell; the threshold against the network's current one comes after.
        problems = validate_schedule_form(form, current_threshold=DEFAULT_ANONYMITY_THRESHOLD)
        if problems:
            ack(response_action="errors", errors=field_errors(texts, problems, blocks.BY_FIELD))
            return
        ack()
        user_id = _user_id(body)
        try:
            overview = deps.services.checkin_schedule.change_schedule(
                network_id=modal.network_id, user_id=user_id, form=form
            )
        except InvalidInput as error:
            lines = [texts(key, **values) for key, values in error.problems.values()]
            _tell(client, channel_id=modal.channel_id, user_id=user_id, text="\n".join(lines))
            return
        except DomainError as error:
            _tell(client, channel_id=modal.channel_id, user_id=user_id, text=_explain(texts, error))
            return
        message = schedule_saved_message(texts, overview, user_id=user_id)
        post_message_once(client, channel=modal.channel_id, text=message.text, blocks=message.blocks)

    @app.view(ids.MEETING_PLAN_MODAL)
    def handle_meeting_planned(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = NetworkModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.MeetingPlanBlocks
        form = MeetingForm(
            day=state_value(view, blocks.DAY),
            start=state_value(view, blocks.START),
            end=state_value(view, blocks.END),
            topic=state_value(view, blocks.TOPIC),
            cases=state_value(view, blocks.CASES),
        )
        problems = meetings.validate(form, timezone=modal.timezone)
        if problems:
            ack(response_action="errors", errors=field_errors(texts, problems, blocks.BY_FIELD))
            return
        ack()
        user_id = _user_id(body)
        try:
            meeting = meetings.plan(network_id=modal.network_id, user_id=user_id, form=form)
        except DomainError as error:
            _tell(client, channel_id=modal.channel_id, user_id=user_id, text=_explain(texts, error))
            return
        message = meeting_planned_message(texts, meeting)
        post_message_once(
            client,
            channel=modal.channel_id,
            text=message.text,
            blocks=message.blocks,
            key=meeting.planned_key,
        )

    @app.action(ids.CheckinActions.EVALUATE_MEETING)
    def handle_evaluate_meeting_pressed(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        user_id, raw = _user_id(body), _action_value(body)
        language = meetings.meeting_language(meeting_id=int(raw)) if raw.isdigit() else None
        with _told_privately(Texts(language or deps.languages.language_of(user_id)), respond):
            draft = meetings.evaluation_draft(meeting_id=_as_id(raw, MeetingNotFound), user_id=user_id)
            modal = evaluation_modal(Texts(draft.language), draft, channel_id=_channel_id(body))
            client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=modal)

    @app.view(ids.MEETING_EVALUATION_MODAL)
    def handle_meeting_evaluation_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = EvaluationModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.MeetingEvaluationBlocks
        usefulness = state_value(view, blocks.USEFULNESS)
        takeaway = state_value(view, blocks.TAKEAWAY)
        problems = validate_evaluation(usefulness, takeaway)
        if problems:
            ack(response_action="errors", errors=field_errors(texts, problems, blocks.BY_FIELD))
            return
        ack()
        user_id = _user_id(body)
        try:
            meetings.save_evaluation(
                meeting_id=modal.meeting_id, user_id=user_id, usefulness=usefulness, takeaway=takeaway
            )
        except DomainError as error:
            _tell(client, channel_id=modal.channel_id, user_id=user_id, text=_explain(texts, error))
            return
        _tell(client, channel_id=modal.channel_id, user_id=user_id, text=texts("checkins.evaluation.thanks"))

    def record(body: dict[str, Any], event: dict[str, Any], context: BoltContext, *, added: bool) -> None:
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
        answers.record_reaction(
            channel_id=channel_id,
            message_ts=ts,
            user_id=user_id,
            emoji=emoji,
            added=added,
            event_id=event_id[:64],
            reacted_at=_reacted_at(event),
        )

    @app.event("reaction_added")
    def handle_reaction_added(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        record(body, event, context, added=True)

    @app.event("reaction_removed")
    def handle_reaction_removed(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        record(body, event, context, added=False)
