"""``SlackEmulator``: the workspace and its Web API served on loopback, and what tests ask of it.

It holds one lock around every call into the workspace and the method families; they never lock.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any
from typing import Generic
from typing import TypeVar

from bot.sandbox._args import JsonDict
from bot.sandbox.emulator.auth import AuthApi
from bot.sandbox.emulator.calls import CallLog
from bot.sandbox.emulator.calls import RecordedCall
from bot.sandbox.emulator.canvases import Canvas
from bot.sandbox.emulator.canvases import CanvasesApi
from bot.sandbox.emulator.chat import ChatApi
from bot.sandbox.emulator.conversations import ConversationsApi
from bot.sandbox.emulator.dispatch import Dispatcher
from bot.sandbox.emulator.files import FilesApi
from bot.sandbox.emulator.http_server import HttpServer
from bot.sandbox.emulator.http_server import Outcome
from bot.sandbox.emulator.messages import reader_message
from bot.sandbox.emulator.oauth import Installations
from bot.sandbox.emulator.reactions import ReactionsApi
from bot.sandbox.emulator.reactions import add_reaction
from bot.sandbox.emulator.response_urls import ResponseUrls
from bot.sandbox.emulator.views import ViewsApi
from bot.sandbox.emulator.workspace import Workspace
from bot.sandbox.ratelimits import RateLimiter
from bot.sandbox.ratelimits import RateLimitPolicy
from bot.sandbox.socket_mode import SocketModeServer

T = TypeVar("T")


class _Forwarded(Generic[T]):
    """An attribute of the emulator kept on one of its parts (``part``), where the other parts read it."""

    def __init__(self, part: str) -> None:
        self._part = part

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, emulator: Any, objtype: type | None = None) -> T:
        return getattr(getattr(emulator, self._part), self._name)

    def __set__(self, emulator: Any, value: T) -> None:
        setattr(getattr(emulator, self._part), self._name, value)


class SlackEmulator:
    """A Slack workspace and its Web API, served on ``127.0.0.1`` on a free port by a daemon thread."""

    team_id = _Forwarded[str]("_workspace")
    team_domain = _Forwarded[str]("_workspace")
    team_name = _Forwarded[str]("_workspace")
    bot_token = _Forwarded[str]("_workspace")
    app_token = _Forwarded[str]("_workspace")
    bot_user_id = _Forwarded[str]("_workspace")
    bot_id = _Forwarded[str]("_workspace")
    app_id = _Forwarded[str]("_workspace")
    bot_name = _Forwarded[str]("_workspace")
    clock = _Forwarded[Callable[[], float]]("_workspace")
    # Whether calls are held to Slack's rate limits (off after every reset).
    rate_limits = _Forwarded[bool]("_dispatcher")

    def __init__(
        self,
        *,
        team_id: str = "T0NETWERK",
        team_domain: str = "netwerk-sandbox",
        team_name: str = "Netwerk Sandbox",
        bot_token: str = "xoxb-sandbox-token",
        app_token: str = "xapp-sandbox-token",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        app_id: str = "A0NETWERK",
        bot_name: str = "Netwerkbot",
        clock: Callable[[], float] = time.time,
        rate_limit_policy: RateLimitPolicy | None = None,
    ) -> None:
        self._workspace = Workspace(
            team_id=team_id,
            team_domain=team_domain,
            team_name=team_name,
            bot_token=bot_token,
            app_token=app_token,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
            bot_name=bot_name,
            clock=clock,
        )
        self._limiter = RateLimiter(rate_limit_policy)
        self._lock = threading.RLock()
        self._server: HttpServer | None = None
        self._socket_mode: SocketModeServer | None = None
        self._new_families()

    def _new_families(self) -> None:
        """The Web API's method families, empty, and the dispatcher that routes requests to them."""
        ws = self._workspace
        self._call_log = CallLog()
        self._chat = ChatApi(ws)
        self._views = ViewsApi(ws)
        self._files = FilesApi(ws, lambda: self.base_url)
        self._canvases = CanvasesApi(ws)
        self._response_urls = ResponseUrls(ws, lambda: self.base_url)
        families = (
            AuthApi(ws, lambda: self.socket_mode.new_url()),
            self._chat,
            ConversationsApi(ws),
            ReactionsApi(ws),
            self._views,
            self._files,
            self._canvases,
        )
        self._limiter.reset()
        self._installations = Installations(ws)
        self._dispatcher = Dispatcher(
            lock=self._lock,
            workspace=ws,
            methods={name: method for family in families for name, method in family.methods().items()},
            call_log=self._call_log,
            limiter=self._limiter,
            files=self._files,
            response_urls=self._response_urls,
            installations=self._installations,
        )

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> SlackEmulator:
        if self._server is None:
            self._server = HttpServer(self._handle_http)
        return self

    def stop(self) -> None:
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> SlackEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return self._server.port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    @property
    def socket_mode(self) -> SocketModeServer:
        """The Socket Mode endpoint ``apps.connections.open`` hands out, started on first use."""
        with self._lock:
            if self._socket_mode is None:
                self._socket_mode = SocketModeServer(app_id=self.app_id).start()
            return self._socket_mode

    def reset(self) -> None:
        """Forget everything (messages, views, calls, faults, users, channels); the bot user stays."""
        with self._lock:
            self._workspace.reset()
            self._new_families()
            if self._socket_mode is not None:
                self._socket_mode.reset()

    def _handle_http(self, verb: str, target: str, headers: Mapping[str, str], body: bytes) -> Outcome:
        return self._dispatcher.handle(verb, target, headers, body)

    # ------------------------------------------------------------------ workspace set-up

    def add_user(
        self,
        user_id: str,
        name: str,
        real_name: str | None = None,
        locale: str = "nl-NL",
        is_bot: bool = False,
        tz: str = "Europe/Brussels",
        *,
        display_name: str | None = None,
        team_id: str | None = None,
    ) -> JsonDict:
        """`team_id` puts the person in another workspace (one added with `add_workspace`)."""
        with self._lock:
            user = self._workspace.add_user(
                user_id,
                name,
                real_name=real_name,
                locale=locale,
                is_bot=is_bot,
                tz=tz,
                display_name=display_name,
            )
            if team_id is not None:
                user["team_id"] = user["profile"]["team"] = team_id
            return copy.deepcopy(user)

    def add_channel(
        self,
        channel_id: str,
        name: str,
        members: Iterable[str] = (),
        is_private: bool = False,
        bot_is_member: bool = True,
        *,
        topic: str = "",
        purpose: str = "",
        team_id: str | None = None,
    ) -> JsonDict:
        """Add a channel; an id starting with D is a DM between the bot and the one member given.
        `team_id` puts it in another workspace (one added with `add_workspace`)."""
        with self._lock:
            channel = self._workspace.add_channel(
                channel_id,
                name,
                members,
                is_private=is_private,
                bot_is_member=bot_is_member,
                topic=topic,
                purpose=purpose,
            )
            channel.team_id = team_id or self._workspace.team_id
            return self._workspace.channel_object(channel)

    # ------------------------------------------------------------------ several workspaces

    def add_workspace(self, team_id: str, name: str) -> str:
        """Another workspace, without the app until someone installs it; returns its bot's user id."""
        with self._lock:
            return self._installations.add_team(team_id, name).bot_user_id

    def grant_install(self, team_id: str, installer: str) -> str:
        """Someone in `team_id` allowed the app on Slack's consent page: the code for the bot's redirect."""
        with self._lock:
            return self._installations.grant(team_id, installer, self.clock())

    def uninstall(self, team_id: str) -> None:
        """The app was removed from the workspace: its bot tokens stop working (`token_revoked`)."""
        with self._lock:
            self._installations.revoke(team_id)

    def bot_tokens_of(self, team_id: str) -> list[str]:
        with self._lock:
            return [token for token, team in self._installations.tokens.items() if team == team_id]

    def join(self, channel_id: str, user_id: str) -> None:
        with self._lock:
            channel = self._workspace.channels[channel_id]
            if user_id not in channel.members:
                channel.members.append(user_id)

    def leave(self, channel_id: str, user_id: str) -> None:
        with self._lock:
            channel = self._workspace.channels[channel_id]
            if user_id in channel.members:
                channel.members.remove(user_id)

    def deactivate_user(self, user_id: str) -> None:
        """An admin deactivates the account: users.info says `deleted`, a group DM with it is refused."""
        with self._lock:
            self._workspace.users[user_id]["deleted"] = True

    def dm_channel_id(self, user_id: str) -> str:
        """The id of the bot's DM with this user (created on first use, like conversations.open)."""
        with self._lock:
            return self._workspace.dm_channel(user_id).id

    def add_message(
        self,
        channel_id: str,
        user_id: str,
        text: str,
        *,
        thread_ts: str | None = None,
        blocks: list[JsonDict] | None = None,
    ) -> JsonDict:
        """Store a message a person wrote (not recorded as a call); returns it."""
        with self._lock:
            return reader_message(self._workspace.add_message(channel_id, user_id, text, thread_ts, blocks))

    def add_reaction(self, channel_id: str, ts: str, name: str, user_id: str) -> None:
        """A person reacts (not recorded as a call); pair it with the driver's reaction_added event."""
        with self._lock:
            add_reaction(self._workspace.channels[channel_id].messages[ts], name, user_id)

    # ------------------------------------------------------------------ triggers and response_urls

    def new_trigger_id(self, user_id: str) -> str:
        with self._lock:
            return self._views.new_trigger_id(user_id)

    def new_response_url(self, channel_id: str, user_id: str, *, message_ts: str | None = None) -> str:
        """A response_url as Slack puts in commands and actions; ``message_ts`` is the original message."""
        with self._lock:
            return self._response_urls.new_url(channel_id, user_id, message_ts)

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self, method: str, status: int = 500, times: int = 1, body: JsonDict | str | None = None
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with HTTP ``status``; nothing changes."""
        with self._lock:
            self._call_log.fail_next(method, status, times, body)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Perform the next ``times`` calls, then wait ``seconds`` before answering."""
        with self._lock:
            self._call_log.delay_next(method, seconds, times)

    def drop_response_next(self, method: str, times: int = 1) -> None:
        """Perform the next ``times`` calls, then close the connection without answering."""
        with self._lock:
            self._call_log.drop_response_next(method, times)

    # ------------------------------------------------------------------ recorded calls

    @property
    def calls(self) -> list[RecordedCall]:
        with self._lock:
            return list(self._call_log.calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        with self._lock:
            return [call for call in self._call_log.calls if call.method == method]

    def reset_calls(self) -> None:
        with self._lock:
            self._call_log.calls.clear()

    # ------------------------------------------------------------------ reading state

    @property
    def users(self) -> dict[str, JsonDict]:
        with self._lock:
            return copy.deepcopy(self._workspace.users)

    @property
    def channels(self) -> dict[str, JsonDict]:
        """Channel objects as conversations.info shows them, plus ``members``."""
        ws = self._workspace
        with self._lock:
            return {
                cid: {**ws.channel_object(ch, include_num_members=True), "members": list(ch.members)}
                for cid, ch in ws.channels.items()
            }

    def messages(self, channel_id: str) -> list[JsonDict]:
        """Top-level messages, oldest first, each with every reader key present (see ``reader_message``)."""
        with self._lock:
            return [reader_message(m) for m in self._workspace.channels[channel_id].top_level()]

    def replies(self, channel_id: str, thread_ts: str) -> list[JsonDict]:
        """The replies in a thread (without its parent), oldest first."""
        with self._lock:
            channel = self._workspace.channels[channel_id]
            return [reader_message(m) for m in channel.thread_replies(thread_ts)]

    def message(self, channel_id: str, ts: str, *, raw: bool = False) -> JsonDict | None:
        """One stored message (top-level or reply), or None; ``raw`` gives it exactly as Slack sends it."""
        with self._lock:
            channel = self._workspace.channels.get(channel_id)
            found = channel.messages.get(ts) if channel else None
            if found is None:
                return None
            return copy.deepcopy(found) if raw else reader_message(found)

    def ephemerals(self, channel_id: str | None = None, user_id: str | None = None) -> list[JsonDict]:
        """Ephemerals still shown, oldest first; ``user_id`` filters on who sees them (``visible_to``)."""
        with self._lock:
            return [
                reader_message(e)
                for e in self._workspace.ephemerals
                if (channel_id is None or e["channel"] == channel_id)
                and (user_id is None or e["visible_to"] == user_id)
            ]

    def scheduled_messages(self, channel_id: str | None = None) -> list[JsonDict]:
        with self._lock:
            return [
                copy.deepcopy(s)
                for s in self._chat.scheduled
                if channel_id is None or s["channel"] == channel_id
            ]

    @property
    def views(self) -> dict[str, JsonDict]:
        """Every view by id: ``{"id", "user", "type", "open", "view"}`` (home views are always open)."""
        with self._lock:
            return self._views.records()

    def view(self, view_id: str) -> JsonDict | None:
        with self._lock:
            return self._views.record(view_id)

    def open_view(self, user_id: str) -> JsonDict | None:
        """The view on top of this user's open modal stack, as Slack shows it, or None."""
        with self._lock:
            return self._views.open_view(user_id)

    def modal_stack(self, user_id: str) -> list[JsonDict]:
        """The user's open modal views, bottom first."""
        with self._lock:
            return self._views.modal_stack(user_id)

    def home_view(self, user_id: str) -> JsonDict | None:
        with self._lock:
            return self._views.home_view(user_id)

    @property
    def files(self) -> dict[str, JsonDict]:
        """Completed uploads by file id: the file object plus ``content`` (the bytes uploaded)."""
        with self._lock:
            return {
                fid: {**copy.deepcopy(f), "content": self._files.contents.get(fid, b"")}
                for fid, f in self._files.files.items()
            }

    def canvas(self, channel_id: str) -> str | None:
        """The markdown of the channel's canvas, None while it has none."""
        with self._lock:
            canvas = self._canvases.of_channel(channel_id)
            return None if canvas is None else canvas.markdown

    def delete_canvas(self, channel_id: str) -> None:
        """Someone deletes the channel's canvas by hand."""
        with self._lock:
            canvas: Canvas | None = self._canvases.of_channel(channel_id)
            if canvas is not None:
                self._canvases.remove(canvas)

    def disable_canvases(self) -> None:
        """The workspace's plan has no channel canvases (Slack's free plans)."""
        with self._lock:
            self._canvases.enabled = False

    def pinned(self, channel_id: str) -> list[JsonDict]:
        """The channel's pinned messages, oldest first."""
        return [m for m in self.messages(channel_id) if channel_id in m.get("pinned_to", [])]

    def file_content(self, file_id: str) -> bytes:
        with self._lock:
            return self._files.contents[file_id]

    # ------------------------------------------------------------------ what the driver applies for Slack

    def resolve_view_submission(self, view_id: str, answer: JsonDict | None) -> list[str]:
        """Apply an app's answer to a view_submission as Slack does; returns problems Slack would show.

        ``answer`` is the app's JSON answer (``None`` for an empty 200): no ``response_action`` closes the
        submitted view, ``update`` replaces it, ``push`` stacks a new one, ``clear`` closes the whole stack,
        ``errors`` leaves it open.
        """
        with self._lock:
            return self._views.resolve_submission(view_id, answer)

    def close_view(self, user_id: str, view_id: str | None = None, *, clear: bool = False) -> JsonDict | None:
        """Close a modal as the user would (Close, or the X with ``clear``); returns the view closed."""
        with self._lock:
            return self._views.close(user_id, view_id, clear=clear)
