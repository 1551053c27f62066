"""The app factory: settings, services and a Web API client in, a Bolt app out. No side effects."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
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
    bolt_logger = logging.getLogger("netwerkbot.bolt")
    bolt_logger.addFilter(_ignore_token_from_environment)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        # bot.web checks every HTTP request's signature before Bolt sees it; Socket Mode needs none.
        request_verification_enabled=False,
        token_verification_enabled=verify_token,
        process_before_response=False,
        listener_executor=executor,
        logger=bolt_logger,
        name="netwerkbot",
    )
    deps = HandlerDeps(
        services=services,
        languages=UserLanguages(client, default=settings.language),
        default_language=settings.language,
        default_timezone=settings.timezone,
        after_ack=executor.submit,
    )
    register_all(app, deps)
    return app


def _ignore_token_from_environment(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns that our client, which
    # carries that same token, wins; the warning says nothing an operator can act on.
    return record.getMessage() != warning_client_prioritized_and_token_skipped()
