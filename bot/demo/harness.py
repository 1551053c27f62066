"""The whole bot on loopback against the sandbox: for the demo and for end-to-end tests.

The bot runs as in production (its real HTTP server, the real Bolt app, signed requests, slack_sdk
against the emulator); only its settings point at the sandbox.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from bot.clock import Clock
from bot.runtime import Runtime, build_runtime
from bot.sandbox.driver import DriverResponse, SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.settings import Settings
from bot.web import HttpServer

SANDBOX_SIGNING_SECRET = "sandbox-signing-secret"


def sandbox_settings(
    emulator: SlackEmulator, *, database_url: str, language: str = "nl", timezone: str = "Europe/Brussels"
) -> Settings:
    return Settings(
        slack_bot_token=emulator.bot_token,
        slack_signing_secret=SANDBOX_SIGNING_SECRET,
        slack_app_token=None,
        slack_api_url=emulator.api_url,
        database_url=database_url,
        language=language,
        timezone=timezone,
        host="127.0.0.1",
        port=0,
        retention_months=12,
    )


class LocalBot:
    """The bot served on a free loopback port, talking to `emulator`, driven through `driver`."""

    def __init__(
        self,
        emulator: SlackEmulator,
        *,
        database_url: str,
        clock: Clock | None = None,
        language: str = "nl",
        timezone: str = "Europe/Brussels",
        start_scheduler: bool = True,
    ) -> None:
        self.emulator = emulator
        self.settings = sandbox_settings(
            emulator, database_url=database_url, language=language, timezone=timezone
        )
        self._clock = clock
        self._start_scheduler = start_scheduler
        self.runtime: Runtime | None = None
        self.server: HttpServer | None = None
        self.driver: SlackDriver | None = None

    def start(self) -> LocalBot:
        self.runtime = build_runtime(self.settings, clock=self._clock)
        if self._start_scheduler:
            self.runtime.scheduler.start()
        self.server = self.runtime.http_server(host="127.0.0.1", port=0).start()
        self.driver = SlackDriver(self.server.events_url, SANDBOX_SIGNING_SECRET, self.emulator)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        if self.runtime is not None:
            self.runtime.close()

    def __enter__(self) -> LocalBot:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self.server is not None, "start() the bot first"
        return self.server.base_url

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the bot has finished all it was asked; a hang is a failure, not a wait."""
        assert self.runtime is not None, "start() the bot first"
        if not self.runtime.settle(timeout):
            raise TimeoutError(f"the bot was still busy after {timeout} s")

    # The calls below send one request as Slack would and wait until the bot has handled it.

    def command(
        self, text: str, *, user_id: str, channel_id: str, command: str = "/netwerk"
    ) -> DriverResponse:
        assert self.driver is not None, "start() the bot first"
        response = self.driver.slash_command(text, command=command, user_id=user_id, channel_id=channel_id)
        self.settle()
        return response

    def submit_view(self, user_id: str, values: dict[str, dict[str, Any]] | None = None) -> DriverResponse:
        assert self.driver is not None, "start() the bot first"
        response = self.driver.submit_view(user_id, values)
        self.settle()
        return response

    def send_event(self, event: dict[str, Any], **options: Any) -> DriverResponse:
        assert self.driver is not None, "start() the bot first"
        response = self.driver.event(event, **options)
        self.settle()
        return response

    def message_shortcut(
        self, callback_id: str, *, user_id: str, channel_id: str, message_ts: str
    ) -> DriverResponse:
        """Use a message shortcut on a stored message, as Slack would."""
        assert self.driver is not None, "start() the bot first"
        response = self.driver.message_shortcut(
            user_id=user_id, callback_id=callback_id, channel_id=channel_id, message_ts=message_ts
        )
        self.settle()
        return response
