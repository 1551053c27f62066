"""The one error boundary: whatever a listener did not expect is logged whole and the user is told."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.i18n import Texts
from bot.views.home import unavailable_home_view
from handlers import HandlerDeps

log = logging.getLogger(__name__)

# Bolt's thread runner (slack_bolt/listener/thread_runner.py) sets the ack back to None when a listener
# fails after acknowledging, right after this handler returns; the request thread polls for the ack
# every 10 ms, so it answers 404 after 3 s if it had not seen the ack yet. Holding the handler a little
# longer than one poll lets the request thread send the ack it already has.
_ACK_POLL_GRACE_SECONDS = 0.05
_INPUT_ELEMENTS_WITHOUT_ERRORS = frozenset({"button", "overflow"})


@dataclass(frozen=True, slots=True)
class _Whom:
    """Who to tell, and where: a response_url, else a channel for an ephemeral, else their App Home."""

    user_id: str
    channel_id: str = ""
    response_url: str = ""
    home: bool = False


def register(app: App, deps: HandlerDeps) -> None:
    @app.error
    def handle_unexpected_error(
        error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> BoltResponse | None:
        log.error("unhandled error while handling a Slack request", exc_info=error)
        acknowledged = context.ack.response is not None
        if acknowledged:
            time.sleep(_ACK_POLL_GRACE_SECONDS)
        whom = _whom_to_tell(body)
        if not whom.user_id:
            return None
        texts = Texts(deps.languages.language_of(whom.user_id))
        text = texts("error.unexpected")
        if not acknowledged and body.get("type") == "view_submission":
            # The modal stays open with what was typed in it, and says why it did not go through; an
            # error status would only show Slack's own "trouble connecting" without saying to try again.
            block_id = first_input_block(body.get("view") or {})
            if block_id:
                answer = {"response_action": "errors", "errors": {block_id: text}}
                return BoltResponse(
                    status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
                )
        try:
            if whom.response_url:
                WebhookClient(whom.response_url).send(
                    text=text, response_type="ephemeral", replace_original=False
                )
            elif whom.channel_id:
                client.chat_postEphemeral(channel=whom.channel_id, user=whom.user_id, text=text)
            elif whom.home:
                client.views_publish(user_id=whom.user_id, view=unavailable_home_view(texts, notice=text))
        except Exception:
            log.exception("could not tell %s about the error", whom.user_id)
        return None


def _whom_to_tell(body: dict[str, Any]) -> _Whom:
    """The user, and where to reach them, of a command, interaction, modal or event, where it has them."""
    event = body.get("event") or {}
    if body.get("type") == "event_callback":
        user = event.get("user")
        if not isinstance(user, str) or not user:
            return _Whom("")
        if event.get("type") == "app_home_opened":
            return _Whom(user, home=event.get("tab") == "home")
        channel = event.get("channel") or (event.get("item") or {}).get("channel") or ""
        return _Whom(user, channel_id=str(channel) if isinstance(channel, str) else "")
    user = body.get("user_id") or (body.get("user") or {}).get("id") or ""
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    response_url = body.get("response_url") or ""
    if not response_url:
        urls = body.get("response_urls") or []
        response_url = urls[0].get("response_url", "") if urls else ""
    if not channel and body.get("type") == "view_submission":
        channel = _channel_of_modal(body.get("view") or {})
    return _Whom(str(user), channel_id=str(channel), response_url=str(response_url))


def _channel_of_modal(view: dict[str, Any]) -> str:
    """The channel a modal was opened from, which every ModalContext keeps in the private_metadata."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return ""
    channel = metadata.get("channel_id") if isinstance(metadata, dict) else None
    return channel if isinstance(channel, str) else ""


def first_input_block(view: dict[str, Any]) -> str:
    """The block a modal's error can be shown under: its first input that Slack can mark."""
    for block in view.get("blocks") or []:
        element = block.get("element") or {}
        if block.get("type") == "input" and element.get("type") not in _INPUT_ELEMENTS_WITHOUT_ERRORS:
            return str(block.get("block_id") or "")
    return ""
