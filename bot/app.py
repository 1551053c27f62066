"""The app factory: settings, services and a Web API client in, a Bolt app out. No side effects."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot.executor import TrackingExecutor
from bot.services import Services
from bot.settings import Settings
from bot.slack_api import UserLanguages
from handlers import HandlerDeps, register_all


def create_app(
    *,
    settings: Settings,
    services: Services,
    client: WebClient,
    executor: TrackingExecutor,
    verify_token: bool = True,
) -> App:
    """The Bolt app with every listener registered.

    `verify_token` asks Slack who the token belongs to (auth.test) now, so a bad token stops start-up.
    """
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=not settings.socket_mode,
        token_verification_enabled=verify_token,
        process_before_response=False,
        listener_executor=executor,
        logger=logging.getLogger("netwerkbot.bolt"),
        name="netwerkbot",
    )
    deps = HandlerDeps(
        services=services,
        languages=UserLanguages(client, default=settings.language),
        default_language=settings.language,
        default_timezone=settings.timezone,
    )
    register_all(app, deps)
    return app
