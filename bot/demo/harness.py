"""The whole bot on loopback against the sandbox: for the demo and for end-to-end tests.

The bot runs as in production (its real HTTP server, the real Bolt app, signed requests, slack_sdk
against the emulator); only its settings point at the sandbox.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from cryptography.fernet import Fernet

from bot.clock import Clock
from bot.runtime import Runtime
from bot.runtime import build_runtime
from bot.sandbox.driver import DriverResponse
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.emulator.oauth import CLIENT_ID as SANDBOX_CLIENT_ID
from bot.sandbox.emulator.oauth import CLIENT_SECRET as SANDBOX_CLIENT_SECRET
from bot.settings import Settings
from bot.web import HttpServer

SANDBOX_SIGNING_SECRET = "sandbox-signing-secret"


def sandbox_settings(
    emulator: SlackEmulator,
    *,
    database_url: str,
    language: str = "nl",
    timezone: str = "Europe/Brussels",
    many_workspaces: bool = False,
) -> Settings:
    """The bot's settings against the sandbox: its one bot token, or (`many_workspaces`) Slack's install
    flow with the sandbox app's client id and secret."""
    oauth = (
        {
            "slack_client_id": SANDBOX_CLIENT_ID,
            "slack_client_secret": SANDBOX_CLIENT_SECRET,
            "token_encryption_key": Fernet.generate_key().decode(),
        }
        if many_workspaces
        else {}
    )
    return Settings(
        slack_bot_token=None if many_workspaces else emulator.bot_token,
        slack_signing_secret=SANDBOX_SIGNING_SECRET,
        slack_app_token=None,
        slack_api_url=emulator.api_url,
        database_url=database_url,
        language=language,
        timezone=timezone,
        host="127.0.0.1",
        port=0,
        retention_months=12,
        **oauth,
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
        many_workspaces: bool = False,
    ) -> None:
        self.emulator = emulator
        self.settings = sandbox_settings(
            emulator,
            database_url=database_url,
            language=language,
            timezone=timezone,
            many_workspaces=many_workspaces,
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

    def install(self, team_id: str, installer: str) -> InstallAnswer:
        """Add the bot to a workspace as a person does: the install page, Slack's consent, the redirect."""
        browser = InstallBrowser(self.url)
        state = browser.open_install_page()
        return browser.redirect(code=self.emulator.grant_install(team_id, installer), state=state)

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


@dataclass(frozen=True, slots=True)
class InstallAnswer:
    status: int
    body: str
    headers: dict[str, str]


class InstallBrowser:
    """A browser on the bot's install pages: it keeps the cookie the install page sets, as browsers do."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        # Browsers hold loopback for a secure origin and send it the install page's Secure cookie.
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(policy))
        )

    def get(self, path: str) -> InstallAnswer:
        try:
            with self._opener.open(self.base_url + path, timeout=10) as response:
                return InstallAnswer(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return InstallAnswer(error.code, error.read().decode(), dict(error.headers))

    def open_install_page(self) -> str:
        """Open /slack/install and return the state in its "Add to Slack" link."""
        page = self.get("/slack/install")
        found = re.search(r"[?&;]state=([A-Za-z0-9_\-]+)", page.body)
        if page.status != 200 or found is None:
            raise AssertionError(f"no install link on the install page ({page.status}): {page.body[:200]}")
        return found.group(1)

    def redirect(self, **query: str) -> InstallAnswer:
        """Come back from Slack's consent page to the bot's redirect URL with this query."""
        return self.get("/slack/oauth_redirect?" + urllib.parse.urlencode(query))
