"""Many workspaces: Bolt's installation and state stores on the bot's own database, tokens encrypted.

slack_sdk's `InstallationStore` and `OAuthStateStore` interfaces, kept in `slack_installation` and
`oauth_state` through `storage/`. A bot token is encrypted with the key from TOKEN_ENCRYPTION_KEY before
it is written, so the database alone gives no way into any workspace; it is never logged.
"""

from __future__ import annotations

import html
import logging
import secrets
from datetime import datetime
from datetime import timedelta
from logging import Logger
from typing import Any

from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken
from slack_bolt import BoltContext
from slack_bolt import BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.error import BoltError
from slack_bolt.oauth.callback_options import CallbackOptions
from slack_bolt.oauth.callback_options import FailureArgs
from slack_bolt.oauth.callback_options import SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlalchemy.exc import IntegrityError

from bot.clock import Clock
from bot.i18n import Texts
from storage import queries_installations as q
from storage.db import SessionFactory
from storage.db import unit_of_work
from storage.models import SlackInstallation

log = logging.getLogger(__name__)

STATE_LIFETIME = timedelta(minutes=10)
"""How long the install page's link stays good: Slack's own consent screen takes a person a minute."""


class TokenCipher:
    """Fernet (AES-128-CBC with an HMAC) under the key from the settings."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, encrypted: str) -> str | None:
        """The token, or None when it was encrypted under another key (the key was changed)."""
        try:
            return self._fernet.decrypt(encrypted.encode()).decode()
        except InvalidToken:
            return None


class DatabaseInstallationStore(InstallationStore):
    """One installation per workspace (its bot only: the bot asks for no user tokens)."""

    def __init__(self, *, sessions: SessionFactory, cipher: TokenCipher, clock: Clock) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._clock = clock

    @property
    def logger(self) -> Logger:
        return log

    def save(self, installation: Installation) -> None:
        """Keep the workspace's bot; an install for a whole organisation (no team) is refused."""
        if not installation.team_id or not installation.bot_token:
            raise BoltError("only installs in one workspace with a bot token are supported")
        row = SlackInstallation(
            enterprise_id=installation.enterprise_id,
            team_id=installation.team_id,
            team_name=installation.team_name,
            app_id=installation.app_id,
            bot_token_encrypted=self._cipher.encrypt(installation.bot_token),
            bot_user_id=installation.bot_user_id or "",
            bot_id=installation.bot_id or "",
            bot_scopes=",".join(installation.bot_scopes or []),
            installer_user_id=installation.user_id,
            installed_at=self._clock.now(),
        )
        try:
            with unit_of_work(self._sessions) as session:
                q.save_installation(session=session, installation=row)
        except IntegrityError as error:
            # The same workspace installed twice at the same moment: the other install is kept.
            raise BoltError("the workspace was being installed at the same time") from error
        log.info("installed in workspace %s", installation.team_id)

    def save_bot(self, bot: Bot) -> None:
        raise NotImplementedError("installations are saved whole, through save()")

    def find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        if not team_id:
            return None
        with unit_of_work(self._sessions) as session:
            row = q.get_installation(session=session, team_id=team_id)
        if row is None:
            return None
        token = self._cipher.decrypt(row.bot_token_encrypted)
        if token is None:
            log.error("the token of workspace %s does not decrypt with TOKEN_ENCRYPTION_KEY", team_id)
            return None
        return Bot(
            app_id=row.app_id,
            enterprise_id=row.enterprise_id,
            team_id=row.team_id,
            team_name=row.team_name,
            bot_token=token,
            bot_id=row.bot_id,
            bot_user_id=row.bot_user_id,
            bot_scopes=row.bot_scopes,
            installed_at=row.installed_at.timestamp(),
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        bot = self.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None or user_id is not None:
            return None
        return Installation(
            **_bot_fields(bot),
            app_id=bot.app_id,
            team_name=bot.team_name,
            user_id="",
            installed_at=bot.installed_at,
        )

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        if team_id:
            with unit_of_work(self._sessions) as session:
                q.delete_installation(session=session, team_id=team_id)
            log.info("uninstalled from workspace %s", team_id)

    def forget_bot(self, *, team_id: str | None, removed_at: datetime | None) -> None:
        """Forget the workspace's installation as Slack removed it at `removed_at`: not one made after it.

        Slack's event of a removal may be worked late (a backlog, a process that died before it), when the
        workspace has installed the bot again since. Slack gives the moment in whole seconds, so an
        installation within a second before it counts as removed.
        """
        if not team_id:
            return
        installed_before = None if removed_at is None else removed_at + timedelta(seconds=1)
        with unit_of_work(self._sessions) as session:
            removed = q.delete_installation(
                session=session, team_id=team_id, installed_before=installed_before
            )
        if removed:
            log.info("uninstalled from workspace %s", team_id)
        else:
            log.info(
                "kept the installation of workspace %s, made after its removal at %s", team_id, removed_at
            )

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:
            self.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def installed_team_ids(self) -> set[str]:
        with unit_of_work(self._sessions) as session:
            return q.installed_team_ids(session=session)


def _bot_fields(bot: Bot) -> dict[str, Any]:
    """What an installation, a bot and an authorisation all say of the workspace's bot."""
    return {
        "enterprise_id": bot.enterprise_id,
        "team_id": bot.team_id,
        "bot_token": bot.bot_token,
        "bot_id": bot.bot_id,
        "bot_user_id": bot.bot_user_id,
        "bot_scopes": bot.bot_scopes,
    }


class DatabaseOAuthStateStore(OAuthStateStore):
    """Each state is good once, for STATE_LIFETIME: consuming it is one DELETE, so a replay finds nothing."""

    def __init__(self, *, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    @property
    def logger(self) -> Logger:
        return log

    def issue(self, *args: object, **kwargs: object) -> str:
        state = secrets.token_urlsafe(32)
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            q.purge_expired_states(session=session, now=now)
            q.add_state(session=session, state=state, expires_at=now + STATE_LIFETIME)
        return state

    def consume(self, state: str) -> bool:
        if not state or len(state) > 64:
            return False
        with unit_of_work(self._sessions) as session:
            return q.consume_state(session=session, state=state, now=self._clock.now())


# What the install flow asks each workspace for: the bot scopes of manifest.json (tests/test_manifest.py).
BOT_SCOPES = (
    "canvases:read",
    "canvases:write",
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "mpim:history",
    "mpim:write",
    "pins:write",
    "reactions:read",
    "reactions:write",
    "users:read",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


class StoredBotAuthorize(Authorize):
    """Each request gets its own workspace's bot token from the store, or nothing: Bolt then answers that
    the bot is not installed, and no other workspace's token is ever at hand."""

    def __init__(self, store: DatabaseInstallationStore) -> None:
        self._store = store

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        bot = self._store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None:
            return None
        return AuthorizeResult(**_bot_fields(bot), team=bot.team_name, user_id=user_id)


def oauth_settings(
    *,
    client_id: str,
    client_secret: str,
    store: DatabaseInstallationStore,
    states: DatabaseOAuthStateStore,
    language: str,
) -> OAuthSettings:
    """Bolt's install flow at /slack/install and /slack/oauth_redirect, on the bot's own stores."""
    texts = Texts(language)
    return OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=int(STATE_LIFETIME.total_seconds()),
        callback_options=CallbackOptions(
            success=lambda args: _installed_page(texts, args), failure=lambda args: _failed_page(texts, args)
        ),
    )


# Why an install did not go through, as Bolt names it, and the text that says so.
_FAILURE_TEXTS = {
    "invalid_state": "install.failed_state",
    "invalid_browser": "install.failed_state",
    "missing_code": "install.failed_code",
    "invalid_code": "install.failed_code",
    "access_denied": "install.failed_cancelled",
}


def _installed_page(texts: Texts, args: SuccessArgs) -> BoltResponse:
    team = args.installation.team_name or args.installation.team_id or ""
    return _page(200, texts, texts("install.done", team=team), again=False)


def _failed_page(texts: Texts, args: FailureArgs) -> BoltResponse:
    # The reason may come from the query string (?error=…): shown and logged short, and escaped.
    reason = str(args.reason)[:64]
    text_key = _FAILURE_TEXTS.get(reason, "install.failed_other")
    log.info("an installation did not go through: %r", reason)
    status = args.suggested_status_code if reason != "storage_error" else 503
    return _page(status, texts, texts(text_key, reason=reason), again=True)


def _page(status: int, texts: Texts, message: str, *, again: bool) -> BoltResponse:
    link = f'<p><a href="{INSTALL_PATH}">{html.escape(texts("install.again"))}</a></p>' if again else ""
    body = (
        f'<!DOCTYPE html><html lang="{texts.language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(texts('install.page_title'))}</title></head>"
        f"<body><h1>{html.escape(texts('install.page_title'))}</h1><p>{html.escape(message)}</p>{link}</body></html>"
    )
    return BoltResponse(
        status=status,
        body=body,
        headers={"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
    )
