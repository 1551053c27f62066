"""The running bot, assembled from its settings: database, services, Web API client, app, scheduler."""

from __future__ import annotations

from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.app import create_app
from bot.clock import Clock, SystemClock
from bot.executor import TrackingExecutor
from bot.scheduler import create_scheduler
from bot.services import Services, build_services
from bot.settings import Settings
from bot.slack_api import make_web_client
from bot.web import Health, HttpServer, make_wsgi_app
from storage.db import create_db_engine, migrate, ping, session_factory


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    services: Services
    client: WebClient
    executor: TrackingExecutor
    app: App
    scheduler: BackgroundScheduler

    def health(self) -> Health:
        return Health(database=ping(self.engine), scheduler=bool(self.scheduler.running))

    def http_server(self, *, host: str | None = None, port: int | None = None) -> HttpServer:
        wsgi = make_wsgi_app(self.app, health=self.health)
        return HttpServer(
            wsgi,
            host=self.settings.host if host is None else host,
            port=self.settings.port if port is None else port,
        )

    def settle(self, timeout: float = 10.0) -> bool:
        """Wait until every acknowledged request has been handled to the end."""
        return self.executor.wait_idle(timeout)

    def close(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.executor.shutdown(wait=True)
        self.engine.dispose()


def build_runtime(settings: Settings, *, clock: Clock | None = None, verify_token: bool = True) -> Runtime:
    """Connect, migrate and assemble; start nothing yet.

    Raises sqlalchemy's OperationalError when the database cannot be reached, and slack_bolt's BoltError
    when `verify_token` is on and Slack refuses the token.
    """
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    services = build_services(sessions=session_factory(engine), clock=clock or SystemClock())
    client = make_web_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    executor = TrackingExecutor()
    app = create_app(
        settings=settings, services=services, client=client, executor=executor, verify_token=verify_token
    )
    return Runtime(
        settings=settings,
        engine=engine,
        services=services,
        client=client,
        executor=executor,
        app=app,
        scheduler=create_scheduler(),
    )
