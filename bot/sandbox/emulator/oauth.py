"""Several workspaces and Slack's install flow: `oauth.v2.access`, and which team each bot token is for.

The sandbox's own workspace has its bot token from the start (single-workspace mode). Other workspaces
are added by name; the app gets a token for one only once someone allows it on Slack's consent page
(`grant`, which hands out the code the browser brings to the bot's redirect) and the bot exchanges that
code. A code is good once, for ten minutes, as Slack's are. Removing the app revokes the team's tokens.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from dataclasses import field

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_str
from bot.sandbox.emulator.workspace import Workspace

CODE_LIFETIME_SECONDS = 600
CLIENT_ID = "1234567890.1234567890"
CLIENT_SECRET = "sandbox-client-secret"


@dataclass
class Team:
    team_id: str
    name: str
    bot_user_id: str
    bot_id: str


@dataclass
class _Code:
    team_id: str
    installer: str
    expires_at: float


@dataclass
class Installations:
    """The workspaces the sandbox knows, the bot tokens each has handed out, and the pending codes."""

    workspace: Workspace
    teams: dict[str, Team] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    """Bot token → team id."""
    codes: dict[str, _Code] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        ws = self.workspace
        self.teams[ws.team_id] = Team(ws.team_id, ws.team_name, ws.bot_user_id, ws.bot_id)
        self.tokens[ws.bot_token] = ws.team_id

    def add_team(self, team_id: str, name: str) -> Team:
        number = next(self._numbers)
        team = Team(team_id, name, bot_user_id=f"U0BOT{number}", bot_id=f"B0BOT{number}")
        self.teams[team_id] = team
        return team

    def grant(self, team_id: str, installer: str, now: float) -> str:
        """Someone in `team_id` allowed the app: the code Slack sends their browser back with."""
        if team_id not in self.teams:
            raise KeyError(f"unknown team {team_id}: add_workspace() it first")
        code = f"code-{team_id}-{next(self._numbers)}"
        self.codes[code] = _Code(team_id, installer, now + CODE_LIFETIME_SECONDS)
        return code

    def revoke(self, team_id: str) -> None:
        """The app was removed from the team: every token it had stops working, and so does a code that
        was still to be exchanged."""
        for token in [token for token, team in self.tokens.items() if team == team_id]:
            del self.tokens[token]
            self.revoked.add(token)
        for code in [code for code, granted in self.codes.items() if granted.team_id == team_id]:
            del self.codes[code]

    def team_of(self, token: str) -> str | None:
        return self.tokens.get(token)

    def refusal(self, token: str) -> str:
        return "token_revoked" if token in self.revoked else "invalid_auth"

    def auth_test(self, team_id: str) -> JsonDict:
        team = self.teams[team_id]
        return {
            "url": f"https://{team.team_id.lower()}.slack.com/",
            "team": team.name,
            "user": "netwerkbot",
            "team_id": team.team_id,
            "user_id": team.bot_user_id,
            "bot_id": team.bot_id,
            "is_enterprise_install": False,
        }

    def oauth_v2_access(self, args: JsonDict, now: float) -> JsonDict:
        if arg_str(args, "client_id") != CLIENT_ID:
            raise SlackError("invalid_client_id")
        if arg_str(args, "client_secret") != CLIENT_SECRET:
            raise SlackError("bad_client_secret")
        code = self.codes.pop(arg_str(args, "code") or "", None)
        if code is None or code.expires_at < now:
            raise SlackError("invalid_code")
        team = self.teams[code.team_id]
        token = f"xoxb-{team.team_id.lower()}-{next(self._numbers)}"
        self.tokens[token] = team.team_id
        return {
            "access_token": token,
            "token_type": "bot",
            "scope": arg_str(args, "scope") or "chat:write,commands",
            "bot_user_id": team.bot_user_id,
            "app_id": self.workspace.app_id,
            "team": {"id": team.team_id, "name": team.name},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": code.installer},
        }
