"""Message shortcuts: "Breng in als casus" and "Bewaar als les" on a message, and the answer of a saved
message's author to whether it may be kept as a lesson.

Each listener acknowledges, reads plain values out of the shortcut's message, and calls the shortcuts
service; a refusal (a bot's message, outside a network's channel, not a member) reaches the one error
boundary, which answers privately on the shortcut's response_url.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.errors import LessonConsentGone
from bot.services.outbox import Requester
from bot.services.shortcuts import ShortcutMessage
from bot.slack_api import permalink_of
from bot.text import readable_message_text
from bot.views import ids
from handlers import HandlerDeps
from handlers.cases import open_intake_or_agreements
from handlers.common import action_id_value
from handlers.common import clicked_message


def shortcut_message(shortcut: dict[str, Any]) -> ShortcutMessage:
    """The message a shortcut was used on, as plain values."""
    message = shortcut.get("message") or {}
    return ShortcutMessage(
        channel_id=str((shortcut.get("channel") or {}).get("id") or ""),
        ts=str(message.get("ts") or shortcut.get("message_ts") or ""),
        text=readable_message_text(str(message.get("text") or "")),
        author_id=str(message.get("user") or ""),
        bot_id=str(message.get("bot_id") or ""),
        subtype=str(message.get("subtype") or ""),
    )


def handle_bring_in_as_case(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """The case intake with the message as its situation and a link to it (or first the agreements)."""
    ack()
    message = shortcut_message(shortcut)
    opening = HandlerDeps.of(context).services.shortcuts.open_case_intake(
        team_id=context.team_id or "", user_id=context.user_id or "", message=message
    )
    open_intake_or_agreements(
        opening,
        client,
        respond,
        trigger_id=str(shortcut.get("trigger_id") or ""),
        situation=message.text,
        source_permalink=partial(permalink_of, client, channel=message.channel_id, ts=message.ts),
    )


def handle_save_as_lesson(ack: Ack, shortcut: dict[str, Any], context: BoltContext) -> None:
    ack()
    message = shortcut_message(shortcut)
    HandlerDeps.of(context).services.shortcuts.save_lesson(
        team_id=context.team_id or "",
        saver_id=context.user_id or "",
        message=message,
        requester=Requester(
            user_id=context.user_id or "",
            channel_id=message.channel_id,
            response_url=str(shortcut.get("response_url") or ""),
        ),
    )


def handle_consent_answered(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    ack()
    HandlerDeps.of(context).services.shortcuts.answer_consent(
        lesson_id=action_id_value(action, LessonConsentGone),
        user_id=context.user_id or "",
        consent=action.get("action_id") == ids.ShortcutActions.CONSENT_YES,
        question=clicked_message(body, context),
    )


def register(app: App) -> None:
    app.message_shortcut(ids.BRING_IN_AS_CASE_SHORTCUT)(handle_bring_in_as_case)
    app.message_shortcut(ids.SAVE_AS_LESSON_SHORTCUT)(handle_save_as_lesson)
    app.action(ids.ShortcutActions.CONSENT_YES)(handle_consent_answered)
    app.action(ids.ShortcutActions.CONSENT_NO)(handle_consent_answered)
