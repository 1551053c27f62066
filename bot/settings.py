"""The bot's settings: read once, validated up front, frozen."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.i18n import SUPPORTED_LANGUAGES

README_HINT = "see README.md, section Settings"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name} {problem} ({README_HINT})")
        self.name = name


@dataclass(frozen=True, slots=True)
class Settings:
    slack_bot_token: str | None
    """None with many workspaces: each workspace's token comes from its installation."""
    slack_signing_secret: str | None
    slack_app_token: str | None
    slack_api_url: str
    database_url: str
    language: str
    timezone: str
    host: str
    port: int
    retention_months: int
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    token_encryption_key: str | None = None

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def many_workspaces(self) -> bool:
        """Installed through Slack's OAuth flow in any number of workspaces, instead of one bot token."""
        return self.slack_bot_token is None


DEFAULTS: dict[str, str] = {
    "SLACK_API_URL": "https://slack.com/api/",
    "DATABASE_URL": "sqlite:///netwerk.db",
    "BOT_LANGUAGE": "nl",
    "BOT_TIMEZONE": "Europe/Brussels",
    "HOST": "0.0.0.0",
    "PORT": "3000",
    "RETENTION_MONTHS": "12",
}

_HOST_PATTERN = re.compile(r"^[A-Za-z0-9.:\-\[\]]+$")


def load_settings(env: Mapping[str, str]) -> Settings:
    """Build the settings from an environment mapping.

    Raises SettingsError for the first variable that is missing or malformed.
    """

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or DEFAULTS.get(name)

    bot_token, app_token, signing_secret = _slack_credentials(get)
    oauth = _oauth_credentials(get) if bot_token is None else (None, None, None)
    language = (get("BOT_LANGUAGE") or "").lower()
    if language not in SUPPORTED_LANGUAGES:
        raise SettingsError("BOT_LANGUAGE", f"must be one of {', '.join(SUPPORTED_LANGUAGES)}")
    timezone = get("BOT_TIMEZONE") or ""
    if not is_known_timezone(timezone):
        raise SettingsError(
            "BOT_TIMEZONE", f"is not a known time zone: {timezone!r} (for example Europe/Brussels)"
        )
    host = get("HOST") or ""
    if not _HOST_PATTERN.match(host):
        raise SettingsError("HOST", f"is not a host name or address: {host!r}")
    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_api_url=_api_url(get("SLACK_API_URL") or DEFAULTS["SLACK_API_URL"]),
        database_url=load_database_url(env),
        language=language,
        timezone=timezone,
        host=host,
        port=_parse_int("PORT", get("PORT") or "", minimum=1, maximum=65535),
        retention_months=_parse_int(
            "RETENTION_MONTHS", get("RETENTION_MONTHS") or "", minimum=1, maximum=1200
        ),
        slack_client_id=oauth[0],
        slack_client_secret=oauth[1],
        token_encryption_key=oauth[2],
    )


def _slack_credentials(get: Callable[[str], str | None]) -> tuple[str | None, str | None, str | None]:
    """The bot token (None to install in many workspaces), the app-level token (Socket Mode) and the
    signing secret (HTTP mode)."""
    bot_token = get("SLACK_BOT_TOKEN")
    if bot_token is None and get("SLACK_CLIENT_ID") is None and get("SLACK_CLIENT_SECRET") is None:
        raise SettingsError(
            "SLACK_BOT_TOKEN",
            "is not set: the bot token (xoxb-…) from OAuth & Permissions, or SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET to install in many workspaces",
        )
    if bot_token is not None and not bot_token.startswith("xoxb-"):
        raise SettingsError("SLACK_BOT_TOKEN", "must be a bot token starting with xoxb-")
    app_token = get("SLACK_APP_TOKEN")
    if app_token is not None and not app_token.startswith("xapp-"):
        raise SettingsError("SLACK_APP_TOKEN", "must be an app-level token starting with xapp-")
    if app_token is not None and bot_token is None:
        raise SettingsError(
            "SLACK_APP_TOKEN",
            "cannot install in many workspaces: the install pages need HTTP mode",
        )
    signing_secret = get("SLACK_SIGNING_SECRET")
    if app_token is None and signing_secret is None:
        raise SettingsError(
            "SLACK_SIGNING_SECRET", "is not set: HTTP mode needs it (or set SLACK_APP_TOKEN for Socket Mode)"
        )
    return bot_token, app_token, signing_secret


def _oauth_credentials(get: Callable[[str], str | None]) -> tuple[str, str, str]:
    """The client id and secret of Slack's install flow, and the key that encrypts the stored tokens."""
    client_id = get("SLACK_CLIENT_ID")
    if client_id is None:
        raise SettingsError("SLACK_CLIENT_ID", "is not set: Basic Information, App Credentials, Client ID")
    if not re.match(r"^[0-9]+\.[0-9]+$", client_id):
        raise SettingsError("SLACK_CLIENT_ID", "must look like 1234567890.1234567890 (Basic Information)")
    client_secret = get("SLACK_CLIENT_SECRET")
    if client_secret is None:
        raise SettingsError(
            "SLACK_CLIENT_SECRET", "is not set: Basic Information, App Credentials, Client Secret"
        )
    key = get("TOKEN_ENCRYPTION_KEY")
    if key is None:
        raise SettingsError("TOKEN_ENCRYPTION_KEY", "is not set: installing in many workspaces needs it")
    if not is_fernet_key(key):
        raise SettingsError(
            "TOKEN_ENCRYPTION_KEY", "must be a Fernet key: URL-safe base64 of 32 bytes (44 characters)"
        )
    return client_id, client_secret, key


def is_fernet_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return False
    return True


def _api_url(api_url: str) -> str:
    if not re.match(r"^https?://[^/\s]+", api_url):
        raise SettingsError("SLACK_API_URL", f"is not an http(s) URL: {api_url!r}")
    return api_url if api_url.endswith("/") else api_url + "/"


def load_database_url(env: Mapping[str, str]) -> str:
    """DATABASE_URL alone, for the commands that need nothing else (migrate, export)."""
    database_url = env.get("DATABASE_URL", "").strip() or DEFAULTS["DATABASE_URL"]
    try:
        backend = make_url(database_url).get_backend_name()
    except ArgumentError:
        raise SettingsError(
            "DATABASE_URL", "is not a database URL (for example sqlite:///netwerk.db)"
        ) from None
    if backend not in ("sqlite", "postgresql"):
        raise SettingsError("DATABASE_URL", f"names {backend!r}: only sqlite and postgresql are supported")
    return database_url


def is_known_timezone(name: str) -> bool:
    if not name or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _parse_int(name: str, raw: str, *, minimum: int, maximum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(name, f"must be a whole number, not {raw!r}") from None
    if not minimum <= value <= maximum:
        raise SettingsError(name, f"must be between {minimum} and {maximum}, not {value}")
    return value
