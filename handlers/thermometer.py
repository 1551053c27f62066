"""The network thermometer: `/netwerk thermometer` (`health`), its answer button and modal.

Each listener acknowledges, reads plain ids and values, and calls one service; the round, its results
and the facilitators' suggestions travel through the outbox. Domain errors reach handlers.errors.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.commands import CLOSE_WORDS
from bot.errors import InvalidInput
from bot.errors import ThermometerNotFound
from bot.services.thermometer import ASPECTS
from bot.services.thermometer import validate_answer
from bot.views import ids
from bot.views.common import notice
from bot.views.thermometer import ThermometerModalContext
from bot.views.thermometer import answer_modal
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import action_id_value
from handlers.common import open_draft_modal
from handlers.common import state_value
from handlers.common import submitter


def _thermometer(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk thermometer`: post a round now; `sluiten` closes the open one."""
    network_id = invocation.require_network().network_id
    word = invocation.first_word
    thermometer = deps.services.thermometer
    if word in CLOSE_WORDS:
        thermometer.close_now(network_id=network_id, user_id=invocation.request.user_id)
    elif word:
        invocation.reply(notice(invocation.texts("thermometer.usage")))
    else:
        thermometer.post_now(
            network_id=network_id, user_id=invocation.request.user_id, requester=invocation.requester()
        )


SUBHANDLERS: dict[str, Subhandler] = {"thermometer": _thermometer}


def handle_answer_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    draft = HandlerDeps.of(context).services.thermometer.answer_draft(
        round_id=action_id_value(action, ThermometerNotFound), user_id=context.user_id or ""
    )
    open_draft_modal(answer_modal, draft, client, body, context)


def handle_answer_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = ThermometerModalContext.decode(view.get("private_metadata", ""))
    blocks = ids.ThermometerAnswerBlocks.BY_FIELD
    scores = {aspect.value: state_value(view, blocks[aspect.value]) for aspect in ASPECTS}
    stronger = state_value(view, ids.ThermometerAnswerBlocks.STRONGER)
    InvalidInput.raise_if_any(validate_answer(scores, stronger))
    HandlerDeps.of(context).services.thermometer.save_answer(
        round_id=modal.round_id, **submitter(context, modal.channel_id), scores=scores, stronger=stronger
    )
    ack()


def register(app: App) -> None:
    app.action(ids.ThermometerActions.ANSWER)(handle_answer_pressed)
    app.view(ids.THERMOMETER_ANSWER_MODAL)(handle_answer_submitted)
