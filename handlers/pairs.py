"""Getting to know each other in pairs: `/netwerk kennismaking` starts or changes the rounds,
`/netwerk kennismaking stop` stops them."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext

from bot.views import ids
from bot.views.checkins import NetworkModalContext
from bot.views.pairs import pairs_modal
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import network_submission
from handlers.common import state_value

STOP_WORDS = frozenset({"stop", "stoppen"})


def _pairs(invocation: Invocation, deps: HandlerDeps) -> None:
    overview = invocation.require_network()
    network_id = overview.network_id
    request = invocation.request
    if invocation.first_word in STOP_WORDS:
        deps.services.pairs.stop(
            network_id=network_id,
            user_id=request.user_id,
            requester=invocation.requester(),
        )
        return
    pairing = deps.services.pairs.overview(network_id=network_id, user_id=request.user_id)
    invocation.open_modal(
        pairs_modal(invocation.texts, pairing, context=NetworkModalContext.of(overview.network))
    )


SUBHANDLERS: dict[str, Subhandler] = {"kennismaking": _pairs}


def handle_pairs_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """The rounds' rhythm; the first round follows within a minute, the confirmation privately."""
    HandlerDeps.of(context).services.pairs.start(
        **network_submission(view, context),
        every_weeks=state_value(view, ids.PairsBlocks.EVERY_WEEKS),
    )
    ack()


def register(app: App) -> None:
    app.view(ids.PAIRS_MODAL)(handle_pairs_submitted)
