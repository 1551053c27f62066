"""The modal that links a channel to a new network (`/netwerk start`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.errors import InvalidInput
from bot.services.networks import NetworkDetails
from bot.services.networks import validate_details
from bot.services.outbox import Requester
from bot.slack_api import channel_member_ids
from bot.views import ids
from bot.views.common import ChannelModalContext
from handlers import HandlerDeps
from handlers.common import state_values
from handlers.common import submitting_team


def handle_network_start_submitted(
    ack: Ack, view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Validate and link the channel before the modal closes; the welcome follows from the outbox."""
    modal = ChannelModalContext.decode(view.get("private_metadata", ""))
    details = NetworkDetails(**state_values(view, ids.StartNetworkBlocks.BY_FIELD))
    InvalidInput.raise_if_any(validate_details(details))
    # Linked before the modal closes: once Slack shows the modal gone, the network exists (a learning
    # network's channel answers conversations.members in one page, well within Slack's 3 seconds).
    user_id = context.user_id or ""
    members = channel_member_ids(client, modal.channel_id, exclude=[context.bot_user_id or ""])
    HandlerDeps.of(context).services.networks.link_channel(
        team_id=submitting_team(view, context),
        channel_id=modal.channel_id,
        facilitator_id=user_id,
        details=details,
        channel_member_ids=members,
        requester=Requester(user_id=user_id, channel_id=modal.channel_id),
    )
    ack()


def register(app: App) -> None:
    app.view(ids.START_NETWORK_MODAL)(handle_network_start_submitted)
