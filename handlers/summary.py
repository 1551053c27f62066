"""The summary: `/netwerk samenvatting` posts it; `/netwerk samenvatting planning` sets its digest."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import DomainError
from bot.i18n import Texts
from bot.views import ids
from bot.views.checkins import NetworkModalContext
from bot.views.common import notice
from bot.views.summary import digest_modal, digest_notice, digest_saved_message
from handlers import HandlerDeps
from handlers.commands import Invocation, Subhandler
from handlers.common import state_value
from storage.models import DigestFrequency
from storage.models.network import Role

log = logging.getLogger(__name__)

SCHEDULE_WORDS = frozenset({"planning", "schedule"})


def _summary(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk samenvatting`: any member posts the summary; `planning` shows or changes the digest."""
    request = invocation.request
    word = invocation.arguments[0].lower() if invocation.arguments else ""
    if not word:
        deps.services.summary.request_post(
            team_id=request.team_id, channel_id=request.channel_id, user_id=request.user_id
        )
        return
    overview = invocation.require_network()
    network_id = overview.network.id or 0
    user_id = request.user_id
    overview.require_member(user_id)
    if word not in SCHEDULE_WORDS:
        invocation.reply(notice(invocation.texts("summary.digest.usage")))
        return
    digest = deps.services.summary.digest_overview(network_id=network_id)
    membership = overview.membership_of(user_id)
    if membership is None or membership.role != Role.FACILITATOR:
        invocation.reply(digest_notice(invocation.texts, digest))
        return
    context = NetworkModalContext.of(overview.network)
    invocation.client.views_open(
        trigger_id=invocation.request.trigger_id,
        view=digest_modal(invocation.texts, digest, context=context),
    )


SUBHANDLERS: dict[str, Subhandler] = {"samenvatting": _summary}


def register(app: App, deps: HandlerDeps) -> None:
    summaries = deps.services.summary

    @app.view(ids.SUMMARY_DIGEST_MODAL)
    def handle_summary_digest_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = NetworkModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        block_id = ids.SummaryDigestBlocks.FREQUENCY
        frequency = state_value(view, block_id)
        if frequency not in {f.value for f in DigestFrequency}:
            ack(response_action="errors", errors={block_id: texts("summary.digest.choose")})
            return
        ack()
        user_id = str((body.get("user") or {}).get("id") or "")
        try:
            digest = summaries.change_digest(
                network_id=modal.network_id, user_id=user_id, frequency=frequency
            )
            message = digest_saved_message(texts, digest)
        except DomainError as error:
            message = notice(texts(error.text_key, **error.values))
        try:
            client.chat_postEphemeral(
                channel=modal.channel_id, user=user_id, text=message.text, blocks=message.blocks_as_dicts()
            )
        except SlackApiError as error:
            log.info("could not tell %s privately: %s", user_id, error.response.get("error"))
