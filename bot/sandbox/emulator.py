"""A Slack Web API emulator on loopback, for tests and ``python -m bot demo``.

Point ``slack_sdk.WebClient(token, base_url=emulator.api_url)`` at it. It keeps a small workspace (users,
channels, messages, threads, reactions, views, files), answers with Slack's shapes and errors, validates Block
Kit with Slack's limits, can enforce Slack's rate limits and inject faults, and records every call.
"""

from __future__ import annotations

import copy
import json
import mimetypes
import random
import string
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.sandbox._args import (
    SlackError,
    arg_bool,
    arg_int,
    arg_json,
    arg_str,
    decode_cursor,
    encode_cursor,
    is_ts,
    parse_request_args,
    ts_key,
)
from bot.sandbox.blockkit import INTERACTIVE_TYPES, MESSAGE_TEXT_MAX, validate_blocks, validate_view
from bot.sandbox.ratelimits import RateLimiter, RateLimitPolicy
from bot.sandbox.socket_mode import SocketModeServer

TRIGGER_TTL_SECONDS = 3.0
RESPONSE_URL_TTL_SECONDS = 30 * 60
RESPONSE_URL_MAX_USES = 5
MODAL_STACK_MAX = 3
SCHEDULE_MAX_AHEAD_SECONDS = 120 * 24 * 3600
HISTORY_LIMIT_MAX = 999
MEMBERS_LIMIT_MAX = 1000

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class RecordedCall:
    """One request the emulator received, in arrival order.

    ``method`` is the Web API method, or ``"response_url"`` / ``"file_upload"`` for posts to those URLs.
    ``dropped`` is true when the call was performed but its answer never sent (``drop_response_next``).
    """

    method: str
    args: JsonDict
    http_status: int
    response: JsonDict
    at: float
    dropped: bool = False


@dataclass
class _Channel:
    id: str
    name: str
    is_private: bool
    is_im: bool
    members: list[str]
    created: int
    topic: str = ""
    purpose: str = ""
    messages: dict[str, JsonDict] = field(default_factory=dict)
    last_ts_us: int = 0


@dataclass
class _View:
    id: str
    user_id: str
    view: JsonDict
    is_open: bool


@dataclass
class _Trigger:
    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class _ResponseUrl:
    channel_id: str
    user_id: str
    message_ts: str | None
    issued_at: float
    uses: int = 0


@dataclass
class _Fail:
    status: int
    body: JsonDict | str


@dataclass
class _Outcome:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False

    @classmethod
    def json(cls, status: int, body: JsonDict, **kwargs: Any) -> _Outcome:
        return cls(status, json.dumps(body).encode(), **kwargs)

    @classmethod
    def text(cls, status: int, body: str, **kwargs: Any) -> _Outcome:
        return cls(status, body.encode(), content_type="text/plain; charset=utf-8", **kwargs)


def _is_top_level(message: JsonDict) -> bool:
    thread_ts = message.get("thread_ts")
    return thread_ts is None or thread_ts == message["ts"]


def _elements_of(block: JsonDict) -> list[JsonDict]:
    found: list[JsonDict] = []
    for key in ("accessory", "element"):
        if isinstance(block.get(key), dict):
            found.append(block[key])
    if block.get("type") == "actions" and isinstance(block.get("elements"), list):
        found.extend(e for e in block["elements"] if isinstance(e, dict))
    return found


class SlackEmulator:
    """A Slack workspace and its Web API, served on ``127.0.0.1`` on a free port by a daemon thread."""

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
        self.team_id = team_id
        self.team_domain = team_domain
        self.team_name = team_name
        self.bot_token = bot_token
        self.app_token = app_token
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.bot_name = bot_name
        self.clock = clock
        self.rate_limits = False
        self._limiter = RateLimiter(rate_limit_policy)
        self._lock = threading.RLock()
        self._server: _EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._socket_mode: SocketModeServer | None = None
        self._api: dict[str, Callable[[JsonDict, float], JsonDict]] = {
            "apps.connections.open": self._apps_connections_open,
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "chat.scheduleMessage": self._chat_schedule_message,
            "chat.deleteScheduledMessage": self._chat_delete_scheduled_message,
            "conversations.info": self._conversations_info,
            "conversations.list": self._conversations_list,
            "conversations.members": self._conversations_members,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "conversations.open": self._conversations_open,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
            "reactions.get": self._reactions_get,
            "users.info": self._users_info,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "views.push": self._views_push,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
        }
        self._init_state()

    def _init_state(self) -> None:
        self._random = random.Random(0)
        self._counter = 0
        self._users: dict[str, JsonDict] = {}
        self._channels: dict[str, _Channel] = {}
        self._ephemerals: list[JsonDict] = []
        # ts for ephemerals in conversations the emulator was not told about (a DM between two people).
        self._loose_ts = _Channel(id="", name="", is_private=True, is_im=True, members=[], created=0)
        self._scheduled: list[JsonDict] = []
        self._views: dict[str, _View] = {}
        self._modal_stacks: dict[str, list[str]] = {}
        self._home_views: dict[str, str] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._files: dict[str, JsonDict] = {}
        self._file_bytes: dict[str, bytes] = {}
        self._pending_uploads: dict[str, JsonDict] = {}
        self._calls: list[RecordedCall] = []
        self._fails: dict[str, list[_Fail]] = {}
        self._delays: dict[str, list[float]] = {}
        self._drops: dict[str, int] = {}
        self._limiter.reset()
        self.rate_limits = False
        self._add_user_unlocked(
            self.bot_user_id, self.bot_name.lower(), real_name=self.bot_name, locale="en-US", is_bot=True
        )

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> SlackEmulator:
        if self._server is not None:
            return self
        server = _EmulatorHTTPServer(("127.0.0.1", 0), _RequestHandler)
        server.emulator = self
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-emulator", daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        return self

    def stop(self) -> None:
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SlackEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return int(self._server.server_address[1])

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
            self._init_state()
            if self._socket_mode is not None:
                self._socket_mode.reset()

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
    ) -> JsonDict:
        with self._lock:
            return copy.deepcopy(
                self._add_user_unlocked(
                    user_id,
                    name,
                    real_name=real_name,
                    locale=locale,
                    is_bot=is_bot,
                    tz=tz,
                    display_name=display_name,
                )
            )

    def _add_user_unlocked(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        locale: str = "nl-NL",
        is_bot: bool = False,
        tz: str = "Europe/Brussels",
        display_name: str | None = None,
    ) -> JsonDict:
        real = real_name or name
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": False,
            "real_name": real,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": _tz_offset(tz, self.clock()),
            "locale": locale,
            "is_admin": False,
            "is_owner": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(self.clock()),
            "profile": {
                "real_name": real,
                "real_name_normalized": real,
                "display_name": display_name if display_name is not None else real,
                "display_name_normalized": display_name if display_name is not None else real,
                "team": self.team_id,
            },
        }
        if is_bot and user_id == self.bot_user_id:
            user["profile"]["bot_id"] = self.bot_id
            user["profile"]["api_app_id"] = self.app_id
        self._users[user_id] = user
        return user

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
    ) -> JsonDict:
        """Add a channel; an id starting with D is a DM between the bot and the one member given."""
        with self._lock:
            is_im = channel_id.startswith("D")
            member_list = list(dict.fromkeys(members))
            if (bot_is_member or is_im) and self.bot_user_id not in member_list:
                member_list.append(self.bot_user_id)
            channel = _Channel(
                id=channel_id,
                name=name,
                is_private=is_private or is_im,
                is_im=is_im,
                members=member_list,
                created=int(self.clock()),
                topic=topic,
                purpose=purpose,
            )
            self._channels[channel_id] = channel
            return self._channel_object(channel)

    def join(self, channel_id: str, user_id: str) -> None:
        with self._lock:
            channel = self._channels[channel_id]
            if user_id not in channel.members:
                channel.members.append(user_id)

    def leave(self, channel_id: str, user_id: str) -> None:
        with self._lock:
            channel = self._channels[channel_id]
            if user_id in channel.members:
                channel.members.remove(user_id)

    def dm_channel_id(self, user_id: str) -> str:
        """The id of the bot's DM with this user (created on first use, like conversations.open)."""
        with self._lock:
            return self._dm_channel(user_id).id

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
            channel = self._channels[channel_id]
            now = self.clock()
            message: JsonDict = {
                "type": "message",
                "user": user_id,
                "text": text,
                "ts": self._new_ts(channel, now),
                "team": self.team_id,
                "client_msg_id": self._random_uuid(),
            }
            if blocks is not None:
                message["blocks"] = copy.deepcopy(blocks)
            self._store_message(channel, message, thread_ts)
            return self._reader_message(message)

    def add_reaction(self, channel_id: str, ts: str, name: str, user_id: str) -> None:
        """A person reacts (not recorded as a call); pair it with the driver's reaction_added event."""
        with self._lock:
            message = self._channels[channel_id].messages[ts]
            reactions = message.setdefault("reactions", [])
            reaction = next((r for r in reactions if r["name"] == name), None)
            if reaction is None:
                reaction = {"name": name, "users": [], "count": 0}
                reactions.append(reaction)
            if user_id not in reaction["users"]:
                reaction["users"].append(user_id)
            reaction["count"] = len(reaction["users"])

    # ------------------------------------------------------------------ triggers and response_urls

    def new_trigger_id(self, user_id: str) -> str:
        with self._lock:
            trigger_id = f"{self._next_counter()}.{zlib.crc32(self.team_id.encode())}.{self._random_hex(32)}"
            self._triggers[trigger_id] = _Trigger(user_id=user_id, issued_at=self.clock())
            return trigger_id

    def new_response_url(self, channel_id: str, user_id: str, *, message_ts: str | None = None) -> str:
        """A response_url as Slack puts in commands and actions; ``message_ts`` is the original message."""
        with self._lock:
            token = f"{self.team_id}/{self._next_counter()}/{self._random_alnum(24)}"
            self._response_urls[token] = _ResponseUrl(channel_id, user_id, message_ts, self.clock())
            return f"{self.base_url}/response/{token}"

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self, method: str, status: int = 500, times: int = 1, body: JsonDict | str | None = None
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with HTTP ``status``; nothing changes."""
        with self._lock:
            answer: JsonDict | str = body if body is not None else {"ok": False, "error": "fatal_error"}
            self._fails.setdefault(method, []).extend(_Fail(status, answer) for _ in range(times))

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Perform the next ``times`` calls, then wait ``seconds`` before answering."""
        with self._lock:
            self._delays.setdefault(method, []).extend([seconds] * times)

    def drop_response_next(self, method: str, times: int = 1) -> None:
        """Perform the next ``times`` calls, then close the connection without answering."""
        with self._lock:
            self._drops[method] = self._drops.get(method, 0) + times

    # ------------------------------------------------------------------ recorded calls

    @property
    def calls(self) -> list[RecordedCall]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        with self._lock:
            return [call for call in self._calls if call.method == method]

    def reset_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    # ------------------------------------------------------------------ reading state

    @property
    def users(self) -> dict[str, JsonDict]:
        with self._lock:
            return copy.deepcopy(self._users)

    @property
    def channels(self) -> dict[str, JsonDict]:
        """Channel objects as conversations.info shows them, plus ``members``."""
        with self._lock:
            return {
                cid: {**self._channel_object(ch, include_num_members=True), "members": list(ch.members)}
                for cid, ch in self._channels.items()
            }

    def messages(self, channel_id: str) -> list[JsonDict]:
        """Top-level messages, oldest first, each with every reader key present (see ``_reader_message``)."""
        with self._lock:
            channel = self._channels[channel_id]
            return [
                self._reader_message(m) for m in self._sorted(channel.messages.values()) if _is_top_level(m)
            ]

    def replies(self, channel_id: str, thread_ts: str) -> list[JsonDict]:
        """The replies in a thread (without its parent), oldest first."""
        with self._lock:
            channel = self._channels[channel_id]
            return [
                self._reader_message(m)
                for m in self._sorted(channel.messages.values())
                if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts
            ]

    def message(self, channel_id: str, ts: str, *, raw: bool = False) -> JsonDict | None:
        """One stored message (top-level or reply), or None; ``raw`` gives it exactly as Slack sends it."""
        with self._lock:
            channel = self._channels.get(channel_id)
            found = channel.messages.get(ts) if channel else None
            if found is None:
                return None
            return copy.deepcopy(found) if raw else self._reader_message(found)

    def ephemerals(self, channel_id: str | None = None, user_id: str | None = None) -> list[JsonDict]:
        """Ephemerals still shown, oldest first; ``user_id`` filters on who sees them (``visible_to``)."""
        with self._lock:
            return [
                self._reader_message(e)
                for e in self._ephemerals
                if (channel_id is None or e["channel"] == channel_id)
                and (user_id is None or e["visible_to"] == user_id)
            ]

    def scheduled_messages(self, channel_id: str | None = None) -> list[JsonDict]:
        with self._lock:
            return [
                copy.deepcopy(s) for s in self._scheduled if channel_id is None or s["channel"] == channel_id
            ]

    @property
    def views(self) -> dict[str, JsonDict]:
        """Every view by id: ``{"id", "user", "type", "open", "view"}`` (home views are always open)."""
        with self._lock:
            return {vid: self._view_record(v) for vid, v in self._views.items()}

    def view(self, view_id: str) -> JsonDict | None:
        with self._lock:
            stored = self._views.get(view_id)
            return self._view_record(stored) if stored else None

    def open_view(self, user_id: str) -> JsonDict | None:
        """The view on top of this user's open modal stack, as Slack shows it, or None."""
        with self._lock:
            stack = self._modal_stacks.get(user_id)
            return copy.deepcopy(self._views[stack[-1]].view) if stack else None

    def modal_stack(self, user_id: str) -> list[JsonDict]:
        """The user's open modal views, bottom first."""
        with self._lock:
            return [copy.deepcopy(self._views[vid].view) for vid in self._modal_stacks.get(user_id, [])]

    def home_view(self, user_id: str) -> JsonDict | None:
        with self._lock:
            view_id = self._home_views.get(user_id)
            return copy.deepcopy(self._views[view_id].view) if view_id else None

    @property
    def files(self) -> dict[str, JsonDict]:
        """Completed uploads by file id: the file object plus ``content`` (the bytes uploaded)."""
        with self._lock:
            return {
                fid: {**copy.deepcopy(f), "content": self._file_bytes.get(fid, b"")}
                for fid, f in self._files.items()
            }

    def file_content(self, file_id: str) -> bytes:
        with self._lock:
            return self._file_bytes[file_id]

    # ------------------------------------------------------------------ what the driver applies for Slack

    def resolve_view_submission(self, view_id: str, answer: JsonDict | None) -> list[str]:
        """Apply an app's answer to a view_submission as Slack does; returns problems Slack would show.

        ``answer`` is the app's JSON answer (``None`` for an empty 200): no ``response_action`` closes the
        submitted view, ``update`` replaces it, ``push`` stacks a new one, ``clear`` closes the whole stack,
        ``errors`` leaves it open.
        """
        with self._lock:
            stored = self._views.get(view_id)
            if stored is None or not stored.is_open:
                return [f"view {view_id} is not open"]
            user_id = stored.user_id
            action = (answer or {}).get("response_action")
            now = self.clock()
            if action is None:
                self._close_modal(user_id, view_id, clear=False)
                return []
            if action == "clear":
                self._close_modal(user_id, view_id, clear=True)
                return []
            if action == "errors":
                errors = (answer or {}).get("errors")
                if not isinstance(errors, dict) or not errors:
                    return ["response_action errors needs a non-empty errors object"]
                input_ids = {
                    b.get("block_id") for b in stored.view.get("blocks", []) if b.get("type") == "input"
                }
                return [
                    f"errors names {key!r}, which is not an input block"
                    for key in errors
                    if key not in input_ids
                ]
            if action in ("update", "push"):
                spec = (answer or {}).get("view")
                problems = validate_view(spec)
                if problems:
                    return problems
                assert isinstance(spec, dict)
                if action == "update":
                    self._replace_view(stored, spec, now)
                    return []
                stack = self._modal_stacks.get(user_id, [])
                if len(stack) >= MODAL_STACK_MAX:
                    return ["push_limit_reached"]
                self._push_modal(user_id, spec, now)
                return []
            return [f"unknown response_action {action!r}"]

    def close_view(self, user_id: str, view_id: str | None = None, *, clear: bool = False) -> JsonDict | None:
        """Close a modal as the user would (Close, or the X with ``clear``); returns the view closed."""
        with self._lock:
            stack = self._modal_stacks.get(user_id, [])
            target = view_id or (stack[-1] if stack else None)
            if target is None or target not in self._views:
                return None
            closed = copy.deepcopy(self._views[target].view)
            self._close_modal(user_id, target, clear=clear)
            return closed

    # ------------------------------------------------------------------ HTTP entry

    def _handle_http(self, verb: str, target: str, headers: Mapping[str, str], body: bytes) -> _Outcome:
        parts = urlsplit(target)
        path = parts.path
        if path.startswith("/api/"):
            return self._handle_api(path[len("/api/") :], parts.query, headers, body)
        if path.startswith("/response/") and verb == "POST":
            return self._handle_response_url(path[len("/response/") :], headers, body)
        if path.startswith("/upload/") and verb == "POST":
            return self._handle_upload(path[len("/upload/") :], body)
        if path.startswith("/files/") and verb == "GET":
            return self._handle_download(path[len("/files/") :], headers)
        return _Outcome.text(404, "not_found")

    def _take_faults(self, method: str) -> tuple[_Fail | None, float, bool]:
        fails = self._fails.get(method)
        fail = fails.pop(0) if fails else None
        delays = self._delays.get(method)
        delay = delays.pop(0) if delays else 0.0
        drop = False
        if fail is None and self._drops.get(method, 0) > 0:
            self._drops[method] -= 1
            drop = True
        return fail, delay, drop

    def _fail_outcome(self, method: str, args: JsonDict, fail: _Fail, delay: float, now: float) -> _Outcome:
        headers = {"Retry-After": "1"} if fail.status == 429 else {}
        if isinstance(fail.body, dict):
            outcome = _Outcome.json(fail.status, fail.body, headers=headers, delay=delay)
            recorded = copy.deepcopy(fail.body)
        else:
            outcome = _Outcome.text(fail.status, fail.body, headers=headers, delay=delay)
            recorded = {"body": fail.body}
        self._calls.append(RecordedCall(method, args, fail.status, recorded, now))
        return outcome

    def _handle_api(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> _Outcome:
        parse_error: SlackError | None = None
        try:
            args = parse_request_args(query, headers.get("content-type", ""), body)
        except SlackError as exc:
            args, parse_error = {}, exc
        token = args.pop("token", None)
        auth_header = headers.get("authorization", "")
        if auth_header.lower().startswith("bearer "):
            token = auth_header[len("bearer ") :].strip()
        with self._lock:
            now = self.clock()
            recorded_args = copy.deepcopy(args)
            fail, delay, drop = self._take_faults(method)
            if fail is not None:
                return self._fail_outcome(method, recorded_args, fail, delay, now)
            status, response, extra_headers = self._call_api(method, args, token, parse_error, now)
            self._calls.append(
                RecordedCall(method, recorded_args, status, copy.deepcopy(response), now, drop)
            )
        return _Outcome.json(status, response, headers=extra_headers, delay=delay, drop=drop)

    def _call_api(
        self, method: str, args: JsonDict, token: object, parse_error: SlackError | None, now: float
    ) -> tuple[int, JsonDict, dict[str, str]]:
        if parse_error is not None:
            return 200, parse_error.body(), {}
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if token != (self.app_token if method == "apps.connections.open" else self.bot_token):
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        handler = self._api.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if self.rate_limits:
            retry_after = self._limiter.check(method, arg_str(args, "channel"), now)
            if retry_after is not None:
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        try:
            return 200, {"ok": True, **handler(args, now)}, {}
        except SlackError as exc:
            return 200, exc.body(), {}

    # ------------------------------------------------------------------ helpers: ids, time

    def _next_counter(self) -> int:
        self._counter += 1
        return self._counter

    def _random_alnum(self, length: int) -> str:
        return "".join(self._random.choice(string.ascii_letters + string.digits) for _ in range(length))

    def _random_hex(self, length: int) -> str:
        return "".join(self._random.choice("0123456789abcdef") for _ in range(length))

    def _random_uuid(self) -> str:
        h = self._random_hex(32)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{self._next_counter():010d}"

    def _new_ts(self, channel: _Channel, now: float) -> str:
        micros = max(int(now * 1_000_000), channel.last_ts_us + 1)
        channel.last_ts_us = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    @staticmethod
    def _sorted(messages: Iterable[JsonDict]) -> list[JsonDict]:
        return sorted(messages, key=lambda m: ts_key(m["ts"]))

    # ------------------------------------------------------------------ helpers: channels

    def _dm_channel(self, user_id: str) -> _Channel:
        for channel in self._channels.values():
            if channel.is_im and user_id in channel.members:
                return channel
        channel_id = "D" + (user_id[1:] if user_id[:1] in ("U", "W") else user_id)
        channel = _Channel(
            id=channel_id,
            name=user_id,
            is_private=True,
            is_im=True,
            members=[user_id, self.bot_user_id],
            created=int(self.clock()),
        )
        self._channels[channel_id] = channel
        return channel

    def _visible_channel(self, ref: str | None, *, user_ids_open_dm: bool = False) -> _Channel:
        """The channel as the bot can see it; raises channel_not_found as Slack does otherwise."""
        if not ref:
            raise SlackError("channel_not_found")
        channel = self._channels.get(ref)
        if channel is None:
            name = ref.removeprefix("#")
            channel = next((c for c in self._channels.values() if not c.is_im and c.name == name), None)
        if channel is None and user_ids_open_dm and ref in self._users:
            channel = self._dm_channel(ref)
        if channel is None:
            raise SlackError("channel_not_found")
        if channel.is_private and self.bot_user_id not in channel.members:
            raise SlackError("channel_not_found")
        return channel

    def _member_channel(self, ref: str | None, *, user_ids_open_dm: bool = False) -> _Channel:
        channel = self._visible_channel(ref, user_ids_open_dm=user_ids_open_dm)
        if self.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        return channel

    def _channel_object(
        self, channel: _Channel, *, include_num_members: bool = False, include_locale: bool = False
    ) -> JsonDict:
        if channel.is_im:
            user = next((m for m in channel.members if m != self.bot_user_id), self.bot_user_id)
            obj: JsonDict = {
                "id": channel.id,
                "created": channel.created,
                "is_archived": False,
                "is_im": True,
                "is_org_shared": False,
                "context_team_id": self.team_id,
                "updated": channel.created * 1000,
                "user": user,
                "is_user_deleted": False,
                "priority": 0,
            }
        else:
            legacy_group = channel.id.startswith("G")
            obj = {
                "id": channel.id,
                "name": channel.name,
                "is_channel": not legacy_group,
                "is_group": legacy_group,
                "is_im": False,
                "is_mpim": False,
                "is_private": channel.is_private,
                "created": channel.created,
                "is_archived": False,
                "is_general": channel.name == "general",
                "unlinked": 0,
                "name_normalized": channel.name,
                "is_shared": False,
                "is_org_shared": False,
                "is_pending_ext_shared": False,
                "pending_shared": [],
                "context_team_id": self.team_id,
                "updated": channel.created * 1000,
                "parent_conversation": None,
                "creator": channel.members[0] if channel.members else "",
                "is_ext_shared": False,
                "shared_team_ids": [self.team_id],
                "pending_connected_team_ids": [],
                "is_member": self.bot_user_id in channel.members,
                "topic": {"value": channel.topic, "creator": "", "last_set": 0},
                "purpose": {"value": channel.purpose, "creator": "", "last_set": 0},
                "previous_names": [],
            }
        if include_num_members:
            obj["num_members"] = len(channel.members)
        if include_locale:
            obj["locale"] = "en-US"
        return obj

    # ------------------------------------------------------------------ helpers: messages

    def _bot_message(self, text: str, blocks: list[JsonDict] | None, now: float) -> JsonDict:
        message: JsonDict = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": "",
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": text,
            "team": self.team_id,
            "bot_profile": {
                "id": self.bot_id,
                "deleted": False,
                "name": self.bot_name,
                "updated": int(now),
                "app_id": self.app_id,
                "team_id": self.team_id,
            },
        }
        if blocks is not None:
            message["blocks"] = blocks
        return message

    def _store_message(self, channel: _Channel, message: JsonDict, thread_ts: str | None) -> None:
        channel.messages[message["ts"]] = message
        if thread_ts is None:
            return
        message["thread_ts"] = thread_ts
        parent = channel.messages.get(thread_ts)
        # A reply to an unknown ts (or to a reply) is kept but shown nowhere: Slack answers ok all the same.
        if parent is not None and _is_top_level(parent) and parent is not message:
            message["parent_user_id"] = parent.get("user")
            self._recount_thread(channel, thread_ts)

    def _recount_thread(self, channel: _Channel, thread_ts: str) -> None:
        parent = channel.messages.get(thread_ts)
        if parent is None:
            return
        replies = [m for m in self._sorted(channel.messages.values()) if m.get("thread_ts") == thread_ts]
        replies = [m for m in replies if m["ts"] != thread_ts]
        for key in ("thread_ts", "reply_count", "reply_users", "reply_users_count", "latest_reply"):
            parent.pop(key, None)
        if not replies:
            if parent.get("subtype") == "tombstone":
                del channel.messages[thread_ts]
            return
        reply_users = list(dict.fromkeys(m.get("user") for m in replies))
        parent.update(
            thread_ts=thread_ts,
            reply_count=len(replies),
            reply_users=reply_users,
            reply_users_count=len(reply_users),
            latest_reply=replies[-1]["ts"],
        )

    def _api_message(self, message: JsonDict, *, include_metadata: bool) -> JsonDict:
        shown = copy.deepcopy(message)
        if not include_metadata:
            shown.pop("metadata", None)
        return shown

    @staticmethod
    def _reader_message(message: JsonDict) -> JsonDict:
        shown = copy.deepcopy(message)
        for key, default in (
            ("blocks", []),
            ("metadata", None),
            ("thread_ts", None),
            ("reply_count", 0),
            ("reactions", []),
            ("edited", None),
            ("files", []),
        ):
            shown.setdefault(key, default)
        return shown

    def _message_content(
        self, args: JsonDict
    ) -> tuple[str | None, list[JsonDict] | None, list[JsonDict] | None]:
        """Text, blocks and attachments of a post, checked as Slack checks them."""
        text = arg_str(args, "text")
        blocks = arg_json(args, "blocks", error="invalid_blocks_format")
        attachments = arg_json(args, "attachments", error="invalid_attachments")
        if not text and not blocks and not attachments:
            raise SlackError("no_text")
        if text is not None and len(text) > MESSAGE_TEXT_MAX:
            raise SlackError("msg_too_long")
        if blocks is not None:
            problems = validate_blocks(blocks)
            if problems:
                raise SlackError(
                    "invalid_blocks",
                    errors=problems,
                    response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
                )
            blocks = self._with_ids(copy.deepcopy(blocks))
        if attachments is not None and not isinstance(attachments, list):
            raise SlackError("invalid_attachments")
        return text, blocks, attachments

    def _metadata(self, args: JsonDict) -> JsonDict | None:
        metadata = arg_json(args, "metadata", error="invalid_metadata_format")
        if metadata is None:
            return None
        if (
            not isinstance(metadata, dict)
            or not isinstance(metadata.get("event_type"), str)
            or not isinstance(metadata.get("event_payload"), dict)
        ):
            raise SlackError("invalid_metadata_format")
        return {
            "event_type": metadata["event_type"],
            "event_payload": copy.deepcopy(metadata["event_payload"]),
        }

    def _with_ids(self, blocks: list[JsonDict]) -> list[JsonDict]:
        # Slack gives every block a block_id and every interactive element an action_id if the app did not.
        used = {b.get("block_id") for b in blocks if isinstance(b, dict)}
        for block in blocks:
            if not isinstance(block, dict):
                continue
            if "block_id" not in block:
                block_id = self._random_alnum(4)
                while block_id in used:
                    block_id = self._random_alnum(4)
                used.add(block_id)
                block["block_id"] = block_id
            for element in _elements_of(block):
                if element.get("type") in INTERACTIVE_TYPES and "action_id" not in element:
                    element["action_id"] = self._random_alnum(5)
        return blocks

    def _thread_ts_arg(self, args: JsonDict) -> str | None:
        thread_ts = arg_str(args, "thread_ts")
        if thread_ts is None or thread_ts == "":
            if thread_ts == "":
                raise SlackError("invalid_thread_ts")
            return None
        if not is_ts(thread_ts):
            raise SlackError("invalid_thread_ts")
        return thread_ts

    def _find_message(self, channel: _Channel, ts: str | None) -> JsonDict:
        if not ts or ts not in channel.messages:
            raise SlackError("message_not_found")
        message = channel.messages[ts]
        if message.get("subtype") == "tombstone":
            raise SlackError("message_not_found")
        return message

    # ------------------------------------------------------------------ Web API: auth, users

    def _apps_connections_open(self, args: JsonDict, now: float) -> JsonDict:
        return {"url": self.socket_mode.new_url()}

    def _auth_test(self, args: JsonDict, now: float) -> JsonDict:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self._users[self.bot_user_id]["name"],
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _users_info(self, args: JsonDict, now: float) -> JsonDict:
        user = self._users.get(arg_str(args, "user") or "")
        if user is None:
            raise SlackError("user_not_found")
        shown = copy.deepcopy(user)
        if not arg_bool(args, "include_locale"):
            shown.pop("locale", None)
        return {"user": shown}

    # ------------------------------------------------------------------ Web API: chat

    def _chat_post_message(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._member_channel(arg_str(args, "channel"), user_ids_open_dm=True)
        text, blocks, attachments = self._message_content(args)
        metadata = self._metadata(args)
        thread_ts = self._thread_ts_arg(args)
        message = self._bot_message(text or "", blocks, now)
        if attachments is not None:
            message["attachments"] = attachments
        if metadata is not None:
            message["metadata"] = metadata
        message["ts"] = self._new_ts(channel, now)
        self._store_message(channel, message, thread_ts)
        return {
            "channel": channel.id,
            "ts": message["ts"],
            "message": self._api_message(message, include_metadata=True),
        }

    def _chat_post_ephemeral(self, args: JsonDict, now: float) -> JsonDict:
        # Slack answers channel_not_found, not not_in_channel, when the bot cannot post into the channel.
        channel = self._visible_channel(arg_str(args, "channel"))
        if self.bot_user_id not in channel.members:
            raise SlackError("channel_not_found")
        user_id = arg_str(args, "user") or ""
        if user_id not in channel.members:
            raise SlackError("user_not_in_channel")
        text, blocks, attachments = self._message_content(args)
        thread_ts = self._thread_ts_arg(args)
        ephemeral = self._ephemeral(
            channel.id, user_id, text or "", blocks, thread_ts, "chat.postEphemeral", now
        )
        if attachments is not None:
            ephemeral["attachments"] = attachments
        return {"message_ts": ephemeral["ts"]}

    def _ephemeral(
        self,
        channel_id: str,
        user_id: str,
        text: str,
        blocks: list[JsonDict] | None,
        thread_ts: str | None,
        source: str,
        now: float,
    ) -> JsonDict:
        ephemeral = self._bot_message(text, blocks, now)
        channel = self._channels.get(channel_id)
        ephemeral.update(
            ts=self._new_ts(channel or self._loose_ts, now),
            channel=channel_id,
            visible_to=user_id,
            source=source,
            is_ephemeral=True,
        )
        if thread_ts is not None:
            ephemeral["thread_ts"] = thread_ts
        self._ephemerals.append(ephemeral)
        return ephemeral

    def _chat_update(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._visible_channel(arg_str(args, "channel"))
        message = self._find_message(channel, arg_str(args, "ts"))
        if message.get("user") != self.bot_user_id:
            raise SlackError("cant_update_message")
        text, blocks, attachments = self._message_content(args)
        metadata = self._metadata(args)
        if text is not None:
            message["text"] = text
        # As Slack documents: left out, the previous blocks stay; an empty array removes them.
        if blocks is not None:
            if blocks:
                message["blocks"] = blocks
            else:
                message.pop("blocks", None)
        if attachments is not None:
            message["attachments"] = attachments
        if metadata is not None:
            message["metadata"] = metadata
        message["edited"] = {"user": self.bot_user_id, "ts": self._new_ts(channel, now)}
        shown = self._api_message(message, include_metadata=True)
        return {"channel": channel.id, "ts": message["ts"], "text": message["text"], "message": shown}

    def _chat_delete(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._visible_channel(arg_str(args, "channel"))
        message = self._find_message(channel, arg_str(args, "ts"))
        if message.get("user") != self.bot_user_id:
            raise SlackError("cant_delete_message")
        ts = message["ts"]
        thread_ts = message.get("thread_ts")
        if _is_top_level(message) and message.get("reply_count"):
            # A parent with replies leaves a tombstone so the thread stays readable, as in Slack.
            channel.messages[ts] = {
                "type": "message",
                "subtype": "tombstone",
                "text": "This message was deleted.",
                "user": "USLACKBOT",
                "hidden": True,
                "ts": ts,
                "thread_ts": ts,
                **{
                    k: message[k] for k in ("reply_count", "reply_users", "reply_users_count", "latest_reply")
                },
            }
        else:
            del channel.messages[ts]
            if thread_ts and thread_ts != ts:
                self._recount_thread(channel, thread_ts)
        return {"channel": channel.id, "ts": ts}

    def _chat_get_permalink(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._visible_channel(arg_str(args, "channel"))
        message = self._find_message(channel, arg_str(args, "message_ts"))
        ts = message["ts"]
        permalink = f"https://{self.team_domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
        if not _is_top_level(message):
            permalink += f"?thread_ts={message['thread_ts']}&cid={channel.id}"
        return {"channel": channel.id, "permalink": permalink}

    def _chat_schedule_message(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._member_channel(arg_str(args, "channel"), user_ids_open_dm=True)
        post_at = arg_int(args, "post_at", 0, error="invalid_time")
        if post_at <= 0:
            raise SlackError("invalid_time")
        if post_at <= now:
            raise SlackError("time_in_past")
        if post_at > now + SCHEDULE_MAX_AHEAD_SECONDS:
            raise SlackError("time_too_far")
        text, blocks, _ = self._message_content(args)
        metadata = self._metadata(args)
        thread_ts = self._thread_ts_arg(args)
        scheduled_id = self._new_id("Q")
        message = self._bot_message(text or "", blocks, now)
        message.pop("ts")
        message["type"] = "delayed_message"
        scheduled: JsonDict = {
            "id": scheduled_id,
            "channel": channel.id,
            "post_at": post_at,
            "date_created": int(now),
            "text": text or "",
            "blocks": blocks,
            "thread_ts": thread_ts,
            "metadata": metadata,
        }
        self._scheduled.append(scheduled)
        return {
            "channel": channel.id,
            "scheduled_message_id": scheduled_id,
            "post_at": post_at,
            "message": message,
        }

    def _chat_delete_scheduled_message(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._visible_channel(arg_str(args, "channel"))
        scheduled_id = arg_str(args, "scheduled_message_id")
        for index, scheduled in enumerate(self._scheduled):
            if scheduled["id"] == scheduled_id and scheduled["channel"] == channel.id:
                del self._scheduled[index]
                return {}
        raise SlackError("invalid_scheduled_message_id")

    # ------------------------------------------------------------------ Web API: conversations

    def _conversations_info(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._visible_channel(arg_str(args, "channel"))
        return {
            "channel": self._channel_object(
                channel,
                include_num_members=arg_bool(args, "include_num_members"),
                include_locale=arg_bool(args, "include_locale"),
            )
        }

    def _conversations_list(self, args: JsonDict, now: float) -> JsonDict:
        types = set((arg_str(args, "types") or "public_channel").split(","))
        visible = [
            c
            for c in self._channels.values()
            if (c.is_im and "im" in types)
            or (not c.is_im and not c.is_private and "public_channel" in types)
            or (not c.is_im and c.is_private and "private_channel" in types and self.bot_user_id in c.members)
        ]
        limit = min(max(arg_int(args, "limit", 100), 1), MEMBERS_LIMIT_MAX)
        page, next_cursor = self._page([c.id for c in visible], args, limit, "channel")
        return {
            "channels": [self._channel_object(self._channels[cid]) for cid in page],
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_members(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._visible_channel(arg_str(args, "channel"))
        limit = arg_int(args, "limit", 100, error="invalid_limit")
        if limit < 1 or limit > MEMBERS_LIMIT_MAX:
            raise SlackError("invalid_limit")
        page, next_cursor = self._page(list(channel.members), args, limit, "user")
        return {"members": page, "response_metadata": {"next_cursor": next_cursor}}

    @staticmethod
    def _page(items: list[str], args: JsonDict, limit: int, kind: str) -> tuple[list[str], str]:
        cursor = arg_str(args, "cursor")
        start = 0
        if cursor:
            start_item = decode_cursor(cursor, kind)
            if start_item not in items:
                raise SlackError("invalid_cursor")
            start = items.index(start_item)
        page = items[start : start + limit]
        rest = items[start + limit :]
        return page, encode_cursor(kind, rest[0]) if rest else ""

    def _conversations_open(self, args: JsonDict, now: float) -> JsonDict:
        users = [u for u in (arg_str(args, "users") or "").split(",") if u]
        if len(users) != 1:
            if arg_str(args, "channel"):
                channel = self._visible_channel(arg_str(args, "channel"))
                return {"channel": {"id": channel.id}}
            raise SlackError("users_list_not_supplied" if not users else "not_enough_users")
        if users[0] not in self._users:
            raise SlackError("user_not_found")
        channel = self._dm_channel(users[0])
        if arg_bool(args, "return_im"):
            return {"channel": self._channel_object(channel)}
        return {"no_op": True, "already_open": True, "channel": {"id": channel.id}}

    def _window(self, messages: list[JsonDict], args: JsonDict) -> list[JsonDict]:
        oldest = ts_key(arg_str(args, "oldest") or "0", error="invalid_ts_oldest")
        latest_arg = arg_str(args, "latest")
        latest = ts_key(latest_arg, error="invalid_ts_latest") if latest_arg else None
        inclusive = arg_bool(args, "inclusive")

        def inside(message: JsonDict) -> bool:
            key = ts_key(message["ts"])
            above = key >= oldest if inclusive else key > oldest
            below = latest is None or (key <= latest if inclusive else key < latest)
            return above and below

        return [m for m in messages if inside(m)]

    def _conversations_history(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._member_channel(arg_str(args, "channel"))
        limit = min(max(arg_int(args, "limit", 100), 1), HISTORY_LIMIT_MAX)
        include_metadata = arg_bool(args, "include_all_metadata")
        top_level = [m for m in self._sorted(channel.messages.values()) if _is_top_level(m)]
        newest_first = list(reversed(self._window(top_level, args)))
        cursor = arg_str(args, "cursor")
        if cursor:
            next_ts = ts_key(decode_cursor(cursor, "next_ts"), error="invalid_cursor")
            newest_first = [m for m in newest_first if ts_key(m["ts"]) <= next_ts]
        page, rest = newest_first[:limit], newest_first[limit:]
        return {
            "messages": [self._api_message(m, include_metadata=include_metadata) for m in page],
            "has_more": bool(rest),
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
            "response_metadata": {"next_cursor": encode_cursor("next_ts", rest[0]["ts"]) if rest else ""},
        }

    def _conversations_replies(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._member_channel(arg_str(args, "channel"))
        ts = arg_str(args, "ts")
        if not ts or ts not in channel.messages:
            raise SlackError("thread_not_found")
        parent = channel.messages[ts]
        if not _is_top_level(parent):
            parent = channel.messages.get(parent["thread_ts"], parent)
        root_ts = parent["ts"]
        limit = min(max(arg_int(args, "limit", 1000), 1), MEMBERS_LIMIT_MAX)
        include_metadata = arg_bool(args, "include_all_metadata")
        replies = [
            m
            for m in self._sorted(channel.messages.values())
            if m.get("thread_ts") == root_ts and m["ts"] != root_ts
        ]
        thread = [parent, *self._window(replies, args)]
        cursor = arg_str(args, "cursor")
        if cursor:
            next_ts = ts_key(decode_cursor(cursor, "next_ts"), error="invalid_cursor")
            thread = [m for m in thread if ts_key(m["ts"]) >= next_ts]
        page, rest = thread[:limit], thread[limit:]
        return {
            "messages": [self._api_message(m, include_metadata=include_metadata) for m in page],
            "has_more": bool(rest),
            "response_metadata": {"next_cursor": encode_cursor("next_ts", rest[0]["ts"]) if rest else ""},
        }

    # ------------------------------------------------------------------ Web API: reactions

    def _reaction_target(self, args: JsonDict) -> tuple[_Channel, JsonDict]:
        channel_ref = arg_str(args, "channel")
        timestamp = arg_str(args, "timestamp")
        if not channel_ref or not timestamp:
            raise SlackError("no_item_specified")
        if not is_ts(timestamp):
            raise SlackError("bad_timestamp")
        channel = self._visible_channel(channel_ref)
        return channel, self._find_message(channel, timestamp)

    def _reactions_add(self, args: JsonDict, now: float) -> JsonDict:
        _, message = self._reaction_target(args)
        name = (arg_str(args, "name") or "").strip(":")
        if not name:
            raise SlackError("invalid_name")
        reactions = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reaction = {"name": name, "users": [], "count": 0}
            reactions.append(reaction)
        if self.bot_user_id in reaction["users"]:
            raise SlackError("already_reacted")
        reaction["users"].append(self.bot_user_id)
        reaction["count"] = len(reaction["users"])
        return {}

    def _reactions_remove(self, args: JsonDict, now: float) -> JsonDict:
        _, message = self._reaction_target(args)
        name = (arg_str(args, "name") or "").strip(":")
        if not name:
            raise SlackError("invalid_name")
        reactions = message.get("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None or self.bot_user_id not in reaction["users"]:
            raise SlackError("no_reaction")
        reaction["users"].remove(self.bot_user_id)
        reaction["count"] = len(reaction["users"])
        if not reaction["users"]:
            reactions.remove(reaction)
        if not reactions:
            message.pop("reactions", None)
        return {}

    def _reactions_get(self, args: JsonDict, now: float) -> JsonDict:
        channel, message = self._reaction_target(args)
        return {
            "type": "message",
            "channel": channel.id,
            "message": self._api_message(message, include_metadata=False),
        }

    # ------------------------------------------------------------------ Web API: views

    def _view_spec(self, args: JsonDict) -> JsonDict:
        spec = arg_json(args, "view", error="invalid_arguments")
        problems = validate_view(spec)
        if problems:
            raise SlackError(
                "invalid_arguments", response_metadata={"messages": [f"[ERROR] {p}" for p in problems]}
            )
        assert isinstance(spec, dict)
        external_id = spec.get("external_id")
        if external_id and any(
            v.view.get("external_id") == external_id for v in self._views.values() if v.is_open
        ):
            raise SlackError("duplicate_external_id")
        return spec

    def _take_trigger(self, args: JsonDict, now: float) -> _Trigger:
        trigger = self._triggers.get(arg_str(args, "trigger_id") or "")
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if now - trigger.issued_at > TRIGGER_TTL_SECONDS:
            raise SlackError("expired_trigger_id")
        return trigger

    def _build_view(
        self,
        spec: JsonDict,
        view_id: str,
        now: float,
        *,
        root_view_id: str | None,
        previous_view_id: str | None,
    ) -> JsonDict:
        spec = copy.deepcopy(spec)
        view: JsonDict = {
            "id": view_id,
            "team_id": self.team_id,
            "type": spec["type"],
            "blocks": self._with_ids(spec.get("blocks", [])),
            "private_metadata": spec.get("private_metadata", ""),
            "callback_id": spec.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(now)}.{self._random_alnum(8)}",
            "title": spec.get("title"),
            "clear_on_close": bool(spec.get("clear_on_close", False)),
            "notify_on_close": bool(spec.get("notify_on_close", False)),
            "close": spec.get("close"),
            "submit": spec.get("submit"),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or view_id,
            "app_id": self.app_id,
            "external_id": spec.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        if "submit_disabled" in spec:
            view["submit_disabled"] = bool(spec["submit_disabled"])
        return view

    def _push_modal(self, user_id: str, spec: JsonDict, now: float) -> JsonDict:
        stack = self._modal_stacks.setdefault(user_id, [])
        view_id = self._new_id("V")
        root = stack[0] if stack else None
        previous = stack[-1] if stack else None
        view = self._build_view(spec, view_id, now, root_view_id=root, previous_view_id=previous)
        self._views[view_id] = _View(view_id, user_id, view, is_open=True)
        stack.append(view_id)
        return view

    def _close_modal(self, user_id: str, view_id: str, *, clear: bool) -> None:
        stack = self._modal_stacks.get(user_id, [])
        if view_id not in stack:
            return
        closing = stack[:] if clear else stack[stack.index(view_id) :]
        for vid in closing:
            self._views[vid].is_open = False
            stack.remove(vid)
        if not stack:
            self._modal_stacks.pop(user_id, None)

    def _views_open(self, args: JsonDict, now: float) -> JsonDict:
        spec = self._view_spec(args)
        if spec.get("type") != "modal":
            raise SlackError("invalid_arguments", response_metadata={"messages": ["[ERROR] must be a modal"]})
        trigger = self._take_trigger(args, now)
        trigger.used = True
        # A new modal from outside a modal replaces whatever stack the user had open.
        for vid in list(self._modal_stacks.get(trigger.user_id, [])):
            self._views[vid].is_open = False
        self._modal_stacks.pop(trigger.user_id, None)
        return {"view": copy.deepcopy(self._push_modal(trigger.user_id, spec, now))}

    def _views_push(self, args: JsonDict, now: float) -> JsonDict:
        spec = self._view_spec(args)
        trigger = self._take_trigger(args, now)
        stack = self._modal_stacks.get(trigger.user_id)
        if not stack:
            raise SlackError("not_found")
        if len(stack) >= MODAL_STACK_MAX:
            raise SlackError("push_limit_reached")
        trigger.used = True
        return {"view": copy.deepcopy(self._push_modal(trigger.user_id, spec, now))}

    def _views_update(self, args: JsonDict, now: float) -> JsonDict:
        view_id = arg_str(args, "view_id")
        external_id = arg_str(args, "external_id")
        if not view_id and not external_id:
            raise SlackError("invalid_arguments")
        if view_id:
            stored = self._views.get(view_id)
        else:
            stored = next((v for v in self._views.values() if v.view.get("external_id") == external_id), None)
        if stored is None or not stored.is_open:
            raise SlackError("not_found")
        view_hash = arg_str(args, "hash")
        if view_hash and view_hash != stored.view["hash"]:
            raise SlackError("hash_conflict")
        spec = arg_json(args, "view", error="invalid_arguments")
        problems = validate_view(spec)
        if problems:
            raise SlackError(
                "invalid_arguments", response_metadata={"messages": [f"[ERROR] {p}" for p in problems]}
            )
        assert isinstance(spec, dict)
        self._replace_view(stored, spec, now)
        return {"view": copy.deepcopy(stored.view)}

    def _replace_view(self, stored: _View, spec: JsonDict, now: float) -> None:
        """New content in the same place: id, stack position and (unless given anew) external_id stay."""
        if "external_id" not in spec and stored.view.get("external_id"):
            spec = {**spec, "external_id": stored.view["external_id"]}
        stored.view = self._build_view(
            spec,
            stored.id,
            now,
            root_view_id=stored.view["root_view_id"],
            previous_view_id=stored.view.get("previous_view_id"),
        )

    def _views_publish(self, args: JsonDict, now: float) -> JsonDict:
        user_id = arg_str(args, "user_id") or ""
        if user_id not in self._users:
            raise SlackError("user_not_found")
        spec = self._view_spec(args)
        if spec.get("type") != "home":
            raise SlackError(
                "invalid_arguments", response_metadata={"messages": ["[ERROR] must be a home view"]}
            )
        view_id = self._home_views.get(user_id)
        view_hash = arg_str(args, "hash")
        if view_id and view_hash and view_hash != self._views[view_id].view["hash"]:
            raise SlackError("hash_conflict")
        view_id = view_id or self._new_id("V")
        view = self._build_view(spec, view_id, now, root_view_id=None, previous_view_id=None)
        self._views[view_id] = _View(view_id, user_id, view, is_open=True)
        self._home_views[user_id] = view_id
        return {"view": copy.deepcopy(view)}

    def _view_record(self, stored: _View) -> JsonDict:
        return {
            "id": stored.id,
            "user": stored.user_id,
            "type": stored.view["type"],
            "open": stored.is_open,
            "view": copy.deepcopy(stored.view),
        }

    # ------------------------------------------------------------------ Web API: files

    def _files_get_upload_url_external(self, args: JsonDict, now: float) -> JsonDict:
        filename = arg_str(args, "filename")
        length = arg_int(args, "length", -1)
        if not filename or length < 0:
            raise SlackError("invalid_arguments")
        file_id = self._new_id("F")
        self._pending_uploads[file_id] = {
            "filename": filename,
            "length": length,
            "alt_txt": arg_str(args, "alt_txt"),
            "uploaded": False,
        }
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, args: JsonDict, now: float) -> JsonDict:
        files = arg_json(args, "files", error="invalid_arguments")
        if (
            not isinstance(files, list)
            or not files
            or not all(isinstance(f, dict) and f.get("id") for f in files)
        ):
            raise SlackError("invalid_arguments")
        for item in files:
            pending = self._pending_uploads.get(item["id"])
            if pending is None or not pending["uploaded"]:
                raise SlackError("file_not_found")
        channel_ids = [c for c in (arg_str(args, "channels") or "").split(",") if c]
        if arg_str(args, "channel_id"):
            channel_ids.insert(0, arg_str(args, "channel_id") or "")
        channels = [self._member_channel(cid) for cid in channel_ids]
        thread_ts = self._thread_ts_arg(args)
        comment = arg_str(args, "initial_comment") or ""
        completed: list[JsonDict] = []
        for item in files:
            pending = self._pending_uploads.pop(item["id"])
            file_object = self._file_object(
                item["id"], pending, item.get("title"), [c.id for c in channels], now
            )
            self._files[item["id"]] = file_object
            completed.append(copy.deepcopy(file_object))
        for channel in channels:
            message = self._bot_message(comment, None, now)
            message.update(ts=self._new_ts(channel, now), files=copy.deepcopy(completed), upload=True)
            self._store_message(channel, message, thread_ts)
        return {"files": completed}

    def _file_object(
        self, file_id: str, pending: JsonDict, title: object, channel_ids: list[str], now: float
    ) -> JsonDict:
        name = pending["filename"]
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        filetype = name.rsplit(".", 1)[-1].lower() if "." in name else "binary"
        url = f"{self.base_url}/files/{file_id}/{name}"
        return {
            "id": file_id,
            "created": int(now),
            "timestamp": int(now),
            "name": name,
            "title": title if isinstance(title, str) and title else name,
            "mimetype": mimetype,
            "filetype": filetype,
            "pretty_type": filetype.upper(),
            "user": self.bot_user_id,
            "user_team": self.team_id,
            "editable": False,
            "size": len(self._file_bytes.get(file_id, b"")),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": False,
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": url,
            "url_private_download": f"{url}?download=1",
            "permalink": f"https://{self.team_domain}.slack.com/files/{self.bot_user_id}/{file_id}/{name}",
            "alt_txt": pending.get("alt_txt"),
            "channels": [c for c in channel_ids if not c.startswith(("G", "D"))],
            "groups": [c for c in channel_ids if c.startswith("G")],
            "ims": [c for c in channel_ids if c.startswith("D")],
            "has_rich_preview": False,
        }

    def _handle_upload(self, file_id: str, body: bytes) -> _Outcome:
        with self._lock:
            now = self.clock()
            fail, delay, drop = self._take_faults("file_upload")
            args = {"file_id": file_id, "length": len(body)}
            if fail is not None:
                return self._fail_outcome("file_upload", args, fail, delay, now)
            pending = self._pending_uploads.get(file_id)
            if pending is None:
                self._calls.append(
                    RecordedCall("file_upload", args, 404, {"ok": False, "error": "not_found"}, now)
                )
                return _Outcome.text(404, "not_found", delay=delay)
            pending["uploaded"] = True
            self._file_bytes[file_id] = body
            self._calls.append(RecordedCall("file_upload", args, 200, {"ok": True}, now, drop))
        return _Outcome.text(200, f"OK - {len(body)}", delay=delay, drop=drop)

    def _handle_download(self, path: str, headers: Mapping[str, str]) -> _Outcome:
        file_id = path.split("/", 1)[0]
        auth = headers.get("authorization", "")
        with self._lock:
            if auth != f"Bearer {self.bot_token}":
                return _Outcome.text(403, "forbidden")
            if file_id not in self._files:
                return _Outcome.text(404, "not_found")
            content = self._file_bytes.get(file_id, b"")
            mimetype = self._files[file_id]["mimetype"]
        return _Outcome(200, content, content_type=mimetype)

    # ------------------------------------------------------------------ response_url

    def _handle_response_url(self, token: str, headers: Mapping[str, str], body: bytes) -> _Outcome:
        with self._lock:
            now = self.clock()
            try:
                payload = json.loads(body.decode("utf-8")) if body else {}
            except (UnicodeDecodeError, json.JSONDecodeError):
                payload = None
            args = (
                copy.deepcopy(payload)
                if isinstance(payload, dict)
                else {"raw": body.decode("utf-8", "replace")}
            )
            fail, delay, drop = self._take_faults("response_url")
            if fail is not None:
                return self._fail_outcome("response_url", args, fail, delay, now)
            status, error = self._apply_response_url(token, payload, now)
            response: JsonDict = {"ok": True} if status == 200 else {"ok": False, "error": error}
            self._calls.append(RecordedCall("response_url", args, status, response, now, drop))
        return _Outcome.text(status, "ok" if status == 200 else error, delay=delay, drop=drop)

    def _apply_response_url(self, token: str, payload: object, now: float) -> tuple[int, str]:
        issued = self._response_urls.get(token)
        if issued is None:
            return 404, "no_service"
        if now - issued.issued_at > RESPONSE_URL_TTL_SECONDS:
            return 404, "expired_url"
        if issued.uses >= RESPONSE_URL_MAX_USES:
            return 404, "used_url"
        if not isinstance(payload, dict):
            return 400, "invalid_payload"
        # Slack answers through a response_url in any conversation, even one the bot is not in.
        channel = self._channels.get(issued.channel_id)
        original = self._original_for(issued, channel)
        if arg_bool(payload, "delete_original"):
            if original is None:
                return 404, "message_not_found"
            issued.uses += 1
            self._remove_original(channel, original)
            return 200, "ok"
        try:
            text, blocks, _ = self._message_content(payload)
        except SlackError as exc:
            return 400, exc.error
        thread_ts = arg_str(payload, "thread_ts")
        issued.uses += 1
        if arg_bool(payload, "replace_original") and original is not None:
            original["text"] = text or ""
            if blocks:
                original["blocks"] = blocks
            else:
                original.pop("blocks", None)
            if not original.get("is_ephemeral") and channel is not None:
                original["edited"] = {"user": self.bot_user_id, "ts": self._new_ts(channel, now)}
            return 200, "ok"
        if payload.get("response_type") == "in_channel":
            if channel is None:
                return 404, "channel_not_found"
            message = self._bot_message(text or "", blocks, now)
            message["ts"] = self._new_ts(channel, now)
            self._store_message(channel, message, thread_ts if is_ts(thread_ts) else None)
        else:
            thread = thread_ts if is_ts(thread_ts) else None
            self._ephemeral(
                issued.channel_id, issued.user_id, text or "", blocks, thread, "response_url", now
            )
        return 200, "ok"

    def _original_for(self, issued: _ResponseUrl, channel: _Channel | None) -> JsonDict | None:
        if issued.message_ts is None:
            return None
        for ephemeral in self._ephemerals:
            if ephemeral["ts"] == issued.message_ts and ephemeral["channel"] == issued.channel_id:
                return ephemeral
        return channel.messages.get(issued.message_ts) if channel is not None else None

    def _remove_original(self, channel: _Channel | None, original: JsonDict) -> None:
        if original.get("is_ephemeral") or channel is None:
            if original in self._ephemerals:
                self._ephemerals.remove(original)
            return
        ts = original["ts"]
        thread_ts = original.get("thread_ts")
        channel.messages.pop(ts, None)
        if thread_ts and thread_ts != ts:
            self._recount_thread(channel, thread_ts)


def _tz_offset(tz: str, now: float) -> int:
    try:
        offset = datetime.fromtimestamp(now, tz=UTC).astimezone(ZoneInfo(tz)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return 0
    return int(offset.total_seconds()) if offset is not None else 0


class _EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    emulator: SlackEmulator


class _RequestHandler(BaseHTTPRequestHandler):
    server: _EmulatorHTTPServer
    server_version = "SlackEmulator/1.0"

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, verb: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        outcome = self.server.emulator._handle_http(verb, self.path, headers, body)
        if outcome.delay > 0:
            time.sleep(outcome.delay)
        if outcome.drop:
            # Nothing written: the client sees the connection close without an answer.
            self.close_connection = True
            return
        self.send_response(outcome.status)
        self.send_header("Content-Type", outcome.content_type)
        self.send_header("Content-Length", str(len(outcome.body)))
        for key, value in outcome.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(outcome.body)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines on stderr would bury test output.
        return


__all__ = ["RecordedCall", "SlackEmulator"]
