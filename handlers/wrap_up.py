"""Closing the network: `/netwerk afsluiten` (`wrap-up`), its confirmation, and the look-back button and
modal.

Each listener acknowledges, reads plain ids and values, and calls one service; the announcement, the
invitations, the harvest and the archive travel through the outbox. Domain errors reach handlers.errors.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.errors import WrapUpNotFound
from bot.services.wrap_up import TOP_GOALS
from bot.views import ids
from bot.views.checkins import NetworkModalContext
from bot.views.wrap_up import LookBackModalContext
from bot.views.wrap_up import look_back_modal
from bot.views.wrap_up import wrap_up_modal
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import action_id_value
from handlers.common import open_draft_modal
from handlers.common import selected_values
from handlers.common import state_date
from handlers.common import state_value
from handlers.common import submitter


def _wrap_up(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk afsluiten`: a facilitator confirms the period in a modal; nothing starts before that."""
    network_id = invocation.require_network().network_id
    plan = deps.services.wrap_up.plan(network_id=network_id, user_id=invocation.request.user_id)
    invocation.open_modal(wrap_up_modal(invocation.texts, plan))


SUBHANDLERS: dict[str, Subhandler] = {"afsluiten": _wrap_up}


def handle_wrap_up_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """The confirmation: a problem with the day shows under its field; the announcement follows."""
    modal = NetworkModalContext.decode(view.get("private_metadata", ""))
    HandlerDeps.of(context).services.wrap_up.open(
        network_id=modal.network_id,
        user_id=context.user_id or "",
        ends_on=state_date(view, ids.WrapUpBlocks.ENDS_ON),
    )
    ack()


def handle_look_back_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    draft = HandlerDeps.of(context).services.wrap_up.look_back_draft(
        wrap_up_id=action_id_value(action, WrapUpNotFound), user_id=context.user_id or ""
    )
    open_draft_modal(look_back_modal, draft, client, body, context)


def handle_look_back_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = LookBackModalContext.decode(view.get("private_metadata", ""))
    blocks = ids.LookBackBlocks
    HandlerDeps.of(context).services.wrap_up.save_look_back(
        wrap_up_id=modal.wrap_up_id,
        **submitter(context, modal.channel_id),
        levels=[state_value(view, f"{blocks.GOAL_PREFIX}{position}") for position in range(TOP_GOALS)],
        lesson=state_value(view, blocks.LESSON),
        story={
            "took_part": state_value(view, blocks.TOOK_PART),
            "did_differently": state_value(view, blocks.DID_DIFFERENTLY),
            "yielded": state_value(view, blocks.YIELDED),
        },
        shared=blocks.SHARE_OPTION in selected_values(view, blocks.SHARE),
    )
    ack()


def register(app: App) -> None:
    app.action(ids.WrapUpActions.LOOK_BACK)(handle_look_back_pressed)
    app.view(ids.WRAP_UP_MODAL)(handle_wrap_up_submitted)
    app.view(ids.LOOK_BACK_MODAL)(handle_look_back_submitted)
