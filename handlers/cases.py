"""Cases: `/case`, the case card's buttons, the case modals, and replies in a case's thread.

Each listener acknowledges, reads plain ids and values, and calls the cases service; what Slack must be
shown afterwards (the card, its thread, a private answer) the service records in the outbox, and the
publishing layer carries it out. A domain error reaches the one error boundary (handlers.errors).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.commands import LIST_WORDS
from bot.errors import CaseNotFound
from bot.errors import RoundStepPassed
from bot.i18n import Texts
from bot.services.cases import FIXED_STEP_INDEX
from bot.services.cases import CaseIntake
from bot.services.cases import CaseState
from bot.services.cases import IntakeOpening
from bot.services.outbox import Requester
from bot.text import readable_message_text
from bot.text import unescape_entities
from bot.views import ids
from bot.views.case_rounds import round_start_modal
from bot.views.cases import CaseModalContext
from bot.views.cases import SourcedIntakeContext
from bot.views.cases import advice_modal
from bot.views.cases import case_list
from bot.views.cases import close_modal
from bot.views.cases import intake_modal
from bot.views.follow_ups import close_modal_follow_up
from bot.views.kickoff import agreements_for_member
from handlers import HandlerDeps
from handlers.commands import Subhandler
from handlers.common import button_number
from handlers.common import leading_id
from handlers.common import open_modal
from handlers.common import presser
from handlers.common import reply_privately
from handlers.common import selected_values
from handlers.common import state_value
from handlers.common import submitting_team
from handlers.common import value_detail
from handlers.follow_ups import close_form_follow_up

# Message subtypes that are a person writing in the thread; edits and deletions change advice kept
# before (handle_case_thread_reply_changed), joins are not advice.
_REPLY_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})

# `/case` brings no `/netwerk` subcommands.
SUBHANDLERS: dict[str, Subhandler] = {}


# ---------------------------------------------------------------------- `/case` and `/case lijst`


def handle_case_command(
    ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """`/case [title]` opens the intake (or first the agreements); `/case lijst` lists the cases."""
    ack()
    cases = HandlerDeps.of(context).services.cases
    where = {
        "team_id": context.team_id or "",
        "channel_id": context.channel_id or "",
        "user_id": context.user_id or "",
    }
    text = str(command.get("text") or "")
    if text.strip().lower() in LIST_WORDS:
        listing = cases.list_cases(**where)
        reply_privately(respond, case_list(Texts(listing.language), listing))
        return
    opening = cases.open_intake(**where)
    open_intake_or_agreements(
        opening,
        client,
        respond,
        trigger_id=str(command.get("trigger_id") or ""),
        # Slack escapes &, < and > in a command's text; the title input should show what was typed.
        title=unescape_entities(text),
    )


def open_intake_or_agreements(
    opening: IntakeOpening,
    client: WebClient,
    respond: Respond,
    *,
    trigger_id: str,
    title: str = "",
    situation: str = "",
    source_permalink: Callable[[], str | None] = lambda: None,
) -> None:
    """The intake modal, or first, privately, the agreements the member has not accepted yet."""
    texts = Texts(opening.language)
    if opening.agreements_first is not None:
        reply_privately(
            respond,
            agreements_for_member(
                texts, opening.agreements_first, intro_key="kickoff.agreements.before_case"
            ),
        )
        return
    link = source_permalink()
    modal_context = (
        SourcedIntakeContext(opening.channel_id, texts.language, source_permalink=link)
        if link
        else CaseModalContext(opening.channel_id, texts.language)
    )
    modal = intake_modal(texts, context=modal_context, title=title, situation=situation)
    client.views_open(trigger_id=trigger_id, view=modal)


# ---------------------------------------------------------------------- the modals


def handle_case_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = SourcedIntakeContext.decode(view.get("private_metadata", ""))
    blocks = ids.CaseIntakeBlocks
    intake = CaseIntake(
        title=state_value(view, blocks.TITLE),
        situation=state_value(view, blocks.SITUATION),
        question=state_value(view, blocks.QUESTION),
        tried=state_value(view, blocks.TRIED),
        help_wanted=tuple(selected_values(view, blocks.HELP_WANTED)),
        confidential=ids.CONFIDENTIAL_OPTION in selected_values(view, blocks.CONFIDENTIAL),
        source_permalink=modal.source_permalink or "",
    )
    HandlerDeps.of(context).services.cases.bring(
        team_id=submitting_team(view, context),
        channel_id=modal.channel_id,
        owner_id=context.user_id or "",
        intake=intake,
        requester=Requester(user_id=context.user_id or "", channel_id=modal.channel_id),
    )
    ack()


def _case_submission(view: dict[str, Any], context: BoltContext) -> dict[str, Any]:
    """The case a case modal was opened on, and who submitted it: what the cases service takes first."""
    modal = CaseModalContext.decode(view.get("private_metadata", ""))
    return {"case_id": modal.case_id or 0, "user_id": context.user_id or ""}


def handle_advice_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    HandlerDeps.of(context).services.cases.give_advice(
        **_case_submission(view, context), text=state_value(view, ids.CaseAdviceBlocks.ADVICE)
    )
    ack()


def handle_case_closed(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    HandlerDeps.of(context).services.cases.close(
        **_case_submission(view, context),
        lesson=state_value(view, ids.CaseCloseBlocks.LESSON),
        forget_details=ids.FORGET_DETAILS_OPTION in selected_values(view, ids.SafeBlocks.FORGET_DETAILS),
        follow_up=close_form_follow_up(view),
    )
    ack()


# ---------------------------------------------------------------------- the card's buttons


def handle_give_advice_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    cases = HandlerDeps.of(context).services.cases
    state = cases.check_can_advise(case_id=_case_id(action), user_id=context.user_id or "")
    _open_case_modal(advice_modal, state, client, body)


def handle_close_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    services = HandlerDeps.of(context).services
    state = services.cases.check_can_close(case_id=_case_id(action), user_id=context.user_id or "")
    look_back_on = services.follow_ups.default_look_back_on(case_id=state.case_id)
    follow_up = close_modal_follow_up(Texts(state.language), state, look_back_on=look_back_on)
    _open_case_modal(partial(close_modal, follow_up=follow_up), state, client, body)


def _open_case_modal(
    build: Callable[..., View], state: CaseState, client: WebClient, body: dict[str, Any]
) -> None:
    context = CaseModalContext(state.channel_id, state.language, state.case_id)
    view = build(Texts(state.language), context=context, state=state)
    open_modal(client, body, view)


def handle_recognise_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    ack()
    HandlerDeps.of(context).services.cases.recognise(case_id=_case_id(action), **presser(body, context))


def handle_agenda_pressed(ack: Ack, action: dict[str, Any], context: BoltContext) -> None:
    ack()
    HandlerDeps.of(context).services.cases.set_on_agenda(
        case_id=_case_id(action), user_id=context.user_id or "", on_agenda=value_detail(action) == "on"
    )


def handle_start_round_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """The modal that picks the method and the session lead, for whoever may start the round."""
    ack()
    user_id = context.user_id or ""
    state = HandlerDeps.of(context).services.cases.check_can_start_round(
        case_id=_case_id(action), user_id=user_id
    )
    modal_context = CaseModalContext(state.channel_id, state.language, state.case_id)
    view = round_start_modal(
        Texts(state.language),
        context=modal_context,
        state=state,
        starter_id=state.suggested_lead_id or user_id,
    )
    open_modal(client, body, view)


def handle_round_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    HandlerDeps.of(context).services.cases.start_round(
        **_case_submission(view, context),
        method=state_value(view, ids.CaseRoundBlocks.METHOD),
        lead_id=state_value(view, ids.CaseRoundBlocks.LEAD),
    )
    ack()


def handle_next_step_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    ack()
    message_ts = str((body.get("container") or {}).get("message_ts") or "")
    from_step = value_detail(action)
    from_index = button_number(from_step)
    if from_index is None:
        from_index = FIXED_STEP_INDEX.get(from_step)
    if from_index is None:
        raise RoundStepPassed()
    HandlerDeps.of(context).services.cases.advance_round(
        case_id=_case_id(action),
        user_id=context.user_id or "",
        from_index=from_index,
        step_message=(context.channel_id or "", message_ts) if message_ts else None,
    )


def handle_delete_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    ack()
    HandlerDeps.of(context).services.cases.delete(case_id=_case_id(action), **presser(body, context))


def _case_id(action: dict[str, Any]) -> int:
    """The case a button belongs to; CaseNotFound for a value no card of ours carries."""
    return leading_id(action, CaseNotFound)


# ---------------------------------------------------------------------- replies in a case's thread


def is_reply_in_a_case_thread(body: dict[str, Any], context: BoltContext) -> bool:
    # Only replies in a case's thread are ours: other parts of the bot may listen to messages too,
    # and Bolt runs the first listener that matches.
    event = body.get("event") or {}
    thread_ts = event.get("thread_ts")
    if (
        event.get("type") != "message"
        or event.get("subtype") not in _REPLY_SUBTYPES
        or event.get("bot_id")
        or not event.get("user")
        or not isinstance(thread_ts, str)
        or thread_ts == event.get("ts")
    ):
        return False
    return HandlerDeps.of(context).services.cases.is_case_thread(
        team_id=context.team_id or "", channel_id=str(event.get("channel") or ""), thread_ts=thread_ts
    )


def handle_case_thread_reply(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
) -> None:
    ack()
    HandlerDeps.of(context).services.cases.record_thread_reply(
        event_id=str(body.get("event_id") or ""),
        team_id=context.team_id or "",
        channel_id=str(event.get("channel") or ""),
        thread_ts=str(event.get("thread_ts") or ""),
        user_id=str(event.get("user") or ""),
        # Kept as its writer typed it (mentions and links readable, no entities), as a saved lesson is.
        text=readable_message_text(str(event.get("text") or "")),
        message_ts=str(event.get("ts") or ""),
    )


def _changed_reply(event: dict[str, Any]) -> tuple[str, str, str | None] | None:
    """A person's edit or deletion of a reply in a thread, as (thread, reply, its text now or None once
    deleted); None for any other message event (a thread's parent changing as replies come in, a bot)."""
    subtype = event.get("subtype")
    if subtype == "message_changed":
        reply = event.get("message")
        reply_ts = reply.get("ts") if isinstance(reply, dict) else None
        text: str | None = (
            readable_message_text(str(reply.get("text") or "")) if isinstance(reply, dict) else ""
        )
    elif subtype == "message_deleted":
        reply, reply_ts, text = event.get("previous_message"), event.get("deleted_ts"), None
    else:
        return None
    if not isinstance(reply, dict) or reply.get("bot_id") or reply.get("subtype") not in _REPLY_SUBTYPES:
        return None
    thread_ts = reply.get("thread_ts")
    if not isinstance(thread_ts, str) or not isinstance(reply_ts, str) or thread_ts == reply_ts:
        return None
    return thread_ts, reply_ts, text


def is_change_to_a_case_thread_reply(body: dict[str, Any], context: BoltContext) -> bool:
    changed = _changed_reply(body.get("event") or {})
    return changed is not None and HandlerDeps.of(context).services.cases.is_case_thread(
        team_id=context.team_id or "",
        channel_id=str((body.get("event") or {}).get("channel") or ""),
        thread_ts=changed[0],
    )


def handle_case_thread_reply_changed(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
) -> None:
    ack()
    changed = _changed_reply(event)
    if changed is not None:
        thread_ts, message_ts, text = changed
        HandlerDeps.of(context).services.cases.thread_reply_changed(
            team_id=context.team_id or "",
            channel_id=str(event.get("channel") or ""),
            thread_ts=thread_ts,
            message_ts=message_ts,
            text=text,
        )


def register(app: App) -> None:
    app.command("/case")(handle_case_command)
    app.view(ids.CASE_INTAKE_MODAL)(handle_case_submitted)
    app.view(ids.CASE_ADVICE_MODAL)(handle_advice_submitted)
    app.view(ids.CASE_CLOSE_MODAL)(handle_case_closed)
    app.view(ids.CASE_ROUND_MODAL)(handle_round_submitted)
    app.action(ids.CaseActions.GIVE_ADVICE)(handle_give_advice_pressed)
    app.action(ids.CaseActions.CLOSE)(handle_close_pressed)
    app.action(ids.CaseActions.RECOGNISE)(handle_recognise_pressed)
    app.action(ids.CaseActions.AGENDA)(handle_agenda_pressed)
    app.action(ids.CaseActions.START_ROUND)(handle_start_round_pressed)
    app.action(ids.CaseActions.NEXT_STEP)(handle_next_step_pressed)
    app.action(ids.CaseActions.DELETE)(handle_delete_pressed)
    app.event("message", matchers=[is_reply_in_a_case_thread])(handle_case_thread_reply)
    app.event("message", matchers=[is_change_to_a_case_thread_reply])(handle_case_thread_reply_changed)
