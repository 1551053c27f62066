"""Modal submissions."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.errors import DomainError, InvalidInput
from bot.i18n import Texts
from bot.services.networks import NetworkDetails, validate_details
from bot.slack_api import channel_member_ids, post_message_once
from bot.views import ids
from bot.views.network import StartModalContext, welcome_message
from handlers import HandlerDeps
from handlers.common import field_errors, state_value

log = logging.getLogger(__name__)


def register(app: App, deps: HandlerDeps) -> None:
    @app.view(ids.START_NETWORK_MODAL)
    def handle_network_start_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        modal = StartModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.StartNetworkBlocks
        details = NetworkDetails(
            name=state_value(view, blocks.NAME),
            goal=state_value(view, blocks.GOAL),
            origin=state_value(view, blocks.ORIGIN),
            composition=state_value(view, blocks.COMPOSITION),
            language=state_value(view, blocks.LANGUAGE),
            timezone=state_value(view, blocks.TIMEZONE),
        )
        problems = validate_details(details)
        if problems:
            ack(response_action="errors", errors=field_errors(texts, problems, blocks.BY_FIELD))
            return
        ack()
        user_id = str(body.get("user", {}).get("id", ""))
        team_id = str(body.get("team", {}).get("id") or view.get("team_id") or "")
        members = channel_member_ids(client, modal.channel_id, exclude=[context.bot_user_id or ""])
        try:
            overview = deps.services.networks.link_channel(
                team_id=team_id,
                channel_id=modal.channel_id,
                facilitator_id=user_id,
                details=details,
                channel_member_ids=members,
            )
        except (DomainError, InvalidInput) as error:
            client.chat_postEphemeral(
                channel=modal.channel_id, user=user_id, text=texts(error.text_key, **error.values)
            )
            return
        network_texts = Texts(overview.network.language)
        message = welcome_message(network_texts, overview)
        post_message_once(client, channel=modal.channel_id, text=message.text, blocks=message.blocks)
