"""The workspaces the bot is installed in (OAuth mode), and the install flow's one-time states."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from storage.models.base import RowWithId
from storage.types import UTCDateTime

TEAM_ID_MAX = 32
OAUTH_STATE_MAX = 64


class SlackInstallation(RowWithId, table=True):
    """One workspace's installation: its bot token, encrypted (never stored as Slack gave it)."""

    __tablename__ = "slack_installation"

    enterprise_id: str | None = Field(default=None, max_length=TEAM_ID_MAX)
    team_id: str = Field(max_length=TEAM_ID_MAX, unique=True)
    team_name: str | None = Field(default=None, max_length=200)
    app_id: str | None = Field(default=None, max_length=32)
    bot_token_encrypted: str
    bot_user_id: str = Field(max_length=32)
    bot_id: str = Field(max_length=32)
    bot_scopes: str = Field(max_length=2000)
    installer_user_id: str = Field(max_length=32)
    installed_at: datetime = Field(sa_type=UTCDateTime)


class OAuthState(RowWithId, table=True):
    """A state handed to one browser on the install page; the redirect consumes it once, in time."""

    __tablename__ = "oauth_state"

    state: str = Field(max_length=OAUTH_STATE_MAX, unique=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
