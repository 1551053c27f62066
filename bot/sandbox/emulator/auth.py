"""auth.test, users.info and apps.connections.open: who the bot is, who a person is, and Socket Mode."""

from __future__ import annotations

import copy
from collections.abc import Callable

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_bool
from bot.sandbox._args import arg_str
from bot.sandbox.emulator.family import MethodFamily
from bot.sandbox.emulator.family import serves
from bot.sandbox.emulator.workspace import Workspace


class AuthApi(MethodFamily):
    def __init__(self, workspace: Workspace, new_socket_mode_url: Callable[[], str]) -> None:
        super().__init__(workspace)
        self._new_socket_mode_url = new_socket_mode_url

    @serves("apps.connections.open")
    def apps_connections_open(self, args: JsonDict, now: float) -> JsonDict:
        return {"url": self._new_socket_mode_url()}

    @serves("auth.test")
    def auth_test(self, args: JsonDict, now: float) -> JsonDict:
        ws = self._ws
        return {
            "url": f"https://{ws.team_domain}.slack.com/",
            "team": ws.team_name,
            "user": ws.users[ws.bot_user_id]["name"],
            "team_id": ws.team_id,
            "user_id": ws.bot_user_id,
            "bot_id": ws.bot_id,
            "is_enterprise_install": False,
        }

    @serves("users.info")
    def users_info(self, args: JsonDict, now: float) -> JsonDict:
        user = self._ws.users.get(arg_str(args, "user") or "")
        if user is None:
            raise SlackError("user_not_found")
        shown = copy.deepcopy(user)
        if not arg_bool(args, "include_locale"):
            shown.pop("locale", None)
        return {"user": shown}
