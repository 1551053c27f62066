"""Pauses: `/netwerk pauze` pauses the recurring posts between two dates, `/netwerk pauze lijst` lists
the pauses to come, each with a button that removes it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext

from bot.commands import LIST_WORDS
from bot.views import ids
from bot.views.checkins import NetworkModalContext
from bot.views.pairs import pause_modal
from bot.views.pairs import pauses_message
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import network_submission
from handlers.common import number_or_zero
from handlers.common import presser
from handlers.common import state_date


def _pause(invocation: Invocation, deps: HandlerDeps) -> None:
    overview = invocation.require_network()
    network_id = overview.network_id
    request = invocation.request
    pauses = deps.services.pauses.upcoming(network_id=network_id, user_id=request.user_id)
    if invocation.first_word in LIST_WORDS:
        invocation.reply(pauses_message(invocation.texts, pauses, network_id=network_id))
        return
    invocation.open_modal(
        pause_modal(
            invocation.texts,
            pauses,
            today=deps.services.pauses.today(network_id=network_id),
            context=NetworkModalContext.of(overview.network),
        )
    )


SUBHANDLERS: dict[str, Subhandler] = {"pauze": _pause}


def handle_pause_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """A new pause; a problem shows under its field, the confirmation follows privately."""
    HandlerDeps.of(context).services.pauses.add(
        **network_submission(view, context),
        starts_on=state_date(view, ids.PauseBlocks.STARTS_ON),
        ends_on=state_date(view, ids.PauseBlocks.ENDS_ON),
    )
    ack()


def handle_pause_remove(ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    ack()
    network_id, _, pause_id = str(action.get("value") or "").partition(":")
    HandlerDeps.of(context).services.pauses.remove(
        network_id=number_or_zero(network_id),
        pause_id=number_or_zero(pause_id),
        **presser(body, context),
    )


def register(app: App) -> None:
    app.view(ids.PAUSE_MODAL)(handle_pause_submitted)
    app.action(ids.PauseActions.REMOVE)(handle_pause_remove)
