"""A workspace removes the bot, or revokes its token (many workspaces only).

Slack sends `app_uninstalled` and `tokens_revoked` after the fact, without a token that still works:
the workspace's installation is forgotten, so that nothing is posted there with a dead token. Its
networks stay stored and simply fall silent (their timed posts and pending effects find no token);
installing the bot again brings them back.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext

from bot.installations import DatabaseInstallationStore


def register(app: App, store: DatabaseInstallationStore) -> None:
    def forget_installation(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        store.forget_bot(team_id=context.team_id, removed_at=_event_time(body))

    def forget_when_the_bot_token_is_revoked(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        # A revoked user token (someone who authorised the app for themselves) leaves the bot working.
        if (event.get("tokens") or {}).get("bot"):
            store.forget_bot(team_id=context.team_id, removed_at=_event_time(body))

    app.event("app_uninstalled")(forget_installation)
    app.event("tokens_revoked")(forget_when_the_bot_token_is_revoked)


def _event_time(body: dict[str, Any]) -> datetime | None:
    """When Slack saw the removal happen (None when the envelope does not say)."""
    moment = body.get("event_time")
    return datetime.fromtimestamp(moment, UTC) if isinstance(moment, int) and moment > 0 else None
