"""The summary: `/netwerk samenvatting` posts it; `/netwerk samenvatting planning` sets its digest."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext

from bot.commands import SCHEDULE_WORDS
from bot.views import ids
from bot.views.checkins import NetworkModalContext
from bot.views.common import notice
from bot.views.summary import digest_modal
from bot.views.summary import digest_notice
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import network_submission
from handlers.common import state_value


def _summary(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk samenvatting`: any member posts the summary; `planning` shows or changes the digest."""
    request = invocation.request
    word = invocation.first_word
    if not word:
        deps.services.summary.request_post(
            team_id=request.team_id, channel_id=request.channel_id, user_id=request.user_id
        )
        return
    overview = invocation.require_network()
    overview.require_member(request.user_id)
    if word not in SCHEDULE_WORDS:
        invocation.reply(notice(invocation.texts("summary.digest.usage")))
        return
    digest = deps.services.summary.digest_for(network_id=overview.network_id, user_id=request.user_id)
    if not digest.may_change:
        invocation.reply(digest_notice(invocation.texts, digest.overview))
        return
    invocation.open_modal(
        digest_modal(invocation.texts, digest.overview, context=NetworkModalContext.of(overview.network))
    )


SUBHANDLERS: dict[str, Subhandler] = {"samenvatting": _summary}


def handle_summary_digest_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """The digest's new frequency; a problem shows in the modal, the confirmation follows privately."""
    HandlerDeps.of(context).services.summary.change_digest(
        **network_submission(view, context),
        frequency=state_value(view, ids.SummaryDigestBlocks.FREQUENCY),
    )
    ack()


def register(app: App) -> None:
    app.view(ids.SUMMARY_DIGEST_MODAL)(handle_summary_digest_submitted)
