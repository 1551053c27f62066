"""The app factory: settings, services and a Web API client in, a Bolt app out. No side effects."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_bolt import BoltRequest
from slack_bolt import BoltResponse
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot.executor import TrackingExecutor
from bot.i18n import Texts
from bot.installations import DatabaseInstallationStore
from bot.installations import DatabaseOAuthStateStore
from bot.installations import StoredBotAuthorize
from bot.installations import oauth_settings
from bot.services import Services
from bot.settings import Settings
from bot.slack_api import UserLanguages
from bot.slack_api import WorkspaceClients
from bot.workspace import in_workspace
from handlers import HandlerDeps
from handlers import installations
from handlers import register_all


@dataclass(frozen=True, slots=True)
class Installing:
    """With many workspaces: where installations and the install flow's states are kept."""

    store: DatabaseInstallationStore
    states: DatabaseOAuthStateStore


def create_app(
    *,
    settings: Settings,
    services: Services,
    client: WebClient,
    executor: TrackingExecutor,
    verify_token: bool = True,
    clients: WorkspaceClients | None = None,
    installing: Installing | None = None,
    replaying: bool = False,
) -> App:
    """The Bolt app with every listener registered.

    `verify_token` asks Slack who the token belongs to (auth.test) now, so a bad token stops start-up.
    With `installing` (many workspaces) `client` carries no token: each request gets its workspace's.
    `replaying`: the app that works requests acknowledged when they were recorded (bot.inbound): each
    listener runs to its end on the calling thread, and what it acknowledges goes nowhere.
    """
    bolt_logger = logging.getLogger("netwerkbot.bolt")
    bolt_logger.addFilter(_ignore_token_from_environment)
    app = WorkspaceAwareApp(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        # bot.web checks every HTTP request's signature before Bolt sees it; Socket Mode needs none.
        request_verification_enabled=False,
        token_verification_enabled=verify_token and installing is None and not replaying,
        process_before_response=replaying,
        listener_executor=executor,
        logger=bolt_logger,
        name="netwerkbot",
        **_installing_options(settings, installing),
    )
    deps = HandlerDeps(
        services=services,
        languages=UserLanguages(clients or client, default=settings.language),
        default_language=settings.language,
        default_timezone=settings.timezone,
        after_ack=(lambda work: work()) if replaying else executor.submit,
        replaying=replaying,
    )
    if installing is not None:
        # Before the rest: the last of them acknowledges every event nothing else took.
        installations.register(app, installing.store)
    register_all(app, deps)
    return app


def _installing_options(settings: Settings, installing: Installing | None) -> dict[str, Any]:
    if installing is None:
        return {}
    assert settings.slack_client_id and settings.slack_client_secret
    return {
        "oauth_settings": oauth_settings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            store=installing.store,
            states=installing.states,
            language=settings.language,
        ),
        "authorize": StoredBotAuthorize(installing.store),
        "user_facing_authorize_error_message": Texts(settings.language)("install.not_installed"),
    }


class WorkspaceAwareApp(App):
    """Bolt's app, dispatching each request within its workspace (see bot.workspace).

    Not a middleware: Bolt hands the listener to the executor after the middleware chain has returned,
    and the executor's thread takes the workspace along from the dispatch (bot.executor).
    """

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        with in_workspace(req.context.team_id):
            return super().dispatch(req)


def _ignore_token_from_environment(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns that our client, which
    # carries that same token, wins; the warning says nothing an operator can act on.
    return record.getMessage() != warning_client_prioritized_and_token_skipped()
