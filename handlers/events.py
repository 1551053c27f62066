"""Events API callbacks that no part of the bot handles."""

from __future__ import annotations

import re

from slack_bolt import Ack
from slack_bolt import App


def register_fallback(app: App) -> None:
    """Acknowledge every event nothing else took.

    Bolt answers 404 to an unhandled event, and Slack re-delivers what was not acknowledged; the
    manifest subscribes to events (plain messages, say) of which the bot uses only some.
    Registered last: Bolt runs the first listener that matches.
    """

    @app.event(re.compile(".*"))
    def acknowledge_unused_event(ack: Ack) -> None:
        ack()
