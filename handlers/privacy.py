"""Privacy: `/netwerk mijn-gegevens`, `/netwerk vergeet-mij` and `/netwerk archiveer`, and their buttons.

What Slack must be shown afterwards (the file, the clean-up, the announcement, the answer) the privacy
service records in the outbox, and the publishing layer carries it out (bot.publishing.privacy). A
domain error reaches the one error boundary (handlers.errors).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_bolt import Respond

from bot.i18n import SUPPORTED_LANGUAGES
from bot.i18n import Texts
from bot.services.outbox import Requester
from bot.views.ids_privacy import PrivacyActions
from bot.views.privacy import archive_confirmation_message
from bot.views.privacy import forget_confirmation_message
from bot.views.privacy import forget_done_message
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import action_requester
from handlers.common import number_or_zero
from handlers.common import reply_privately


def _my_data(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk mijn-gegevens`: anyone, anywhere; the JSON file goes to the caller's DM."""
    request = invocation.request
    deps.services.privacy.send_my_data(
        team_id=request.team_id,
        user_id=request.user_id,
        requester=Requester(
            user_id=request.user_id,
            channel_id=request.channel_id,
            response_url=str(getattr(invocation.respond, "response_url", "") or ""),
        ),
        language=invocation.texts.language,
    )


def _forget_me(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk vergeet-mij`: only asks; the button in the answer does it."""
    invocation.reply(forget_confirmation_message(invocation.texts))


def _archive(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk archiveer`: a facilitator of the channel's network is asked to confirm."""
    request = invocation.request
    archival = deps.services.privacy.check_can_archive(
        team_id=request.team_id, channel_id=request.channel_id, user_id=request.user_id
    )
    invocation.reply(
        archive_confirmation_message(invocation.texts, network_id=archival.network_id, name=archival.name)
    )


SUBHANDLERS: dict[str, Subhandler] = {
    "mijn-gegevens": _my_data,
    "vergeet-mij": _forget_me,
    "archiveer": _archive,
}


def handle_forget_confirmed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    deps = HandlerDeps.of(context)
    user_id = context.user_id or ""
    value = str(action.get("value") or "")
    language = value if value in SUPPORTED_LANGUAGES else deps.languages.language_of(user_id)
    forgetting = deps.services.privacy.forget(
        team_id=context.team_id or "",
        user_id=user_id,
        requester=action_requester(body, context),
        language=language,
    )
    if not forgetting.anything_stored:
        # Nothing was stored, so nothing changed: the answer needs no outbox.
        done = forget_done_message(Texts(language), cases_removed=0)
        reply_privately(respond, done, replace_original=True)


def handle_archive_confirmed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    ack()
    HandlerDeps.of(context).services.privacy.archive(
        network_id=number_or_zero(action.get("value")),
        by_user_id=context.user_id or "",
        requester=action_requester(body, context),
    )


def register(app: App) -> None:
    app.action(PrivacyActions.FORGET)(handle_forget_confirmed)
    app.action(PrivacyActions.ARCHIVE)(handle_archive_confirmed)
