"""Cases: `/case`, the case card's buttons, the case modals, and replies in a case's thread."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import CaseNotFound, DomainError, InvalidInput
from bot.i18n import Texts
from bot.services.cases import CaseDeletion, CaseIntake, CaseState
from bot.slack_api import post_message_once
from bot.views import ids
from bot.views.cases import (
    CaseModalContext,
    advice_modal,
    advice_post,
    case_card,
    case_details,
    case_list,
    close_modal,
    intake_modal,
    lesson_post,
    round_step_done,
    round_step_post,
)
from bot.views.common import Message, notice
from bot.views.kickoff import agreements_for_member
from handlers import HandlerDeps
from handlers.commands import CommandRequest, Invocation, Subhandler
from handlers.common import field_errors, state_value, texts_for
from storage.models import RoundStep

log = logging.getLogger(__name__)

LIST_WORDS = frozenset({"lijst", "list"})
# Message subtypes that are a person writing in the thread; edits, deletions and joins are not advice.
_REPLY_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})

# `/case` brings no `/netwerk` subcommands.
SUBHANDLERS: dict[str, Subhandler] = {}


@dataclass(frozen=True, slots=True)
class CaseAction:
    """A press on a case button: who, where, and the button's value (the case id, maybe with more)."""

    team_id: str
    user_id: str
    channel_id: str
    message_ts: str
    trigger_id: str
    value: str

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> CaseAction:
        action = (body.get("actions") or [{}])[0]
        container = body.get("container") or {}
        return cls(
            team_id=str((body.get("team") or {}).get("id") or ""),
            user_id=str((body.get("user") or {}).get("id") or ""),
            channel_id=str((body.get("channel") or {}).get("id") or container.get("channel_id") or ""),
            message_ts=str(container.get("message_ts") or ""),
            trigger_id=str(body.get("trigger_id") or ""),
            value=str(action.get("value") or ""),
        )

    @property
    def case_id(self) -> int:
        """The case the button belongs to; CaseNotFound for a value no card of ours carries."""
        head = self.value.split(":", 1)[0]
        if not head.isdigit():
            raise CaseNotFound()
        return int(head)

    @property
    def detail(self) -> str:
        """What follows the case id in the value (`on`/`off`, a round step), or ""."""
        return self.value.split(":", 1)[1] if ":" in self.value else ""


def register(app: App, deps: HandlerDeps) -> None:
    cases = deps.services.cases

    @app.command("/case")
    def handle_case_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        request = CommandRequest.from_payload(command)
        network = deps.services.networks.find_by_channel(
            team_id=request.team_id, channel_id=request.channel_id
        )
        invocation = Invocation(
            request=request,
            arguments=tuple(request.text.split()),
            network=network,
            texts=texts_for(deps, user_id=request.user_id, network=network),
            client=client,
            respond=respond,
        )
        try:
            if len(invocation.arguments) == 1 and invocation.arguments[0].lower() in LIST_WORDS:
                _list_cases(invocation, deps)
            else:
                _open_intake(invocation, deps)
        except DomainError as error:
            invocation.reply(notice(invocation.texts(error.text_key, **error.values)))

    @app.view(ids.CASE_INTAKE_MODAL)
    def handle_case_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = CaseModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.CaseIntakeBlocks
        intake = CaseIntake(
            title=state_value(view, blocks.TITLE),
            situation=state_value(view, blocks.SITUATION),
            question=state_value(view, blocks.QUESTION),
            tried=state_value(view, blocks.TRIED),
            help_wanted=tuple(_selected_values(view, blocks.HELP_WANTED)),
            confidential=ids.CONFIDENTIAL_OPTION in _selected_values(view, blocks.CONFIDENTIAL),
        )
        try:
            state = cases.bring(
                team_id=_team_id(body, view),
                channel_id=modal.channel_id,
                owner_id=_user_id(body),
                intake=intake,
            )
        except InvalidInput as error:
            ack(response_action="errors", errors=field_errors(texts, error.problems, blocks.BY_FIELD))
            return
        except DomainError as error:
            ack(response_action="errors", errors={blocks.TITLE: texts(error.text_key, **error.values)})
            return
        ack()
        _publish_case(client, deps, state)

    @app.action(ids.CaseActions.GIVE_ADVICE)
    def handle_give_advice_pressed(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        action = CaseAction.from_body(body)
        with _answering_errors(deps, action, respond):
            state = cases.check_can_advise(case_id=action.case_id, user_id=action.user_id)
            context = CaseModalContext(state.channel_id, state.language, state.case_id)
            modal = advice_modal(Texts(state.language), context=context, state=state)
            client.views_open(trigger_id=action.trigger_id, view=modal)

    @app.view(ids.CASE_ADVICE_MODAL)
    def handle_advice_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = CaseModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.CaseAdviceBlocks
        giver_id = _user_id(body)
        try:
            advice, state = cases.give_advice(
                case_id=modal.case_id or 0, user_id=giver_id, text=state_value(view, blocks.ADVICE)
            )
        except InvalidInput as error:
            ack(response_action="errors", errors=field_errors(texts, error.problems, blocks.BY_FIELD))
            return
        except DomainError as error:
            ack(response_action="errors", errors={blocks.ADVICE: texts(error.text_key, **error.values)})
            return
        ack()
        post = advice_post(Texts(state.language), giver_id=giver_id, advice=advice.text)
        _post_in_thread(client, state, post, key=f"case-advice-{advice.id}")
        _refresh_card(client, state)

    @app.action(ids.CaseActions.RECOGNISE)
    def handle_recognise_pressed(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        action = CaseAction.from_body(body)
        with _answering_errors(deps, action, respond):
            state = cases.recognise(case_id=action.case_id, user_id=action.user_id)
            _refresh_card(client, state)
            _tell(respond, Texts(state.language)("cases.answer.recognised"))

    @app.action(ids.CaseActions.CLOSE)
    def handle_close_pressed(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        action = CaseAction.from_body(body)
        with _answering_errors(deps, action, respond):
            state = cases.check_can_close(case_id=action.case_id, user_id=action.user_id)
            context = CaseModalContext(state.channel_id, state.language, state.case_id)
            modal = close_modal(Texts(state.language), context=context, state=state)
            client.views_open(trigger_id=action.trigger_id, view=modal)

    @app.view(ids.CASE_CLOSE_MODAL)
    def handle_case_closed(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        modal = CaseModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.CaseCloseBlocks
        try:
            state = cases.close(
                case_id=modal.case_id or 0, user_id=_user_id(body), lesson=state_value(view, blocks.LESSON)
            )
        except InvalidInput as error:
            ack(response_action="errors", errors=field_errors(texts, error.problems, blocks.BY_FIELD))
            return
        except DomainError as error:
            ack(response_action="errors", errors={blocks.LESSON: texts(error.text_key, **error.values)})
            return
        ack()
        _post_in_thread(
            client, state, lesson_post(Texts(state.language), state), key=f"case-lesson-{state.case_id}"
        )
        _refresh_card(client, state)

    @app.action(ids.CaseActions.AGENDA)
    def handle_agenda_pressed(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        action = CaseAction.from_body(body)
        with _answering_errors(deps, action, respond):
            state = cases.set_on_agenda(
                case_id=action.case_id, user_id=action.user_id, on_agenda=action.detail == "on"
            )
            _refresh_card(client, state)

    @app.action(ids.CaseActions.START_ROUND)
    def handle_start_round_pressed(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        action = CaseAction.from_body(body)
        with _answering_errors(deps, action, respond):
            state = cases.start_round(case_id=action.case_id, user_id=action.user_id)
            _post_round_step(client, state)
            _refresh_card(client, state)

    @app.action(ids.CaseActions.NEXT_STEP)
    def handle_next_step_pressed(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        action = CaseAction.from_body(body)
        with _answering_errors(deps, action, respond):
            state = cases.advance_round(
                case_id=action.case_id, user_id=action.user_id, from_step=action.detail
            )
            texts = Texts(state.language)
            done = round_step_done(texts, state, step=RoundStep(action.detail), facilitator_id=action.user_id)
            client.chat_update(
                channel=action.channel_id, ts=action.message_ts, text=done.text, blocks=done.blocks
            )
            _post_round_step(client, state)
            _refresh_card(client, state)

    @app.action(ids.CaseActions.DELETE)
    def handle_delete_pressed(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        ack()
        action = CaseAction.from_body(body)
        with _answering_errors(deps, action, respond):
            deletion = cases.delete(case_id=action.case_id, user_id=action.user_id)
            clean_up_deleted_case(client, deletion, bot_user_id=context.bot_user_id or "")
            key = "cases.answer.already_deleted" if deletion.already_deleted else "cases.answer.deleted"
            _tell(respond, Texts(deletion.language)(key))

    def is_reply_in_a_case_thread(body: dict[str, Any]) -> bool:
        # Only replies in a case's thread are ours: other parts of the bot may listen to messages too,
        # and Bolt runs the first listener that matches.
        event = body.get("event") or {}
        thread_ts = event.get("thread_ts")
        if (
            event.get("type") != "message"
            or event.get("subtype") not in _REPLY_SUBTYPES
            or event.get("bot_id")
            or not event.get("user")
            or not thread_ts
            or thread_ts == event.get("ts")
        ):
            return False
        return cases.is_case_thread(
            team_id=str(body.get("team_id") or event.get("team") or ""),
            channel_id=str(event.get("channel") or ""),
            thread_ts=str(thread_ts),
        )

    @app.event("message", matchers=[is_reply_in_a_case_thread])
    def handle_case_thread_reply(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        event = body.get("event") or {}
        team_id = str(body.get("team_id") or event.get("team") or "")
        channel_id = str(event.get("channel") or "")
        user_id = str(event.get("user") or "")
        thread_ts = str(event.get("thread_ts") or "")
        try:
            state = cases.record_thread_reply(
                event_id=str(body.get("event_id") or ""),
                team_id=team_id,
                channel_id=channel_id,
                thread_ts=thread_ts,
                user_id=user_id,
                text=str(event.get("text") or ""),
                message_ts=str(event.get("ts") or ""),
            )
        except DomainError as error:
            network = deps.services.networks.find_by_channel(team_id=team_id, channel_id=channel_id)
            text = texts_for(deps, user_id=user_id, network=network)(error.text_key, **error.values)
            client.chat_postEphemeral(channel=channel_id, user=user_id, thread_ts=thread_ts, text=text)
            return
        if state is not None:
            _refresh_card(client, state)


# ---------------------------------------------------------------------- `/case` and `/case lijst`


def _open_intake(invocation: Invocation, deps: HandlerDeps) -> None:
    """Open the intake modal, its title pre-filled with the text after `/case`."""
    request = invocation.request
    overview = invocation.require_network()
    overview.require_member(request.user_id)
    pending = deps.services.agreements.pending_for(
        network_id=overview.network.id or 0, user_id=request.user_id
    )
    if pending is not None:
        # The safe place comes first: who has not accepted the agreements reads them before bringing a case.
        invocation.reply(
            agreements_for_member(invocation.texts, pending, intro_key="kickoff.agreements.before_case")
        )
        return
    context = CaseModalContext(channel_id=request.channel_id, language=invocation.texts.language)
    modal = intake_modal(invocation.texts, context=context, title=_unescape_command_text(request.text))
    invocation.client.views_open(trigger_id=request.trigger_id, view=modal)


def _list_cases(invocation: Invocation, deps: HandlerDeps) -> None:
    request = invocation.request
    listing = deps.services.cases.list_cases(
        team_id=request.team_id, channel_id=request.channel_id, user_id=request.user_id
    )
    invocation.reply(case_list(invocation.texts, listing))


def _unescape_command_text(text: str) -> str:
    # Slack escapes &, < and > in a command's text; the title input should show what was typed.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# ---------------------------------------------------------------------- posting and updating


def _publish_case(client: WebClient, deps: HandlerDeps, state: CaseState) -> None:
    """Post the card and, in its thread, the situation; a case whose card never landed is discarded."""
    texts = Texts(state.language)
    card = case_card(texts, state)
    try:
        card_ts = post_message_once(
            client,
            channel=state.channel_id,
            text=card.text,
            blocks=card.blocks,
            key=f"case-card-{state.case_id}",
        )
    except Exception:
        deps.services.cases.discard_unpublished(case_id=state.case_id)
        raise
    state = deps.services.cases.attach_card(case_id=state.case_id, card_ts=card_ts)
    _post_in_thread(client, state, case_details(texts, state), key=f"case-details-{state.case_id}")


def _post_in_thread(client: WebClient, state: CaseState, message: Message, *, key: str) -> None:
    if state.case.card_ts is None:
        log.warning("case %s has no card to post under", state.case_id)
        return
    post_message_once(
        client,
        channel=state.channel_id,
        text=message.text,
        blocks=message.blocks,
        thread_ts=state.case.card_ts,
        key=key,
    )


def _post_round_step(client: WebClient, state: CaseState) -> None:
    step = state.case.round_step
    post = round_step_post(Texts(state.language), state)
    _post_in_thread(client, state, post, key=f"case-round-{state.case_id}-{step}")


def _refresh_card(client: WebClient, state: CaseState) -> None:
    """Show the case's current counts and state on its card, in place."""
    if state.case.card_ts is None:
        return
    card = case_card(Texts(state.language), state)
    client.chat_update(channel=state.channel_id, ts=state.case.card_ts, text=card.text, blocks=card.blocks)


def clean_up_deleted_case(client: WebClient, deletion: CaseDeletion, *, bot_user_id: str) -> None:
    """Remove the bot's posts in the case's thread, then the card itself.

    People's own replies stay (the bot cannot delete them); with replies left, Slack shows the card as
    "This message was deleted".
    """
    if deletion.card_ts is None:
        return
    for ts in _bot_posts_in_thread(client, deletion.channel_id, deletion.card_ts, bot_user_id=bot_user_id):
        _delete_if_present(client, deletion.channel_id, ts)
    _delete_if_present(client, deletion.channel_id, deletion.card_ts)


def _bot_posts_in_thread(
    client: WebClient, channel_id: str, thread_ts: str, *, bot_user_id: str
) -> list[str]:
    found: list[str] = []
    cursor: str | None = None
    while True:
        try:
            page = client.conversations_replies(channel=channel_id, ts=thread_ts, limit=200, cursor=cursor)
        except SlackApiError as error:
            if error.response.get("error") == "thread_not_found":
                return found
            raise
        found += [
            str(message["ts"])
            for message in page.get("messages", [])
            if message.get("ts") != thread_ts and message.get("user") == bot_user_id
        ]
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return found


def _delete_if_present(client: WebClient, channel_id: str, ts: str) -> None:
    try:
        client.chat_delete(channel=channel_id, ts=ts)
    except SlackApiError as error:
        if error.response.get("error") != "message_not_found":
            raise


# ---------------------------------------------------------------------- answering


@contextmanager
def _answering_errors(deps: HandlerDeps, action: CaseAction, respond: Respond) -> Iterator[None]:
    """Turn a domain error inside a button's handling into an ephemeral answer to whoever pressed it."""
    try:
        yield
    except DomainError as error:
        network = deps.services.networks.find_by_channel(team_id=action.team_id, channel_id=action.channel_id)
        texts = texts_for(deps, user_id=action.user_id, network=network)
        _tell(respond, texts(error.text_key, **error.values))


def _tell(respond: Respond, text: str) -> None:
    respond(
        text=text, blocks=notice(text).blocks_as_dicts(), response_type="ephemeral", replace_original=False
    )


def _selected_values(view: dict[str, Any], block_id: str, action_id: str = ids.VALUE_ACTION) -> list[str]:
    """The values of the options chosen in a checkboxes (or multi-select) input of a submitted view."""
    element = ((view.get("state") or {}).get("values") or {}).get(block_id, {}).get(action_id) or {}
    return [str(option.get("value") or "") for option in element.get("selected_options") or []]


def _user_id(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")


def _team_id(body: dict[str, Any], view: dict[str, Any]) -> str:
    return str((body.get("team") or {}).get("id") or view.get("team_id") or "")
