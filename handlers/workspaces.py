"""Clicks and modal submissions from another workspace (a channel shared with another organisation).

Their commands are told that the channel is not linked (networks are found by workspace and channel);
their clicks and submissions are told the same here, before any listener runs, because a listener finds
its network by the id in a button's value or a modal's metadata, and a user id is only a person within
one workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_bolt import BoltContext
from slack_bolt import BoltResponse

from bot.slack_api import response_url_client
from bot.views.ids import START_NETWORK_MODAL
from bot.views.ids import PrivacyActions
from handlers import HandlerDeps
from handlers.common import user_texts
from handlers.errors import field_errors_answer
from handlers.errors import first_input_block

# What is theirs anyway: forgetting their own data and starting their own network are keyed by the
# caller's workspace already.
_OPEN_TO_OTHER_WORKSPACES = frozenset({PrivacyActions.FORGET, START_NETWORK_MODAL})


def register(app: App, deps: HandlerDeps) -> None:
    @app.middleware
    def refuse_other_workspaces(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        kind = body.get("type")
        view = body.get("view") or {}
        # App Home checks the workspace of each facilitator button itself, and answers on the home.
        if kind not in ("block_actions", "view_submission") or view.get("type") == "home":
            return next()
        own_team = context.authorize_result.team_id if context.authorize_result else None
        team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
        pressed = (body.get("actions") or [{}])[0].get("action_id") or view.get("callback_id")
        if not own_team or not team or team == own_team or pressed in _OPEN_TO_OTHER_WORKSPACES:
            return next()
        user_id = str((body.get("user") or {}).get("id") or "")

        def refusal() -> str:
            return user_texts(deps, user_id)("error.channel_not_linked")

        block_id = first_input_block(view) if kind == "view_submission" else ""
        if block_id:
            # A modal's error must travel in the answer itself, so here the language is looked up first.
            return field_errors_answer({block_id: refusal()})
        response_url = body.get("response_url")
        if response_url:
            deps.after_ack(
                lambda: response_url_client(str(response_url)).send(
                    text=refusal(), response_type="ephemeral", replace_original=False
                )
            )
        return BoltResponse(status=200, body="")
