"""Privacy: `/netwerk mijn-gegevens`, `/netwerk vergeet-mij` and `/netwerk archiveer`, and their buttons."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import DomainError
from bot.i18n import SUPPORTED_LANGUAGES, Texts
from bot.services.privacy import Forgetting
from bot.slack_api import CONNECTION_ERRORS, find_posted_message, post_message_once, upload_file
from bot.views.common import Message, notice
from bot.views.ids_privacy import PrivacyActions
from bot.views.privacy import (
    advice_removed_message,
    archive_confirmation_message,
    archive_done_message,
    archived_channel_message,
    forget_confirmation_message,
    forget_done_message,
    my_data_comment,
    my_data_sent_message,
)
from handlers import HandlerDeps
from handlers.commands import Invocation, Subhandler

log = logging.getLogger(__name__)


def _my_data(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk mijn-gegevens`: anyone, anywhere; the JSON file goes to the caller's DM."""
    request = invocation.request
    texts = invocation.texts
    data = deps.services.privacy.my_data(team_id=request.team_id, user_id=request.user_id)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    try:
        direct_message = invocation.client.conversations_open(users=request.user_id)["channel"]["id"]
        upload_file(
            invocation.client,
            channel=str(direct_message),
            filename=texts("privacy.my_data.filename"),
            content=content,
            title=texts("privacy.my_data.title"),
            initial_comment=my_data_comment(texts),
        )
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        log.warning("could not send a user their data: %s", type(error).__name__)
        invocation.reply(notice(texts("privacy.error.dm_failed")))
        return
    invocation.reply(my_data_sent_message(texts))


def _forget_me(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk vergeet-mij`: only asks; the button in the answer does it."""
    invocation.reply(forget_confirmation_message(invocation.texts))


def _archive(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk archiveer`: a facilitator of the channel's network is asked to confirm."""
    overview = invocation.require_network()
    overview.require_facilitator(invocation.request.user_id)
    invocation.reply(
        archive_confirmation_message(
            invocation.texts, network_id=overview.network.id or 0, name=overview.network.name
        )
    )


SUBHANDLERS: dict[str, Subhandler] = {
    "mijn-gegevens": _my_data,
    "vergeet-mij": _forget_me,
    "archiveer": _archive,
}


def register(app: App, deps: HandlerDeps) -> None:
    privacy = deps.services.privacy

    @app.action(PrivacyActions.FORGET)
    def handle_forget_confirmed(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        ack()
        team_id, user_id, value = _pressed(body)
        texts = Texts(value if value in SUPPORTED_LANGUAGES else deps.languages.language_of(user_id))
        try:
            forgetting = privacy.forget(team_id=team_id, user_id=user_id)
        except DomainError as error:
            _answer(respond, notice(texts(error.text_key, **error.values)), replace=False)
            return
        _clean_up(client, forgetting, bot_user_id=context.bot_user_id or "")
        _answer(respond, forget_done_message(texts, forgetting), replace=True)

    @app.action(PrivacyActions.ARCHIVE)
    def handle_archive_confirmed(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        _, user_id, value = _pressed(body)
        try:
            archival = privacy.archive(network_id=int(value) if value.isdigit() else 0, by_user_id=user_id)
        except DomainError as error:
            texts = Texts(deps.languages.language_of(user_id))
            _answer(respond, notice(texts(error.text_key, **error.values)), replace=False)
            return
        texts = Texts(archival.language)
        announcement = archived_channel_message(texts, name=archival.name, user_id=user_id)
        post_message_once(
            client,
            channel=archival.channel_id,
            text=announcement.text,
            blocks=announcement.blocks,
            key=f"privacy/archive/{archival.network_id}",
        )
        _answer(respond, archive_done_message(texts, name=archival.name), replace=True)


def _pressed(body: dict[str, Any]) -> tuple[str, str, str]:
    """Workspace, user and button value of a press."""
    user = body.get("user") or {}
    team_id = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    return team_id, str(user.get("id") or ""), value


def _clean_up(client: WebClient, forgetting: Forgetting, *, bot_user_id: str) -> None:
    """Remove the forgotten user's case cards (with the bot's posts in their threads) and intro cards,
    and put the removal note in place of the advice the bot posted for them."""
    for post in forgetting.advice_posts:
        # The key the cases part gave the post (handlers.cases, handle_advice_submitted).
        key = f"case-advice-{post.advice_id}"
        note = advice_removed_message(Texts(post.language))
        try:
            ts = find_posted_message(client, channel=post.channel_id, key=key, thread_ts=post.thread_ts)
            if ts is not None:
                client.chat_update(
                    channel=post.channel_id, ts=ts, text=note.text, blocks=note.blocks_as_dicts()
                )
        except SlackApiError as error:
            # The data is erased already; a post Slack will not let us change is logged, not retried.
            log.warning("advice post %s not replaced: %s", post.advice_id, error.response.get("error"))
    for message in forgetting.messages:
        try:
            client.chat_delete(channel=message.channel_id, ts=message.ts)
        except SlackApiError as error:
            if error.response.get("error") != "message_not_found":
                raise


def _answer(respond: Respond, message: Message, *, replace: bool) -> None:
    respond(
        text=message.text,
        blocks=message.blocks_as_dicts(),
        response_type="ephemeral",
        replace_original=replace,
    )
