"""Follow-ups and lessons: the follow-up question's buttons and answer modal, the close modal's
follow-up fields, and `/netwerk lessen` with its "more" button.

Each listener acknowledges, reads plain ids and values, and calls one service; what Slack must be shown
after an answer the service records in the outbox. A domain error reaches the one error boundary.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.errors import FollowUpNotFound
from bot.i18n import Texts
from bot.services.follow_ups import FollowUpPlan
from bot.views import ids
from bot.views.follow_ups import FollowUpModalContext
from bot.views.follow_ups import answer_modal
from bot.views.lessons import lessons_message
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import clicked_channel
from handlers.common import leading_id
from handlers.common import number_or_zero
from handlers.common import open_modal
from handlers.common import reply_privately
from handlers.common import selected_values
from handlers.common import state_value
from handlers.common import state_values
from handlers.common import value_detail

_ANSWER_BUTTON = re.compile(rf"^{re.escape(ids.FollowUpActions.ANSWER)}:")


def close_form_follow_up(view: dict[str, Any]) -> FollowUpPlan:
    """The follow-up fields of a submitted close modal (bot.views.follow_ups.close_modal_follow_up)."""
    blocks = ids.FollowUpCloseBlocks
    return FollowUpPlan(
        plan=state_value(view, blocks.PLAN),
        look_back_on=state_value(view, blocks.DATE),
        share_lesson=ids.SHARE_LESSON_OPTION in selected_values(view, blocks.SHARE),
    )


# ---------------------------------------------------------------------- the follow-up question


def handle_answer_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    question = HandlerDeps.of(context).services.follow_ups.answer_draft(
        follow_up_id=leading_id(action, FollowUpNotFound), user_id=context.user_id or ""
    )
    modal = answer_modal(Texts(question.language), question, outcome=value_detail(action))
    open_modal(client, body, modal)


def handle_answer_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = FollowUpModalContext.decode(view.get("private_metadata", ""))
    HandlerDeps.of(context).services.follow_ups.answer(
        follow_up_id=modal.follow_up_id,
        user_id=context.user_id or "",
        **state_values(view, ids.FollowUpAnswerBlocks.BY_FIELD),
    )
    ack()


# ---------------------------------------------------------------------- /netwerk lessen


def _lessons(invocation: Invocation, deps: HandlerDeps) -> None:
    request = invocation.request
    page = deps.services.lessons.page(
        team_id=request.team_id, channel_id=request.channel_id, user_id=request.user_id
    )
    invocation.reply(lessons_message(Texts(page.language), page))


def handle_more_lessons_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    channel_id = clicked_channel(body, context)
    page = HandlerDeps.of(context).services.lessons.page(
        team_id=context.team_id or "",
        channel_id=channel_id,
        user_id=context.user_id or "",
        page=number_or_zero(action.get("value")),
    )
    message = lessons_message(Texts(page.language), page)
    # A page of its own under the last: the earlier page stays readable, and an ephemeral is the
    # presser's alone in any case.
    reply_privately(respond, message)


SUBHANDLERS: dict[str, Subhandler] = {"lessen": _lessons}


def register(app: App) -> None:
    app.action(_ANSWER_BUTTON)(handle_answer_pressed)
    app.view(ids.FOLLOW_UP_ANSWER_MODAL)(handle_answer_submitted)
    app.action(ids.LessonActions.MORE)(handle_more_lessons_pressed)
