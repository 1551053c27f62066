"""The one error boundary: whatever a listener did not expect is logged whole and the user is told."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.i18n import Texts
from handlers import HandlerDeps

log = logging.getLogger(__name__)

# Bolt's thread runner (slack_bolt/listener/thread_runner.py) sets the ack back to None when a listener
# fails after acknowledging, right after this handler returns; the request thread polls for the ack
# every 10 ms, so it answers 404 after 3 s if it had not seen the ack yet. Holding the handler a little
# longer than one poll lets the request thread send the ack it already has.
_ACK_POLL_GRACE_SECONDS = 0.05


def register(app: App, deps: HandlerDeps) -> None:
    @app.error
    def handle_unexpected_error(
        error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> BoltResponse | None:
        log.error("unhandled error while handling a Slack request", exc_info=error)
        if context.ack.response is not None:
            time.sleep(_ACK_POLL_GRACE_SECONDS)
        user_id, channel_id, response_url = _whom_to_tell(body)
        if not user_id:
            return None
        text = Texts(deps.languages.language_of(user_id))("error.unexpected")
        try:
            if response_url:
                WebhookClient(response_url).send(text=text, response_type="ephemeral", replace_original=False)
            elif channel_id:
                client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
        except Exception:
            log.exception("could not tell %s about the error", user_id)
        return None


def _whom_to_tell(body: dict[str, Any]) -> tuple[str, str, str]:
    """The user, channel and response_url of a command, interaction or event, where it has them."""
    user = body.get("user_id") or (body.get("user") or {}).get("id") or ""
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    response_url = body.get("response_url") or ""
    if not response_url:
        urls = body.get("response_urls") or []
        response_url = urls[0].get("response_url", "") if urls else ""
    return str(user), str(channel), str(response_url)
